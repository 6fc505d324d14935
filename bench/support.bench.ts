// Student support benchmark: `npm run bench:support [-- --students N --runs R --connections C --duration S] [--reuse-db NAME]`.
// 1. A throwaway PostgreSQL database on 127.0.0.1:5432 (created here, dropped at the end) gets the
//    full demo county: students, the exams, and the support data (cases, pairings, a semester of
//    records) exactly as `bangfu demo` loads them.
// 2. The bureau's coverage and compliance views: the API functions (coverageRows, compliance) and
//    GET /api/support/coverage and /api/support/compliance over HTTP against the running server
//    (loopback), median of R runs after one warm-up.
// 3. A teacher's record save (POST /api/activities, a talk) at C concurrent connections for S
//    seconds with autocannon (loopback only) → p95 latency: twice, with the request log off and on
//    (BANGFU_LOG, as `bangfu serve` runs by default; the log goes to a file); then, log off, the
//    same connections paced at 1 and 5 saves per second each (--no-paced skips them).
// The server is `bangfu serve` in its own process and autocannon runs in another, so neither shares
// the other's event loop (PostgreSQL, the server and the client still share the machine's cores).
// Results → docs/benchmarks.md between the bench:support marks (a smaller --students writes bench/out/).
// Run under `flock /tmp/bangfu-bench.lock npm run bench:support` so two benchmarks never overlap.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { one, rows } from '../src/db/client.js';
import { SESSION_COOKIE, sessionIdOf } from '../src/modules/auth/auth.service.js';
import { loadDemoCounty } from '../src/modules/demo/demo.service.js';
import { compileScope } from '../src/modules/scope/scope.js';
import { recordCacheStats } from '../src/modules/pairings/standing.service.js';
import { compliance, coverageRows } from '../src/modules/support/support-report.service.js';
import { createContext } from '../src/server/bootstrap.js';
import type { Caller } from '../src/server/http.js';

// autocannon ships no type declarations: the part of its result read here
interface AcResult {
  requests: { total: number; average: number };
  latency: { p50: number; p90: number; p97_5: number; p99: number };
  non2xx: number;
  /** the client's own CPU time (process.cpuUsage, µs) */
  cpu: { user: number; system: number };
}

/**
 * autocannon in a child process (its 200 connections must not share the server's event loop).
 * `clients`: each connection takes the next one (its own session cookie, CSRF token and body), so
 * 200 connections are 200 different teachers, each saving against their own pairing.
 */
function autocannon(opts: Record<string, unknown>, clients: { headers: Record<string, string>; body: string }[] = []): Promise<AcResult> {
  const code = `const [o, list] = JSON.parse(process.argv[1]); let i = 0;
    if (list.length) o.setupClient = (c) => { const t = list[i++ % list.length]; c.setHeadersAndBody(t.headers, t.body); };
    require('autocannon')(o, (e, r) => { if (e) { console.error(e); process.exit(1); } process.stdout.write(JSON.stringify({ ...r, cpu: process.cpuUsage() })); })`;
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['-e', code, JSON.stringify([opts, clients])], { cwd: ROOT, maxBuffer: 64 << 20 }, (err, out) => (err ? reject(err) : resolve(JSON.parse(out) as AcResult))),
  );
}

/**
 * CPU seconds used so far by the server process and by each PostgreSQL backend of the benchmark's
 * database (Linux /proc; empty elsewhere): where a save's CPU goes, beside autocannon's own.
 */
