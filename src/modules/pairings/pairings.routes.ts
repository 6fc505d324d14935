// HTTP routes of the pairings module (OpenAPI tag 'pairings'): /api/programmes,
// /api/school-calendar, /api/pairings, /api/activities. Thin: zod schemas in, services out.
import fs from 'node:fs';
import path from 'node:path';
import type { MultipartFile } from '@fastify/multipart';
import { z } from 'zod';
import type { AppContext } from '../../server/context.js';
import { AppError, badRequest } from '../../server/errors.js';
import { caller, errorBody, idParam, paged, type Api } from '../../server/http.js';
import {
  activityDetail,
  activityListQuery,
  activityView,
  addParticipantBody,
  asOfQuery,
  attachmentParam,
  attachmentView,
  createPairingBody,
  dueQuery,
  dueView,
  endParticipantBody,
  pairingDetail,
  pairingListQuery,
  pairingStandingView,
  pairingView,
  participantParam,
  programmeDefinition,
  programmeKeyParam,
  programmeUpdate,
  programmeView,
  recordActivityBody,
  reviewBody,
  schoolCalendarView,
  schoolYearCalendar,
  schoolYearParam,
  standingsQuery,
  standingsView,
  transitionBody,
  updateActivityBody,
  updatePairingBody,
} from './pairings.schemas.js';
import { createProgramme, getProgramme, listProgrammes, listSchoolCalendars, setSchoolCalendar, updateProgramme } from './programmes.service.js';
import { addParticipant, createPairing, endParticipant, getPairing, listPairings, transitionPairing, updatePairing } from './pairings.service.js';
import { addAttachment, findAttachment, getActivity, listActivities, recordActivity, reviewActivity, updateActivity } from './activities.service.js';
import { due, pairingStanding, standings } from './standing.service.js';
import { ATTACHMENT_TYPES, AttachmentRejected, MAX_ATTACHMENT_BYTES, attachmentPath, storeAttachment } from './attachments.js';

const tags = ['pairings'];

/** The uploaded file's name for display only (files are stored by content): browsers send UTF-8, some clients percent-encode. */
function displayName(raw: string): string {
  let name = path.basename(raw.replace(/\\/g, '/'));
  if (/%[0-9A-Fa-f]{2}/.test(name)) {
    try {
      name = decodeURIComponent(name);
    } catch {
      // not percent-encoding after all
    }
  }
  return name.replace(/[\u0000-\u001f]/g, '').slice(-120) || '附件';
}

