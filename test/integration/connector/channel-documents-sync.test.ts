import { randomBytes } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readChannelDocumentsConfig } from '../../../lib/config/index.js';
import { createHttpClient, withDeadline } from '../../../lib/http/index.js';
import { channelDocumentSyncFromConfig, type OrderToSync } from '../../../lib/import/documents/index.js';
import { orderDocumentsItemId } from '../../../lib/ledger/index.js';
import { startDocumentStorage, type DocumentStorage } from '../../../local/simulators/document-storage.js';
import { documentEvent } from '../../fixtures/events.js';
import { logger } from '../../../lib/observability.js';
import { captureOutput } from '../../support/output-capture.js';
import { startTestStack, type TestStack } from '../../support/stack.js';
import { sha256, pdfBytes } from '../../support/bytes.js';

const ORIGIN = { channel_id: '0024', channel_store_id: '2005' };
const MB = 1024 * 1024;
const pdf = (size = 20_000) => pdfBytes(size);
const png = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(5000)]);
const jpg = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(5000)]);
const csv = () => Buffer.from(`sku;quantity\n${randomBytes(8).toString('hex')};1\n`);

let stack: TestStack;
let storage: DocumentStorage;
beforeAll(async () => {
  stack = await startTestStack();
  storage = await startDocumentStorage();
});
afterAll(async () => {
  await storage?.close();
  await stack?.stop();
});
beforeEach(() => {
  stack.connect.reset();
  stack.mmp.reset();
  storage.reset();
});

let orders = 0;
const newOrder = () => {
  const orderId = `CD-${(orders += 1)}-${Date.now().toString(36)}`;
  stack.mmp.addOrder({
    order_id: orderId,
    order_state: 'SHIPPED',
    order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 1 }],
  });
  return orderId;
};
/** A new container of the importing function: its own caches, the same state table and archive. */
const sync = (orders: OrderToSync[], options: { env?: Record<string, string>; maxAttempts?: number } = {}) =>
  channelDocumentSyncFromConfig(
    readChannelDocumentsConfig({ ...stack.env, ...options.env }),
    createHttpClient({ maxAttempts: options.maxAttempts ?? 3, baseDelayMs: 1, maxDelayMs: 5 }),
  ).syncOrderDocuments({ origin: ORIGIN, orders });
const mmpCalls = () => stack.mmp.requests().map((request) => request.route);
const inConnect = (orderId: string) =>
  stack.connect
    .channelDocuments(orderId)
    .sort((a, b) =>
      a.metadata.channel_document_id.localeCompare(b.metadata.channel_document_id, 'en', { numeric: true }),
    );
const archived = async (orderId: string) => {
  const { Contents = [] } = await stack.aws.s3.send(
    new ListObjectsV2Command({ Bucket: stack.bucket, Prefix: `documents/0024/${orderId}/` }),
  );
  return Promise.all(
    Contents.map(async (object) => ({
      key: object.Key as string,
      metadata: (await stack.aws.s3.send(new HeadObjectCommand({ Bucket: stack.bucket, Key: object.Key }))).Metadata,
    })),
  );
};
const counts = { uploaded: 0, deleted: 0, skipped: 0, echoes: 0, awaitingReturn: 0, unchanged: 0, failures: [] };

