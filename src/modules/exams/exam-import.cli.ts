// `bangfu import exam <file> --name <name> --grade <g> --term <term> [--school-year 2026-2027]
//   [--kind 统考] [--subjects 语文:120,数学:120] [--total 语文,数学]
//   [--school <学校标识码> | --pairing <结对编号>] [--exam <examId>] [--json]`
//
// The same import as the web upload, run as the bureau (region scope). Without --exam it
// finds the exam with this name, school year, term, grade and scope, or creates it — so a
// corrected file imported again replaces that exam's scores. The scope is the county's unified
// exam, or with --school one school's own exam, or with --pairing a 联考 of one school pairing's
// schools (the same rules as creating it in the web app). Progress goes to stderr; with --json
// the last stdout line is {"examId","rows","matched","unmatched","rejected","errorsFile"}.
import fs from 'node:fs';
import path from 'node:path';
import { createContext } from '../../server/bootstrap.js';
import { importProgressPrinter } from '../../lib/cli-progress.js';
import { AppError, badRequest } from '../../server/errors.js';
import { schoolYearOf } from '../../shared/school-year.js';
import type { Actor } from '../audit/audit.repo.js';
import { compileScope } from '../scope/scope.js';
import * as schoolsRepo from '../schools/schools.repo.js';
import { importExamScores } from './exam-import.service.js';
import * as examsRepo from './exams.repo.js';
import { EXAM_KINDS, examImportSummary, type ExamKind } from './exams.schemas.js';
import { createExam } from './exams.service.js';
import { parseExamScopeArgs, parseGradeArg, parseSubjectsArg, parseTermArg, parseTotalArg, type ExamScopeArg } from './import/cli-args.js';
import { defaultFullMarks } from './import/subjects.js';

export interface ImportExamOptions {
  name?: string;
  grade?: string;
  term?: string;
  schoolYear?: string;
  kind?: string;
  subjects?: string;
  total?: string;
  exam?: string;
  school?: string;
  pairing?: string;
  json?: boolean;
}

const PHASE_ZH = { parsing: '读取并校验', merging: '匹配学生并写入数据库', done: '完成' } as const;

class UsageError extends Error {}

/** BANGFU_IMPORT_TIMING=1: the command's own steps around the import (process start, opening the database, closing) */
const TIMING = process.env.BANGFU_IMPORT_TIMING === '1';
let stepAt = 0;
const step = (name: string) => {
  if (!TIMING) return;
  const now = performance.now();
  process.stderr.write(`[exam-cli] ${name} ${Math.round(now - stepAt)} ms\n`);
  stepAt = now;
};

