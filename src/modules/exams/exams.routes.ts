import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { AppContext } from '../../server/context.js';
import type { AppError } from '../../server/errors.js';
import { forbidden } from '../../server/errors.js';
import { caller, errorBody, paged, type Api } from '../../server/http.js';
import { EXAM_MANAGER_ROLES } from '../../shared/roles.js';
import { receiveUpload } from '../roster-import/roster-import.routes.js';
import { importStarted } from '../roster-import/roster-import.schemas.js';
import { importExamScores } from './exam-import.service.js';
import { examCreate, examIdParam, examListQuery, examScoreVersions, examView, scoreHistoryQuery, studentScoreHistory as studentScoreHistorySchema, unmatchedQuery, unmatchedRow } from './exams.schemas.js';
import { canManageExam, cannotManageMessage, createExam, deleteExam, getExam, listExams, listScoreVersions, listUnmatched, loadExam, studentScoreHistory } from './exams.service.js';

export async function examRoutes(app: Api, ctx: AppContext) {
  app.post('/exams', {
    schema: {
      tags: ['exams'],
      summary: '创建考试（全县统考：教育局；学校考试：也可由本校校长、教导处创建）',
      body: examCreate,
      response: { 200: examView, 400: errorBody, 403: errorBody, 409: errorBody },
    },
  }, async (req) => createExam(ctx, caller(req, EXAM_MANAGER_ROLES), req.body));

  app.get('/exams', {
    schema: { tags: ['exams'], summary: '考试列表（全县统考所有人可见；学校考试仅教育局与本校可见）', querystring: examListQuery, response: { 200: paged(examView) } },
  }, async (req) => listExams(ctx, caller(req), req.query));

  app.get('/exams/:id', {
    schema: { tags: ['exams'], summary: '考试详情（科目、满分、导入情况）', params: examIdParam, response: { 200: examView, 404: errorBody } },
  }, async (req) => getExam(ctx, caller(req), req.params.id));

  app.delete('/exams/:id', {
    schema: {
      tags: ['exams'],
      summary: '删除考试及其成绩与分析结果（仅教育局；记入审计日志）',
      params: examIdParam,
      response: { 200: z.object({ ok: z.literal(true) }), 403: errorBody, 404: errorBody },
    },
  }, async (req) => {
    await deleteExam(ctx, caller(req), req.params.id);
    return { ok: true as const };
  });

  app.post('/exams/:id/scores', {
    schema: {
      tags: ['exams'],
      summary: '上传成绩表并在后台导入、分析（multipart：file 字段为文件；可选 total 字段：计入总分的科目，逗号分隔）。进度见 GET /api/imports/:jobId',
      consumes: ['multipart/form-data'],
      params: examIdParam,
      response: { 200: importStarted, 400: errorBody, 403: errorBody, 404: errorBody, 413: errorBody },
    },
  }, async (req) => {
    const c = caller(req, EXAM_MANAGER_ROLES);
    const exam = await loadExam(ctx, c.scope, req.params.id);
    if (!canManageExam(c.scope, exam)) throw forbidden(cannotManageMessage(exam, 'import'));
    const jobId = crypto.randomUUID();
    const upload = await receiveUpload(req, { dir: path.join(ctx.config.dataDir, 'imports'), jobId });
    const total = upload.fields.total?.split(/[,，、\s]+/).map((s) => s.trim()).filter(Boolean);
    // runs in the background; its outcome is on the job (GET /api/imports/:id) and the exam.
    // The upload may hold plain ID numbers: deleted as soon as the import is over.
    void importExamScores(ctx, {
      examId: exam.id, filePath: upload.path, fileName: upload.name, actor: c.actor, scope: c.scope, jobId, totalSubjects: total?.length ? total : null,
    })
      .catch((err) => req.log.warn({ jobId, code: (err as AppError).code }, 'exam score import failed'))
      .finally(() => fs.rmSync(upload.path, { force: true }));
    return { jobId };
  });

  app.get('/exams/:id/score-versions', {
    schema: {
      tags: ['exams'],
      summary: '成绩版本：当前成绩，以及每次更正重新导入前被替换的成绩（来源文件、导入与替换时间、行数、科目）',
      params: examIdParam,
      response: { 200: examScoreVersions, 404: errorBody },
    },
  }, async (req) => listScoreVersions(ctx, caller(req), req.params.id));

  app.get('/exams/:id/score-history', {
    schema: {
      tags: ['exams'],
      summary: '一名在册学生在本考试各成绩版本中的成绩（更正前后对照）；按权限范围过滤',
      params: examIdParam,
      querystring: scoreHistoryQuery,
      response: { 200: studentScoreHistorySchema, 400: errorBody, 404: errorBody },
    },
  }, async (req) => studentScoreHistory(ctx, caller(req), req.params.id, req.query.studentId));

  app.get('/exams/:id/unmatched', {
    schema: {
      tags: ['exams'],
      summary: '未匹配到在册学生的成绩行（仍计入全县分析），供核对跟进；按权限范围过滤',
      params: examIdParam,
      querystring: unmatchedQuery,
      response: { 200: paged(unmatchedRow), 404: errorBody },
    },
  }, async (req) => listUnmatched(ctx, caller(req), req.params.id, req.query));
}