function cpuSeconds(serverPid: number | undefined, db: string): { server: number; pg: Map<string, number> } {
  const ticks = (pid: string) => {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const v = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(v[11]) + Number(v[12])) / 100; // utime + stime, in clock ticks (USER_HZ 100)
  };
  const pg = new Map<string, number>();
  try {
    for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${db} `)) pg.set(pid, ticks(pid));
      } catch {
        // gone meanwhile
      }
    }
    return { server: serverPid ? ticks(String(serverPid)) : 0, pg };
  } catch {
    return { server: 0, pg };
  }
}
/** PostgreSQL CPU between two snapshots: backends that ended meanwhile were idle (the pool's idle timeout), new ones count in full. */
const pgSeconds = (a: Map<string, number>, b: Map<string, number>) => [...b].reduce((sum, [pid, t]) => sum + t - (a.get(pid) ?? 0), 0);

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });

/** `bangfu serve` on the benchmark's database, in its own process; its request log (BANGFU_LOG) goes to a file. */
async function startServer(databaseUrl: string, dir: string, log: boolean): Promise<{ base: string; child: ChildProcess; stop: () => Promise<void> }> {
  const port = await freePort();
  const out = fs.openSync(path.join(dir, `server-${log ? 'log' : 'quiet'}.log`), 'w');
  // one file per thread (tsx's loader runs in a thread of its own): the main thread's is the largest
  const prof = CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.join(CPU_PROF, log ? 'log' : 'quiet')] : [];
  const child = spawn(process.execPath, [...prof, path.join(ROOT, 'bin', 'bangfu.mjs'), 'serve', '--port', String(port), '--host', '127.0.0.1'], {
    cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl, BANGFU_DATA_DIR: dir, BANGFU_LOG: log ? '1' : '0' }, stdio: ['ignore', out, 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`bangfu serve exited with ${child.exitCode}`);
    try {
      await fetch(`${base}/api/me`);
      break;
    } catch {
      if (i > 600) throw new Error('bangfu serve did not start in 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }).finally(() => fs.closeSync(out));
  return { base, child, stop };
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    students: { type: 'string', default: '25000' },
    runs: { type: 'string', default: '7' },
    seed: { type: 'string', default: '1' },
    connections: { type: 'string', default: '200' },
    duration: { type: 'string', default: '15' },
    'pg-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test' },
    report: { type: 'string' },
    // the record save only (no coverage / compliance views)
    'save-only': { type: 'boolean', default: false },
    // the request-log-on save run too (default yes)
    'log-run': { type: 'boolean', default: true },
    // two paced save runs too: the same teachers at 1 and 5 saves per second each (default yes)
    paced: { type: 'boolean', default: true },
    // distinct teachers (sessions, pairings) the connections cycle through; default one per connection
    teachers: { type: 'string' },
    // write the server's V8 CPU profile (node --cpu-prof) into this folder
    'cpu-prof': { type: 'string' },
    // a database of the server that already holds the demo county (e.g. from an earlier `bangfu demo`): used as is
    // (not loaded, not dropped; each save run adds its records); save runs only, logged, no report — for A/B runs
    'reuse-db': { type: 'string' },
  },
  allowNegative: true,
});
const STUDENTS = Number(args.students);
const RUNS = Number(args.runs);
const SEED = Number(args.seed);
const CONNECTIONS = Number(args.connections);
const DURATION = Number(args.duration);
const FULL = STUDENTS >= 25_000;
const REUSE_DB = args['reuse-db'];
const SAVE_ONLY = args['save-only']! || REUSE_DB != null;
const TEACHERS = Number(args.teachers ?? CONNECTIONS);
const CPU_PROF = args['cpu-prof'] ? path.resolve(args['cpu-prof']) : undefined;
const REPORT = args.report ? path.resolve(args.report) : FULL && !SAVE_ONLY ? path.join(ROOT, 'docs', 'benchmarks.md') : path.join(ROOT, 'bench', 'out', `support-benchmarks-${STUDENTS}.md`);
const MARK_START = '<!-- bench:support:start (generated by bench/support.bench.ts; edit outside these marks) -->';
const MARK_END = '<!-- bench:support:end -->';
const TARGET_VIEW_MS = 300;
const TARGET_SAVE_P95_MS = 100;

const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);
const loadavg = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
async function timed(n: number, f: () => Promise<unknown>): Promise<number[]> {
  await f(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f();
    out.push(performance.now() - t);
  }
  return out;
}

async function admin(q: string) {
  const c = new pg.Client({ connectionString: args['pg-url'] });
  await c.connect();
  try {
    await c.query(q);
  } finally {
    await c.end();
  }
}

const dbName = REUSE_DB ?? `bangfu_bench_support_${process.pid}`;
const url = new URL(args['pg-url']!);
url.pathname = `/${dbName}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-bench-support-'));
const loadStart = loadavg();
log(`support benchmark: ${STUDENTS} students, ${RUNS} runs, ${CONNECTIONS} connections × ${DURATION} s; database ${dbName}`);
if (!REUSE_DB) await admin(`CREATE DATABASE "${dbName}"`);
let ctx: Awaited<ReturnType<typeof createContext>> | undefined;
let server: Awaited<ReturnType<typeof startServer>> | undefined;
try {
  ctx = await createContext({ databaseUrl: url.toString(), dataDir });
  const loaded = REUSE_DB ? undefined : await loadDemoCounty(ctx, { students: STUDENTS, seed: SEED, exams: true, support: true });
  const s = loaded?.support;
  if (loaded && s) log(`demo loaded: ${loaded.counts.students} students, ${s.cases} cases, ${s.pairings} pairings, ${s.records} records (county ${loaded.seconds.toFixed(1)} s, exams ${loaded.exams?.seconds.toFixed(1)} s, support ${s.seconds.toFixed(1)} s)`);
  const size = await one<{ records: number; cases: number; pairings: number }>(ctx.db, sql`SELECT (SELECT count(*) FROM activities)::int AS records,
    (SELECT count(*) FROM support_cases)::int AS cases, (SELECT count(*) FROM pairings)::int AS pairings`);
  await ctx.db.execute(sql`ANALYZE`);

  // the API functions, as the bureau
  const u = (await one<{ id: number; username: string; display_name: string }>(ctx.db, sql`SELECT id, username, display_name FROM users WHERE role = 'bureau_admin' ORDER BY id LIMIT 1`))!;
  const user = { id: u.id, username: u.username, displayName: u.display_name, role: 'bureau_admin' as const, schoolId: null, teacherId: null };
  const caller = { user: { ...user, mustChangePassword: false, csrfToken: '', sessionId: '', locale: 'zh-CN' }, scope: compileScope(user), actor: { userId: u.id, name: u.display_name } } as unknown as Caller;
  const c0 = ctx;
  let apiCoverage: number[] = [], apiCompliance: number[] = [], apiComplianceFirst = 0, httpCoverage: number[] = [], httpCompliance: number[] = [];
  let reread = { looks: 0, pairings: 0 };
  if (!SAVE_ONLY) {
    apiCoverage = await timed(RUNS, () => coverageRows(c0, caller, {}));
    const t0 = performance.now();
    await compliance(c0, caller, {});
    apiComplianceFirst = performance.now() - t0;
    const cache0 = recordCacheStats(c0.db);
    apiCompliance = await timed(RUNS, () => compliance(c0, caller, {}));
    const cache1 = recordCacheStats(c0.db);
    // pairings whose records the timed runs read again: 0 when nothing changed; a long transaction elsewhere on the
    // server holds the change log's horizon back, and the pairings changed since it began are read again each time
    reread = { looks: cache1.looks - cache0.looks, pairings: cache1.reread - cache0.reread };
    log(`API: coverage ${median(apiCoverage).toFixed(0)} ms, compliance ${median(apiCompliance).toFixed(0)} ms (median; first ${apiComplianceFirst.toFixed(0)} ms; records of ${reread.pairings} pairings re-read in ${reread.looks} calls)`);
  }

  // over HTTP against the running server (its own process, request log off)
  server = await startServer(url.toString(), dataDir, false);
  let base = server.base;
  if (!SAVE_ONLY) {
    const password = loaded!.accounts.find((a) => a.username === u.username)!.password;
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u.username, password }) });
    if (res.status !== 200) throw new Error(`login ${u.username}: ${res.status} ${await res.text()}`);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    const get = async (p: string) => {
      const r = await fetch(`${base}${p}`, { headers: { cookie } });
      if (r.status !== 200) throw new Error(`${p}: ${r.status}`);
      await r.arrayBuffer();
    };
    httpCoverage = await timed(RUNS, () => get('/api/support/coverage'));
    httpCompliance = await timed(RUNS, () => get('/api/support/compliance'));
    log(`HTTP: coverage ${median(httpCoverage).toFixed(0)} ms, compliance ${median(httpCompliance).toFixed(0)} ms (median)`);
  }

  // a teacher's record save: TEACHERS different teachers (one per connection by default), each the current helper of
  // an active 师生 pairing of their own and signed in with a session of their own. Teachers of the county without a
  // login get one (as the school's admin would create it); the sessions are made directly (the login route is rate-limited).
  const picked = await rows<{ teacherId: number; pairingId: number }>(ctx.db, sql`SELECT DISTINCT ON (t.person_id) t.person_id AS "teacherId", p.id AS "pairingId"
    FROM pairings p JOIN pairing_participants t ON t.pairing_id = p.id AND t.role = 'helper' AND t.person_kind = 'teacher' AND t.to_date IS NULL
    WHERE p.status = 'active' AND p.programme_id = (SELECT id FROM programmes WHERE key = 'teacher_student')
    ORDER BY t.person_id, p.id LIMIT ${TEACHERS}`);
  if (picked.length < TEACHERS) throw new Error(`only ${picked.length} teachers help in an active 师生 pairing (wanted ${TEACHERS})`);
  const teacherIds = picked.map((r) => r.teacherId);
  await ctx.db.execute(sql`INSERT INTO users (username, display_name, password_hash, role, school_id, teacher_id, must_change_password)
    SELECT 'bench_t' || t.id, t.name, '!', 'teacher', t.school_id, t.id, false FROM teachers t
    WHERE t.id = ANY(${`{${teacherIds.join(',')}}`}::int[]) AND NOT EXISTS (SELECT 1 FROM users u WHERE u.teacher_id = t.id AND u.role = 'teacher' AND NOT u.disabled)`);
  const logins = await rows<{ teacherId: number; userId: number }>(ctx.db, sql`SELECT DISTINCT ON (teacher_id) teacher_id AS "teacherId", id AS "userId" FROM users
    WHERE role = 'teacher' AND NOT disabled AND teacher_id = ANY(${`{${teacherIds.join(',')}}`}::int[]) ORDER BY teacher_id, id`);
  await ctx.db.execute(sql`UPDATE users SET must_change_password = false WHERE id = ANY(${`{${logins.map((l) => l.userId).join(',')}}`}::int[])`);
  const userOf = new Map(logins.map((l) => [l.teacherId, l.userId]));
  const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const sessions = async () => {
    const out: { headers: Record<string, string>; body: string }[] = [];
    for (const r of picked) {
      const token = crypto.randomBytes(32).toString('base64url');
      const csrf = crypto.randomBytes(24).toString('base64url');
      await ctx!.db.execute(sql`INSERT INTO sessions (id, user_id, csrf_token, expires_at) VALUES (${sessionIdOf(token)}, ${userOf.get(r.teacherId)!}, ${csrf}, now() + interval '1 hour')`);
      out.push({
        headers: { 'content-type': 'application/json', cookie: `${SESSION_COOKIE}=${token}`, 'x-csrf-token': csrf },
        body: JSON.stringify({ pairingId: r.pairingId, type: 'talk', date: day, content: '与学生谈话：学习态度。', fields: { topic: '学习态度', result: '学生表示愿意努力。' } }),
      });
    }
    return out;
  };
  // rate: saves per second per connection (autocannon's connectionRate) — a paced run, each teacher
  // saving at that pace, instead of every connection sending its next save the moment the last is answered
  const saveRun = async (label: string, rate?: number) => {
    const clients = await sessions();
    // one save per teacher first: each must succeed (their pairing, their scope), so the timed run measures saves, not refusals
    for (const t of clients) {
      const r = await fetch(`${base}/api/activities`, { method: 'POST', headers: t.headers, body: t.body });
      if (r.status !== 200) throw new Error(`record save check: ${r.status} ${await r.text()}`);
    }
    const before = (await one<{ n: number; max: number }>(ctx!.db, sql`SELECT count(*)::int AS n, max(id)::int AS max FROM activities`))!;
    const load = loadavg();
    const cpu0 = cpuSeconds(server!.child.pid, dbName);
    const result = await autocannon({ url: `${base}/api/activities`, method: 'POST', connections: CONNECTIONS, duration: DURATION, ...(rate ? { connectionRate: rate } : {}) }, clients);
    // the requests still in flight when autocannon stops are saved too: let them land before counting
    await new Promise((r) => setTimeout(r, 1000));
    const cpu1 = cpuSeconds(server!.child.pid, dbName);
    const after = (await one<{ n: number; by: number }>(ctx!.db, sql`SELECT (SELECT count(*)::int FROM activities) AS n,
      (SELECT count(DISTINCT recorded_by)::int FROM activities WHERE id > ${before.max}) AS by`))!;
    const perSave = (sec: number) => Math.round((sec * 1000 / Math.max(1, after.n - before.n)) * 100) / 100;
    const cpuMs = { server: perSave(cpu1.server - cpu0.server), pg: perSave(pgSeconds(cpu0.pg, cpu1.pg)), client: perSave((result.cpu.user + result.cpu.system) / 1e6) };
    const save = { rate, cpuMs, total: result.requests.total, saved: after.n - before.n, teachers: after.by, non2xx: result.non2xx, p50: result.latency.p50, p95: percentile(result), p99: result.latency.p99, rps: result.requests.average, load };
    log(`record save (${label}): ${save.total} requests, ${save.saved} saved by ${save.teachers} teachers, non-2xx ${save.non2xx}, p50 ${save.p50} ms, p95≈${save.p95} ms, p99 ${save.p99} ms, ${Math.round(save.rps)} req/s; CPU ms per save: server ${cpuMs.server}, PostgreSQL ${cpuMs.pg}, autocannon ${cpuMs.client} (load ${load})`);
    return save;
  };
  const loadSave = loadavg();
  const save = await saveRun('request log off');
  // the same 200 teachers at a pace: once a second each (far above real use: a teacher records a
  // few talks a week), and five times a second each (1,000 saves/s, about half of what the machine
  // takes when every connection saves back to back)
  const paced = [];
  if (args.paced) for (const rate of [1, 5]) paced.push(await saveRun(`request log off, ${rate} save/s per teacher`, rate));
  await server.stop();
  server = undefined;
  let saveLogged: Awaited<ReturnType<typeof saveRun>> | undefined;
  if (args['log-run']) {
    server = await startServer(url.toString(), dataDir, true);
    base = server.base;
    saveLogged = await saveRun('request log on');
    await server.stop();
    server = undefined;
  }

  const stat = await rows<{ k: string; v: string }>(ctx.db, sql`SELECT 'version' AS k, version() AS v`);
  const figures = {
    size: size!, counts: loaded?.counts, support: s, seconds: { county: loaded?.seconds ?? 0, exams: loaded?.exams?.seconds ?? 0 }, apiCoverage, apiCompliance, apiComplianceFirst, reread, httpCoverage, httpCompliance,
    save, saveLogged, paced,
    pg: stat[0]?.v ?? '', loadStart, loadSave, loadEnd: loadavg(),
  };
  if (!REUSE_DB) {
    fs.mkdirSync(path.dirname(REPORT), { recursive: true });
    fs.writeFileSync(REPORT, mergeReport(REPORT, report(figures)));
    log(`written to ${path.relative(ROOT, REPORT)}`);
  }
} finally {
  await server?.stop().catch(() => undefined);
  await ctx?.database.close().catch(() => undefined);
  if (!REUSE_DB) await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch((e) => console.error(e));
  fs.rmSync(dataDir, { recursive: true, force: true });
}

