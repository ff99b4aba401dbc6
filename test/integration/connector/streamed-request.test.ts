import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient, multipartBody, type HttpRequest } from '../../../lib/http/index.js';
import { httpErrorOf } from '../../support/http-error.js';

/** A real HTTP server that reads the whole body, then answers with the script's next reply. */
let server: Server;
let baseUrl: string;
let replies: Array<(response: ServerResponse, body: Buffer) => void>;
let bodies: Buffer[];
beforeAll(async () => {
  server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    bodies.push(Buffer.concat(chunks));
    (
      replies.shift() ??
      ((res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"errors_count":0}'))
    )(response, Buffer.concat(chunks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  replies = [];
  bodies = [];
});

const bytes = randomBytes(200_000);
const path = join(mkdtempSync(join(tmpdir(), 'streamed-')), 'label.pdf');
writeFileSync(path, bytes);
const body = multipartBody([{ name: 'files', filename: 'label.pdf', contentType: 'application/pdf', file: { path } }]);
const send = createHttpClient({ baseDelayMs: 1, maxDelayMs: 5 });
const upload = (overrides: Partial<HttpRequest> = {}): HttpRequest => ({
  method: 'POST',
  url: `${baseUrl}/upload`,
  operation: 'TEST upload',
  repeatable: false,
  body,
  ...overrides,
});

describe('a streamed body through the HTTP client (node:http under it)', () => {
  it('sends the multipart body whole and answers a fetch Response', async () => {
    const response = await send(upload({ headers: { authorization: 'key' } }));

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ errors_count: 0 });
    const form = await new Request('http://x/', {
      method: 'POST',
      headers: { 'content-type': body.contentType },
      body: bodies[0],
    }).formData();
    expect(Buffer.from(await (form.get('files') as File).arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('turns a refusal into an HttpError with the error code, and a 204 into an empty Response', async () => {
    replies = [
      (res) => res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":"VALIDATION_ERROR"}'),
      (res) => res.writeHead(204).end(),
    ];

    expect((await httpErrorOf(send(upload()))).message).toBe('TEST upload answered 400 VALIDATION_ERROR');
    expect((await send(upload())).status).toBe(204);
  });

  it('times out like any request, and says it may have applied', async () => {
    replies = [() => undefined];

    const error = await httpErrorOf(createHttpClient({ timeoutMs: 300 })(upload()));

    expect(error.message).toBe('TEST upload timed out after 300 ms');
    expect(error.details.mayHaveApplied).toBe(true);
  });

  it('names the network error of a lost connection', async () => {
    replies = [(res) => res.destroy()];

    expect((await httpErrorOf(send(upload()))).message).toBe('TEST upload failed: ECONNRESET');
  });
});
