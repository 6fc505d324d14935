// HTTP routes of the printables (OpenAPI tag 'support'): the student's archive and a teacher's
// 帮扶手册 as A4 PDF. Thin: the rules, scope and audit are in printables.service.ts.
import { z } from 'zod';
import type { AppContext } from '../../../server/context.js';
import { caller, idParam, type Api } from '../../../server/http.js';
import { printArchive, printHandbook, type Printed } from './printables.service.js';

const tags = ['support'];
const printQuery = z.object({
  /** print the family flags (roles that may reveal them, with a reason; audited) */
  familyFlags: z.enum(['true', 'false']).optional(),
  reason: z.string().trim().max(200).optional(),
});

const headers = (p: Printed) => ({
  'content-type': 'application/pdf',
  'content-disposition': `inline; filename="print.pdf"; filename*=UTF-8''${encodeURIComponent(p.filename)}`,
  'cache-control': 'no-store',
});

export async function printablesRoutes(app: Api, ctx: AppContext) {
  app.get('/support/cases/:id/archive.pdf', {
    schema: {
      tags, summary: '打印学生帮扶档案（A4 PDF；身份证号脱敏，不含心理记录；每次打印记入审计日志）',
      params: idParam, querystring: printQuery,
    },
  }, async (req, reply) => {
    const p = await printArchive(ctx, caller(req), req.params.id, { familyFlags: req.query.familyFlags === 'true', reason: req.query.reason });
    return reply.headers(headers(p)).send(p.bytes);
  });

  app.get('/support/teachers/:teacherId/handbook.pdf', {
    schema: {
      tags, summary: '打印教师帮扶手册（A4 PDF：封面、帮扶学生、资助与受助情况、帮扶记录、配额完成情况；记入审计日志）',
      params: z.object({ teacherId: z.coerce.number().int().positive() }),
      querystring: printQuery.extend({ schoolYear: z.string().regex(/^\d{4}-\d{4}$/).optional() }),
    },
  }, async (req, reply) => {
    const p = await printHandbook(ctx, caller(req), req.params.teacherId, {
      familyFlags: req.query.familyFlags === 'true', reason: req.query.reason, schoolYear: req.query.schoolYear,
    });
    return reply.headers(headers(p)).send(p.bytes);
  });
}
