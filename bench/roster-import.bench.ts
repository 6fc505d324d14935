// Roster import benchmark: `npm run bench:roster [-- --rows N --runs R --backends pglite,postgres --formats csv,xlsx --workers W]`.
//
// 1. Writes the demo county's students as roster files into bench/out/: GBK CSV (what Chinese
//    Excel and WPS save) and .xlsx (kept between runs; the name says rows, seed and school year).
// 2. For each backend × format, R runs, each on a fresh database that already holds the demo
//    county WITHOUT students (bureau, schools, classes, teachers: the importer matches them):
//    `bangfu import roster <file> --json` runs in a child process under /usr/bin/time -v, so
//    the peak RSS is the importer's own (PGlite runs inside it; a PostgreSQL server's memory is not counted).
// 3. Checks each result (rows inserted, rejected, names garbled into U+FFFD) and writes the
//    medians beside the targets to docs/benchmarks.md (a smaller --rows writes bench/out/ instead).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.js';
import { one, openDatabase } from '../src/db/client.js';
import { demoRosterRows, loadDemoCounty, writeRosterFile } from '../src/modules/demo/demo.service.js';
import { planCounty } from '../src/modules/demo/generator.js';
import { createIdSealer, loadSecret } from '../src/modules/privacy/sealed-ids.js';
import type { AppContext } from '../src/server/context.js';
import { schoolYearOf } from '../src/shared/school-year.js';
import { adminQuery as adminQueryAt, dropPg, log, machine as machineBase, mb, median, mergeReport as mergeReportAt, n0, pgUrl, ROOT, runTimed, s1, SECRET_ENV, TIME_BIN } from './harness.js';

const OUT = path.join(ROOT, 'bench', 'out');
const TARGET_CSV_PG_ROWS_PER_S = 20_000;
const TARGET_XLSX_SECONDS = 30;
const TARGET_PEAK_MB = 500;

