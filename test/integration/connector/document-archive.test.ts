import { randomBytes } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { PurgeQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDocumentArchiveHandler } from '../../../functions/document-archive.js';
import { asciiFileName } from '../../../lib/file-names.js';
import { createQueueWithDlq, type QueuePair } from '../../../local/aws/servers.js';
import { pollOnce, type SqsHandler } from '../../../local/lambda/invoke.js';
import { peekMessages, startTestStack, type TestStack } from '../../support/stack.js';
import { connectSellerSettings } from '../../../local/simulators/settings.js';
import { sha256 } from '../../support/bytes.js';

let stack: TestStack;
let queue: QueuePair;
let handler: SqsHandler;
let seller: ReturnType<typeof connectSellerSettings>;
beforeAll(async () => {
  stack = await startTestStack();
  queue = await createQueueWithDlq(stack.aws.sqs, 'document-archive', {
    maxReceiveCount: 3,
    visibilityTimeoutSeconds: 30,
  });
  seller = connectSellerSettings(stack.connect);
  handler = archiveHandler(seller);
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(() => {
  stack.connect.reset();
  stack.mmp.reset();
});

const archiveHandler = (env: Record<string, string>) =>
  createDocumentArchiveHandler({ ...stack.env, DOCUMENT_ARCHIVE_DLQ_URL: queue.dlqUrl, ...env });
let orders = 0;
const newOrderId = () => `ARC-${(orders += 1)}-${Date.now().toString(36)}`;

const request = async (message: unknown, withHandler = handler) => {
  await stack.aws.sqs.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: JSON.stringify(message) }));
  return pollOnce({
    sqs: stack.aws.sqs,
    queueUrl: queue.queueUrl,
    queueArn: queue.queueArn,
    handler: withHandler,
    functionName: 'documentArchive',
  });
};

/** Every archived object of an order: key, bytes' SHA-256 and metadata. */
const archivedUnder = async (prefix: string) => {
  const { Contents = [] } = await stack.aws.s3.send(new ListObjectsV2Command({ Bucket: stack.bucket, Prefix: prefix }));
  return Promise.all(
    Contents.map(async ({ Key }) => {
      const object = await stack.aws.s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key }));
      const bytes = await object.Body?.transformToByteArray();
      return { key: Key as string, sha256: sha256(bytes ?? new Uint8Array()), metadata: object.Metadata ?? {} };
    }),
  );
};

