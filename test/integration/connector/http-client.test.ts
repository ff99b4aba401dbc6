import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient, parseRetryAfter, withDeadline, type HttpRequest } from '../../../lib/http/index.js';
import { httpErrorOf } from '../../support/http-error.js';

/** A real HTTP server answering from a script of replies, one per request. */
let server: Server;
let baseUrl: string;
let replies: Array<(response: ServerResponse) => void>;
let received: number;
beforeAll(async () => {
  server = createServer((_request: IncomingMessage, response: ServerResponse) => {
    received += 1;
    const reply = replies.shift() ?? ((res: ServerResponse) => res.writeHead(200).end('{}'));
    reply(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  replies = [];
  received = 0;
});

const status =
  (code: number, headers: Record<string, string> = {}, body = '') =>
  (response: ServerResponse) =>
    response.writeHead(code, headers).end(body);
const send = createHttpClient({ baseDelayMs: 1, maxDelayMs: 5 });
const request = (overrides: Partial<HttpRequest> = {}): HttpRequest => ({
  method: 'PUT',
  url: `${baseUrl}/x`,
  operation: 'TEST call',
  repeatable: true,
  ...overrides,
});

describe('createHttpClient', () => {
  it('retries a repeatable request through 503s and 429s', async () => {
    replies = [status(503), status(429), status(204)];
    const response = await send(request());
    expect(response.status).toBe(204);
    expect(received).toBe(3);
  });

  it('sends a request that is not repeatable once, and says it may have applied', async () => {
    replies = [status(503)];
    const error = await httpErrorOf(send(request({ repeatable: false })));
    expect(received).toBe(1);
    expect(error.details).toMatchObject({ status: 503, mayHaveApplied: true });
  });

  it('does not retry a refusal (4xx), and keeps only the error code of the body', async () => {
    replies = [
      status(
        400,
        { 'content-type': 'application/json' },
        JSON.stringify({ code: 'ORDER_INVALID_STATE', message: 'Camille Durand, 12 rue de la Paix' }),
      ),
    ];
    const error = await httpErrorOf(send(request()));
    expect(received).toBe(1);
    expect(error.message).toBe('TEST call answered 400 ORDER_INVALID_STATE');
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('Camille');
  });

  it('hands a Retry-After that would outlast the deadline back to the caller instead of sleeping', async () => {
    replies = [status(429, { 'retry-after': '30' })];
    const error = await withDeadline(Date.now() + 10_000, () => httpErrorOf(send(request())));
    expect(received).toBe(1);
    expect(error.details).toMatchObject({ status: 429, retryAfterSeconds: 30 });
    expect(error.transient).toBe(true);
  });

  it('gives up after its attempts and reports the last status', async () => {
    replies = [status(500), status(502), status(503), status(504)];
    const error = await httpErrorOf(send(request()));
    expect(received).toBe(4);
    expect(error.message).toBe('TEST call answered 504');
  });

  it('times an attempt out', async () => {
    replies = [() => undefined];
    const error = await httpErrorOf(createHttpClient({ timeoutMs: 50, maxAttempts: 1 })(request()));
    expect(error.message).toBe('TEST call timed out after 50 ms');
    expect(error.status).toBeUndefined();
    expect(error.details.mayHaveApplied).toBe(true);
  });

  it('reads an API answer whole within the attempt, and hands a download over as its body streams', async () => {
    const stalled = (response: ServerResponse) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"orders": [');
    };
    replies = [stalled];
    const error = await httpErrorOf(createHttpClient({ timeoutMs: 100, maxAttempts: 1 })(request({ method: 'GET' })));
    expect(error.message).toBe('TEST call timed out after 100 ms');

    replies = [stalled];
    const download = await createHttpClient({ timeoutMs: 100, maxAttempts: 1 })(
      request({ method: 'GET', download: true }),
    );
    const reader = download.body?.getReader();
    expect(new TextDecoder().decode((await reader?.read())?.value)).toBe('{"orders": [');
    // The attempt's timeout still bounds the download: the body stops there.
    await expect(reader?.read()).rejects.toThrow();
  });

  it('follows the redirects of a download, and sends the authorization header to its own origin only', async () => {
    const elsewhere = createServer((incoming, response) =>
      response.writeHead(200).end(`stored, authorization: ${incoming.headers.authorization ?? 'none'}`),
    );
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    const storage = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
    try {
      replies = [status(302, { location: '/moved' }), status(307, { location: `${storage}/file.pdf` })];
      const file = await send(request({ method: 'GET', download: true, headers: { authorization: 'Bearer secret' } }));
      expect(received).toBe(2);
      expect(await file.text()).toBe('stored, authorization: none');
    } finally {
      await new Promise<void>((resolve) => elsewhere.close(() => resolve()));
    }
  });

  it('sends JSON and form bodies with their content type and length, and gives the answer its headers', async () => {
    const seen: Array<{ type?: string; length?: string; body: string }> = [];
    const recordNext = () =>
      server.prependOnceListener('request', (incoming: IncomingMessage) => {
        let body = '';
        incoming.on('data', (chunk) => (body += chunk));
        incoming.on('end', () =>
          seen.push({ type: incoming.headers['content-type'], length: incoming.headers['content-length'], body }),
        );
      });
    const echo = (response: ServerResponse) => response.writeHead(201, { 'x-request-id': 'r-1' }).end('{"ok":true}');
    recordNext();
    replies = [echo];
    const answer = await send(request({ json: { é: 1 } }));
    expect(answer.status).toBe(201);
    expect(answer.headers.get('x-request-id')).toBe('r-1');
    expect(await answer.json()).toEqual({ ok: true });
    recordNext();
    replies = [status(204)];
    await send(request({ method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials' }) }));
    expect(seen).toEqual([
      { type: 'application/json', length: '8', body: '{"é":1}' },
      { type: 'application/x-www-form-urlencoded;charset=UTF-8', length: '29', body: 'grant_type=client_credentials' },
    ]);
  });

  it('names a network failure by its code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await httpErrorOf(
      createHttpClient({ maxAttempts: 1 })(request({ url: `http://127.0.0.1:${port}/x` })),
    );
    expect(error.message).toBe('TEST call failed: ECONNREFUSED');
  });

  it('remembers that an earlier attempt may have applied when a later one is refused', async () => {
    replies = [status(503), status(404)];
    const error = await httpErrorOf(send(request()));
    expect(error.details).toMatchObject({ status: 404, mayHaveApplied: true });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores anything else', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
