// HTTP routes of the support module (OpenAPI tag 'support'): /api/support/… Thin: zod schemas in,
// services out. Records and checks of single records are the pairings API (/api/activities).
import { z } from 'zod';
import type { AppContext } from '../../server/context.js';
import { caller, errorBody, idParam, paged, type Api } from '../../server/http.js';
import { REPORT_FORMATS } from '../../lib/report-output.js';
import { suggestStrategies } from './strategies.js';
import {
  acceptAssignmentsBody,
  acceptAssignmentsResult,
  analysisBody,
  assignmentCheckView,
  assignmentRules,
  bulkReviewBody,
  bulkReviewResult,
  caseDetail,
  caseListQuery,
  casesBulkResult,
  casesFromExamBody,
  casesFromFlagsBody,
  caseView,
  checkQueueQuery,
  checkQueueView,
  complianceQuery,
  complianceView,
  coverageQuery,
  coverageRow,
  createCaseBody,
  crossCheckQuery,
  crossCheckView,
  peerPairBody,
  psychBody,
  psychView,
  refreshBody,
  refreshPreview,
  refreshQuery,
  refreshResult,
  schoolYearQuery,
  strategiesQuery,
  strategiesView,
  suggestionView,
  transitionCaseBody,
  updateCaseBody,
  yearChangesView,
} from './support.schemas.js';
import {
  casesFromExam,
  casesFromFlags,
  createCase,
  currentSchoolYear,
  getCase,
  getPsych,
  listCases,
  putAnalysis,
  putPsych,
  refreshApply,
  refreshPreview as previewRefresh,
  transitionCase,
  updateCase,
  yearChanges,
} from './support.service.js';
import { acceptAssignments, checkSchool, loadRules, pairPeer, putRules, suggest } from './support-assign.service.js';
import { bulkReview, checkQueue, compliance, coverageRows, crossCheckCase } from './support-report.service.js';
import { complianceBytes, coverageBytes } from './support-report.js';

