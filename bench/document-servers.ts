/**
 * The local servers of upload-document.bench.ts, in a child process of their own: fauxqs and the simulated
 * document storage hold every document in memory, and the bench measures the handler's process, not theirs.
 * Speaks with its parent over IPC: `document` makes an order and a document of `size` random bytes behind a
 * presigned link; `done` checks what the marketplace received and frees the memory the document took here.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CreateBucketCommand, DeleteObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createIdempotencyTable, startLocalAws } from '../local/aws/servers.js';
import { startConnectSimulator } from '../local/simulators/connect.js';
import { startDocumentStorage } from '../local/simulators/document-storage.js';
import { startMmpSimulator } from '../local/simulators/mmp.js';
import { connectSettings, mmpSettings } from '../local/simulators/settings.js';
import { serveParent } from './servers-process.js';

export type ServersRequest =
  | { type: 'document'; orderId: string; actionId: string; size: number }
  | { type: 'done'; orderId: string; actionId: string; link: string };

export type ServersReply =
  | { type: 'document'; link: string; sha256: string }
  | { type: 'done'; status?: string; sha256s: string[] };

const aws = await startLocalAws();
const bucket = 'bench-documents';
await aws.s3.send(new CreateBucketCommand({ Bucket: bucket }));
await createIdempotencyTable(aws.dynamodb, 'bench-idempotency');
const connect = await startConnectSimulator();
const mmp = await startMmpSimulator();
const storage = await startDocumentStorage();

const removeObjects = async (prefix: string) => {
  const { Contents = [] } = await aws.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  for (const object of Contents) await aws.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key }));
};

const answer = async (request: ServersRequest): Promise<ServersReply> => {
  if (request.type === 'document') {
    mmp.addOrder({
      order_id: request.orderId,
      order_state: 'SHIPPED',
      order_lines: [{ order_line_id: `${request.orderId}-1`, offer_sku: 'SKU-1', quantity: 1 }],
    });
    connect.registerAction(request.actionId);
    const body = randomBytes(request.size);
    return { type: 'document', link: storage.put({ body }), sha256: createHash('sha256').update(body).digest('hex') };
  }
  const status = connect.actions().find((action) => action.actionId === request.actionId)?.status;
  const sha256s = mmp.documents(request.orderId).map((document) => document.sha256);
  storage.remove(request.link);
  await removeObjects(`documents/0024/${request.orderId}/`);
  await removeObjects(`bench-copy/${request.orderId}/`);
  return { type: 'done', status, sha256s };
};

serveParent(
  {
    ...aws.env,
    ...connectSettings(connect),
    ...mmpSettings(mmp),
    ORDER_ACTIONS_DLQ_URL: `${aws.env.AWS_ENDPOINT_URL_SQS}/000000000000/bench-dlq`,
    IDEMPOTENCY_TABLE: 'bench-idempotency',
    DOCUMENTS_BUCKET: bucket,
  },
  answer,
  async () => {
    await Promise.all([connect.close(), mmp.close(), storage.close()]);
    await aws.stop();
  },
);
