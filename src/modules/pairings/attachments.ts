// Files attached to activity records (photos of a visit, scanned forms): stored once by content
// under <dataDir>/attachments/<first two hex digits>/<sha256>, described in activities.attachments.
// The type is decided by the file's first bytes, never by its name or the declared type.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** Accepted types, with their Chinese names for messages. */
export const ATTACHMENT_TYPES = {
  'image/jpeg': 'JPEG 图片',
  'image/png': 'PNG 图片',
  'image/webp': 'WebP 图片',
  'image/heic': 'HEIC 图片（手机照片）',
  'application/pdf': 'PDF 文件',
} as const;
export type AttachmentMime = keyof typeof ATTACHMENT_TYPES;

/** The type of a file from its first bytes; null when it is none of ATTACHMENT_TYPES. */
export function sniffMime(head: Buffer): AttachmentMime | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (head.length >= 12 && head.toString('latin1', 4, 8) === 'ftyp' && ['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].includes(head.toString('latin1', 8, 12))) {
    return 'image/heic';
  }
  if (head.length >= 5 && head.toString('latin1', 0, 5) === '%PDF-') return 'application/pdf';
  return null;
}

export function attachmentsDir(dataDir: string): string {
  return path.join(dataDir, 'attachments');
}

export function attachmentPath(dataDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('bad attachment digest');
  return path.join(attachmentsDir(dataDir), sha256.slice(0, 2), sha256);
}

export interface StoredFile {
  sha256: string;
  size: number;
  mime: AttachmentMime;
  path: string;
  /** false when the same content was already stored (nothing to remove if the record change fails) */
  created: boolean;
}

export class AttachmentRejected extends Error {}

/**
 * Streams an upload to a temporary file while hashing it, then moves it to its content address.
 * `truncated()` says whether the multipart limit cut the file (then it is rejected as too large).
 */
export async function storeAttachment(dataDir: string, input: Readable, truncated: () => boolean): Promise<StoredFile> {
  const dir = attachmentsDir(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.upload-${crypto.randomUUID()}`);
  const hash = crypto.createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      if (head.length < 16) head = Buffer.concat([head, chunk.subarray(0, 16 - head.length)]);
      done(null, chunk);
    },
  });
  try {
    await pipeline(input, tap, fs.createWriteStream(tmp));
    if (truncated() || size > MAX_ATTACHMENT_BYTES) throw new AttachmentRejected('too_large');
    if (size === 0) throw new AttachmentRejected('empty');
    const mime = sniffMime(head);
    if (!mime) throw new AttachmentRejected('type');
    const sha256 = hash.digest('hex');
    const dest = attachmentPath(dataDir, sha256);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    if (fs.existsSync(dest)) {
      fs.rmSync(tmp, { force: true });
      return { sha256, size, mime, path: dest, created: false };
    }
    fs.renameSync(tmp, dest);
    return { sha256, size, mime, path: dest, created: true };
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
