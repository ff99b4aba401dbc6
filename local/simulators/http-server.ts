import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';

export interface SimulatorCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The body as sent, for binary (multipart) bodies that UTF-8 text would corrupt. */
  rawBytes: Buffer;
}

export interface SimulatorReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A binary body (a file, a ZIP), streamed as is instead of `body`. */
  stream?: Readable;
}

/** Answers a call; `undefined` means: destroy the socket without answering (a lost response). */
export type CallHandler = (call: SimulatorCall) => Promise<SimulatorReply | undefined>;

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** A plain node:http server on 127.0.0.1 that speaks JSON. */
export async function startHttpServer(port: number, handle: CallHandler): Promise<RunningServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://simulator');
      const raw = Buffer.concat(chunks);
      const call: SimulatorCall = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        rawBody: raw.toString('utf8'),
        rawBytes: raw,
      };
      handle(call)
        .catch((error: unknown): SimulatorReply => ({ status: 500, body: { message: String(error) } }))
        .then((reply) => {
          if (!reply) return void res.destroy();
          const headers = { ...reply.headers };
          if (reply.stream) return void reply.stream.pipe(res.writeHead(reply.status, headers));
          if (reply.body === undefined) return void res.writeHead(reply.status, headers).end();
          headers['content-type'] = 'application/json';
          res.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: boundPort } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${boundPort}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The parsed JSON body, or `undefined` when it is empty or not JSON. */
export function parseJsonBody(call: SimulatorCall): unknown {
  if (call.rawBody === '') return undefined;
  try {
    return JSON.parse(call.rawBody) as unknown;
  } catch {
    return undefined;
  }
}

export function isJsonContent(call: SimulatorCall): boolean {
  return (call.headers['content-type'] ?? '').split(';')[0]?.trim() === 'application/json';
}

/** The decoded capture groups of `pattern` in `path` (its path parameters), or undefined when it does not match. */
export function matchPath(pattern: RegExp, path: string): string[] | undefined {
  const match = pattern.exec(path);
  return match ? match.slice(1).map((part) => decodeURIComponent(part)) : undefined;
}
