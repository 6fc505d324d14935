import type { AppContext } from '../../server/context.js';
import { caller, errorBody, idParam, paged, type Api } from '../../server/http.js';
import { dashboardSchema, schoolDetail, schoolListItem, schoolListQuery } from './schools.schemas.js';
import { dashboard, getSchool, listSchools } from './schools.service.js';

export async function schoolRoutes(app: Api, ctx: AppContext) {
  app.get('/schools', {
    schema: { tags: ['schools'], summary: '学校列表（按权限范围）', querystring: schoolListQuery, response: { 200: paged(schoolListItem) } },
  }, async (req) => listSchools(ctx, caller(req), req.query));

  app.get('/schools/:id', {
    schema: { tags: ['schools'], summary: '学校详情与本学年班级', params: idParam, response: { 200: schoolDetail, 404: errorBody } },
  }, async (req) => getSchool(ctx, caller(req), req.params.id));

  app.get('/dashboard', {
    schema: { tags: ['schools'], summary: '概览：权限范围内的学校、班级、教师、学生统计', response: { 200: dashboardSchema } },
  }, async (req) => dashboard(ctx, caller(req)));
}