describe('documentArchive, connect source (v2 ZIP)', () => {
  it('stores one object per document of the ZIP, duplicate and non-ASCII names included, with the right bytes', async () => {
    const channelOrderId = newOrderId();
    const orderId = `0024_${channelOrderId}`;
    const files = [
      {
        name: 'invoice.pdf',
        type: 'CUSTOMER_INVOICE',
        body: randomBytes(50_000),
        updatedAt: new Date('2026-01-01T10:00:00Z'),
      },
      {
        name: 'invoice.pdf',
        type: 'CUSTOMER_INVOICE',
        body: randomBytes(60_000),
        updatedAt: new Date('2026-01-02T10:00:00Z'),
      },
      {
        name: 'Facture été.pdf',
        type: 'CUSTOMER_INVOICE',
        body: randomBytes(10_000),
        updatedAt: new Date('2026-01-03T10:00:00Z'),
      },
      {
        name: '汉chinese字_return_label.pdf',
        type: 'RETURN_LABEL',
        body: randomBytes(20_000),
        updatedAt: new Date('2026-01-04T10:00:00Z'),
      },
    ];
    for (const file of files) stack.connect.addOrderDocument(orderId, file);

    const turn = await request({ source: 'connect', order_id: orderId });
    expect(turn).toEqual({ received: 1, failed: [] });

    const objects = await archivedUnder(`documents/0024/${channelOrderId}/`);
    expect(objects.map((object) => object.sha256).sort()).toEqual(files.map((file) => sha256(file.body)).sort());
    const keys = objects.map((object) => object.key).sort();
    // Newest first in the ZIP: the newer invoice keeps the name, the older one is `invoice (1).pdf`.
    expect(keys).toEqual(
      [
        `documents/0024/${channelOrderId}/CUSTOMER_INVOICE/invoice.pdf`,
        `documents/0024/${channelOrderId}/CUSTOMER_INVOICE/invoice_1.pdf`,
        `documents/0024/${channelOrderId}/CUSTOMER_INVOICE/Facture_ete.pdf`,
        `documents/0024/${channelOrderId}/RETURN_LABEL/${asciiFileName('汉chinese字_return_label.pdf')}`,
      ].sort(),
    );
    const newerInvoice = objects.find((object) => object.key.endsWith('/invoice.pdf'));
    expect(newerInvoice?.sha256).toBe(sha256(files[1]?.body as Buffer));
    const label = objects.find((object) => object.key.includes('RETURN_LABEL'));
    expect(decodeURIComponent(label?.metadata['original-name'] ?? '')).toBe('汉chinese字_return_label.pdf');
    expect(label?.metadata).toMatchObject({
      source: 'connect',
      'document-type': 'RETURN_LABEL',
      sha256: sha256(files[3]?.body as Buffer),
    });

    const calls = stack.connect.requests().filter((call) => call.path.startsWith('/api/v2/'));
    expect(calls.map((call) => call.status).sort()).toEqual([200, 200, 404, 404, 404]);
    expect(stack.connect.requests().find((call) => call.path === '/oauth/token')?.body).toMatchObject({
      client_id: 'local-seller-client',
      audience: 'local-seller-company',
    });
  });

  it('stores nothing new when the order is archived again', async () => {
    const channelOrderId = newOrderId();
    const orderId = `0024_${channelOrderId}`;
    stack.connect.addOrderDocument(orderId, {
      name: 'invoice.pdf',
      type: 'CUSTOMER_INVOICE',
      body: randomBytes(5_000),
    });
    stack.connect.addOrderDocument(orderId, {
      name: 'same-bytes.pdf',
      type: 'DELIVERY_SLIP',
      body: Buffer.from('identical'),
    });
    stack.connect.addOrderDocument(orderId, {
      name: 'copy.pdf',
      type: 'CHANNEL_SPECIFIC',
      body: Buffer.from('identical'),
    });
    await request({ source: 'connect', order_id: orderId });
    const first = await archivedUnder(`documents/0024/${channelOrderId}/`);
    expect(first).toHaveLength(2); // the same bytes under two names are kept once

    const again = await request({ source: 'connect', order_id: orderId, types: ['CUSTOMER_INVOICE', 'DELIVERY_SLIP'] });
    expect(again.failed).toEqual([]);
    const second = await archivedUnder(`documents/0024/${channelOrderId}/`);
    expect(second.map((object) => object.key).sort()).toEqual(first.map((object) => object.key).sort());
  });

  it('takes a 404 (no documents) as a normal outcome', async () => {
    const turn = await request({ source: 'connect', order_id: `0024_${newOrderId()}`, document_ids: ['nope'] });
    expect(turn).toEqual({ received: 1, failed: [] });
  });

  it('without seller credentials, dead-letters the request saying the source is not configured', async () => {
    const unconfigured = archiveHandler({ CONNECT_SELLER_CLIENT_ID: '', CONNECT_SELLER_CLIENT_SECRET: '' });
    const turn = await request({ source: 'connect', order_id: `0024_${newOrderId()}` }, unconfigured);
    expect(turn.failed).toEqual([]);
    const [letter] = await peekMessages(stack.aws, queue.dlqUrl);
    expect(letter?.MessageAttributes?.dead_letter_reason?.StringValue).toMatch(
      /connect source of the document archive is not configured: the seller-API credentials CONNECT_SELLER_CLIENT_ID and CONNECT_SELLER_CLIENT_SECRET/,
    );
    await stack.aws.sqs.send(new PurgeQueueCommand({ QueueUrl: queue.dlqUrl }));
  });
});

