// HTTP routes of the support outcomes (OpenAPI tag 'support'): trajectory of a case, progress
// awards of an exam, the comparison with similar unsupported students (an estimate), the mix of
// support. Thin: zod schemas in, services out. Definitions: docs/support.md "Outcomes".
import type { AppContext } from '../../../server/context.js';
import { caller, errorBody, idParam, type Api } from '../../../server/http.js';
import { awardsQuery, awardsView, comparisonQuery, comparisonView, mixQuery, mixView, trajectoryView } from './outcomes.schemas.js';
import { comparison, mix, progressAwards, trajectory } from './outcomes.service.js';

const tags = ['support'];
const errors = { 400: errorBody, 403: errorBody, 404: errorBody };

export async function supportOutcomeRoutes(app: Api, ctx: AppContext) {
  app.get('/support/cases/:id/trajectory', {
    schema: { tags, summary: '帮扶对象历次考试轨迹（全县百分位、后20%）', params: idParam, response: { 200: trajectoryView, ...errors } },
  }, async (req) => trajectory(ctx, caller(req), req.params.id));

  app.get('/support/outcomes/awards', {
    schema: { tags, summary: '进步奖（班级每月进步奖、学校期中期末后20%进步奖），由考试数据计算', querystring: awardsQuery, response: { 200: awardsView, ...errors } },
  }, async (req) => progressAwards(ctx, caller(req), req.query));

  app.get('/support/outcomes/comparison', {
    schema: { tags, summary: '帮扶学生与同校同分段未帮扶学生的百分位变化对比（估计，不是因果结论）', querystring: comparisonQuery, response: { 200: comparisonView, ...errors } },
  }, async (req) => comparison(ctx, caller(req), req.query));

  app.get('/support/outcomes/mix', {
    schema: { tags, summary: '帮扶方式构成（课内/课外等）按学校、教师', querystring: mixQuery, response: { 200: mixView, ...errors } },
  }, async (req) => mix(ctx, caller(req), req.query));
}
