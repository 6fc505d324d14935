import type { AppContext } from '../../server/context.js';
import { caller, errorBody, idParam, paged, type Api } from '../../server/http.js';
import { revealBody, revealResponse, studentDetail, studentListItem, studentListQuery } from './students.schemas.js';
import { getStudent, listStudents, revealStudentField } from './students.service.js';

export async function studentRoutes(app: Api, ctx: AppContext) {
  app.get('/students', {
    schema: {
      tags: ['students'], summary: '学生列表（按权限范围；q 匹配姓名、全拼、首字母、学籍号、身份证号）',
      querystring: studentListQuery, response: { 200: paged(studentListItem) },
    },
  }, async (req) => listStudents(ctx, caller(req), req.query));

  app.get('/students/:id', {
    schema: { tags: ['students'], summary: '学生详情（敏感字段已脱敏）', params: idParam, response: { 200: studentDetail, 404: errorBody } },
  }, async (req) => getStudent(ctx, caller(req), req.params.id));

  app.post('/students/:id/reveal', {
    schema: {
      tags: ['students'], summary: '查看脱敏字段（须填写原因，记入审计日志）',
      params: idParam, body: revealBody, response: { 200: revealResponse, 403: errorBody, 404: errorBody },
    },
  }, async (req) => revealStudentField(ctx, caller(req), req.params.id, req.body.field, req.body.reason));
}
