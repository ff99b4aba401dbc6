import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOrderActionsHandler } from '../../../functions/order-actions.js';
import { createQueueWithDlq } from '../../../local/aws/servers.js';
import { pollOnce } from '../../../local/lambda/invoke.js';
import { startDocumentStorage, type DocumentStorage } from '../../../local/simulators/document-storage.js';
import { documentEvent } from '../../fixtures/events.js';
import { startImportStack, STORE, type ImportStack } from '../../support/import-stack.js';

const BUCKET = 'import-documents';
/** The return the vendor's UPLOAD_DOCUMENT example attaches its label to. */
const EXAMPLE_RETURN = 'f3eb7305-e629-4087-ae31-6e2d7c199283';

let stack: ImportStack;
let storage: DocumentStorage;
beforeAll(async () => {
  stack = await startImportStack();
  storage = await startDocumentStorage();
  await stack.aws.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(async () => {
  await storage?.close();
  await stack?.stop();
});
beforeEach(async () => {
  await stack.reset();
  storage.reset();
});

/** The import as deployed: the archive bucket set (documents on), and orderSync naming orders to refresh. */
const withDocuments = () => ({ DOCUMENTS_BUCKET: BUCKET, ORDER_REFRESH_QUEUE_URL: stack.refreshQueue.queueUrl });
/**
 * The simulated marketplace stamps each change 1 ms after the last one, which may run ahead of the clock: a run
 * starting before an order's stamp leaves the order to the next run (as it should), so the tests wait for the clock.
 */
const pastEveryStamp = async () => {
  const stamps = [
    ...placed.map((orderId) => stack.mmp.order(orderId)?.last_updated_date),
    ...returned.map((returnId) => stack.mmp.return(returnId)?.last_updated),
  ];
  const latest = Math.max(0, ...stamps.map((stamp) => Date.parse(stamp ?? '')).filter(Number.isFinite));
  while (Date.now() <= latest) await sleep(2);
};
const sync = async (env: Record<string, string> = withDocuments()) => {
  await pastEveryStamp();
  return stack.sync({ env });
};
const refresh = () => stack.refresh(withDocuments());

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const pdf = () => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(20_000)]);
const placed: string[] = [];
const returned: string[] = [];
const place = (orderId: string) => {
  placed.push(orderId);
  return stack.mmp.addOrder({
    order_id: orderId,
    order_state: 'SHIPPED',
    shopId: STORE,
    order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 1 }],
  });
};
const addReturn = (input: { id?: string; order_id: string }) => {
  const added = stack.mmp.addReturn(input);
  returned.push(added.id);
  return added;
};
const inConnect = (orderId: string) => stack.connect.channelDocuments(orderId);
const uploads = () =>
  stack.connect.requests().filter((request) => request.method === 'POST' && request.path.endsWith('/documents'));
const documentListings = () => stack.mmp.requests().filter((request) => request.route === 'OR72');