describe('the marketplace order documents in Connect', () => {
  it('uploads each supported document once, with the same bytes, the mapped type and a stable id, and archives it', async () => {
    const orderId = newOrder();
    const returnId = 'f3eb7305-e629-4087-ae31-6e2d7c199283';
    const files = {
      invoice: { file_name: 'invoice-2026-0001.pdf', type: 'CUSTOMER_INVOICE', body: pdf() },
      b2bInvoice: { file_name: 'facture-pro.pdf', type: 'B2B_INVOICE', body: pdf() },
      deliveryBill: { file_name: 'delivery.png', type: 'SYSTEM_DELIVERY_BILL', body: png() },
      shipmentBill: { file_name: 'shipment-1.csv', type: 'SYSTEM_SHIPMENT_DELIVERY_BILL', body: csv() },
      returnLabel: {
        file_name: 'return-label.pdf',
        type: 'SYSTEM_RETURN_LABEL',
        body: pdf(),
        entity: { id: returnId, type: 'RETURN' as const },
      },
      careGuide: { file_name: 'care.jpg', type: 'CARE_GUIDE', body: jpg() },
    };
    const added = Object.fromEntries(
      Object.entries(files).map(([name, file]) => [name, stack.mmp.addDocument(orderId, file)]),
    );
    const id = (name: string) => String(added[name]?.id);
    const order = {
      channelOrderId: orderId,
      subChannelCode: 'FR',
      returnDocuments: new Map([[id('returnLabel'), returnId]]),
    };

    expect(await sync([order])).toEqual({ ...counts, uploaded: 6 });

    const expected = Object.entries(files).map(([name, file]) => ({
      channelOrderId: orderId,
      origin: { ...ORIGIN, sub_channel_code: 'FR' },
      metadata: {
        channel_document_id: `mmp-2005-${id(name)}`,
        filename: file.file_name,
        ...{
          invoice: { type: 'CUSTOMER_INVOICE' },
          b2bInvoice: { type: 'CUSTOMER_INVOICE' },
          deliveryBill: { type: 'DELIVERY_SLIP' },
          shipmentBill: { type: 'SHIPMENT_DELIVERY_SLIP' },
          returnLabel: { type: 'RETURN_LABEL', entity: { id: returnId, type: 'RETURN' } },
          careGuide: { type: 'CHANNEL_SPECIFIC', channel_type: 'CARE_GUIDE' },
        }[name],
      },
      size: file.body.length,
      sha256: sha256(file.body),
      uploads: 1,
    }));
    expect(inConnect(orderId)).toMatchObject(expected);
    expect(inConnect(orderId).map((document) => document.part.contentType)).toEqual([
      'application/pdf',
      'application/pdf',
      'image/png',
      'text/csv',
      'application/pdf',
      'image/jpeg',
    ]);
    expect(stack.connect.channelDocumentFile(`mmp-2005-${id('careGuide')}`)).toEqual(files.careGuide.body);
    expect(
      stack.connect.requests().filter((request) => request.status >= 300 || request.schemaErrors.length > 0),
    ).toEqual([]);

    const objects = await archived(orderId);
    expect(objects.map((object) => object.key).sort()).toEqual(
      Object.values(files)
        .map((file) => `documents/0024/${orderId}/${file.type}/${file.file_name}`)
        .sort(),
    );
    const invoiceObject = objects.find((object) => object.key.endsWith('invoice-2026-0001.pdf'));
    expect(invoiceObject?.metadata).toMatchObject({
      source: 'marketplace',
      'document-id': id('invoice'),
      'document-type': 'CUSTOMER_INVOICE',
      sha256: sha256(files.invoice.body),
    });
    expect(mmpCalls().sort()).toEqual(['DO01', 'OR72', ...Array(6).fill('OR73')].sort());
  });

  it('does nothing on the next runs: no download, no upload, the same ids', async () => {
    const orderId = newOrder();
    const invoice = stack.mmp.addDocument(orderId, { file_name: 'invoice.pdf', type: 'CUSTOMER_INVOICE', body: pdf() });
    expect(await sync([{ channelOrderId: orderId }])).toEqual({ ...counts, uploaded: 1 });
    const before = stack.mmp.requests().length;

    expect(await sync([{ channelOrderId: orderId }])).toEqual({ ...counts, unchanged: 1 });
    expect(await sync([{ channelOrderId: orderId }])).toEqual({ ...counts, unchanged: 1 });
    expect(
      stack.mmp
        .requests()
        .slice(before)
        .map((request) => request.route),
    ).toEqual(['OR72', 'OR72']);
    expect(inConnect(orderId)).toMatchObject([
      { metadata: { channel_document_id: `mmp-2005-${invoice.id}` }, uploads: 1 },
    ]);
  });

  it('archives but does not upload what Connect does not take, warning once with the document and why', async () => {
    const orderId = newOrder();
    const docx = stack.mmp.addDocument(orderId, {
      file_name: 'invoice.doc',
      type: 'CUSTOMER_INVOICE',
      body: randomBytes(3000),
    });
    const large = stack.mmp.addDocument(orderId, {
      file_name: 'catalogue.pdf',
      type: 'CARE_GUIDE',
      body: pdf(10 * MB + 1),
    });
    const warnings = async (run: () => Promise<unknown>) => {
      logger.setLogLevel('WARN');
      const output = captureOutput();
      try {
        return { result: await run(), lines: output.json().filter((line) => line.level === 'WARN') };
      } finally {
        output.stop();
        logger.setLogLevel('SILENT');
      }
    };
    const first = await warnings(() => sync([{ channelOrderId: orderId }]));
    expect(first.result).toEqual({ ...counts, skipped: 2 });
    expect(inConnect(orderId)).toEqual([]);
    expect((await archived(orderId)).map((object) => object.key).sort()).toEqual([
      `documents/0024/${orderId}/CARE_GUIDE/catalogue.pdf`,
      `documents/0024/${orderId}/CUSTOMER_INVOICE/invoice.doc`,
    ]);
    expect(first.lines).toEqual([
      expect.objectContaining({
        message:
          'Marketplace document invoice.doc not uploaded to Connect: Connect takes PDF, JPEG, PNG and CSV files only, not .doc (archived)',
        document_id: String(docx.id),
        channel_order_id: orderId,
      }),
      expect.objectContaining({
        message: `Marketplace document catalogue.pdf not uploaded to Connect: ${10 * MB + 1} bytes is more than Connect's ${10 * MB} bytes (10 MB) (archived)`,
        document_id: String(large.id),
      }),
    ]);

    expect(await warnings(() => sync([{ channelOrderId: orderId }]))).toEqual({
      result: { ...counts, unchanged: 2 },
      lines: [],
    });
  });

  it('neither downloads nor archives a document larger than the archive takes (DOCUMENT_ARCHIVE_MAX_BYTES)', async () => {
    const orderId = newOrder();
    stack.mmp.addDocument(orderId, { file_name: 'video.pdf', type: 'CARE_GUIDE', body: pdf(60_000) });
    expect(await sync([{ channelOrderId: orderId }], { env: { DOCUMENT_ARCHIVE_MAX_BYTES: '50000' } })).toEqual({
      ...counts,
      skipped: 1,
    });
    expect(mmpCalls()).not.toContain('OR73');
    expect(await archived(orderId)).toEqual([]);
    expect(inConnect(orderId)).toEqual([]);
  });

  it('deletes in Connect a document deleted on the marketplace, with the origin in the DELETE body', async () => {
    const orderId = newOrder();
    const kept = stack.mmp.addDocument(orderId, { file_name: 'invoice.pdf', type: 'CUSTOMER_INVOICE', body: pdf() });
    const deleted = stack.mmp.addDocument(orderId, {
      file_name: 'delivery.pdf',
      type: 'SYSTEM_DELIVERY_BILL',
      body: pdf(),
    });
    await sync([{ channelOrderId: orderId, subChannelCode: 'FR' }]);
    expect(inConnect(orderId)).toHaveLength(2);

    expect(stack.mmp.removeDocument(deleted.id)).toBe(true);
    expect(await sync([{ channelOrderId: orderId, subChannelCode: 'FR' }])).toEqual({
      ...counts,
      deleted: 1,
      unchanged: 1,
    });
    expect(inConnect(orderId).map((document) => document.metadata.channel_document_id)).toEqual([
      `mmp-2005-${kept.id}`,
    ]);
    const deletes = stack.connect.requests().filter((request) => request.method === 'DELETE');
    expect(deletes).toMatchObject([
      {
        path: `/api/channel-platform/v1/orders/documents/mmp-2005-${deleted.id}`,
        status: 204,
        body: { origin: { ...ORIGIN, sub_channel_code: 'FR' } },
        schemaErrors: [],
      },
    ]);

    expect(await sync([{ channelOrderId: orderId }])).toEqual({ ...counts, unchanged: 1 });
  });

  it('never uploads back the document the connector attached for an UPLOAD_DOCUMENT (no echo)', async () => {
    const orderId = newOrder();
    const label = pdf(50_000);
    const event = documentEvent(orderId, storage.put({ body: label, contentType: 'application/pdf' }));
    await stack.connect.publish(event);
    await stack.drain();
    const [attached] = stack.mmp.documents(orderId);
    expect(attached?.sha256).toBe(sha256(label));
    const { Item } = await stack.aws.dynamodb.send(
      new GetItemCommand({
        TableName: stack.env.IDEMPOTENCY_TABLE,
        Key: { id: { S: orderDocumentsItemId('2005', orderId) } },
      }),
    );
    expect(Item?.attached?.SS).toEqual([sha256(label)]);
    const invoice = stack.mmp.addDocument(orderId, { file_name: 'invoice.pdf', type: 'CUSTOMER_INVOICE', body: pdf() });

    const order = {
      channelOrderId: orderId,
      returnDocuments: new Map([[String(attached?.id), 'f3eb7305-e629-4087-ae31-6e2d7c199283']]),
    };
    expect(await sync([order])).toEqual({ ...counts, uploaded: 1, echoes: 1 });
    expect(inConnect(orderId).map((document) => document.metadata.channel_document_id)).toEqual([
      `mmp-2005-${invoice.id}`,
    ]);
    expect(await sync([order])).toEqual({ ...counts, unchanged: 2 });
    expect(inConnect(orderId)).toHaveLength(1);
  });

  it('leaves a return label until the import names its return, then uploads it tied to the return', async () => {
    const orderId = newOrder();
    const label = stack.mmp.addDocument(orderId, { file_name: 'label.pdf', type: 'SYSTEM_RETURN_LABEL', body: pdf() });
    expect(await sync([{ channelOrderId: orderId }])).toEqual({ ...counts, awaitingReturn: 1 });
    expect(mmpCalls()).toEqual(['OR72']);
    const returnId = '0a4a2c55-7d4c-4c38-9a0b-5d4c4a2c5507';
    expect(await sync([{ channelOrderId: orderId, returnDocuments: new Map([[String(label.id), returnId]]) }])).toEqual(
      { ...counts, uploaded: 1 },
    );
    expect(inConnect(orderId)).toMatchObject([
      { metadata: { type: 'RETURN_LABEL', entity: { id: returnId, type: 'RETURN' } } },
    ]);
  });

  it('repeats an upload whose response was lost, within the run and on a later run, ending with one document', async () => {
    const orderId = newOrder();
    const body = pdf();
    stack.mmp.addDocument(orderId, { file_name: 'invoice.pdf', type: 'CUSTOMER_INVOICE', body });
    stack.connect.injectFault({ route: 'uploadDocument', times: 1, dropConnectionAfterApplying: true });
    expect(await sync([{ channelOrderId: orderId }])).toEqual({ ...counts, uploaded: 1 });
    expect(inConnect(orderId)).toMatchObject([{ sha256: sha256(body), uploads: 2 }]);

    // A run whose only attempt loses the answer leaves the document for the next run, where Connect refuses the repeat.
    const other = newOrder();
    stack.mmp.addDocument(other, { file_name: 'invoice.pdf', type: 'CUSTOMER_INVOICE', body });
    stack.connect.injectFault({ route: 'uploadDocument', times: 1, dropConnectionAfterApplying: true });
    const lost = await sync([{ channelOrderId: other }], { maxAttempts: 1 });
    expect(lost.failures).toMatchObject([{ channelOrderId: other, transient: true }]);
    stack.connect.setReuploads('refuse');
    expect(await sync([{ channelOrderId: other }])).toEqual({ ...counts, uploaded: 1 });
    expect(inConnect(other)).toMatchObject([{ sha256: sha256(body), uploads: 1 }]);
    expect(await sync([{ channelOrderId: other }])).toEqual({ ...counts, unchanged: 1 });
  });

  it('goes on with the other documents when Connect refuses one, and uploads it on the next run', async () => {
    const orderId = newOrder();
    stack.mmp.addDocument(orderId, { file_name: 'a.pdf', type: 'CUSTOMER_INVOICE', body: pdf() });
    stack.mmp.addDocument(orderId, { file_name: 'b.pdf', type: 'CUSTOMER_INVOICE', body: pdf() });
    stack.connect.injectFault({ route: 'uploadDocument', status: 400, times: 1 });
    const first = await sync([{ channelOrderId: orderId }]);
    expect(first).toMatchObject({
      uploaded: 1,
      failures: [
        {
          channelOrderId: orderId,
          transient: false,
          reason: expect.stringContaining('Connect uploadOrderDocument answered 400'),
        },
      ],
    });
    expect(await sync([{ channelOrderId: orderId }])).toEqual({ ...counts, uploaded: 1, unchanged: 1 });
    expect(inConnect(orderId)).toHaveLength(2);
  });

  it("does not start a document with too little of the function's time left: it is returned, for the next run", async () => {
    const orderId = newOrder();
    stack.mmp.addDocument(orderId, { file_name: 'invoice.pdf', type: 'CUSTOMER_INVOICE', body: pdf() });
    const late = await withDeadline(Date.now() + 14_000, () => sync([{ channelOrderId: orderId }]));
    expect(late.failures).toMatchObject([
      {
        channelOrderId: orderId,
        transient: true,
        reason: expect.stringContaining("left before the function's deadline"),
      },
    ]);
    expect(mmpCalls()).not.toContain('OR73');
    expect(await sync([{ channelOrderId: orderId }])).toEqual({ ...counts, uploaded: 1 });
  });

  it('lists the documents of 100 orders a call (OR72), and takes the invoice types from configuration when set', async () => {
    const many = Array.from({ length: 101 }, () => newOrder());
    const last = many[100] as string;
    stack.mmp.addDocument(last, { file_name: 'facture.pdf', type: 'B2B_INVOICE', body: pdf() });
    const result = await sync(
      many.map((channelOrderId) => ({ channelOrderId })),
      { env: { MMP_INVOICE_DOCUMENT_TYPES: '["CUSTOMER_INVOICE"]' } },
    );
    expect(result).toEqual({ ...counts, uploaded: 1 });
    const listings = stack.mmp.requests().filter((request) => request.route === 'OR72');
    expect(listings.map((request) => request.query.order_ids?.split(',').length)).toEqual([100, 1]);
    expect(mmpCalls()).not.toContain('DO01');
    expect(inConnect(last)).toMatchObject([{ metadata: { type: 'CHANNEL_SPECIFIC', channel_type: 'B2B_INVOICE' } }]);
  });
});
