import type { AppContext } from '../../server/context.js';
import { caller, errorBody, type Api } from '../../server/http.js';
import { settingsBody, settingsResponse, targetsBody, targetsParams, targetsResponse } from './exam-settings.schemas.js';
import { getSettings, getTargets, putSettings, putTargets } from './exam-settings.service.js';

export async function examSettingsRoutes(app: Api, ctx: AppContext) {
  app.get('/exam-targets/:schoolYear/:grade', {
    schema: {
      tags: ['exams'], summary: '某学年某年级的后20%目标（未设置时为默认规则）',
      params: targetsParams, response: { 200: targetsResponse },
    },
  }, async (req) => getTargets(ctx, caller(req), req.params.grade, req.params.schoolYear));

  app.put('/exam-targets/:schoolYear/:grade', {
    schema: {
      tags: ['exams'], summary: '设置后20%目标：基准考试、每学期下降百分点、名次与比例上限（教育局；记入审计日志）',
      params: targetsParams, body: targetsBody, response: { 200: targetsResponse, 400: errorBody, 403: errorBody },
    },
  }, async (req) => putTargets(ctx, caller(req), req.params.grade, req.params.schoolYear, req.body));

  app.get('/exam-settings', {
    schema: { tags: ['exams'], summary: '后20%奖励方案与分析选项（含默认值）', response: { 200: settingsResponse } },
  }, async (req) => getSettings(ctx, caller(req)));

  app.put('/exam-settings', {
    schema: {
      tags: ['exams'], summary: '修改奖励方案与分析选项（教育局；记入审计日志；需重新分析考试后生效）',
      body: settingsBody, response: { 200: settingsResponse, 400: errorBody, 403: errorBody },
    },
  }, async (req) => putSettings(ctx, caller(req), req.body));
}
