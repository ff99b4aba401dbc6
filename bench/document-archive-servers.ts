/**
 * The local servers of document-archive.bench.ts, in a child process of their own (fauxqs' S3 and the simulated
 * Connect keep every document in memory): the bench measures the handler's process, not theirs. Over IPC:
 * `order` puts `count` documents of `size` random bytes on a new Connect order; `archived` lists what S3 holds.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CreateBucketCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { startLocalAws } from '../local/aws/servers.js';
import { startConnectSimulator } from '../local/simulators/connect.js';
import { connectSellerSettings } from '../local/simulators/settings.js';
import { serveParent } from './servers-process.js';

export type ArchiveServersRequest =
  | { type: 'order'; orderId: string; count: number; size: number }
  | { type: 'archived'; prefix: string };
export type ArchiveServersReply = { type: 'order'; sha256s: string[] } | { type: 'archived'; sha256s: string[] };

const aws = await startLocalAws();
const bucket = 'bench-archive';
await aws.s3.send(new CreateBucketCommand({ Bucket: bucket }));
const connect = await startConnectSimulator();

const answer = async (request: ArchiveServersRequest): Promise<ArchiveServersReply> => {
  if (request.type === 'order') {
    const sha256s = Array.from({ length: request.count }, (_, index) => {
      const body = randomBytes(request.size);
      connect.addOrderDocument(request.orderId, {
        name: `invoice-${index}.pdf`,
        type: 'CUSTOMER_INVOICE',
        body,
        updatedAt: new Date(Date.now() - index * 1000),
      });
      return createHash('sha256').update(body).digest('hex');
    });
    return { type: 'order', sha256s };
  }
  const { Contents = [] } = await aws.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: request.prefix }));
  const heads = await Promise.all(
    Contents.map(({ Key }) => aws.s3.send(new HeadObjectCommand({ Bucket: bucket, Key }))),
  );
  return { type: 'archived', sha256s: heads.map((head) => head.Metadata?.sha256 ?? '') };
};

serveParent(
  {
    ...aws.env,
    CONNECT_AUTH_URL: connect.authUrl,
    ...connectSellerSettings(connect),
    DOCUMENTS_BUCKET: bucket,
  },
  answer,
  async () => {
    await connect.close();
    await aws.stop();
  },
);