type Backend = 'pglite' | 'postgres';
type Format = 'csv' | 'xlsx';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    runs: { type: 'string', default: '3' },
    backends: { type: 'string', default: 'pglite,postgres' },
    formats: { type: 'string', default: 'csv,xlsx' },
    seed: { type: 'string', default: '1' },
    'pg-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test' },
    report: { type: 'string' },
    /** BANGFU_IMPORT_WORKERS for the importer (parse worker threads; unset: its default) */
    workers: { type: 'string' },
  },
});
const ROWS = Number(args.rows);
const RUNS = Number(args.runs);
const SEED = Number(args.seed);
const BACKENDS = args.backends!.split(',').map((s) => s.trim()) as Backend[];
const FORMATS = args.formats!.split(',').map((s) => s.trim()) as Format[];
const PG_ADMIN_URL = args['pg-url']!;
const WORKERS = args.workers;
if (WORKERS != null && !/^\d+$/.test(WORKERS)) throw new Error('--workers must be a whole number');
const REPORT = args.report ? path.resolve(args.report) : ROWS >= 200_000 ? path.join(ROOT, 'docs', 'benchmarks.md') : path.join(OUT, `benchmarks-${ROWS}.md`);
for (const [k, v] of [['rows', ROWS], ['runs', RUNS], ['seed', SEED]] as const) if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} must be a positive integer`);
for (const b of BACKENDS) if (b !== 'pglite' && b !== 'postgres') throw new Error(`unknown backend ${b}`);
for (const f of FORMATS) if (f !== 'csv' && f !== 'xlsx') throw new Error(`unknown format ${f}`);

// ---------------------------------------------------------------- machine

const machine = () => machineBase(BACKENDS.includes('postgres') ? PG_ADMIN_URL : null);

// ---------------------------------------------------------------- files

async function rosterFiles(): Promise<Record<Format, { path: string; bytes: number; seconds: number | null }>> {
  fs.mkdirSync(OUT, { recursive: true });
  const today = new Date();
  const stem = path.join(OUT, `roster-${ROWS}-seed${SEED}-${schoolYearOf(today).slice(0, 4)}`);
  const out = {} as Record<Format, { path: string; bytes: number; seconds: number | null }>;
  for (const format of FORMATS) {
    const file = `${stem}${format === 'csv' ? '-gbk.csv' : '.xlsx'}`;
    if (fs.existsSync(file)) {
      out[format] = { path: file, bytes: fs.statSync(file).size, seconds: null };
      log(`reusing ${path.relative(ROOT, file)}`);
      continue;
    }
    const started = performance.now();
    const tmp = `${file}.part`;
    const res = await writeRosterFile(tmp, demoRosterRows({ students: ROWS, seed: SEED, today }), format === 'csv' ? 'csv-gbk' : 'xlsx', {
      titleRows: [`示范县${today.getFullYear()}年学生花名册`],
    });
    fs.renameSync(tmp, file);
    out[format] = { path: file, bytes: res.bytes, seconds: (performance.now() - started) / 1000 };
    log(`wrote ${path.relative(ROOT, file)}: ${res.rows} rows, ${mb(res.bytes).toFixed(1)} MB in ${out[format].seconds!.toFixed(1)} s`);
  }
  return out;
}

// ---------------------------------------------------------------- databases

interface Fresh {
  env: Record<string, string>;
  ctx: () => Promise<AppContext>;
  drop(): Promise<void>;
}

const adminQuery = (text: string) => adminQueryAt(PG_ADMIN_URL, text);

async function freshDatabase(backend: Backend): Promise<Fresh> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-bench-'));
  let databaseUrl: string | undefined;
  let dbName: string | undefined;
  if (backend === 'postgres') {
    dbName = `bangfu_bench_${crypto.randomBytes(5).toString('hex')}`;
    await adminQuery(`CREATE DATABASE "${dbName}"`);
    databaseUrl = pgUrl(PG_ADMIN_URL, dbName);
  }
  return {
    env: { BANGFU_DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', BANGFU_IMPORT_TIMING: '1', ...SECRET_ENV, ...(WORKERS != null ? { BANGFU_IMPORT_WORKERS: WORKERS } : {}) },
    async ctx() {
      const config = loadConfig({ BANGFU_DATA_DIR: dataDir, DATABASE_URL: databaseUrl }, {});
      const database = await openDatabase({ databaseUrl, dataDir });
      return { config, database, db: database.db, sealer: createIdSealer(loadSecret(dataDir, SECRET_ENV)) };
    },
    async drop() {
      if (dbName) await dropPg(PG_ADMIN_URL, dbName);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------- one run

interface RunResult {
  backend: Backend;
  format: Format;
  run: number;
  /** the child process, start to exit (node start, migrations check, import, close) */
  wallSeconds: number;
  /** the import itself, as the CLI measures it */
  importSeconds: number;
  /** reading and validating the file into staging; the rest is the merge transaction */
  parseSeconds: number | null;
  peakRssBytes: number;
  result: { inserted: number; updated: number; unchanged: number; rejected: number; errorsFile: string | null };
  studentsInDb: number;
  garbled: number;
  /** 1-minute load average when the run started: other work on the machine skews the timings */
  loadBefore: number;
  /** the importer's own step timings (BANGFU_IMPORT_TIMING=1), ms, in the order printed */
  steps: [string, number][];
}

async function runOnce(backend: Backend, format: Format, file: string, run: number): Promise<RunResult> {
  const db = await freshDatabase(backend);
  try {
    // the county exists before its rosters arrive: schools, classes and teachers, no students
    const setupCtx = await db.ctx();
    await loadDemoCounty(setupCtx, { students: ROWS, seed: SEED, skipStudents: true });
    await setupCtx.database.close();

    const loadBefore = os.loadavg()[0]!;
    const child = await runTimed(process.execPath, [path.join(ROOT, 'bin', 'bangfu.mjs'), 'import', 'roster', file, '--json'], db.env);
    if (child.code !== 0) throw new Error(`import exited with ${child.code}:\n${child.stderr.slice(-3000)}`);
    const lastLine = child.stdout.trim().split('\n').pop() ?? '';
    const result = JSON.parse(lastLine) as RunResult['result'];
    const peakRssBytes = child.peakRssBytes;
    const importSeconds = Number(/导入完成（([\d.]+) 秒）/.exec(child.stderr)?.[1] ?? NaN);
    const parseSeconds = /\[写入数据库\] 已处理 \d+ 行（([\d.]+) 秒）/.exec(child.stderr)?.[1];
    const steps = new Map<string, number>();
    for (const m of child.stderr.matchAll(/^\[roster-import\] (.+?) (\d+) ms$/gm)) steps.set(m[1]!, (steps.get(m[1]!) ?? 0) + Number(m[2]));

    // what actually arrived: every row, and no name or address garbled into U+FFFD
    const checkCtx = await db.ctx();
    const check = await one<{ n: number; garbled: number }>(checkCtx.db, sql`SELECT count(*)::int AS n,
      count(*) FILTER (WHERE name LIKE ${'%\uFFFD%'} OR address LIKE ${'%\uFFFD%'} OR guardians::text LIKE ${'%\uFFFD%'})::int AS garbled FROM students`);
    await checkCtx.database.close();

    return {
      backend, format, run,
      wallSeconds: child.wallSeconds,
      importSeconds: Number.isFinite(importSeconds) ? importSeconds : child.wallSeconds,
      parseSeconds: parseSeconds ? Number(parseSeconds) : null,
      peakRssBytes,
      result,
      studentsInDb: check!.n,
      garbled: check!.garbled,
      loadBefore,
      steps: [...steps],
    };
  } finally {
    await db.drop();
  }
}

// ---------------------------------------------------------------- report

interface Summary {
  backend: Backend;
  format: Format;
  runs: RunResult[];
  importSeconds: number;
  wallSeconds: number;
  rowsPerSecond: number;
  parseSeconds: number | null;
  peakMb: number;
}

function summarize(runs: RunResult[]): Summary {
  const parse = runs.map((r) => r.parseSeconds).filter((x): x is number => x != null);
  const importSeconds = median(runs.map((r) => r.importSeconds));
  return {
    backend: runs[0]!.backend,
    format: runs[0]!.format,
    runs,
    importSeconds,
    wallSeconds: median(runs.map((r) => r.wallSeconds)),
    rowsPerSecond: median(runs.map((r) => ROWS / r.importSeconds)),
    parseSeconds: parse.length ? median(parse) : null,
    peakMb: median(runs.map((r) => mb(r.peakRssBytes))),
  };
}

const BACKEND_LABEL: Record<Backend, string> = { pglite: 'PGlite (embedded)', postgres: 'PostgreSQL' };
const FORMAT_LABEL: Record<Format, string> = { csv: 'CSV (GBK)', xlsx: '.xlsx' };

function report(m: Awaited<ReturnType<typeof machine>>, files: Awaited<ReturnType<typeof rosterFiles>>, summaries: Summary[], startedAt: Date, skeleton: { schools: number; classes: number; teachers: number }): string {
  const lines: string[] = [];
  const cmd = `npm run bench:roster${ROWS !== 200_000 || RUNS !== 3 || WORKERS != null ? ` -- --rows ${ROWS} --runs ${RUNS}${WORKERS != null ? ` --workers ${WORKERS}` : ''}` : ''}`;
  lines.push(MARK_START, '## Roster import (学生花名册导入)', '');
  lines.push(`Measured ${startedAt.toISOString().slice(0, 10)} with \`${cmd}\` (bench/roster-import.bench.ts). Median of ${RUNS} run${RUNS > 1 ? 's' : ''} per row, each on a fresh database.`, '');
  lines.push('### Machine', '', '| | |', '| --- | --- |');
  lines.push(`| CPU | ${m.cpu} |`, `| Cores | ${m.cores} |`, `| RAM | ${m.ramGb} GB |`, `| OS | ${m.os} |`, `| Node | ${m.node} |`, `| PostgreSQL | ${m.pg} (same machine, 127.0.0.1, default settings) |`, `| PGlite | ${m.pglite} |`, `| exceljs | ${m.exceljs} |`, '');
  lines.push('### Data', '');
  lines.push(`- ${n0(ROWS)} students of the demo county (\`--students ${ROWS} --seed ${SEED}\`), one row each, the columns a school exports: 学校标识码, 学校名称, 年级, 班级, 姓名, 性别, 身份证号, 全国学籍号, 出生日期, 民族, 家庭住址, 监护人, 联系电话; a title row above the header.`);
  for (const f of FORMATS) lines.push(`- ${FORMAT_LABEL[f]}: ${path.relative(ROOT, files[f].path)}, ${s1(mb(files[f].bytes))} MB${f === 'csv' ? ' (GBK, as Chinese Excel and WPS save CSV)' : ' (one sheet, inline strings, ID columns formatted as text)'}.`);
  lines.push(`- Each database already holds the demo county without students: ${skeleton.schools} schools, ${n0(skeleton.classes)} classes of the current school year, ${n0(skeleton.teachers)} teachers, the bureau and the demo logins. The importer matches the schools and classes (it creates none) and inserts every student, enrollment and audit row.`);
  lines.push('- The import runs as `node bin/bangfu.mjs import roster <file> --json` in a child process under `/usr/bin/time -v`. **Import** is the CLI\'s own timing (file read and validated into staging, then the one merge transaction); **end to end** adds process start, opening the database and closing it. **Peak RSS** is the child\'s maximum resident set: with PGlite the database engine runs inside that process and is included; a PostgreSQL server\'s own memory is not.', '');
  lines.push('### Results', '');
  lines.push('| Database | File | Import (s) | Rows/s | of which parse (s) | End to end (s) | Peak RSS (MB) | Runs: import s | Inserted / rejected | Garbled rows | Load avg |');
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | --- |');
  for (const s of summaries) {
    const inserted = s.runs.map((r) => r.result.inserted);
    const rejected = s.runs.map((r) => r.result.rejected);
    lines.push(`| ${BACKEND_LABEL[s.backend]} | ${FORMAT_LABEL[s.format]} | ${s1(s.importSeconds)} | ${n0(s.rowsPerSecond)} | ${s.parseSeconds == null ? '–' : s1(s.parseSeconds)} | ${s1(s.wallSeconds)} | ${n0(s.peakMb)} | ${s.runs.map((r) => s1(r.importSeconds)).join(', ')} | ${n0(Math.min(...inserted))} / ${Math.max(...rejected)} | ${Math.max(...s.runs.map((r) => r.garbled))} | ${s.runs.map((r) => r.loadBefore.toFixed(1)).join(', ')} |`);
  }
  const labels = [...new Set(summaries.flatMap((s) => s.runs.flatMap((r) => r.steps.map(([l]) => l))))];
  if (labels.length) {
    lines.push('', '### Where the time goes', '', 'The importer\'s own step timings (`BANGFU_IMPORT_TIMING=1`), median ms over the runs:', '');
    lines.push(`| Step | ${summaries.map((s) => `${BACKEND_LABEL[s.backend]}, ${FORMAT_LABEL[s.format]}`).join(' | ')} |`);
    lines.push(`| --- | ${summaries.map(() => '---:').join(' | ')} |`);
    for (const label of labels) {
      const cells = summaries.map((s) => {
        const xs = s.runs.map((r) => r.steps.find(([l]) => l === label)?.[1]).filter((x): x is number => x != null);
        return xs.length ? n0(median(xs)) : '–';
      });
      lines.push(`| ${label} | ${cells.join(' | ')} |`);
    }
  }
  lines.push('', '### Targets', '');
  lines.push('| Target | Measured | Met? |', '| --- | --- | --- |');
  const find = (b: Backend, f: Format) => summaries.find((s) => s.backend === b && s.format === f);
  const yes = (ok: boolean) => (ok ? 'yes' : '**no**');
  const csvPg = find('postgres', 'csv');
  if (csvPg) lines.push(`| ≥ ${n0(TARGET_CSV_PG_ROWS_PER_S)} rows/s, CSV into PostgreSQL | ${n0(csvPg.rowsPerSecond)} rows/s | ${yes(csvPg.rowsPerSecond >= TARGET_CSV_PG_ROWS_PER_S)} |`);
  for (const b of BACKENDS) {
    const x = find(b, 'xlsx');
    if (x) lines.push(`| ${n0(ROWS)}-row .xlsx in < ${TARGET_XLSX_SECONDS} s (${BACKEND_LABEL[b]}), end to end | ${s1(x.wallSeconds)} s (import ${s1(x.importSeconds)} s) | ${yes(x.wallSeconds < TARGET_XLSX_SECONDS)} |`);
  }
  for (const s of summaries) lines.push(`| peak memory < ${TARGET_PEAK_MB} MB (${BACKEND_LABEL[s.backend]}, ${FORMAT_LABEL[s.format]}) | ${n0(s.peakMb)} MB | ${yes(s.peakMb < TARGET_PEAK_MB)} |`);
  const allRows = summaries.every((s) => s.runs.every((r) => r.result.inserted === ROWS && r.result.rejected === 0 && r.studentsInDb === ROWS));
  lines.push(`| every row imported, none rejected | ${allRows ? `${n0(ROWS)} of ${n0(ROWS)} in every run` : 'see the table'} | ${yes(allRows)} |`);
  const garbled = Math.max(0, ...summaries.flatMap((s) => s.runs.map((r) => r.garbled)));
  lines.push(`| no text garbled (U+FFFD in name, address or guardians) | ${garbled} rows at most | ${yes(garbled === 0)} |`, '');
  lines.push('*Of which parse*: reading the file, validating every row, sealing ID numbers, pinyin keys and writing the rows to the staging table in batches; the rest of *Import* is the one merge transaction. *Load avg* is the machine\'s 1-minute load average as each run started: the benchmark\'s own previous run keeps it near 1–2 on this 2-core machine; clearly more means other work was competing and the times are inflated.', '', MARK_END);
  return lines.join('\n') + '\n';
}

