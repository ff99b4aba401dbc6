import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { PurgeQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDocumentArchiveHandler } from '../../../functions/document-archive.js';
import { createQueueWithDlq, type QueuePair } from '../../../local/aws/servers.js';
import { pollOnce, type SqsHandler } from '../../../local/lambda/invoke.js';
import { startOperationsSimulator, type OperationsSimulator } from '../../../local/simulators/operations.js';
import { operationsSettings } from '../../../local/simulators/settings.js';
import { peekMessages, startTestStack, type TestStack } from '../../support/stack.js';

let stack: TestStack;
let operations: OperationsSimulator;
let queue: QueuePair;
let handler: SqsHandler;
beforeAll(async () => {
  stack = await startTestStack();
  operations = await startOperationsSimulator();
  queue = await createQueueWithDlq(stack.aws.sqs, 'operations-archive', {
    maxReceiveCount: 3,
    visibilityTimeoutSeconds: 30,
  });
  handler = archiveHandler();
});
afterAll(async () => {
  await operations?.close();
  await stack?.stop();
});
beforeEach(async () => {
  operations.reset();
  await stack.aws.sqs.send(new PurgeQueueCommand({ QueueUrl: queue.dlqUrl }));
});

const archiveHandler = (env: Record<string, string> = {}) =>
  createDocumentArchiveHandler({
    ...stack.env,
    ...operationsSettings(operations),
    DOCUMENT_ARCHIVE_DLQ_URL: queue.dlqUrl,
    ...env,
  });
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
let references = 0;
const newReference = () => `op_order_${(references += 1)}_${Date.now().toString(36)}`;

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

const deadLetterReasons = async () =>
  (await peekMessages(stack.aws, queue.dlqUrl)).map(
    (message) => message.MessageAttributes?.dead_letter_reason?.StringValue,
  );

const archivedUnder = async (prefix: string) => {
  const { Contents = [] } = await stack.aws.s3.send(new ListObjectsV2Command({ Bucket: stack.bucket, Prefix: prefix }));
  return Promise.all(
    Contents.map(async ({ Key }) => {
      const object = await stack.aws.s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key }));
      const bytes = await object.Body?.transformToByteArray();
      return {
        key: Key as string,
        sha256: sha256(bytes ?? new Uint8Array()),
        metadata: object.Metadata ?? {},
        contentType: object.ContentType,
      };
    }),
  );
};

