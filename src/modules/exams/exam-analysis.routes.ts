import type { AppContext } from '../../server/context.js';
import { caller, errorBody, type Api } from '../../server/http.js';
import {
  analyseResponse,
  awardReviewBody,
  awardReviewResponse,
  awardsQuery,
  awardsResponse,
  candidateItem,
  candidateParams,
  candidatePatchBody,
  candidatesQuery,
  candidatesResponse,
  examIdParam,
  exportQuery,
  schoolCodeParam,
  subjectsResponse,
  targetsSummaryResponse,
  trendQuery,
  trendResponse,
  unitsQuery,
  unitsResponse,
} from './exam-analysis.schemas.js';
import {
  decideCandidate,
  getSchoolTrend,
  getSubjectStats,
  getTargetsSummary,
  getUnits,
  listAwards,
  listCandidates,
  loadReport,
  reanalyse,
  reviewAwards,
  visibleExam,
} from './exam-analysis.service.js';
import { awardsXlsx, reportXlsx } from './exam-report.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const LEVEL_ZH = { school: '学校', class: '班级', teacher: '教师' } as const;

function attachment(name: string, ascii: string): string {
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function examAnalysisRoutes(app: Api, ctx: AppContext) {
  app.get('/exams/:id/analysis/subjects', {
    schema: {
      tags: ['exams'], summary: '后20%分析：各科（含总分）全县分数线、应考、缺考、后20%人数、人平分、合格率、优生率、分数分布',
      params: examIdParam, response: { 200: subjectsResponse, 404: errorBody },
    },
  }, async (req) => getSubjectStats(ctx, caller(req), req.params.id));

  app.get('/exams/:id/analysis/units', {
    schema: {
      tags: ['exams'], summary: '后20%分析：按学校 / 班级 / 任课教师的人数、比例、名次、变化与目标（按权限范围）',
      params: examIdParam, querystring: unitsQuery, response: { 200: unitsResponse, 404: errorBody },
    },
  }, async (req) => getUnits(ctx, caller(req), req.params.id, req.query));

  app.get('/exams/:id/analysis/targets-summary', {
    schema: {
      tags: ['exams'], summary: '后20%目标达成：各科达标 / 未达标 / 暂无法评价的学校数与名单',
      params: examIdParam, response: { 200: targetsSummaryResponse, 404: errorBody },
    },
  }, async (req) => getTargetsSummary(ctx, caller(req), req.params.id));

  app.get('/schools/:code/exam-trend', {
    schema: {
      tags: ['exams'], summary: '学校（及其班级）历次考试的后20%比例与名次（折线图）',
      params: schoolCodeParam, querystring: trendQuery, response: { 200: trendResponse, 404: errorBody },
    },
  }, async (req) => getSchoolTrend(ctx, caller(req), req.params.code, req.query));

  app.get('/exams/:id/candidates', {
    schema: {
      tags: ['exams'], summary: '帮扶对象候选名单（按班级；按权限范围）',
      params: examIdParam, querystring: candidatesQuery, response: { 200: candidatesResponse, 404: errorBody },
    },
  }, async (req) => listCandidates(ctx, caller(req), req.params.id, req.query));

  app.patch('/exams/:id/candidates/:studentId', {
    schema: {
      tags: ['exams'], summary: '确认 / 移除 / 恢复帮扶对象候选（移除须填写原因；记入审计日志）',
      params: candidateParams, body: candidatePatchBody, response: { 200: candidateItem, 400: errorBody, 403: errorBody, 404: errorBody },
    },
  }, async (req) => decideCandidate(ctx, caller(req), req.params.id, req.params.studentId, req.body));

  app.get('/exams/:id/awards', {
    schema: {
      tags: ['exams'], summary: '后20%帮扶成效奖励（按权限范围）',
      params: examIdParam, querystring: awardsQuery, response: { 200: awardsResponse, 404: errorBody },
    },
  }, async (req) => listAwards(ctx, caller(req), req.params.id, req.query));

  app.patch('/exams/:id/awards/review', {
    schema: {
      tags: ['exams'], summary: '审核奖励（教育局；不通过须填写意见；记入审计日志）',
      params: examIdParam, body: awardReviewBody, response: { 200: awardReviewResponse, 400: errorBody, 403: errorBody, 404: errorBody },
    },
  }, async (req) => reviewAwards(ctx, caller(req), req.params.id, req.body));

  app.post('/exams/:id/analyse', {
    schema: {
      tags: ['exams'], summary: '重新分析考试（教育局；修改目标或设置后）',
      params: examIdParam, response: { 200: analyseResponse, 400: errorBody, 403: errorBody, 404: errorBody },
    },
  }, async (req) => reanalyse(ctx, caller(req), req.params.id));

  app.get('/exams/:id/export.xlsx', {
    schema: { tags: ['exams'], summary: '导出后20%分析（xlsx，每科一个工作表，含分数线；按权限范围）', params: examIdParam, querystring: exportQuery },
  }, async (req, reply) => {
    const c = caller(req);
    const report = await loadReport(ctx, c.scope, req.params.id, req.query.by);
    const buf = await reportXlsx(req.query.by, report.exam.name, report.subjects, report.rows);
    return reply
      .header('content-type', XLSX)
      .header('content-disposition', attachment(`${report.exam.name}-后20%-按${LEVEL_ZH[req.query.by]}.xlsx`, `bottom20-${req.query.by}.xlsx`))
      .header('cache-control', 'no-store')
      .send(buf);
  });

  app.get('/exams/:id/awards/export.xlsx', {
    schema: { tags: ['exams'], summary: '导出奖励（xlsx；按权限范围）', params: examIdParam },
  }, async (req, reply) => {
    const c = caller(req);
    const exam = await visibleExam(ctx, c, req.params.id);
    const res = await listAwards(ctx, c, req.params.id, { page: 1, pageSize: 50 }, true);
    const buf = await awardsXlsx(exam.name, res.items);
    return reply
      .header('content-type', XLSX)
      .header('content-disposition', attachment(`${exam.name}-奖励.xlsx`, 'awards.xlsx'))
      .header('cache-control', 'no-store')
      .send(buf);
  });
}
