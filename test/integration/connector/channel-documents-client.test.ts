import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ChannelDocumentNotAccepted,
  createChannelDocumentsClient,
  createTokenProvider,
  type ChannelDocumentsClient,
  type ChannelDocumentUpload,
} from '../../../lib/connect/index.js';
import { createHttpClient, HttpError, multipartBody } from '../../../lib/http/index.js';
import { literalSecret } from '../../../lib/secrets.js';
import { startConnectSimulator, type ConnectSimulator } from '../../../local/simulators/connect.js';
import { connectToken } from '../../support/connect-token.js';
import { sha256, pdfBytes } from '../../support/bytes.js';

const dir = mkdtempSync(join(tmpdir(), 'channel-documents-'));
const ORIGIN = { channel_id: '0024', channel_store_id: 'store-1' };
const RETURN_ID = 'caf30673-ea3d-4113-9a18-674850f6a290';
const pdf = pdfBytes;

let files = 0;
const fileOf = (body: Buffer, contentType = 'application/pdf') => {
  const path = join(dir, `file-${(files += 1)}`);
  writeFileSync(path, body);
  return { path, size: body.length, contentType };
};

const returnLabel = (body: Buffer, id = 'mmp-shop-1-2025'): ChannelDocumentUpload => ({
  channelOrderId: 'MKP-1-A',
  origin: { ...ORIGIN, sub_channel_code: 'FR' },
  metadata: {
    channel_document_id: id,
    filename: '中国邮政_774602727890.pdf',
    type: 'RETURN_LABEL',
    entity: { id: RETURN_ID, type: 'RETURN' },
  },
  file: fileOf(body),
});

let connect: ConnectSimulator;
const clientOf = (maxAttempts = 3): ChannelDocumentsClient => {
  const send = createHttpClient({ maxAttempts, baseDelayMs: 1, maxDelayMs: 5 });
  const tokens = createTokenProvider({
    authUrl: connect.authUrl,
    clientId: 'local-client',
    clientSecret: literalSecret('local-secret'),
    send,
  });
  return createChannelDocumentsClient({ apiUrl: connect.apiUrl, tokens, send });
};
const uploads = () =>
  connect.requests().filter((request) => request.path.endsWith('/documents') && request.method === 'POST');

beforeAll(async () => {
  connect = await startConnectSimulator();
});
afterAll(() => connect.close());
beforeEach(() => connect.reset());