describe('documentArchive, operations source (seed 003)', () => {
  it('archives the PDF of an operation read by id, under its reference and type, naming the operation in metadata', async () => {
    const reference = newReference();
    const operation = operations.addOperation({ operationType: 'INVOICE', reference });
    expect(await request({ source: 'operations', order_id: String(operation.id) })).toEqual({
      received: 1,
      failed: [],
    });

    const objects = await archivedUnder(`documents/operations/${reference}/`);
    const fileName = `${operation.id}_${reference}.pdf`;
    expect(objects).toEqual([
      {
        key: `documents/operations/${reference}/INVOICE/${fileName}`,
        sha256: sha256(operations.pdfOf(operation.id) as Buffer),
        contentType: 'application/pdf',
        metadata: expect.objectContaining({
          source: 'operations',
          'document-id': String(operation.id),
          'document-type': 'INVOICE',
          reference,
        }),
      },
    ]);
    expect(operations.requests().map((call) => `${call.route} ${call.status}`)).toEqual(['operation 200', 'pdf 200']);
  });

  it('reads an operation by its reference, and archives it once however often it is asked', async () => {
    const reference = newReference();
    operations.addOperation({ operationType: 'DELIVERY_NOTE', reference, pdf: randomBytes(300_000) });
    await request({ source: 'operations', reference });
    await request({ source: 'operations', reference });
    const objects = await archivedUnder(`documents/operations/${reference}/`);
    expect(objects.map((object) => object.key)).toEqual([
      `documents/operations/${reference}/DELIVERY_NOTE/1_${reference}.pdf`,
    ]);
    expect(
      operations
        .requests()
        .filter((call) => call.route === 'operation')
        .map((call) => call.path),
    ).toEqual([`/api/v1.0/orders/reference/${reference}`, `/api/v1.0/orders/reference/${reference}`]);
  });

  it.each([
    [
      '400 invalid_param_type, an id that is not a number',
      { order_id: 'seven' },
      'Archive of operation seven from operations: Operations API GET /orders/{id} answered 400 invalid_param_type: The type of parameter id you provided is not valid for this request.',
    ],
    [
      '404 not_found, an unknown id',
      { order_id: '7065' },
      "Archive of operation 7065 from operations: Operations API GET /orders/{id} answered 404 not_found: The order with the id 7065 doesn't exist.",
    ],
    [
      '404 not_found, an unknown reference',
      { reference: 'nope' },
      "Archive of operation reference nope from operations: Operations API GET /orders/reference/{reference} answered 404 not_found: The order with the reference nope doesn't exist.",
    ],
  ])("dead-letters %s, with the API's description", async (_name, key, reason) => {
    expect(await request({ source: 'operations', ...key })).toEqual({ received: 1, failed: [] });
    expect(await deadLetterReasons()).toEqual([reason]);
  });

  it('dead-letters an operation without a PDF', async () => {
    const operation = operations.addOperation({ operationType: 'ORDER', reference: newReference(), withoutPdf: true });
    await request({ source: 'operations', order_id: String(operation.id) });
    expect(await deadLetterReasons()).toEqual([
      `Archive of operation ${operation.id} from operations: operation ${operation.id} (ORDER) has no PDF (pdfUrl is empty)`,
    ]);
  });

  it('dead-letters a PDF larger than DOCUMENT_ARCHIVE_MAX_BYTES, without archiving any of it', async () => {
    const reference = newReference();
    operations.addOperation({ reference, pdf: randomBytes(200_000) });
    await request({ source: 'operations', reference }, archiveHandler({ DOCUMENT_ARCHIVE_MAX_BYTES: '100000' }));
    expect(await deadLetterReasons()).toEqual([
      `Archive of operation reference ${reference} from operations: a download is larger than 100000 bytes (DOCUMENT_ARCHIVE_MAX_BYTES)`,
    ]);
    expect(await archivedUnder(`documents/operations/${reference}/`)).toEqual([]);
  });

  it('hands an unavailable API back to the queue (not dead-lettered)', async () => {
    const reference = newReference();
    operations.addOperation({ reference });
    operations.injectFault({ route: 'operation', status: 503, times: 10 });
    const turn = await request({ source: 'operations', reference });
    expect(turn.failed).toHaveLength(1);
    expect(await deadLetterReasons()).toEqual([]);
    await stack.aws.sqs.send(new PurgeQueueCommand({ QueueUrl: queue.queueUrl }));
  });

  it('hands back, asking for the token to be fixed, when the API refuses OPERATIONS_API_TOKEN', async () => {
    const reference = newReference();
    operations.addOperation({ reference });
    const turn = await request(
      { source: 'operations', reference },
      archiveHandler({ OPERATIONS_API_TOKEN: 'rotated-away' }),
    );
    expect(turn.failed).toHaveLength(1);
    expect(operations.requests().map((call) => call.status)).toEqual([401, 401]);
    await stack.aws.sqs.send(new PurgeQueueCommand({ QueueUrl: queue.queueUrl }));
  });

  it('without OPERATIONS_API_URL, still starts and dead-letters such requests saying the source is not configured', async () => {
    const turn = await request(
      { source: 'operations', reference: 'any' },
      archiveHandler({ OPERATIONS_API_URL: '', OPERATIONS_API_TOKEN: '' }),
    );
    expect(turn).toEqual({ received: 1, failed: [] });
    expect(await deadLetterReasons()).toEqual([
      'The operations source of the document archive is not configured: the operations API variables OPERATIONS_API_URL and OPERATIONS_API_TOKEN (or OPERATIONS_API_TOKEN_PARAM) are not set',
    ]);
  });
});

