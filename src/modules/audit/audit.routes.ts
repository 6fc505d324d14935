import type { AppContext } from '../../server/context.js';
import { caller, errorBody, paged, type Api } from '../../server/http.js';
import { AUDIT_READER_ROLES } from '../../shared/roles.js';
import { searchAudit } from './audit.repo.js';
import { auditItem, auditQuery } from './audit.schemas.js';

export async function auditRoutes(app: Api, ctx: AppContext) {
  app.get('/audit', {
    schema: { tags: ['audit'], summary: '检索审计日志（教育局管理员、督导：全部；校长：本校）', querystring: auditQuery, response: { 200: paged(auditItem), 403: errorBody } },
  }, async (req) => {
    const { scope } = caller(req, AUDIT_READER_ROLES);
    const res = await searchAudit(ctx.db, scope.audit('a'), req.query);
    return { total: res.total, page: req.query.page, pageSize: req.query.pageSize, items: res.items };
  });
}