describe('uploadOrderDocument', () => {
  it('streams the file with its metadata and origin as JSON parts; Connect holds the same bytes under the channel document id', async () => {
    const body = pdf(300_000);
    await clientOf().upload(returnLabel(body));

    const [held, ...others] = connect.channelDocuments('MKP-1-A');
    expect(others).toEqual([]);
    expect(held).toMatchObject({
      channelOrderId: 'MKP-1-A',
      origin: { ...ORIGIN, sub_channel_code: 'FR' },
      metadata: {
        channel_document_id: 'mmp-shop-1-2025',
        filename: '中国邮政_774602727890.pdf',
        type: 'RETURN_LABEL',
        entity: { id: RETURN_ID, type: 'RETURN' },
      },
      part: { contentType: 'application/pdf' },
      size: body.length,
      sha256: sha256(body),
      uploads: 1,
    });
    expect(held?.part.filename).toMatch(/^[\x20-\x7e]+\.pdf$/);
    expect(uploads().map((request) => [request.status, request.schemaErrors])).toEqual([[204, []]]);
    const listed = (await (await fetch(`${connect.url}/_sim/documents?channel_order_id=MKP-1-A`)).json()) as Array<{
      sha256: string;
    }>;
    expect(listed.map((document) => document.sha256)).toEqual([sha256(body)]);
  });

  it('refuses files Connect does not take before any call: another format, or more than 10 MB', async () => {
    const client = clientOf();
    const docx = {
      ...returnLabel(pdf(1000)),
      metadata: { channel_document_id: 'doc-1', filename: 'invoice.docx', type: 'CUSTOMER_INVOICE' as const },
    };
    await expect(client.upload(docx)).rejects.toThrow(ChannelDocumentNotAccepted);
    await expect(client.upload(docx)).rejects.toThrow(
      /doc-1 of order MKP-1-A: Connect takes PDF, JPEG, PNG and CSV files only, not \.docx/,
    );
    const large = returnLabel(pdf(10 * 1024 * 1024 + 1));
    await expect(client.upload(large)).rejects.toThrow(/10485761 bytes is more than Connect's 10485760 bytes/);
    expect(connect.requests()).toEqual([]);
  });

  it('renews the token once on 401', async () => {
    const client = clientOf();
    await client.upload(returnLabel(pdf(1000)));
    connect.injectFault({ route: 'uploadDocument', status: 401, times: 1 });
    await client.upload(returnLabel(pdf(2000)));
    expect(uploads().map((request) => request.status)).toEqual([204, 401, 204]);
    expect(connect.tokensIssued).toBe(2);
    connect.injectFault({ route: 'uploadDocument', status: 401, times: 2 });
    await expect(client.upload(returnLabel(pdf(2000)))).rejects.toMatchObject({ status: 401 });
  });

  it('retries 429 and 5xx (transient), and throws them as transient when the attempts are spent', async () => {
    connect.injectFault({ route: 'uploadDocument', status: 429, times: 1, retryAfterSeconds: 0 });
    connect.injectFault({ route: 'uploadDocument', status: 503, times: 1 });
    await clientOf().upload(returnLabel(pdf(1000)));
    expect(uploads().map((request) => request.status)).toEqual([429, 503, 204]);

    connect.injectFault({ route: 'uploadDocument', status: 503, times: 1 });
    const error = await clientOf(1)
      .upload(returnLabel(pdf(1000)))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).transient).toBe(true);
  });

  it('repeats an upload whose response was lost: Connect ends with one document, whether it replaces or refuses the repeat', async () => {
    const body = pdf(50_000);
    connect.injectFault({ route: 'uploadDocument', times: 1, dropConnectionAfterApplying: true });
    await clientOf().upload(returnLabel(body));
    expect(connect.channelDocuments()).toMatchObject([{ sha256: sha256(body), uploads: 2 }]);

    connect.reset();
    connect.setReuploads('refuse');
    connect.injectFault({ route: 'uploadDocument', times: 1, dropConnectionAfterApplying: true });
    await clientOf().upload(returnLabel(body));
    expect(uploads().map((request) => request.status)).toEqual([204, 400]);
    expect(connect.channelDocuments()).toMatchObject([{ sha256: sha256(body), uploads: 1 }]);

    // Without an earlier attempt that may have landed, the same refusal is an error.
    await expect(clientOf().upload(returnLabel(body))).rejects.toMatchObject({ status: 400 });
  });
});

describe('deleteOrderDocument', () => {
  it('sends its JSON body {origin}; a second delete finds the document already gone', async () => {
    const client = clientOf();
    await client.upload(returnLabel(pdf(1000)));
    expect(await client.remove('mmp-shop-1-2025', ORIGIN)).toBe('deleted');
    expect(connect.channelDocuments()).toEqual([]);
    expect(await client.remove('mmp-shop-1-2025', ORIGIN)).toBe('already-gone');
    const deletes = connect.requests().filter((request) => request.method === 'DELETE');
    expect(deletes.map((request) => [request.path, request.status, request.body, request.schemaErrors])).toEqual([
      ['/api/channel-platform/v1/orders/documents/mmp-shop-1-2025', 204, { origin: ORIGIN }, []],
      ['/api/channel-platform/v1/orders/documents/mmp-shop-1-2025', 404, { origin: ORIGIN }, []],
    ]);
  });

  it('renews the token once on 401, retries a 503', async () => {
    const client = clientOf();
    await client.upload(returnLabel(pdf(1000)));
    connect.injectFault({ route: 'deleteDocument', status: 401, times: 1 });
    connect.injectFault({ route: 'deleteDocument', status: 503, times: 1 });
    expect(await client.remove('mmp-shop-1-2025', ORIGIN)).toBe('deleted');
    expect(
      connect
        .requests()
        .filter((request) => request.method === 'DELETE')
        .map((request) => request.status),
    ).toEqual([401, 503, 204]);
  });
});