describe('documentArchive, operations source, uploaded to Connect (CONNECT_CHANNEL_ID set)', () => {
  const uploading = (env: Record<string, string> = {}) =>
    archiveHandler({ CONNECT_CHANNEL_ID: '0024', MMP_STORE_ID: 'main', ...env });
  beforeEach(() => stack.connect.reset());

  it.each([
    ['INVOICE', { type: 'CUSTOMER_INVOICE' }],
    ['DELIVERY_NOTE', { type: 'DELIVERY_SLIP' }],
    ['DELIVERY', { type: 'SHIPMENT_DELIVERY_SLIP' }],
    ['PRE_ORDER', { type: 'CHANNEL_SPECIFIC', channel_type: 'PRE_ORDER' }],
  ])(
    'files a %s under the channel and uploads it on the order named by its reference, typed %o',
    async (operationType, typed) => {
      const reference = newReference();
      const operation = operations.addOperation({ operationType, reference });
      expect(await request({ source: 'operations', reference }, uploading())).toEqual({ received: 1, failed: [] });

      const pdf = operations.pdfOf(operation.id) as Buffer;
      expect(
        (await archivedUnder(`documents/0024/${reference}/`)).map((object) => [object.key, object.sha256]),
      ).toEqual([[`documents/0024/${reference}/${operationType}/${operation.id}_${reference}.pdf`, sha256(pdf)]]);
      expect(stack.connect.channelDocuments(reference)).toEqual([
        expect.objectContaining({
          channelOrderId: reference,
          origin: { channel_id: '0024', channel_store_id: 'main' },
          metadata: {
            channel_document_id: `operations-${operation.id}`,
            filename: `${operation.id}_${reference}.pdf`,
            ...typed,
          },
          sha256: sha256(pdf),
          uploads: 1,
        }),
      ]);
    },
  );

  it('archives once and uploads under one id however often the operation is asked, even when Connect refuses re-uploads', async () => {
    const reference = newReference();
    const operation = operations.addOperation({ operationType: 'INVOICE', reference });
    await request({ source: 'operations', order_id: String(operation.id) }, uploading());
    stack.connect.setReuploads('refuse');
    expect(await request({ source: 'operations', reference }, uploading())).toEqual({ received: 1, failed: [] });

    expect(await deadLetterReasons()).toEqual([]);
    expect(await archivedUnder(`documents/0024/${reference}/`)).toHaveLength(1);
    expect(
      stack.connect
        .channelDocuments(reference)
        .map((document) => [document.metadata.channel_document_id, document.uploads]),
    ).toEqual([[`operations-${operation.id}`, 1]]);
  });

  it("uploads to the request's store; without one (several stores, no MMP_STORE_ID) archives and dead-letters saying so", async () => {
    const reference = newReference();
    const operation = operations.addOperation({ operationType: 'DELIVERY', reference });
    await request({ source: 'operations', reference }, uploading({ MMP_STORE_ID: '' }));
    expect(await deadLetterReasons()).toEqual([
      `Archive of operation reference ${reference} from operations: operation ${operation.id} was archived but cannot be uploaded to Connect: no store (set MMP_STORE_ID, or name channel_store_id in the request when several stores are served)`,
    ]);
    expect(await archivedUnder(`documents/0024/${reference}/`)).toHaveLength(1);
    expect(stack.connect.channelDocuments(reference)).toEqual([]);

    await request({ source: 'operations', reference, channel_store_id: 'outlet' }, uploading({ MMP_STORE_ID: '' }));
    expect(stack.connect.channelDocuments(reference).map((document) => document.origin)).toEqual([
      { channel_id: '0024', channel_store_id: 'outlet' },
    ]);
  });
});

describe('npm run archive-documents -- --source operations', () => {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const cli = async (args: string[]) => {
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'bin/archive-documents.ts', ...args, '--queue-url', queue.queueUrl],
        {
          cwd: root,
          env: { ...process.env, ...stack.aws.env },
        },
      );
      return { code: 0, output: stdout };
    } catch (error) {
      const failed = error as { code: number; stderr: string };
      return { code: failed.code, output: failed.stderr };
    }
  };

  it('enqueues a request by reference that the function then archives', async () => {
    const reference = newReference();
    operations.addOperation({ operationType: 'INVOICE', reference });
    const { code, output } = await cli(['--source', 'operations', '--reference', reference]);
    expect(code).toBe(0);
    expect(output).toContain(`Enqueued the archive of reference ${reference} from operations`);
    const turn = await pollOnce({
      sqs: stack.aws.sqs,
      queueUrl: queue.queueUrl,
      queueArn: queue.queueArn,
      handler,
      functionName: 'documentArchive',
    });
    expect(turn).toEqual({ received: 1, failed: [] });
    expect((await archivedUnder(`documents/operations/${reference}/`)).map((object) => object.key)).toEqual([
      `documents/operations/${reference}/INVOICE/1_${reference}.pdf`,
    ]);
  });

  it('refuses to send a request naming both an id and a reference', async () => {
    const { code, output } = await cli(['--source', 'operations', '--order', '5', '--reference', 'R']);
    expect(code).toBe(1);
    expect(output).toContain(
      'Not sent: invalid archive request: (message) needs exactly one of order_id and reference.',
    );
  });
});
