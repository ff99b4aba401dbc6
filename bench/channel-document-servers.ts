/**
 * The local servers of channel-documents.bench.ts, in a child process of their own: the simulators and fauxqs keep
 * every document in memory, and the bench measures the document import's process, not theirs. Speaks with its
 * parent over IPC: `orders` puts one PDF of each size on a new order of the marketplace; `check` answers what
 * Connect holds for those orders, then forgets every document so the memory they took here is freed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CreateBucketCommand, DeleteObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createIdempotencyTable, startLocalAws } from '../local/aws/servers.js';
import { startConnectSimulator } from '../local/simulators/connect.js';
import { startMmpSimulator } from '../local/simulators/mmp.js';
import { connectSettings, mmpSettings } from '../local/simulators/settings.js';
import { serveParent } from './servers-process.js';

export type ChannelServersRequest =
  | { type: 'orders'; orderIds: string[]; sizes: number[] }
  | { type: 'check'; orderIds: string[] };

export type ChannelServersReply =
  | { type: 'orders'; documents: Array<{ orderId: string; documentId: string; sha256: string }> }
  | { type: 'check'; held: Array<{ orderId: string; channelDocumentId: string; sha256: string }> };

const aws = await startLocalAws();
const bucket = 'bench-channel-documents';
await aws.s3.send(new CreateBucketCommand({ Bucket: bucket }));
await createIdempotencyTable(aws.dynamodb, 'bench-channel-idempotency');
const connect = await startConnectSimulator();
const mmp = await startMmpSimulator();

const removeArchived = async () => {
  for (;;) {
    const { Contents = [] } = await aws.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'documents/' }));
    if (Contents.length === 0) return;
    for (const object of Contents) await aws.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key }));
  }
};

const answer = async (request: ChannelServersRequest): Promise<ChannelServersReply> => {
  if (request.type === 'orders') {
    const documents = request.orderIds.map((orderId, index) => {
      mmp.addOrder({
        order_id: orderId,
        order_state: 'SHIPPED',
        order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 1 }],
      });
      const body = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes((request.sizes[index] as number) - 9)]);
      const document = mmp.addDocument(orderId, {
        file_name: `invoice-${orderId}.pdf`,
        type: 'CUSTOMER_INVOICE',
        body,
      });
      return { orderId, documentId: String(document.id), sha256: createHash('sha256').update(body).digest('hex') };
    });
    return { type: 'orders', documents };
  }
  const held = request.orderIds.flatMap((orderId) =>
    connect.channelDocuments(orderId).map((document) => ({
      orderId,
      channelDocumentId: document.metadata.channel_document_id,
      sha256: document.sha256,
    })),
  );
  connect.reset();
  mmp.reset();
  await removeArchived();
  return { type: 'check', held };
};

serveParent(
  {
    ...aws.env,
    ...connectSettings(connect),
    ...mmpSettings(mmp),
    IDEMPOTENCY_TABLE: 'bench-channel-idempotency',
    DOCUMENTS_BUCKET: bucket,
  },
  answer,
  async () => {
    await Promise.all([connect.close(), mmp.close()]);
    await aws.stop();
  },
);
