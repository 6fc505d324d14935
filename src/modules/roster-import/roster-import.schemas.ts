// Shapes of the roster-import API, shared with the web (imports only zod).
import { z } from 'zod';

export const importPhase = z.enum(['parsing', 'merging', 'done']);
export type ImportPhase = z.infer<typeof importPhase>;

export const importStatus = z.enum(['queued', 'running', 'succeeded', 'failed']);

export const importJobView = z.object({
  id: z.string(),
  /** roster: 学生花名册; exam: 考试成绩 (inserted = score rows stored) */
  kind: z.enum(['roster', 'exam']),
  status: importStatus,
  fileName: z.string(),
  /** data rows read so far (blank rows not counted) */
  processedRows: z.number().int(),
  /** data rows in the file, known once parsing is done */
  totalRows: z.number().int().nullable(),
  phase: importPhase.nullable(),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  /** a spreadsheet of the rejected rows can be downloaded from /api/imports/:id/errors */
  hasErrors: z.boolean(),
  errorMessage: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  createdByName: z.string().nullable(),
  schoolName: z.string().nullable(),
});
export type ImportJobView = z.infer<typeof importJobView>;

export const importStarted = z.object({ jobId: z.string() });

export const importJobParam = z.object({ id: z.string().min(1).max(64) });

/** The last line of `bangfu import roster <file> --json`. */
export const importSummary = z.object({
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  errorsFile: z.string().nullable(),
});

/** File types the upload accepts (checked again by content on the server). */
export const ROSTER_FILE_EXTENSIONS = ['.xlsx', '.xls', '.csv', '.txt'] as const;
