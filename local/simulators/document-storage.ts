import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';

/**
 * The storage behind Connect's `document_download_url`: presigned links in the style of the vendor example, a
 * Cloud Storage V4 signed URL (`X-Goog-Algorithm`, `X-Goog-Credential`, `X-Goog-Date`, `X-Goog-Expires`,
 * `X-Goog-SignedHeaders`, `X-Goog-Signature`), refused the way Cloud Storage refuses them: a link past its
 * expiry answers 400 ExpiredToken, a tampered one 403 SignatureDoesNotMatch, a deleted object 404 NoSuchKey,
 * each with an XML error body.
 */
export interface DocumentStorage {
  /** The storage's base URL, e.g. `http://127.0.0.1:1234`. */
  readonly url: string;
  /** Stores a document and returns a link to it, signed now (or at `signedAt`) for `expiresInSeconds` (900). */
  put(document: DocumentInput, link?: LinkOptions): string;
  /** A new link to the document another link points to. */
  sign(link: string, options?: LinkOptions): string;
  /** Deletes the document a link points to: its links then answer 404 NoSuchKey. */
  remove(link: string): void;
  /** How far ahead of this machine's clock the storage checks expiries (a skewed clock), in ms. */
  setClockOffset(offsetMs: number): void;
  /** Every download tried, oldest first: the object path and the status answered. */
  downloads(): DocumentDownload[];
  /** Forgets documents, downloads and the clock offset. */
  reset(): void;
  close(): Promise<void>;
}

export interface DocumentInput {
  body: Uint8Array;
  /** @default application/pdf */
  contentType?: string;
}

export interface LinkOptions {
  /** @default 900, as in the vendor example */
  expiresInSeconds?: number;
  /** @default now */
  signedAt?: Date;
}

export interface DocumentDownload {
  path: string;
  status: number;
  /** The error code of a refusal, e.g. `ExpiredToken`. */
  code?: string;
}

const BUCKET = 'mirakl-connect-documents';
const ALGORITHM = 'GOOG4-HMAC-SHA256';
/** Cloud Storage's longest signed-URL lifetime: 7 days. */
const MAX_EXPIRES_SECONDS = 604_800;

const PutDocumentSchema = z.object({
  content_base64: z.base64(),
  content_type: z.string().min(1).optional(),
  expires_in_seconds: z.number().int().positive().max(MAX_EXPIRES_SECONDS).optional(),
});