export async function importExamCommand(file: string, opts: ImportExamOptions): Promise<void> {
  // from the process's start to here: Node, the loader, the modules the command imports
  step('process-start');
  const info = (line: string) => (opts.json ? process.stderr : process.stdout).write(line + '\n');
  const filePath = path.resolve(file);
  if (!fs.existsSync(filePath) || !fs.statSync(filePath).isFile()) {
    process.stderr.write(`找不到文件：${filePath}\n`);
    process.exitCode = 2;
    return;
  }

  // the arguments, checked before the database is opened
  let spec: { name: string; grade: number; term: 1 | 2; schoolYear: string; kind: ExamKind; subjects: { name: string; fullMarks: number | null }[] } | null = null;
  let total: string[] | null = null;
  let where: ExamScopeArg = { scope: 'county' };
  try {
    total = opts.total ? parseTotalArg(opts.total) : null;
    where = parseExamScopeArgs(opts);
    if (opts.exam && where.scope !== 'county') throw new UsageError('已用 --exam 指定考试：--school、--pairing 只用于新建或查找考试');
    if (!opts.exam) {
      if (!opts.name?.trim() || !opts.grade || !opts.term) throw new UsageError('请用 --exam 指定已有考试，或用 --name、--grade、--term 说明考试');
      const grade = parseGradeArg(opts.grade);
      if (grade == null) throw new UsageError(`无法识别的年级“${opts.grade}”（如 7、七年级、初一）`);
      const term = parseTermArg(opts.term);
      if (!term) throw new UsageError(`无法识别的学期“${opts.term}”（可写 1、2、上、下、第一学期、第二学期，或 2026-2027-1）`);
      if (opts.schoolYear && term.schoolYear && opts.schoolYear !== term.schoolYear) {
        throw new UsageError(`--school-year ${opts.schoolYear} 与 --term ${opts.term} 中的学年不一致`);
      }
      const schoolYear = opts.schoolYear ?? term.schoolYear ?? schoolYearOf(new Date());
      if (!/^\d{4}-\d{4}$/.test(schoolYear) || Number(schoolYear.slice(5)) !== Number(schoolYear.slice(0, 4)) + 1) {
        throw new UsageError(`学年“${schoolYear}”应写成“2026-2027”`);
      }
      const kind = (opts.kind ?? '统考') as ExamKind;
      if (!EXAM_KINDS.includes(kind)) throw new UsageError(`考试类型“${opts.kind}”应为 ${EXAM_KINDS.join('、')} 之一`);
      spec = { name: opts.name.trim(), grade, term: term.term, schoolYear, kind, subjects: opts.subjects ? parseSubjectsArg(opts.subjects) : [] };
    }
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }

  step('arguments');
  const ctx = await createContext();
  step('open-database');
  const actor: Actor = { userId: null, name: '命令行导入' };
  const scope = compileScope({ id: 0, username: 'cli', displayName: '命令行导入', role: 'bureau_admin', schoolId: null, teacherId: null });
  const started = Date.now();
  try {
    let examId = opts.exam ?? null;
    if (!examId && spec) {
      let schoolId: number | null = null;
      if (where.scope === 'school') {
        const school = await schoolsRepo.schoolByCode(ctx.db, where.schoolCode);
        if (!school) throw badRequest(`学校标识码“${where.schoolCode}”在系统中不存在`);
        schoolId = school.id;
      }
      const pairingId = where.scope === 'pairing' ? where.pairingId : null;
      examId = (await examsRepo.findSameExam(ctx.db, { name: spec.name, schoolYear: spec.schoolYear, term: spec.term, grade: spec.grade, scope: where.scope, schoolId, pairingId })) ?? null;
      if (examId) {
        process.stderr.write(`使用已有考试“${spec.name}”（${examId}），本次导入将替换其成绩\n`);
      } else {
        const s = spec;
        const exam = await createExam(ctx, { scope, actor }, {
          name: s.name, schoolYear: s.schoolYear, term: s.term, kind: s.kind, scope: where.scope, schoolId, pairingId, grade: s.grade,
          subjects: s.subjects.map((x) => ({ name: x.name, fullMarks: x.fullMarks ?? defaultFullMarks(x.name, s.grade), countsToTotal: total ? total.includes(x.name) : true })),
        });
        examId = exam.id;
        const of = exam.scope === 'school' ? `，${exam.schoolName ?? ''}的校内考试` : exam.scope === 'pairing' ? `，${exam.pairingName ?? '结对'}的联考` : '';
        process.stderr.write(`已创建考试“${s.name}”（${examId}${of}）\n`);
      }
    }
    step('find-or-create-exam');
    const res = await importExamScores(ctx, {
      examId: examId!,
      filePath,
      fileName: path.basename(filePath),
      actor,
      scope,
      totalSubjects: total,
      onProgress: importProgressPrinter(PHASE_ZH, started),
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    info(`导入完成（${seconds} 秒）：${res.rows} 行成绩（匹配在册学生 ${res.matched} 行，未匹配 ${res.unmatched} 行），未导入 ${res.rejected} 行${res.duplicates ? `，完全重复的 ${res.duplicates} 行只计一次` : ''}。`);
    if (res.subjectsAdded.length) info(`考试新增科目：${res.subjectsAdded.join('、')}`);
    if (res.errorsFile) info(`未导入的行及原因见：${res.errorsFile}`);
    info(res.analysis.ok ? `分析完成（${(res.analysis.ms / 1000).toFixed(1)} 秒）` : res.analysis.message);
    process.stderr.write(`[用时] 读取 ${res.timings.parse} ms，匹配 ${res.timings.match} ms，写入 ${res.timings.write} ms，错误报告 ${res.timings.errorsFile} ms，分析 ${res.timings.analysis} ms\n`);
    if (opts.json) {
      // exactly the documented keys, in this order
      process.stdout.write(JSON.stringify(examImportSummary.parse(res)) + '\n');
    }
  } catch (err) {
    const message = err instanceof AppError ? err.message : `导入失败：${(err as Error).message}`;
    process.stderr.write(`${message}\n`);
    process.exitCode = 1;
    // no row passed the checks: the summary still says how many were rejected and where the report is
    if (opts.json && err instanceof AppError && err.code === 'NO_ROWS') process.stdout.write(JSON.stringify(examImportSummary.parse(err.details)) + '\n');
  } finally {
    step('import-and-report');
    await ctx.database.close();
    step('close-database');
  }
}
