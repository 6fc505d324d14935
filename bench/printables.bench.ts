// Printables benchmark: `npm run bench:printables [-- --students N --handbook 30 --runs R]`.
// An embedded (PGlite) demo county in a temp folder, loaded as `bangfu demo` does (cases, pairings,
// a semester of records); then one teacher is made the helper of `--handbook` students of one school
// (their 师生结对 pairings handed over, records and all: a throwaway database), and the 帮扶手册 and
// one student's archive are printed through the services (load + audit in one transaction, layout,
// PDF) as the school's 教导处: median of R runs after a warm-up. Prints the figures; nothing is written.
// Run under `flock /tmp/bangfu-bench.lock` so two benchmarks never overlap.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { one, rows } from '../src/db/client.js';
import { loadDemoCounty } from '../src/modules/demo/demo.service.js';
import { compileScope } from '../src/modules/scope/scope.js';
import { printArchive, printHandbook, type Printed } from '../src/modules/support/printables/printables.service.js';
import { createContext } from '../src/server/bootstrap.js';
import type { Caller } from '../src/server/http.js';

const { values: args } = parseArgs({
  options: {
    students: { type: 'string', default: '4000' },
    handbook: { type: 'string', default: '30' },
    runs: { type: 'string', default: '5' },
    seed: { type: 'string', default: '1' },
  },
});
const N = Number(args.handbook);
const RUNS = Number(args.runs);
const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-bench-print-'));
const ctx = await createContext({ dataDir });
try {
  log(`loading a demo county of ${args.students} students (PGlite) …`);
  await loadDemoCounty(ctx, { students: Number(args.students), seed: Number(args.seed), exams: true, support: true });
  // the school with the most 师生结对 pairings, and its first teacher with one
  const school = await one<{ schoolId: number; n: number }>(ctx.db, sql`SELECT pg.school_id AS "schoolId", count(*)::int AS n FROM pairings pg
    JOIN programmes pr ON pr.id = pg.programme_id AND pr.key = 'teacher_student' WHERE pg.status = 'active' GROUP BY 1 ORDER BY 2 DESC LIMIT 1`);
  if (!school) throw new Error('no 师生结对 pairings in the demo');
  const pairings = await rows<{ id: number }>(ctx.db, sql`SELECT pg.id FROM pairings pg JOIN programmes pr ON pr.id = pg.programme_id AND pr.key = 'teacher_student'
    WHERE pg.status = 'active' AND pg.school_id = ${school.schoolId} ORDER BY pg.id LIMIT ${N}`);
  const teacher = (await one<{ id: number }>(ctx.db, sql`SELECT ph.person_id AS id FROM pairing_participants ph WHERE ph.pairing_id = ${pairings[0]!.id} AND ph.side = 'helper'`))!;
  await ctx.db.execute(sql`UPDATE pairing_participants SET person_id = ${teacher.id}
    WHERE side = 'helper' AND person_kind = 'teacher' AND pairing_id = ANY(${sql.param(pairings.map((p) => p.id))}::int[])`);
  const records = await one<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM activities WHERE pairing_id = ANY(${sql.param(pairings.map((p) => p.id))}::int[])`);
  const office = await one<{ id: number; displayName: string }>(ctx.db, sql`SELECT id, display_name AS "displayName" FROM users WHERE role = 'academic_office' AND school_id = ${school.schoolId} LIMIT 1`);
  const user = { id: office?.id ?? 0, username: 'bench', displayName: office?.displayName ?? '教导处', role: 'academic_office' as const, schoolId: school.schoolId, teacherId: null };
  const c: Caller = { user: user as Caller['user'], scope: compileScope(user), actor: { userId: user.id || null, name: user.displayName } };
  const caseId = (await one<{ id: number }>(ctx.db, sql`SELECT x.id FROM support_cases x JOIN pairing_participants ps ON ps.person_id = x.student_id AND ps.side = 'helped'
    WHERE ps.pairing_id = ${pairings[0]!.id} ORDER BY x.school_year DESC LIMIT 1`))!.id;

  const time = async (label: string, f: () => Promise<Printed>) => {
    const first = await f();
    const ms: number[] = [];
    const parts: Printed['timings'][] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      parts.push((await f()).timings);
      ms.push(performance.now() - t);
    }
    const m = (k: keyof Printed['timings']) => median(parts.map((p) => p[k])).toFixed(0);
    log(`${label}: median ${median(ms).toFixed(0)} ms (min ${Math.min(...ms).toFixed(0)}, max ${Math.max(...ms).toFixed(0)}; standing ${m('standing')}, read + audit ${m('load')}, layout + PDF ${m('render')}), ${(first.bytes.length / 1024).toFixed(0)} KB`);
  };
  log(`handbook: ${pairings.length} students, ${records?.n ?? 0} records; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  await time(`帮扶手册 (${pairings.length} students)`, () => printHandbook(ctx, c, teacher.id));
  await time('学生帮扶档案 (one case)', () => printArchive(ctx, c, caseId));
  log(`load average after: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
} finally {
  await ctx.database.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
