import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../server/context.js';
import { AppError, badRequest } from '../../server/errors.js';
import { caller, errorBody, pageQuery, paged, type Api } from '../../server/http.js';
import { IMPORT_ROLES } from '../../shared/roles.js';
import { importJobParam, importJobView, importStarted, ROSTER_FILE_EXTENSIONS } from './roster-import.schemas.js';
import { getImportJob, importRoster, listImportJobs, openErrorsFile } from './roster-import.service.js';

/** A name safe inside a file path (the original name is kept in the job row). */
function safeName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/'));
  return base.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(-100) || 'roster';
}

/** The uploaded file's name. Browsers send it as raw UTF-8; some clients percent-encode it. */
function uploadedName(raw: string): string {
  const base = path.basename(raw.replace(/\\/g, '/'));
  if (/%[0-9A-Fa-f]{2}/.test(base)) {
    try {
      return decodeURIComponent(base);
    } catch {
      // not percent-encoding after all
    }
  }
  return base;
}

/**
 * Receives a multipart upload: the `file` field streamed to disk as `<dir>/<jobId>-<name>`
 * (a big file never sits in memory), the text fields collected. Shared with the exam-score upload.
 */
export async function receiveUpload(req: FastifyRequest, opts: { dir: string; jobId: string }): Promise<{ path: string; name: string; fields: Record<string, string> }> {
  if (!req.isMultipart()) throw badRequest('请以 multipart/form-data 方式上传文件（字段名 file）');
  fs.mkdirSync(opts.dir, { recursive: true });
  let saved: { path: string; name: string } | null = null;
  const fields: Record<string, string> = {};
  try {
    for await (const part of req.parts()) {
      if (part.type !== 'file') {
        if (typeof part.value === 'string') fields[part.fieldname] = part.value;
        continue;
      }
      const file = part as MultipartFile;
      if (file.fieldname !== 'file' || saved) {
        file.file.resume();
        continue;
      }
      const name = uploadedName(file.filename);
      const ext = path.extname(name).toLowerCase();
      if (!(ROSTER_FILE_EXTENSIONS as readonly string[]).includes(ext)) {
        file.file.resume();
        throw badRequest(`不支持的文件格式“${ext || name}”：请上传 .xlsx、.xls 或 .csv 文件`);
      }
      const dest = path.join(opts.dir, `${opts.jobId}-${safeName(name)}`);
      saved = { path: dest, name };
      await pipeline(file.file, fs.createWriteStream(dest));
      if (file.file.truncated) throw new AppError(413, 'FILE_TOO_LARGE', '文件过大，超过上传上限');
    }
  } catch (err) {
    if (saved) fs.rmSync(saved.path, { force: true });
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError(413, 'FILE_TOO_LARGE', '文件过大，超过上传上限');
    throw err;
  }
  if (!saved) throw badRequest('没有收到文件（表单字段 file）');
  return { ...saved, fields };
}

export async function rosterImportRoutes(app: Api, ctx: AppContext) {
  app.post('/imports/roster', {
    schema: {
      tags: ['imports'],
      summary: '上传学生花名册并在后台导入（multipart：file 字段为文件，可选 schoolCode 字段为默认学校标识码）',
      consumes: ['multipart/form-data'],
      response: { 200: importStarted, 400: errorBody, 403: errorBody, 413: errorBody },
    },
  }, async (req) => {
    const c = caller(req, IMPORT_ROLES);
    const jobId = crypto.randomUUID();
    const upload = await receiveUpload(req, { dir: path.join(ctx.config.dataDir, 'imports'), jobId });
    const schoolCode = upload.fields.schoolCode?.trim() || undefined;
    // runs in the background; its outcome is on the job (GET /api/imports/:id). The upload
    // holds plain ID numbers, so it is deleted as soon as the import is over.
    void importRoster(ctx, { filePath: upload.path, fileName: upload.name, actor: c.actor, scope: c.scope, defaultSchoolCode: schoolCode, jobId })
      .catch((err) => req.log.warn({ jobId, code: (err as AppError).code }, 'roster import failed'))
      .finally(() => fs.rmSync(upload.path, { force: true }));
    return { jobId };
  });

  app.get('/imports', {
    schema: { tags: ['imports'], summary: '最近的导入任务（本人或范围内）', querystring: pageQuery, response: { 200: paged(importJobView) } },
  }, async (req) => {
    const c = caller(req, IMPORT_ROLES);
    return listImportJobs(ctx, c, req.query.page, req.query.pageSize);
  });

  app.get('/imports/:id', {
    schema: { tags: ['imports'], summary: '导入任务的状态、进度与结果', params: importJobParam, response: { 200: importJobView, 404: errorBody } },
  }, async (req) => {
    const c = caller(req, IMPORT_ROLES);
    return getImportJob(ctx, c, req.params.id);
  });

  app.get('/imports/:id/errors', {
    schema: { tags: ['imports'], summary: '下载未导入的行（xlsx：行号、错误原因、原始内容）', params: importJobParam },
  }, async (req, reply) => {
    const c = caller(req, IMPORT_ROLES);
    const file = await openErrorsFile(ctx, c, req.params.id);
    reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="import-errors.xlsx"; filename*=UTF-8''${encodeURIComponent(file.downloadName)}`)
      .header('cache-control', 'no-store');
    return reply.send(fs.createReadStream(file.path));
  });
}