const tags = ['support'];
const errors = { 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const exportQuery = z.object({ format: z.enum(REPORT_FORMATS as unknown as ['csv', 'json', 'xlsx']).default('csv') });
const MIME = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;

export async function supportRoutes(app: Api, ctx: AppContext) {
  // ─── cases ───
  app.get('/support/cases', {
    schema: { tags, summary: '帮扶对象列表（按权限范围；默认本学年）', querystring: caseListQuery, response: { 200: paged(caseView) } },
  }, async (req) => listCases(ctx, caller(req), req.query));

  app.post('/support/cases', {
    schema: { tags, summary: '认定帮扶对象（学校认定，状态“已识别”）', body: createCaseBody, response: { 200: caseDetail, ...errors } },
  }, async (req) => createCase(ctx, caller(req), req.body));

  app.post('/support/cases/from-exam', {
    schema: {
      tags, summary: '由考试已确认的后20%名单生成帮扶对象（类别学困生，状态“已确认”；可重复执行）',
      body: casesFromExamBody, response: { 200: casesBulkResult, ...errors },
    },
  }, async (req) => casesFromExam(ctx, caller(req), req.body.examId, req.body.schoolYear));

  app.post('/support/cases/from-family-flags', {
    schema: {
      tags, summary: '由家庭情况（建档立卡、低保、特困、孤儿、事实无人抚养、留守、单亲、残疾）生成帮扶对象（可重复执行）',
      body: casesFromFlagsBody, response: { 200: casesBulkResult, ...errors },
    },
  }, async (req) => casesFromFlags(ctx, caller(req), req.body));

  app.get('/support/cases/:id', {
    schema: { tags, summary: '帮扶对象详情：类别来源、成因分析、结对、完整历史', params: idParam, response: { 200: caseDetail, 404: errorBody } },
  }, async (req) => getCase(ctx, caller(req), req.params.id));

  app.patch('/support/cases/:id', {
    schema: { tags, summary: '调整类别或薄弱学科（须填写原因，记入历史）', params: idParam, body: updateCaseBody, response: { 200: caseDetail, ...errors } },
  }, async (req) => updateCase(ctx, caller(req), req.params.id, req.body));

  app.post('/support/cases/:id/transition', {
    schema: {
      tags, summary: '状态变更：确认、开始帮扶、学期复查、结案（结案时其结对一并结束）',
      params: idParam, body: transitionCaseBody, response: { 200: caseDetail, ...errors },
    },
  }, async (req) => transitionCase(ctx, caller(req), req.params.id, req.body));

  app.put('/support/cases/:id/analysis', {
    schema: { tags, summary: '成因分析（分析量表）与教学线、德育线帮扶策略（不填策略则采用建议）', params: idParam, body: analysisBody, response: { 200: caseDetail, ...errors } },
  }, async (req) => putAnalysis(ctx, caller(req), req.params.id, req.body));

  app.get('/support/cases/:id/psych', {
    schema: { tags, summary: '心理记录（仅本校心理辅导教师和该生帮扶教师；每次查看记入审计日志）', params: idParam, response: { 200: psychView, ...errors } },
  }, async (req) => getPsych(ctx, caller(req), req.params.id));

  app.put('/support/cases/:id/psych', {
    schema: { tags, summary: '修改心理记录（加密保存；审计日志只记摘要）', params: idParam, body: psychBody, response: { 200: psychView, ...errors } },
  }, async (req) => putPsych(ctx, caller(req), req.params.id, req.body.note));

  app.post('/support/cases/:id/peer', {
    schema: { tags, summary: '生生结对（一帮一）：为该生安排帮扶学生', params: idParam, body: peerPairBody, response: { 200: caseDetail, ...errors } },
  }, async (req) => pairPeer(ctx, caller(req), req.params.id, req.body));

  app.get('/support/cases/:id/cross-check', {
    schema: { tags, summary: '核对：教师帮扶记录与学生帮扶记录逐日对照', params: idParam, querystring: crossCheckQuery, response: { 200: crossCheckView, ...errors } },
  }, async (req) => crossCheckCase(ctx, caller(req), req.params.id, req.query));

  app.get('/support/strategies', {
    schema: { tags, summary: '按成因建议的帮扶策略（教学线、德育线）', querystring: strategiesQuery, response: { 200: strategiesView } },
  }, async (req) => {
    caller(req);
    return suggestStrategies(req.query.causes);
  });

  // ─── assignment ───
  app.get('/support/rules', {
    schema: { tags, summary: '师生结对规则（每名教师帮扶人数、领导帮扶贫困生、一对一、一个不漏）', response: { 200: assignmentRules } },
  }, async (req) => {
    caller(req);
    return loadRules(ctx.db);
  });

  app.put('/support/rules', {
    schema: { tags, summary: '设置师生结对规则（教育局）', body: assignmentRules, response: { 200: assignmentRules, ...errors } },
  }, async (req) => putRules(ctx, caller(req), req.body));

  app.get('/support/assignments/check', {
    schema: { tags, summary: '一所学校的结对检查：违反规则之处（中文说明）', querystring: schoolYearQuery, response: { 200: assignmentCheckView, ...errors } },
  }, async (req) => checkSchool(ctx, caller(req), req.query));

  app.get('/support/assignments/suggestion', {
    schema: { tags, summary: '补齐结对的建议（按任教班级、薄弱学科、帮扶人数）', querystring: schoolYearQuery, response: { 200: suggestionView, ...errors } },
  }, async (req) => suggest(ctx, caller(req), req.query));

  app.post('/support/assignments/accept', {
    schema: { tags, summary: '采纳（或修改后采纳）建议：建立师生结对', body: acceptAssignmentsBody, response: { 200: acceptAssignmentsResult, ...errors } },
  }, async (req) => acceptAssignments(ctx, caller(req), req.body));

  // ─── monthly check ───
  app.get('/support/checks', {
    schema: { tags, summary: '教导处月查：本月各教师的帮扶记录与配额完成情况', querystring: checkQueueQuery, response: { 200: checkQueueView, ...errors } },
  }, async (req) => checkQueue(ctx, caller(req), req.query));

  app.post('/support/checks/review', {
    schema: { tags, summary: '批量审核记录（通过或退回并填写意见）', body: bulkReviewBody, response: { 200: bulkReviewResult, ...errors } },
  }, async (req) => bulkReview(ctx, caller(req), req.body));

  // ─── yearly refresh ───
  app.get('/support/refresh', {
    schema: { tags, summary: '新学年帮扶名单建议（不保存）：新增、延续、退出', querystring: refreshQuery, response: { 200: refreshPreview, ...errors } },
  }, async (req) => previewRefresh(ctx, caller(req), req.query));

  app.post('/support/refresh', {
    schema: { tags, summary: '按建议更新新学年帮扶名单（保留历史；可重复执行）', body: refreshBody, response: { 200: refreshResult, ...errors } },
  }, async (req) => refreshApply(ctx, caller(req), req.body));

  app.get('/support/year-changes', {
    schema: {
      tags, summary: '各校帮扶名单变化：新增、仍在名单、退出（与上学年比较）',
      querystring: z.object({ schoolYear: z.string().regex(/^\d{4}-\d{4}$/).optional(), schoolId: z.coerce.number().int().optional() }),
      response: { 200: yearChangesView },
    },
  }, async (req) => yearChanges(ctx, caller(req), req.query));

  // ─── reports (the same numbers as `bangfu report coverage|compliance`) ───
  app.get('/support/coverage', {
    schema: { tags, summary: '帮扶覆盖：各校各类别已确认人数、有/无帮扶教师人数', querystring: coverageQuery, response: { 200: z.object({ schoolYear: z.string(), rows: z.array(coverageRow) }) } },
  }, async (req) => {
    const schoolYear = req.query.schoolYear ?? currentSchoolYear();
    return { schoolYear, rows: await coverageRows(ctx, caller(req), { ...req.query, schoolYear }) };
  });

  app.get('/support/compliance', {
    schema: { tags, summary: '配额完成情况：各教师、各校每条规则的应完成、已完成和状态', querystring: complianceQuery, response: { 200: complianceView, ...errors } },
  }, async (req) => compliance(ctx, caller(req), req.query));

  app.get('/support/coverage/export', {
    schema: { tags, summary: '导出帮扶覆盖（csv / json / xlsx，与命令行报表相同）', querystring: coverageQuery.extend(exportQuery.shape) },
  }, async (req, reply) => {
    const schoolYear = req.query.schoolYear ?? currentSchoolYear();
    const bytes = await coverageBytes(await coverageRows(ctx, caller(req), { ...req.query, schoolYear }), req.query.format, schoolYear);
    return reply.header('content-type', MIME[req.query.format])
      .header('content-disposition', `attachment; filename="coverage-${schoolYear}.${req.query.format}"`).send(bytes);
  });

  app.get('/support/compliance/export', {
    schema: { tags, summary: '导出配额完成情况（csv / json / xlsx，与命令行报表相同）', querystring: complianceQuery.extend(exportQuery.shape) },
  }, async (req, reply) => {
    const r = await compliance(ctx, caller(req), req.query);
    const bytes = await complianceBytes(r.rows, req.query.format, r.period, r.asOf);
    return reply.header('content-type', MIME[req.query.format])
      .header('content-disposition', `attachment; filename="compliance-${r.period}.${req.query.format}"`).send(bytes);
  });
}
