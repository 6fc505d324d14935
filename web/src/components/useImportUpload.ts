// An upload that the server imports as a job: the file's upload with its fraction, then the job
// polled at GET /api/imports/:jobId until it is done. Shared by the roster import page and the exam
// score upload (each shows its own progress and results from `stage` and `job`).
import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, upload } from '../api/client';
import type { ImportJob } from '../api/types';

export type UploadStage =
  | { kind: 'idle' }
  | { kind: 'uploading'; fileName: string; fraction: number }
  | { kind: 'job'; jobId: string; fileName: string }
  | { kind: 'uploadFailed'; fileName: string; message: string };

/** The server still works on the job. */
export const isImportActive = (s: ImportJob['status'] | undefined) => s === 'queued' || s === 'running';

export function useImportUpload() {
  const [stage, setStage] = useState<UploadStage>({ kind: 'idle' });
  const abortRef = useRef<(() => void) | null>(null);
  // leaving the page aborts an upload under way (the server's job, once started, goes on)
  useEffect(() => () => abortRef.current?.(), []);

  const jobId = stage.kind === 'job' ? stage.jobId : undefined;
  const job = useQuery({
    queryKey: ['import', jobId],
    queryFn: () => api.get<ImportJob>(`/api/imports/${jobId}`),
    enabled: jobId !== undefined,
    // ~700 ms while the server works; stop as soon as it is done
    refetchInterval: (q) => (!q.state.data || isImportActive(q.state.data.status) ? 700 : false),
    retry: 3,
  });

  /** Sends `form` (with the file) to `url`, which answers { jobId }. */
  const start = (url: string, form: FormData, fileName: string) => {
    setStage({ kind: 'uploading', fileName, fraction: 0 });
    const { promise, abort } = upload<{ jobId: string }>(url, form, (fraction) =>
      setStage((s) => (s.kind === 'uploading' ? { ...s, fraction } : s)),
    );
    abortRef.current = abort;
    promise.then(
      ({ jobId: id }) => setStage({ kind: 'job', jobId: id, fileName }),
      (e: Error) => setStage({ kind: 'uploadFailed', fileName, message: e.message }),
    ).finally(() => {
      abortRef.current = null;
    });
  };

  return { stage, job, jobId, start };
}
