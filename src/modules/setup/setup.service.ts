import { sql } from 'drizzle-orm';
import { one } from '../../db/client.js';
import type { AppContext } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import { passwordProblem } from '../../shared/password-policy.js';
import { writeAudit } from '../audit/audit.repo.js';
import { hashPassword } from '../auth/password.js';
import type { SetupBody } from './setup.schemas.js';
import { demoJobRunning } from './demo-job.js';

export async function setupStatus(ctx: AppContext) {
  const b = await one<{ name: string; regionCode: string }>(ctx.db, sql`SELECT name, region_code AS "regionCode" FROM bureau ORDER BY id LIMIT 1`);
  return { initialized: !!b, bureau: b ?? null, demoLoading: demoJobRunning(ctx) };
}

/** First run: the bureau and its administrator. Refused once a bureau exists. */
export async function initializeBureau(ctx: AppContext, body: SetupBody, ip: string) {
  const problem = passwordProblem(body.adminPassword, body.adminUsername);
  if (problem) throw new AppError(400, 'WEAK_PASSWORD', problem);
  const hash = await hashPassword(body.adminPassword);
  await ctx.db.transaction(async (tx) => {
    // serialize concurrent first-run submissions
    await tx.execute(sql`LOCK TABLE bureau IN EXCLUSIVE MODE`);
    const existing = await one(tx, sql`SELECT id FROM bureau LIMIT 1`);
    if (existing) throw new AppError(409, 'ALREADY_INITIALIZED', '系统已初始化');
    await tx.execute(sql`INSERT INTO bureau (name, region_code) VALUES (${body.bureauName}, ${body.regionCode})`);
    const user = await one<{ id: number }>(tx, sql`INSERT INTO users (username, display_name, password_hash, role, must_change_password)
      VALUES (${body.adminUsername}, ${body.adminDisplayName}, ${hash}, 'bureau_admin', false) RETURNING id`);
    await writeAudit(tx, { userId: user!.id, name: body.adminDisplayName, ip }, [
      { action: 'setup.bureau_created', entityType: 'bureau', after: { name: body.bureauName, regionCode: body.regionCode } },
      { action: 'account.created', entityType: 'user', entityId: user!.id, after: { username: body.adminUsername, role: 'bureau_admin' } },
    ]);
  });
}
