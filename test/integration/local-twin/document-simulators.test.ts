import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDocumentStorage, type DocumentStorage } from '../../../local/simulators/document-storage.js';
import { startMmpSimulator, type MmpSimulator } from '../../../local/simulators/mmp.js';
import { sha256 } from '../../support/bytes.js';

describe('document storage (Connect presigned links)', () => {
  let storage: DocumentStorage;
  beforeAll(async () => {
    storage = await startDocumentStorage();
  });
  afterAll(() => storage.close());
  beforeEach(() => storage.reset());

  it('serves a document through a Cloud Storage V4-style link', async () => {
    const body = randomBytes(5000);
    const link = storage.put({ body, contentType: 'application/pdf' });

    const response = await fetch(link);

    expect(new URL(link).searchParams.get('X-Goog-Expires')).toBe('900');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe(sha256(body));
  });

  it('refuses an expired link (400 ExpiredToken), a tampered one (403) and a deleted document (404), in XML', async () => {
    const expired = storage.put(
      { body: randomBytes(10) },
      { expiresInSeconds: 60, signedAt: new Date(Date.now() - 120_000) },
    );
    const live = storage.put({ body: randomBytes(10) });
    const tampered = live.replace('X-Goog-Expires=900', 'X-Goog-Expires=9000');
    const deleted = storage.put({ body: randomBytes(10) });
    storage.remove(deleted);

    const answers = await Promise.all(
      [expired, tampered, deleted].map(async (link) => {
        const response = await fetch(link);
        return `${response.status} ${/<Code>(\w+)<\/Code>/.exec(await response.text())?.[1]}`;
      }),
    );

    expect(answers).toEqual(['400 ExpiredToken', '403 SignatureDoesNotMatch', '404 NoSuchKey']);
    expect(storage.downloads().map((download) => download.code)).toEqual([
      'ExpiredToken',
      'SignatureDoesNotMatch',
      'NoSuchKey',
    ]);
  });

  it('checks expiries with its own clock', async () => {
    const link = storage.put({ body: randomBytes(10) });
    storage.setClockOffset(3_600_000);

    expect((await fetch(link)).status).toBe(400);
  });

  it('takes documents over HTTP, for runs by hand', async () => {
    const response = await fetch(`${storage.url}/_sim/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        content_base64: Buffer.from('hello').toString('base64'),
        content_type: 'text/plain',
        expires_in_seconds: 60,
      }),
    });
    const { url } = (await response.json()) as { url: string };

    expect(response.status).toBe(201);
    expect(await (await fetch(url)).text()).toBe('hello');
  });
});

describe('MMP simulator: order documents (OR72, OR74)', () => {
  let mmp: MmpSimulator;
  beforeAll(async () => {
    mmp = await startMmpSimulator();
  });
  afterAll(() => mmp.close());
  beforeEach(() => {
    mmp.reset();
    mmp.addOrder({
      order_id: 'DOC-1',
      order_state: 'SHIPPED',
      order_lines: [{ order_line_id: 'DOC-1-1', offer_sku: 'SKU-1', quantity: 1 }],
    });
  });

  const upload = (files: Array<{ name: string; body?: Uint8Array }>, orderDocuments: unknown, orderId = 'DOC-1') => {
    const form = new FormData();
    for (const file of files)
      form.append('files', new Blob([file.body ?? randomBytes(100)], { type: 'application/pdf' }), file.name);
    form.append('order_documents', new Blob([JSON.stringify(orderDocuments)], { type: 'application/json' }));
    return fetch(`${mmp.url}/api/orders/${orderId}/documents`, {
      method: 'POST',
      headers: { authorization: 'local-mmp-key' },
      body: form,
    });
  };
  const described = (fileName: string, typeCode = 'CUSTOMER_INVOICE') => ({
    order_documents: [{ file_name: fileName, type_code: typeCode }],
  });
  const listed = async () => {
    const response = await fetch(`${mmp.url}/api/orders/documents?order_ids=DOC-1`, {
      headers: { authorization: 'local-mmp-key' },
    });
    return (
      (await response.json()) as { order_documents: Array<{ file_name: string; file_size: number; type: string }> }
    ).order_documents;
  };

  it('OR74 attaches a file, and OR72 lists it as the spec describes', async () => {
    const body = randomBytes(2048);
    const response = await upload([{ name: 'invoice.pdf', body }], described('invoice.pdf'));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ errors_count: 0, order_documents: [] });
    expect(await listed()).toEqual([
      expect.objectContaining({
        file_name: 'invoice.pdf',
        file_size: 2048,
        type: 'CUSTOMER_INVOICE',
        order_id: 'DOC-1',
      }),
    ]);
    expect(mmp.documents('DOC-1')[0]?.sha256).toBe(sha256(body));
  });

  it('answers 200 with the refused files: non-ASCII name, extension, unknown type, name already on the order', async () => {
    await upload([{ name: 'taken.pdf' }], described('taken.pdf'));

    const refusals = await Promise.all([
      upload([{ name: '汉字.pdf' }], described('汉字.pdf')),
      upload([{ name: 'tool.exe' }], described('tool.exe')),
      upload([{ name: 'label.pdf' }], described('label.pdf', 'RETURN_LABEL')),
      upload([{ name: 'taken.pdf' }], described('taken.pdf')),
    ]);

    const bodies = (await Promise.all(refusals.map((response) => response.json()))) as Array<{
      errors_count: number;
      order_documents: Array<{ errors: Array<{ code: string }> }>;
    }>;
    expect(refusals.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    expect(
      bodies.map((body) => [body.errors_count, body.order_documents[0]?.errors.map((error) => error.code)]),
    ).toEqual([
      [1, ['valid_order_document.file_name']],
      [1, ['valid_order_document.extension']],
      [1, ['valid_order_document.type']],
      [1, ['valid_order_document.file_name']],
    ]);
    expect((await listed()).map((document) => document.file_name)).toEqual(['taken.pdf']);
  });

  it('holds at most 50 documents per order', async () => {
    for (let index = 0; index < 50; index += 1)
      mmp.addDocument('DOC-1', { file_name: `doc-${index}.pdf`, type: 'CUSTOMER_INVOICE', body: randomBytes(10) });

    const response = await upload([{ name: 'one-more.pdf' }], described('one-more.pdf'));

    expect(await response.json()).toMatchObject({
      errors_count: 1,
      order_documents: [{ errors: [{ code: 'valid_order_document.max_documents' }] }],
    });
  });

  it('answers 400 for an order_documents part that breaks the spec, or files without a description', async () => {
    const statuses = await Promise.all([
      upload([{ name: 'a.pdf' }], { order_documents: [{ file_name: 'a.pdf' }] }),
      upload([{ name: 'a.pdf' }], {
        order_documents: [{ file_name: 'a.pdf', type_code: 'CUSTOMER_INVOICE', entity: { id: 'R1', type: 'ORDER' } }],
      }),
      upload([{ name: 'a.pdf' }, { name: 'a.pdf' }], described('a.pdf')),
      upload([{ name: 'b.pdf' }], described('a.pdf')),
    ]).then((responses) => responses.map((response) => response.status));

    expect(statuses).toEqual([400, 400, 400, 400]);
  });

  it('answers 404 on an order the shop does not have', async () => {
    expect((await upload([{ name: 'a.pdf' }], described('a.pdf'), 'NOPE')).status).toBe(404);
  });
});
