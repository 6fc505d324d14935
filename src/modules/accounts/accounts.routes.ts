import type { AppContext } from '../../server/context.js';
import { caller, errorBody, idParam, paged, type Api } from '../../server/http.js';
import { ACCOUNT_ADMIN_ROLES } from '../../shared/roles.js';
import { accountItem, accountListQuery, createAccountBody, initialPasswordResponse, updateAccountBody } from './accounts.schemas.js';
import { createAccount, listAccounts, resetPassword, updateAccount } from './accounts.service.js';

export async function accountRoutes(app: Api, ctx: AppContext) {
  app.get('/accounts', {
    schema: { tags: ['accounts'], summary: '账号列表（教育局管理员：全部；校长：本校）', querystring: accountListQuery, response: { 200: paged(accountItem), 403: errorBody } },
  }, async (req) => listAccounts(ctx, caller(req, ACCOUNT_ADMIN_ROLES), req.query));

  app.post('/accounts', {
    schema: { tags: ['accounts'], summary: '新建账号（返回一次性初始密码，首次登录须修改）', body: createAccountBody, response: { 200: initialPasswordResponse, 400: errorBody, 403: errorBody, 409: errorBody } },
  }, async (req) => createAccount(ctx, caller(req, ACCOUNT_ADMIN_ROLES), req.body));

  app.patch('/accounts/:id', {
    schema: { tags: ['accounts'], summary: '修改账号：姓名、角色、停用/启用', params: idParam, body: updateAccountBody, response: { 200: accountItem, 400: errorBody, 403: errorBody, 404: errorBody } },
  }, async (req) => updateAccount(ctx, caller(req, ACCOUNT_ADMIN_ROLES), req.params.id, req.body));

  app.post('/accounts/:id/reset-password', {
    schema: { tags: ['accounts'], summary: '重置密码（返回一次性初始密码）', params: idParam, response: { 200: initialPasswordResponse, 403: errorBody, 404: errorBody } },
  }, async (req) => resetPassword(ctx, caller(req, ACCOUNT_ADMIN_ROLES), req.params.id));
}
