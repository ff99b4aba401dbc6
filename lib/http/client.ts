import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendBuffered } from './buffered-request.js';
import { currentDeadline } from './deadline.js';
import { HttpError } from './errors.js';
import type { StreamedBody } from './multipart.js';
import { sendStreamed } from './streamed-request.js';
import { backoffDelay } from '../backoff.js';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON with the matching content type. */
  json?: unknown;
  /** A streamed body (a file upload) is made anew for each attempt. */
  body?: string | URLSearchParams | StreamedBody;
  /** A GET whose answer is a file: its body streams to the caller (redirects followed), where an API answer is read whole. */
  download?: boolean;
  /**
   * `true` only for requests that can be repeated without a second effect (reads, state-setting PUTs).
   * Others are sent once: a timeout or a lost response must be reconciled by the caller (invariant 3).
   */
  repeatable: boolean;
  /** Short name for logs and errors, e.g. `MMP OR24`. */
  operation: string;
  /** Overrides the client's timeout of one attempt, body included: file transfers take longer than API calls. */
  timeoutMs?: number;
}

export interface HttpClientOptions {
  timeoutMs: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Time kept free before the deadline, for reporting and bookkeeping after the call. */
  deadlineMarginMs: number;
}

export const defaultHttpClientOptions: HttpClientOptions = {
  timeoutMs: 10_000,
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  deadlineMarginMs: 3_000,
};

export type HttpSend = (request: HttpRequest) => Promise<Response>;

/**
 * The one client for every outbound call: a timeout per attempt (the answer's body included, but for downloads),
 * keep-alive (node:http's global agents keep connections), and retries with exponential backoff and full jitter on
 * 429/5xx/network errors, honouring `Retry-After`. A wait that would end past the deadline is not slept: the error
 * is thrown with its `retryAfterSeconds` so the caller can hand the wait back to SQS.
 */
export const createHttpClient = (overrides: Partial<HttpClientOptions> = {}): HttpSend => {
  const options = { ...defaultHttpClientOptions, ...overrides };

  return async (request) => {
    let reachedServer = false;
    for (let attempt = 1; ; attempt += 1) {
      const result = await attemptOnce(request, options);
      if (result instanceof Response) return result;
      reachedServer ||= result.details.mayHaveApplied;
      result.details.mayHaveApplied = reachedServer;
      const wait = retryDelay(result, attempt, options);
      const budget = currentDeadline() - options.deadlineMarginMs - Date.now();
      if (!request.repeatable || !result.transient || attempt >= options.maxAttempts || wait > budget) throw result;
      await sleep(wait);
    }
  };
};

const attemptOnce = async (request: HttpRequest, options: HttpClientOptions): Promise<Response | HttpError> => {
  const remaining = currentDeadline() - options.deadlineMarginMs - Date.now();
  const timeoutMs = Math.max(1, Math.min(request.timeoutMs ?? options.timeoutMs, remaining));
  let response: Response;
  try {
    response = await sendOnce(request, timeoutMs);
  } catch (cause) {
    const timedOut = cause instanceof DOMException && cause.name === 'TimeoutError';
    return new HttpError(
      `${request.operation} ${timedOut ? `timed out after ${timeoutMs} ms` : `failed: ${networkErrorCode(cause)}`}`,
      { mayHaveApplied: true },
      { cause },
    );
  }
  if (response.ok) return response;
  const { code, fields, description } = await errorDetails(response);
  return new HttpError(`${request.operation} answered ${response.status}${code ? ` ${code}` : ''}`, {
    status: response.status,
    code,
    fields,
    description,
    retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
    mayHaveApplied: response.status >= 500,
  });
};

