import type { AppContext } from '../../server/context.js';
import { caller, errorBody, idParam, paged, type Api } from '../../server/http.js';
import { teacherDetail, teacherListItem, teacherListQuery } from './teachers.schemas.js';
import { getTeacher, listTeachers } from './teachers.service.js';

export async function teacherRoutes(app: Api, ctx: AppContext) {
  app.get('/teachers', {
    schema: { tags: ['teachers'], summary: '教师列表（按权限范围；q 匹配姓名、全拼、首字母）', querystring: teacherListQuery, response: { 200: paged(teacherListItem) } },
  }, async (req) => listTeachers(ctx, caller(req), req.query));

  app.get('/teachers/:id', {
    schema: { tags: ['teachers'], summary: '教师详情：任教班级与学科、担任班主任的班级', params: idParam, response: { 200: teacherDetail, 404: errorBody } },
  }, async (req) => getTeacher(ctx, caller(req), req.params.id));
}
