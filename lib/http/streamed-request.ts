import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { NULL_BODY_STATUSES } from './buffered-request.js';

/**
 * Sends a request whose body or answer is a stream (a file) with node:http(s): on Node 20, fetch held whole
 * streamed bodies in memory as soon as several uploads ran at once (measured: 5 uploads of 10 MB, 50 MB live),
 * where node:http keeps to the socket's backpressure (a few chunks). Answers a fetch `Response` whose body streams,
 * and fails the way fetch does (the abort reason, or a TypeError whose cause is the network error).
 */
export const sendStreamed = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: Readable; signal: AbortSignal },
): Promise<Response> =>
  new Promise((resolve, reject) => {
    const fail = (error: unknown) =>
      reject(init.signal.aborted ? init.signal.reason : new TypeError('request failed', { cause: error }));
    const transport = url.startsWith('https:') ? https : http;
    const outgoing = transport.request(
      url,
      { method: init.method, headers: init.headers, signal: init.signal },
      (incoming) => {
        const status = incoming.statusCode ?? 500;
        const body = NULL_BODY_STATUSES.has(status) ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>);
        resolve(
          new Response(body as ConstructorParameters<typeof Response>[0], {
            status,
            statusText: incoming.statusMessage,
            headers: headersOf(incoming.headers),
          }),
        );
      },
    );
    outgoing.on('error', fail);
    pipeline(init.body, outgoing).catch(fail);
  });

const headersOf = (incoming: IncomingHttpHeaders): Headers => {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
  }
  return headers;
};