/** autocannon reports p90 and p97.5, not p95: interpolated between them (said so in the report). */
function percentile(r: AcResult): number {
  const l = r.latency;
  return Math.round((l.p90 + ((95 - 90) / (97.5 - 90)) * (l.p97_5 - l.p90)) * 10) / 10;
}

function mergeReport(file: string, section: string): string {
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const a = old.indexOf(MARK_START);
  const b = old.indexOf(MARK_END);
  if (a >= 0 && b > a) return old.slice(0, a) + section.trimEnd() + old.slice(b + MARK_END.length);
  return (old.trim() ? old.trimEnd() + '\n\n' : '# Benchmarks\n\n') + section;
}

function report(f: any): string {
  const ms = (xs: number[]) => `${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  const met = (v: number, t: number) => (v < t ? 'yes' : '**no**');
  // judged before the benchmark's own load: after the first 200-connection run the 1-minute average
  // still carries that run's server, PostgreSQL and autocannon
  const busy = Math.max(...[f.loadStart, f.loadSave].map((l: string) => Number(l.split(' ')[0]))) > os.cpus().length;
  const saveRow = (label: string, x: any) =>
    `| POST /api/activities (a teacher's talk), ${CONNECTIONS} concurrent, ${label}, p95 | ${x.p95} ms (p50 ${x.p50}, p99 ${x.p99}; ${x.total} requests, ${x.saved} saved by ${x.teachers} teachers, ${x.non2xx} non-2xx, ${Math.round(x.rps)} req/s; CPU per save: server ${x.cpuMs.server} ms, PostgreSQL ${x.cpuMs.pg} ms, autocannon ${x.cpuMs.client} ms; load ${x.load}) | < ${TARGET_SAVE_P95_MS} ms | ${met(x.p95, TARGET_SAVE_P95_MS)} |`;
  const L: string[] = [];
  L.push(MARK_START, '## Student support (帮扶对象): coverage, compliance, record save', '');
  L.push(`Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, \`npm run bench:support\` (${RUNS} runs after a warm-up; ${CONNECTIONS} connections × ${DURATION} s).`, '');
  L.push('### Machine', '', '| | |', '| --- | --- |');
  L.push(`| CPU | ${cpu}, ${os.cpus().length} cores |`, `| Memory | ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB |`, `| Node | ${process.version} |`, `| PostgreSQL | ${String(f.pg).split(' on ')[0]} (127.0.0.1:5432, a throwaway database) |`);
  L.push(`| Load average (1, 5, 15 min) | start ${f.loadStart}; before the save runs ${f.loadSave}; end ${f.loadEnd} |`, '');
  if (busy) L.push('**The machine was busy**: the 1-minute load average was above the number of cores (other work ran beside this benchmark), so the figures are inflated.', '');
  L.push('### Data', '');
  L.push(`The demo county (seed ${SEED}) as \`bangfu demo\` loads it: ${f.counts.students.toLocaleString('en')} students, ${f.counts.teachers.toLocaleString('en')} teachers, ${f.counts.schools} schools; ${f.size.cases.toLocaleString('en')} support cases (${Object.entries(f.support.byCategory).map(([k, n]) => `${k} ${n}`).join(', ')}), ${f.size.pairings.toLocaleString('en')} pairings (师生 and 生生), ${f.size.records.toLocaleString('en')} records. Load: county ${f.seconds.county.toFixed(1)} s, exams ${f.seconds.exams.toFixed(1)} s, support ${f.support.seconds.toFixed(1)} s.`, '');
  L.push('### Results', '', '| Measure | Median | Target | Met? |', '| --- | --- | --- | --- |');
  if (!SAVE_ONLY) L.push(`| Coverage view, API function (coverageRows, the bureau) | ${ms(f.apiCoverage)} | < ${TARGET_VIEW_MS} ms | ${met(median(f.apiCoverage), TARGET_VIEW_MS)} |`);
  if (!SAVE_ONLY) L.push(`| Compliance view, API function (compliance, the bureau; the first call of the process fills the record cache: ${f.apiComplianceFirst.toFixed(0)} ms) | ${ms(f.apiCompliance)} | < ${TARGET_VIEW_MS} ms | ${met(median(f.apiCompliance), TARGET_VIEW_MS)} |`);
  if (!SAVE_ONLY) L.push(`| (the ${f.reread.looks} timed compliance calls read the records of ${f.reread.pairings} pairings again: 0 means the kept records were all current) | | | |`);
  if (!SAVE_ONLY) L.push(`| GET /api/support/coverage (HTTP, loopback) | ${ms(f.httpCoverage)} | < ${TARGET_VIEW_MS} ms | ${met(median(f.httpCoverage), TARGET_VIEW_MS)} |`);
  if (!SAVE_ONLY) L.push(`| GET /api/support/compliance (HTTP, loopback; 8,000-odd rows of JSON) | ${ms(f.httpCompliance)} | < ${TARGET_VIEW_MS} ms | ${met(median(f.httpCompliance), TARGET_VIEW_MS)} |`);
  L.push(saveRow('request log off', f.save));
  if (f.saveLogged) L.push(saveRow('request log on (BANGFU_LOG default, to a file)', f.saveLogged));
  for (const x of f.paced ?? []) L.push(`| POST /api/activities, the same ${CONNECTIONS} teachers paced at ${x.rate} save/s each (${x.rate * CONNECTIONS} saves/s offered), request log off, p95 — not the target's reading (that is the back-to-back row above) | ${x.p95} ms (p50 ${x.p50}, p99 ${x.p99}; ${x.total} requests, ${x.saved} saved, ${x.non2xx} non-2xx, ${Math.round(x.rps)} req/s; load ${x.load}) | – | – |`);
  L.push('');
  L.push(`### Where the time goes

- **Compliance** no longer reads ~150,000 records per request: the counted records are kept per pairing in the server's memory and re-read only for pairings that the \`activity_changes\` log (statement triggers on \`activities\`) names; a pairing's standing is reused while its inputs are unchanged (docs/pairings.md, Standings). The first call of a process reads everything (the figure in brackets). What remains per request: reading the ~3,000 pairings and ~6,000 participants in scope, checking the log, rolling ~43,000 periods up into ~8,000 rows, and (HTTP) 1.8 MB of JSON. A long transaction anywhere on the PostgreSQL server holds the log's horizon back; the re-read count above shows whether that happened.
- **Record save**: saves arriving at the same moment share their statements (src/db/batch.ts; docs/pairings.md, Record save under load): one session read, one pairing read (each caller's own scope, the callers given as columns), one insert of all the records with their audit rows — one commit per batch. Both statements take one array parameter per column (\`unnest\`), so their text does not grow with the batch. Compared on the same database and load: batching (A/B, 200 different teachers, 15 s, load 10–15 from other work) 122 → 606 saves/s, p95 2,590 → 860 ms, CPU per save server 2.26 → 0.41 ms, PostgreSQL 4.82 → 0.48 ms; then the array parameters instead of a \`UNION ALL\` branch per caller and eleven parameters per record (A/B with \`--reuse-db\`, two alternating runs each, load 3–5) 1,793 / 1,314 → 3,451 / 2,707 saves/s, CPU per save server 0.37 / 0.33 → 0.22 / 0.26 ms, PostgreSQL 0.46 / 0.38 → 0.14 / 0.18 ms. The save stays throughput-bound on 2 cores shared by PostgreSQL, the server and the client. With 200 connections each sending its next save the moment the last is answered, 200 saves are always in flight, so the mean latency is 200 ÷ (saves per second) (Little's law): ~2,000 saves/s gives ~100 ms on average, and p95 < 100 ms needs roughly 3,000–3,500 saves/s, i.e. about 0.55 ms of CPU per save in all (the CPU per save of each process is in the table above). The paced rows show the same teachers at a pace the server keeps up with; autocannon sends paced connections in step, so every interval still brings all 200 saves at once: the p50 is close to a save's own time, the p95 is that burst's queue (~200 saves drained at the back-to-back rate).
`);
  L.push(`The server is \`bangfu serve\` in its own process; autocannon runs in another (both on loopback, beside PostgreSQL on the same cores). p95: autocannon reports p90 and p97.5; p95 is interpolated linearly between them. Each connection is a different teacher (${TEACHERS} in all) with a session of their own, saving against an active 师生 pairing of their own; every teacher's first save is checked to succeed before the timed run.`, '', MARK_END);
  return L.join('\n') + '\n';
}