describe('the simulated Connect refuses wrong bodies (checked against the spec)', () => {
  let token: string;
  beforeEach(async () => {
    token = await connectToken(connect.authUrl);
  });

  const post = async (parts: Parameters<typeof multipartBody>[0]) => {
    const body = multipartBody(parts);
    const chunks: Buffer[] = [];
    for await (const chunk of body.stream()) chunks.push(chunk as Buffer);
    const response = await fetch(`${connect.apiUrl}/v1/orders/MKP-1-A/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': body.contentType },
      body: Buffer.concat(chunks),
    });
    return {
      status: response.status,
      body: (response.status === 204 ? undefined : await response.json()) as { code: string; message: string },
    };
  };
  const metadata = { channel_document_id: 'doc-1', filename: 'invoice.pdf', type: 'CUSTOMER_INVOICE' };
  const filePart = (body: Buffer) => ({
    name: 'file',
    filename: 'invoice.pdf',
    contentType: 'application/pdf',
    file: fileOf(body),
  });
  const json = (name: string, value: unknown, contentType: string | null = 'application/json') => ({
    name,
    value: JSON.stringify(value),
    ...(contentType && { contentType }),
  });

  it('takes the right body, so the refusals below are about what they change', async () => {
    expect((await post([filePart(pdf(100)), json('metadata', metadata), json('origin', ORIGIN)])).status).toBe(204);
  });

  it('refuses JSON parts without Content-Type: application/json', async () => {
    const answer = await post([filePart(pdf(100)), json('metadata', metadata, null), json('origin', ORIGIN)]);
    expect(answer).toEqual({
      status: 400,
      body: {
        code: 'INVALID_INPUT',
        message: 'Invalid document upload: /metadata part must have Content-Type: application/json',
      },
    });
  });

  it('refuses metadata and origin that break the spec, and a missing part', async () => {
    const answer = await post([
      filePart(pdf(100)),
      json('metadata', { ...metadata, filename: '', type: 'INVOICE' }),
      json('origin', { channel_id: 24 }),
    ]);
    expect(answer.status).toBe(400);
    for (const problem of [
      '/metadata/filename must NOT have fewer than 1 characters',
      '/metadata/type must be equal to one of the allowed values',
      '/origin/channel_id must be string',
      '/origin/channel_store_id must have required property',
    ]) {
      expect(answer.body.message).toContain(problem);
    }
    expect((await post([json('metadata', metadata), json('origin', ORIGIN)])).body.message).toContain(
      '/file is required',
    );
  });

  it('refuses a file that is not what its name says, and a format Connect does not take', async () => {
    expect(
      (await post([filePart(randomBytes(100)), json('metadata', metadata), json('origin', ORIGIN)])).body.message,
    ).toContain('/file is not a PDF file');
    const docx = await post([
      filePart(pdf(100)),
      json('metadata', { ...metadata, filename: 'invoice.docx' }),
      json('origin', ORIGIN),
    ]);
    expect(docx.body.message).toContain('.docx is not a supported format');
  });

  it('refuses a DELETE without its JSON body, or with a body that breaks the spec', async () => {
    await clientOf().upload(returnLabel(pdf(1000)));
    const url = `${connect.apiUrl}/v1/orders/documents/mmp-shop-1-2025`;
    const withoutBody = await fetch(url, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect([withoutBody.status, await withoutBody.json()]).toEqual([
      400,
      { code: 'INVALID_INPUT', message: 'Invalid document deletion: the JSON body {origin} is required' },
    ]);
    const wrong = await fetch(url, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel_id: '0024' }),
    });
    expect([wrong.status, ((await wrong.json()) as { message: string }).message]).toEqual([
      400,
      "Invalid document deletion: /origin must have required property 'origin'",
    ]);
    expect(connect.channelDocuments()).toHaveLength(1);
  });
});