export async function pairingRoutes(app: Api, ctx: AppContext) {
  // ─── programmes ───
  app.get('/programmes', {
    schema: { tags, summary: '帮扶项目列表（角色、活动类型及其字段、配额规则）', response: { 200: z.array(programmeView) } },
  }, async (req) => {
    caller(req);
    return listProgrammes(ctx);
  });

  app.get('/programmes/:key', {
    schema: { tags, summary: '一个帮扶项目', params: programmeKeyParam, response: { 200: programmeView, 404: errorBody } },
  }, async (req) => {
    caller(req);
    return getProgramme(ctx, req.params.key);
  });

  app.post('/programmes', {
    schema: { tags, summary: '新建帮扶项目（教育局）', body: programmeDefinition, response: { 200: programmeView, 400: errorBody, 403: errorBody, 409: errorBody } },
  }, async (req) => createProgramme(ctx, caller(req), req.body));

  app.put('/programmes/:key', {
    schema: {
      tags, summary: '修改帮扶项目的名称、角色、活动类型和配额（教育局；进行中的结对随即按新配额评价）',
      params: programmeKeyParam, body: programmeUpdate, response: { 200: programmeView, 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
    },
  }, async (req) => updateProgramme(ctx, caller(req), req.params.key, req.body));

  // ─── school calendar ───
  app.get('/school-calendar', {
    schema: { tags, summary: '校历：各学年的学期起止、停课日和调休上班日（未设置的学年按默认）', response: { 200: z.array(schoolCalendarView) } },
  }, async (req) => {
    caller(req);
    return listSchoolCalendars(ctx);
  });

  app.put('/school-calendar/:schoolYear', {
    schema: {
      tags, summary: '设置一个学年的校历（教育局）', params: schoolYearParam, body: schoolYearCalendar,
      response: { 200: schoolCalendarView, 400: errorBody, 403: errorBody },
    },
  }, async (req) => setSchoolCalendar(ctx, caller(req), req.params.schoolYear, req.body));

  // ─── pairings ───
  app.get('/pairings', {
    schema: { tags, summary: '结对列表（按权限范围）', querystring: pairingListQuery, response: { 200: paged(pairingView) } },
  }, async (req) => listPairings(ctx, caller(req), req.query));

  app.post('/pairings', {
    schema: { tags, summary: '新建结对（参与方须在您的管理范围内，并符合项目的角色规则）', body: createPairingBody, response: { 200: pairingDetail, 400: errorBody, 403: errorBody } },
  }, async (req) => createPairing(ctx, caller(req), req.body));

  // before /pairings/:id, so 'standings' and 'due' are not taken for ids
  app.get('/pairings/standings', {
    schema: {
      tags, summary: '配额完成情况汇总：按人（须完成者）、按学校或按结对；asOf 默认今天（北京时间）',
      querystring: standingsQuery, response: { 200: standingsView },
    },
  }, async (req) => standings(ctx, caller(req), req.query));

  app.get('/pairings/due', {
    schema: { tags, summary: '近期应完成的活动（默认 7 天，含今天）', querystring: dueQuery, response: { 200: dueView } },
  }, async (req) => due(ctx, caller(req), req.query));

  app.get('/pairings/:id', {
    schema: { tags, summary: '结对详情：参与方（含历史）与状态变更记录', params: idParam, response: { 200: pairingDetail, 404: errorBody } },
  }, async (req) => getPairing(ctx, caller(req), req.params.id));

  app.patch('/pairings/:id', {
    schema: { tags, summary: '修改帮扶计划、计划结束日期（拟结对时还可改开始日期）', params: idParam, body: updatePairingBody, response: { 200: pairingDetail, 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody } },
  }, async (req) => updatePairing(ctx, caller(req), req.params.id, req.body));

  app.post('/pairings/:id/transition', {
    schema: {
      tags, summary: '变更结对状态：拟结对→进行中→已结束/已解除（解除须填原因；每次变更都留存记录）',
      params: idParam, body: transitionBody, response: { 200: pairingDetail, 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
    },
  }, async (req) => transitionPairing(ctx, caller(req), req.params.id, req.body));

  app.post('/pairings/:id/participants', {
    schema: { tags, summary: '增加参与方（如更换帮扶教师：先结束原参与方，再增加新的）', params: idParam, body: addParticipantBody, response: { 200: pairingDetail, 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody } },
  }, async (req) => addParticipant(ctx, caller(req), req.params.id, req.body));

  app.post('/pairings/:id/participants/:participantId/end', {
    schema: { tags, summary: '结束一个参与方（保留历史）', params: participantParam, body: endParticipantBody, response: { 200: pairingDetail, 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody } },
  }, async (req) => endParticipant(ctx, caller(req), req.params.id, req.params.participantId, req.body));

  app.get('/pairings/:id/standing', {
    schema: { tags, summary: '一个结对的配额完成情况（每条配额、每个周期）；asOf 默认今天', params: idParam, querystring: asOfQuery, response: { 200: pairingStandingView, 404: errorBody } },
  }, async (req) => pairingStanding(ctx, caller(req), req.params.id, req.query.asOf));

  // ─── activities ───
  app.get('/activities', {
    schema: { tags, summary: '活动记录列表（审核队列：status=submitted；保密记录对无权者隐去内容）', querystring: activityListQuery, response: { 200: paged(activityView) } },
  }, async (req) => listActivities(ctx, caller(req), req.query));

  app.post('/activities', {
    schema: { tags, summary: '记录一次活动（结对的参与教师或学校管理人员；字段按项目的活动类型校验）', body: recordActivityBody, response: { 200: activityDetail, 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody } },
  }, async (req) => recordActivity(ctx, caller(req), req.body));

  app.get('/activities/:id', {
    schema: { tags, summary: '活动记录详情与审核记录', params: idParam, response: { 200: activityDetail, 404: errorBody } },
  }, async (req) => getActivity(ctx, caller(req), req.params.id));

  app.put('/activities/:id', {
    schema: { tags, summary: '修改或重新提交自己的记录（待审核或已退回的）', params: idParam, body: updateActivityBody, response: { 200: activityDetail, 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody } },
  }, async (req) => updateActivity(ctx, caller(req), req.params.id, req.body));

  app.post('/activities/:id/review', {
    schema: { tags, summary: '审核记录：通过，或退回并填写意见；已通过的记录可抽查', params: idParam, body: reviewBody, response: { 200: activityDetail, 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody } },
  }, async (req) => reviewActivity(ctx, caller(req), req.params.id, req.body));

  app.post('/activities/:id/attachments', {
    schema: {
      tags,
      summary: `上传附件（multipart：file 字段；${Object.values(ATTACHMENT_TYPES).join('、')}；每个不超过 ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB）`,
      params: idParam, consumes: ['multipart/form-data'],
      response: { 200: attachmentView, 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody, 413: errorBody },
    },
  }, async (req) => {
    const c = caller(req);
    if (!req.isMultipart()) throw badRequest('请以 multipart/form-data 方式上传文件（字段名 file）');
    const tooLarge = () => new AppError(413, 'FILE_TOO_LARGE', `附件不能超过 ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`);
    let file: MultipartFile | undefined;
    try {
      file = await req.file({ limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1 } });
    } catch (err) {
      if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
      throw err;
    }
    if (!file || file.fieldname !== 'file') throw badRequest('没有收到文件（表单字段 file）');
    const upload = file;
    let stored;
    try {
      stored = await storeAttachment(ctx.config.dataDir, upload.file, () => upload.file.truncated);
    } catch (err) {
      if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
      if (err instanceof AttachmentRejected) {
        if (err.message === 'too_large') throw tooLarge();
        if (err.message === 'empty') throw badRequest('文件是空的');
        throw badRequest(`不支持的附件类型：只接受${Object.values(ATTACHMENT_TYPES).join('、')}`);
      }
      throw err;
    }
    try {
      return await addAttachment(ctx, c, req.params.id, { name: displayName(upload.filename), mime: stored.mime, size: stored.size, sha256: stored.sha256 });
    } catch (err) {
      // the record did not take it: a file stored by this request alone goes again
      if (stored.created) fs.rmSync(stored.path, { force: true });
      throw err;
    }
  });

  app.get('/activities/:id/attachments/:attachmentId', {
    schema: { tags, summary: '下载附件（保密记录仅限有权查看者）', params: attachmentParam },
  }, async (req, reply) => {
    const c = caller(req);
    const a = await findAttachment(ctx, c, req.params.id, req.params.attachmentId);
    const disposition = a.mime.startsWith('image/') ? 'inline' : 'attachment';
    reply
      .header('content-type', a.mime)
      .header('content-length', String(a.size))
      .header('content-disposition', `${disposition}; filename="attachment"; filename*=UTF-8''${encodeURIComponent(a.name)}`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store');
    return reply.send(fs.createReadStream(attachmentPath(ctx.config.dataDir, a.sha256)));
  });
}
