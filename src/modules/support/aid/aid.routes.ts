// HTTP routes of the aid module (资助; OpenAPI tag 'support'): /api/support/aid… Thin: the rules,
// scope, masking and audit are in aid.service.ts.
import { z } from 'zod';
import type { AppContext } from '../../../server/context.js';
import { caller, errorBody, idParam, type Api } from '../../../server/http.js';
import {
  aidGrantView, aidItemBody, aidItemKeyParam, aidItemView, aidListQuery, aidListView, aidSummaryQuery, aidSummaryView,
  createAidBody, revokeAidBody, updateAidBody,
} from './aid.schemas.js';
import { aidSummary, createAid, listAid, listItems, putItem, revokeAid, updateAid } from './aid.service.js';

const tags = ['support'];
const errors = { 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

export async function aidRoutes(app: Api, ctx: AppContext) {
  app.get('/support/aid/items', {
    schema: { tags, summary: '资助项目目录（all=true 含已停用）', querystring: z.object({ all: z.enum(['true', 'false']).optional() }), response: { 200: z.array(aidItemView) } },
  }, async (req) => { caller(req); return listItems(ctx, req.query.all === 'true'); });

  app.put('/support/aid/items/:key', {
    schema: { tags, summary: '新增或修改资助项目（教育局；记入审计日志）', params: aidItemKeyParam, body: aidItemBody, response: { 200: aidItemView, ...errors } },
  }, async (req) => putItem(ctx, caller(req), req.params.key, req.body));

  app.get('/support/aid', {
    schema: {
      tags, summary: '受助记录（按权限范围；无权查看家庭情况的角色只得到 masked=true；查看记入审计日志）',
      querystring: aidListQuery, response: { 200: aidListView, 404: errorBody },
    },
  }, async (req) => listAid(ctx, caller(req), req.query));

  app.post('/support/aid', {
    schema: { tags, summary: '登记资助（校长、教导处：本校学生；教育局：全部；同一项目同学年同学期不可重复）', body: createAidBody, response: { 200: aidGrantView, ...errors } },
  }, async (req) => createAid(ctx, caller(req), req.body));

  app.patch('/support/aid/:id', {
    schema: { tags, summary: '修改资助记录（记入审计日志，含修改前后）', params: idParam, body: updateAidBody, response: { 200: aidGrantView, ...errors } },
  }, async (req) => updateAid(ctx, caller(req), req.params.id, req.body));

  app.post('/support/aid/:id/revoke', {
    schema: { tags, summary: '撤销资助记录（须填写原因；记录保留）', params: idParam, body: revokeAidBody, response: { 200: aidGrantView, ...errors } },
  }, async (req) => revokeAid(ctx, caller(req), req.params.id, req.body.reason));

  app.get('/support/aid/summary', {
    schema: { tags, summary: '资助汇总：按学校、项目统计受助人数与金额（分）', querystring: aidSummaryQuery, response: { 200: aidSummaryView, 403: errorBody } },
  }, async (req) => aidSummary(ctx, caller(req), req.query));
}
