import type { AppContext } from '../../server/context.js';
import type { Api } from '../../server/http.js';

export async function rosterImportRoutes(_app: Api, _ctx: AppContext) {}