export async function startDocumentStorage(options: { port?: number } = {}): Promise<DocumentStorage> {
  const secret = randomBytes(32);
  const documents = new Map<string, { body: Buffer; contentType: string }>();
  let downloads: DocumentDownload[] = [];
  let clockOffsetMs = 0;

  const signatureOf = (path: string, query: URLSearchParams) => {
    const canonical = [...query].filter(([name]) => name !== 'X-Goog-Signature').sort(([a], [b]) => (a < b ? -1 : 1));
    return createHmac('sha256', secret)
      .update(`GET\n${path}\n${new URLSearchParams(canonical)}`)
      .digest('hex');
  };

  const signedLink = (path: string, { expiresInSeconds = 900, signedAt = new Date() }: LinkOptions = {}) => {
    const date = signedAt
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const query = new URLSearchParams({
      'X-Goog-Algorithm': ALGORITHM,
      'X-Goog-Credential': `connect-simulator/${date.slice(0, 8)}/auto/storage/goog4_request`,
      'X-Goog-Date': date,
      'X-Goog-Expires': String(expiresInSeconds),
      'X-Goog-SignedHeaders': 'host',
    });
    query.set('X-Goog-Signature', signatureOf(path, query));
    return `${storage.url}${path}?${query}`;
  };

  /** Why a download is refused, as Cloud Storage says it; undefined when it may proceed. */
  const refusal = (
    path: string,
    query: URLSearchParams,
  ): { status: number; code: string; details: string } | undefined => {
    const signature = query.get('X-Goog-Signature') ?? '';
    const expected = signatureOf(path, query);
    if (
      query.get('X-Goog-Algorithm') !== ALGORITHM ||
      signature.length !== expected.length ||
      !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
    ) {
      return {
        status: 403,
        code: 'SignatureDoesNotMatch',
        details: 'The request signature we calculated does not match the signature you provided.',
      };
    }
    const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(query.get('X-Goog-Date') ?? '');
    const expires = Number(query.get('X-Goog-Expires'));
    if (!date || !Number.isInteger(expires) || expires < 1 || expires > MAX_EXPIRES_SECONDS) {
      return { status: 400, code: 'InvalidArgument', details: 'Invalid X-Goog-Date or X-Goog-Expires.' };
    }
    const [year, month, day, hours, minutes, seconds] = date.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const expiry = Date.UTC(year, month - 1, day, hours, minutes, seconds) + expires * 1000;
    if (Date.now() + clockOffsetMs > expiry) {
      return {
        status: 400,
        code: 'ExpiredToken',
        details: `The provided token has expired. Request signature expired at: ${new Date(expiry).toISOString()}`,
      };
    }
    return documents.has(path)
      ? undefined
      : { status: 404, code: 'NoSuchKey', details: 'The specified key does not exist.' };
  };

  const serveDownload = (path: string, query: URLSearchParams, res: ServerResponse) => {
    const refused = refusal(path, query);
    const document = documents.get(path);
    downloads.push({ path, status: refused?.status ?? 200, ...(refused && { code: refused.code }) });
    if (refused || !document) {
      const xml = `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${refused?.code}</Code><Message>${refused?.status === 403 ? 'Access denied.' : 'Invalid argument.'}</Message><Details>${refused?.details}</Details></Error>`;
      return void res.writeHead(refused?.status ?? 404, { 'content-type': 'application/xml; charset=UTF-8' }).end(xml);
    }
    res
      .writeHead(200, { 'content-type': document.contentType, 'content-length': String(document.body.length) })
      .end(document.body);
  };

  /** `POST /_sim/documents` {content_base64, content_type?, expires_in_seconds?} → 201 {url}, for runs by hand. */
  const handleInspection = (method: string, path: string, body: string, res: ServerResponse) => {
    const reply = (status: number, json: unknown) =>
      void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    if (method === 'GET' && path === '/_sim/downloads') return reply(200, storage.downloads());
    if (method !== 'POST' || path !== '/_sim/documents')
      return reply(404, { message: `No route for ${method} ${path}` });
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return reply(400, { message: 'body is not JSON' });
    }
    const input = PutDocumentSchema.safeParse(parsed);
    if (!input.success) return reply(400, { message: z.prettifyError(input.error) });
    const { content_base64: content, content_type: contentType, expires_in_seconds: expiresInSeconds } = input.data;
    return reply(201, {
      url: storage.put({ body: Buffer.from(content, 'base64'), contentType }, { expiresInSeconds }),
    });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://storage');
      if (url.pathname.startsWith('/_sim/'))
        return handleInspection(req.method ?? 'GET', url.pathname, Buffer.concat(chunks).toString('utf8'), res);
      if (req.method !== 'GET') return void res.writeHead(405).end();
      serveDownload(url.pathname, url.searchParams, res);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const pathOf = (link: string) => new URL(link).pathname;

  const storage: DocumentStorage = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    put: (document, link) => {
      const path = `/${BUCKET}/connect-order/document/${randomUUID()}`;
      documents.set(path, { body: Buffer.from(document.body), contentType: document.contentType ?? 'application/pdf' });
      return signedLink(path, link);
    },
    sign: (link, linkOptions) => signedLink(pathOf(link), linkOptions),
    remove: (link) => void documents.delete(pathOf(link)),
    setClockOffset: (offsetMs) => {
      clockOffsetMs = offsetMs;
    },
    downloads: () => structuredClone(downloads),
    reset: () => {
      documents.clear();
      downloads = [];
      clockOffsetMs = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
  return storage;
}
