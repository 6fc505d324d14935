// The one way the web talks to the server: JSON over fetch, same-origin cookie session,
// CSRF header on writes, server errors ({code, message}) turned into ApiError with the
// server's Chinese message, and session problems routed to the login / change-password pages.
import { t } from '../i18n';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type AuthProblem = 'login' | 'change-password';
type AuthProblemHandler = (problem: AuthProblem) => void;

let csrfToken: string | null = null;
let authProblemHandler: AuthProblemHandler = () => {};

/** The app registers where to send the user when the session is gone or a password change is pending. */
export function onAuthProblem(handler: AuthProblemHandler) {
  authProblemHandler = handler;
}

/** /api/me hands out the CSRF token of the current session; remember it for writes. */
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export interface RequestOptions {
  /** false: a 401/403 is the caller's business (login form, setup status), no redirect */
  redirectOnAuth?: boolean;
  /** false for the public endpoints (login, setup): there is no session to take a token from yet */
  csrf?: boolean;
  signal?: AbortSignal;
}

const SAFE = new Set(['GET', 'HEAD']);

async function ensureCsrfToken(): Promise<void> {
  if (csrfToken) return;
  try {
    const res = await fetch('/api/me', { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (res.ok) csrfToken = ((await res.json()) as { csrfToken?: string }).csrfToken ?? null;
  } catch {
    // not signed in (login, setup): those endpoints need no token
  }
}

/** Turns a failed response into an ApiError; the server's message is already Chinese. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  let code = `HTTP_${res.status}`;
  let message = '';
  let details: unknown;
  try {
    const body = (await res.json()) as { code?: string; message?: string; details?: unknown };
    code = body.code ?? code;
    message = body.message ?? '';
    details = body.details;
  } catch {
    // a proxy's HTML error page or an empty body
  }
  if (!message) message = res.status >= 500 || res.status === 0 ? t('error.server') : t('error.request', { status: res.status });
  return new ApiError(res.status, code, message, details);
}

export function handleAuthProblem(err: ApiError, opts: RequestOptions) {
  if (opts.redirectOnAuth === false) return;
  if (err.status === 401) {
    csrfToken = null;
    authProblemHandler('login');
  } else if (err.status === 403 && err.code === 'PASSWORD_CHANGE_REQUIRED') {
    authProblemHandler('change-password');
  }
}

export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}, retried = false): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (!SAFE.has(method) && opts.csrf !== false) {
    await ensureCsrfToken();
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
  }
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', t('error.network'));
  }
  if (!res.ok) {
    const err = await errorFromResponse(res);
    // a stale token (the session was renewed in another tab): fetch the current one and try once more
    if (err.code === 'CSRF' && !retried) {
      csrfToken = null;
      return request<T>(method, path, body, opts, true);
    }
    handleAuthProblem(err, opts);
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('application/json') ? await res.json() : await res.text()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, opts?: RequestOptions) => request<T>('GET', withQuery(path, query), undefined, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, body ?? {}, opts),
  patch: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PATCH', path, body, opts),
  put: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PUT', path, body, opts),
  delete: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, undefined, opts),
};

/**
 * Multipart upload through XMLHttpRequest, because fetch cannot report upload progress
 * (which matters on a village school's uplink). Same error and auth handling as request().
 */
export function upload<T>(path: string, form: FormData, onProgress: (fraction: number) => void): { promise: Promise<T>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = (async () => {
    await ensureCsrfToken();
    return new Promise<T>((resolve, reject) => {
      xhr.open('POST', path);
      xhr.withCredentials = true;
      xhr.setRequestHeader('accept', 'application/json');
      if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
      };
      xhr.onerror = () => reject(new ApiError(0, 'NETWORK', t('error.network')));
      xhr.onabort = () => reject(new ApiError(0, 'ABORTED', t('error.aborted')));
      xhr.onload = async () => {
        const res = new Response(xhr.responseText, { status: xhr.status, headers: { 'content-type': xhr.getResponseHeader('content-type') ?? '' } });
        if (res.ok) {
          onProgress(1);
          resolve((await res.json()) as T);
          return;
        }
        const err = await errorFromResponse(res);
        handleAuthProblem(err, {});
        reject(err);
      };
      xhr.send(form);
    });
  })();
  return { promise, abort: () => xhr.abort() };
}