describe('the import carries the marketplace order documents over to Connect, after the upsert Connect accepted', () => {
  it('uploads a marketplace invoice with the order on the next sync, archived, with the same bytes, and only once', async () => {
    place('DOC-1');
    const body = pdf();
    const invoice = stack.mmp.addDocument('DOC-1', { file_name: 'invoice-0001.pdf', type: 'CUSTOMER_INVOICE', body });

    const runs = await sync();

    expect(runs[STORE]?.orders).toMatchObject({ result: 'complete', imported: 1 });
    expect(inConnect('DOC-1')).toMatchObject([
      {
        origin: { channel_id: '0024', channel_store_id: STORE },
        metadata: { channel_document_id: `mmp-${STORE}-${invoice.id}`, type: 'CUSTOMER_INVOICE' },
        sha256: sha256(body),
        uploads: 1,
      },
    ]);
    expect(uploads().map((request) => request.schemaErrors)).toEqual([[]]);
    const { Contents = [] } = await stack.aws.s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'documents/0024/DOC-1/' }),
    );
    expect(Contents).toHaveLength(1);

    // The document moved the order's last_updated_date: the next run reads the order again (the overlap too), uploads nothing.
    await sync();
    expect(uploads()).toHaveLength(1);
  });

  it('deletes in Connect a document deleted on the marketplace, on the sync after', async () => {
    place('DOC-2');
    const kept = stack.mmp.addDocument('DOC-2', { file_name: 'invoice.pdf', type: 'CUSTOMER_INVOICE', body: pdf() });
    const deleted = stack.mmp.addDocument('DOC-2', {
      file_name: 'delivery.pdf',
      type: 'SYSTEM_DELIVERY_BILL',
      body: pdf(),
    });
    await sync();
    expect(inConnect('DOC-2')).toHaveLength(2);

    expect(stack.mmp.removeDocument(deleted.id)).toBe(true);
    await sync();

    expect(inConnect('DOC-2').map((document) => document.metadata.channel_document_id)).toEqual([
      `mmp-${STORE}-${kept.id}`,
    ]);
    expect(stack.connect.requests().filter((request) => request.method === 'DELETE')).toMatchObject([
      { path: `/api/channel-platform/v1/orders/documents/mmp-${STORE}-${deleted.id}`, status: 204, schemaErrors: [] },
    ]);
  });

  it('uploads a return label tied to its return (RT11 documents[]): in the sync, with the returns', async () => {
    place('DOC-3');
    const found = addReturn({ order_id: 'DOC-3' });
    const label = stack.mmp.addDocument('DOC-3', {
      file_name: 'return-label.pdf',
      type: 'SYSTEM_RETURN_LABEL',
      body: pdf(),
      entity: { id: found.id, type: 'RETURN' },
    });

    const runs = await sync();

    expect(runs[STORE]?.returns).toMatchObject({ imported: 1 });
    expect(inConnect('DOC-3')).toMatchObject([
      {
        metadata: {
          channel_document_id: `mmp-${STORE}-${label.id}`,
          type: 'RETURN_LABEL',
          entity: { id: found.id, type: 'RETURN' },
        },
      },
    ]);
    expect(uploads()).toHaveLength(1);
  });

  it('uploads a return label tied to its return: in a refresh, which reads the order with its returns', async () => {
    place('DOC-4');
    const found = addReturn({ order_id: 'DOC-4' });
    stack.mmp.addDocument('DOC-4', {
      file_name: 'return-label.pdf',
      type: 'SYSTEM_RETURN_LABEL',
      body: pdf(),
      entity: { id: found.id, type: 'RETURN' },
    });
    await stack.aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.refreshQueue.queueUrl,
        MessageBody: JSON.stringify({ channel_order_id: 'DOC-4' }),
      }),
    );

    expect(await refresh()).toEqual({ received: 1, failed: [] });

    expect(inConnect('DOC-4')).toMatchObject([
      { metadata: { type: 'RETURN_LABEL', entity: { id: found.id, type: 'RETURN' } } },
    ]);
  });

  it('never uploads back the document the connector attached for an UPLOAD_DOCUMENT (OR74): no echo', async () => {
    place('DOC-5');
    addReturn({ id: EXAMPLE_RETURN, order_id: 'DOC-5' });
    const events = await createQueueWithDlq(stack.aws.sqs, 'import-documents-events', {
      maxReceiveCount: 3,
      visibilityTimeoutSeconds: 30,
    });
    const label = pdf();
    const event = documentEvent('DOC-5', storage.put({ body: label, contentType: 'application/pdf' }));
    stack.connect.registerAction(event.data.action_id as string);
    await stack.aws.sqs.send(new SendMessageCommand({ QueueUrl: events.queueUrl, MessageBody: JSON.stringify(event) }));
    const orderActions = createOrderActionsHandler({
      ...stack.env,
      DOCUMENTS_BUCKET: BUCKET,
      ORDER_ACTIONS_DLQ_URL: events.dlqUrl,
    });
    expect(
      await pollOnce({
        sqs: stack.aws.sqs,
        queueUrl: events.queueUrl,
        queueArn: events.queueArn,
        handler: orderActions,
        functionName: 'orderActions',
      }),
    ).toEqual({ received: 1, failed: [] });
    expect(stack.mmp.documents('DOC-5')).toMatchObject([{ sha256: sha256(label) }]);
    const invoice = stack.mmp.addDocument('DOC-5', { file_name: 'invoice.pdf', type: 'CUSTOMER_INVOICE', body: pdf() });

    const runs = await sync();

    // The label's return is listed with it (RT11 documents[]), so the label is looked at, and recognised.
    expect(runs[STORE]?.returns).toMatchObject({ imported: 1 });
    expect(inConnect('DOC-5').map((document) => document.metadata.channel_document_id)).toEqual([
      `mmp-${STORE}-${invoice.id}`,
    ]);
    expect(stack.mmp.requests().filter((request) => request.route === 'OR73')).toHaveLength(2);
  });

  it('retries a document whose upload failed transiently through the order-refresh queue, which hands it back while Connect still fails', async () => {
    place('DOC-6');
    const invoice = stack.mmp.addDocument('DOC-6', { file_name: 'invoice.pdf', type: 'CUSTOMER_INVOICE', body: pdf() });
    // orderSync's client tries 6 times, orderRefresh's 4: the first refresh fails too, the next one lands.
    stack.connect.injectFault({ route: 'uploadDocument', status: 503, retryAfterSeconds: 0, times: 10 });

    const runs = await sync();

    expect(runs[STORE]?.orders).toMatchObject({ result: 'complete', imported: 1 });
    expect(inConnect('DOC-6')).toEqual([]);
    expect((await stack.peek(stack.refreshQueue.queueUrl)).map((message) => JSON.parse(message.Body ?? '{}'))).toEqual([
      { channel_order_id: 'DOC-6', channel_store_id: STORE },
    ]);
    await sleep(1_100);

    const handedBack = await refresh();
    expect(handedBack).toMatchObject({ received: 1, failed: [expect.any(String)] });
    expect(inConnect('DOC-6')).toEqual([]);

    let again = await refresh();
    for (let wait = 0; again.received === 0 && wait < 40; wait += 1) {
      await sleep(250);
      again = await refresh();
    }
    expect(again).toEqual({ received: 1, failed: [] });
    expect(inConnect('DOC-6')).toMatchObject([
      { metadata: { channel_document_id: `mmp-${STORE}-${invoice.id}` }, uploads: 1 },
    ]);
    expect(await stack.peek(stack.refreshQueue.dlqUrl)).toEqual([]);
  });

  it('runs without the documents when DOCUMENTS_BUCKET is not set: the orders are imported, no document is listed', async () => {
    place('DOC-7');
    stack.mmp.addDocument('DOC-7', { file_name: 'invoice.pdf', type: 'CUSTOMER_INVOICE', body: pdf() });

    const runs = await sync({});

    expect(runs[STORE]?.orders).toMatchObject({ result: 'complete', imported: 1 });
    expect(documentListings()).toEqual([]);
    expect(inConnect('DOC-7')).toEqual([]);
  });
});