describe('documentArchive, marketplace source (OR72/OR73)', () => {
  it('stores one object per marketplace document, once', async () => {
    const orderId = newOrderId();
    stack.mmp.addOrder({
      order_id: orderId,
      order_state: 'SHIPPED',
      order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 1 }],
    });
    const bodies = [randomBytes(30_000), randomBytes(40_000)];
    stack.mmp.addDocument(orderId, { file_name: 'invoice.pdf', type: 'CUSTOMER_INVOICE', body: bodies[0] as Buffer });
    stack.mmp.addDocument(orderId, { file_name: 'label.pdf', type: 'SYSTEM_RETURN_LABEL', body: bodies[1] as Buffer });

    expect(await request({ source: 'marketplace', order_id: orderId, channel_id: '0024' })).toEqual({
      received: 1,
      failed: [],
    });
    const objects = await archivedUnder(`documents/0024/${orderId}/`);
    expect(objects.map((object) => object.sha256).sort()).toEqual(bodies.map(sha256).sort());
    expect(objects.map((object) => object.key).sort()).toEqual([
      `documents/0024/${orderId}/CUSTOMER_INVOICE/invoice.pdf`,
      `documents/0024/${orderId}/SYSTEM_RETURN_LABEL/label.pdf`,
    ]);
    const head = await stack.aws.s3.send(
      new HeadObjectCommand({ Bucket: stack.bucket, Key: `documents/0024/${orderId}/CUSTOMER_INVOICE/invoice.pdf` }),
    );
    expect(head.Metadata).toMatchObject({ source: 'marketplace', 'document-id': expect.any(String) });
    expect(stack.mmp.requests().map((call) => `${call.route} ${call.status}`)).toEqual([
      'OR72 200',
      'OR73 200',
      'OR73 200',
    ]);

    await request({ source: 'marketplace', order_id: orderId, channel_id: '0024' });
    expect(await archivedUnder(`documents/0024/${orderId}/`)).toHaveLength(2);
  });

  it('dead-letters a request for a store this deployment does not serve', async () => {
    const turn = await request(
      { source: 'marketplace', order_id: newOrderId(), channel_store_id: 'other' },
      archiveHandler({ ...seller, MMP_STORE_ID: 'main' }),
    );
    expect(turn.failed).toEqual([]);
    const [letter] = await peekMessages(stack.aws, queue.dlqUrl);
    expect(letter?.MessageAttributes?.dead_letter_reason?.StringValue).toMatch(/Store other is not served/);
    await stack.aws.sqs.send(new PurgeQueueCommand({ QueueUrl: queue.dlqUrl }));
  });
});

describe('documentArchive, invalid requests', () => {
  it.each([
    ['not JSON', 'nope', /not JSON/],
    ['no order', { source: 'connect' }, /order_id/],
    ['unknown source', { source: 'ftp', order_id: 'X' }, /source/],
    [
      'types with ids',
      { source: 'connect', order_id: 'X', types: ['CUSTOMER_INVOICE'], document_ids: ['1'] },
      /mutually exclusive/,
    ],
  ])('moves %s to the DLQ at once, with the reason', async (_name, message, reason) => {
    await stack.aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.queueUrl,
        MessageBody: typeof message === 'string' ? message : JSON.stringify(message),
      }),
    );
    const turn = await pollOnce({
      sqs: stack.aws.sqs,
      queueUrl: queue.queueUrl,
      queueArn: queue.queueArn,
      handler,
      functionName: 'documentArchive',
    });
    expect(turn).toEqual({ received: 1, failed: [] });
    const [letter] = await peekMessages(stack.aws, queue.dlqUrl);
    expect(letter?.MessageAttributes?.dead_letter_reason?.StringValue).toMatch(reason);
    await stack.aws.sqs.send(new PurgeQueueCommand({ QueueUrl: queue.dlqUrl }));
  });
});