const MARK_START = '<!-- bench:roster:start (generated by bench/roster-import.bench.ts; edit outside these marks) -->';
const MARK_END = '<!-- bench:roster:end -->';

const mergeReport = (file: string, section: string) => mergeReportAt(file, section, MARK_START, MARK_END);

// ---------------------------------------------------------------- main

const startedAt = new Date();
log(`roster benchmark: ${ROWS} rows × ${RUNS} runs, backends ${BACKENDS.join('+')}, formats ${FORMATS.join('+')}${TIME_BIN ? '' : ' (no /usr/bin/time: RSS sampled in-process)'}`);
const m = await machine();
const files = await rosterFiles();
const plan = planCounty({ students: ROWS, seed: SEED, today: new Date() });
const skeleton = { schools: plan.schools.length, classes: plan.classes.length, teachers: plan.teachers.length };
const summaries: Summary[] = [];
for (const backend of BACKENDS) {
  for (const format of FORMATS) {
    const runs: RunResult[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const r = await runOnce(backend, format, files[format].path, run);
      log(`${backend} ${format} run ${run}: import ${s1(r.importSeconds)} s (${n0(ROWS / r.importSeconds)} rows/s, parse ${r.parseSeconds ?? '?'} s), end to end ${s1(r.wallSeconds)} s, peak ${n0(mb(r.peakRssBytes))} MB, inserted ${r.result.inserted}, rejected ${r.result.rejected}, garbled ${r.garbled}`);
      runs.push(r);
    }
    summaries.push(summarize(runs));
  }
}
const text = report(m, files, summaries, startedAt, skeleton);
fs.mkdirSync(path.dirname(REPORT), { recursive: true });
fs.writeFileSync(REPORT, mergeReport(REPORT, text));
fs.writeFileSync(path.join(OUT, `results-${ROWS}.json`), JSON.stringify({ machine: m, summaries }, null, 2));
console.log('\n' + text);
log(`written to ${path.relative(ROOT, REPORT)}`);