/** One request on the wire, with node:http(s): read whole (buffered-request.ts), or streamed (streamed-request.ts). */
const sendOnce = (request: HttpRequest, timeoutMs: number): Promise<Response> => {
  const { method, url, body } = request;
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (isStreamed(body))
    return sendStreamed(url, {
      method,
      headers: { ...headers, 'content-type': body.contentType },
      body: body.stream(),
      signal: AbortSignal.timeout(timeoutMs),
    });
  const [contentType, text] =
    request.json !== undefined
      ? ['application/json', JSON.stringify(request.json)]
      : body instanceof URLSearchParams
        ? ['application/x-www-form-urlencoded;charset=UTF-8', body.toString()]
        : [undefined, body];
  const init = {
    method,
    headers: contentType ? { ...headers, 'content-type': contentType } : headers,
    body: text === undefined ? undefined : Buffer.from(text),
  };
  if (!request.download) return sendBuffered(url, { ...init, timeoutMs });
  return download(url, init.headers, AbortSignal.timeout(timeoutMs));
};

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/**
 * A file, streamed, following redirects as fetch did (a storage may send a link on); the authorization header goes
 * only to the origin it was meant for.
 */
const download = async (url: string, headers: Record<string, string>, signal: AbortSignal, hops = 0) => {
  const response = await sendStreamed(url, { method: 'GET', headers, body: Readable.from([]), signal });
  const location = response.headers.get('location');
  if (!REDIRECTS.has(response.status) || location === null || hops >= MAX_REDIRECTS) return response;
  await response.body?.cancel();
  const next = new URL(location, url);
  const { authorization: _, ...withoutAuthorization } = headers;
  return download(next.href, next.origin === new URL(url).origin ? headers : withoutAuthorization, signal, hops + 1);
};

const isStreamed = (body: HttpRequest['body']): body is StreamedBody => typeof body === 'object' && 'stream' in body;

const retryDelay = (error: HttpError, attempt: number, options: HttpClientOptions): number => {
  const { retryAfterSeconds } = error.details;
  if (retryAfterSeconds !== undefined) return retryAfterSeconds * 1000;
  return backoffDelay({ base: options.baseDelayMs, cap: options.maxDelayMs, jitter: true }, attempt);
};

/** `Retry-After` is either delay-seconds or an HTTP date. */
export const parseRetryAfter = (value: string | null, now = Date.now()): number | undefined => {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
};

/**
 * Only the machine-readable parts of a Mirakl error body are kept, its `code` and the JSON paths of
 * `errors[].field` (e.g. `orders[3].anonymize_after`): the messages may hold personal data. Object
 * storages (S3, Cloud Storage) answer XML, `<Error><Code>ExpiredToken</Code>…`: its code is kept too. OAuth-style
 * bodies (`{"error", "error_description"}`, the operations API's too) give the code, and the description, which
 * such services fill with a fixed sentence and ids, clipped.
 */
const errorDetails = async (
  response: Response,
): Promise<{ code?: string; fields?: string[]; description?: string }> => {
  const text = await response.text().catch(() => '');
  let body: { code?: unknown; error?: unknown; error_description?: unknown; errors?: unknown } | null;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = { code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1] };
  }
  const given = body?.code ?? body?.error;
  const code = typeof given === 'string' && /^[A-Z0-9_.-]{1,80}$/i.test(given) ? given : undefined;
  const description =
    typeof body?.error_description === 'string' ? body.error_description.slice(0, MAX_DESCRIPTION_LENGTH) : undefined;
  const fields = (Array.isArray(body?.errors) ? body.errors : [])
    .map((item: unknown) => (item as { field?: unknown } | null)?.field)
    .filter((field): field is string => typeof field === 'string' && /^[\w.$[\]-]{1,200}$/.test(field));
  return { code, ...(fields.length > 0 && { fields }), ...(description !== undefined && { description }) };
};

const MAX_DESCRIPTION_LENGTH = 200;

/** e.g. ECONNREFUSED, ECONNRESET: the cause the transport wraps, without its message. */
const networkErrorCode = (error: unknown): string => {
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'string' ? code : 'network error';
};
