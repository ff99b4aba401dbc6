import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createOrderActionsHandler } from '../functions/order-actions.js';
import { sendStreamed } from '../lib/http/index.js';
import { lambdaContext } from '../local/runtime/context.js';
import { documentEvent } from '../test/fixtures/events.js';
import type { ServersReply, ServersRequest } from './document-servers.js';
import { forkServers } from './servers-process.js';
import { sqsRecord, table } from './figures.js';

const BENCH_QUEUE_ARN = 'arn:aws:sqs:eu-west-1:000000000000:bench-events';

const MB = 1024 * 1024;
/** 200 documents of 1–10 MB: small ones first, then large ones, so memory can be compared between the two. */
const PHASES = [
  { name: '1–2 MB', count: 100, minBytes: 1 * MB, maxBytes: 2 * MB },
  { name: '9–10 MB', count: 100, minBytes: 9 * MB, maxBytes: 10 * MB },
];
const BATCH_SIZE = 10;
const RECORD_CONCURRENCY = 5;

interface Document {
  orderId: string;
  actionId: string;
  size: number;
  link: string;
  sha256: string;
}

/**
 * UPLOAD_DOCUMENT throughput and memory: 200 documents of 1–10 MB through the real handler (batches of 10,
 * 5 records at a time), against the limit: the same bytes copied as plain streams between the same servers
 * (storage → S3, S3 → MMP OR74). The servers run in a child process (they keep documents in memory), so the
 * memory figures are the handler's process: its peak RSS growth should not follow the documents' size.
 */
export const run = async () => {
  const servers = await startServers();
  try {
    Object.assign(process.env, servers.env); // the AWS SDK reads its endpoints from the environment, as in Lambda
    const handler = createOrderActionsHandler({ ...servers.env, RECORD_CONCURRENCY: String(RECORD_CONCURRENCY) });
    const s3 = new S3Client({ forcePathStyle: true });
    await throughHandler(servers, handler, [
      { name: 'warm-up', count: BATCH_SIZE, minBytes: 100_000, maxBytes: 200_000 },
    ]);

    const measured = await throughHandler(servers, handler, PHASES);
    const limit = await plainCopy(servers, s3, PHASES);
    table([
      ['', 'MB', 'MB/s', ...PHASES.map((phase) => `peak RSS growth, ${phase.name}`)],
      ['orderActions handler', mb(measured.bytes), rate(measured), ...measured.peakGrowth.map(mb)],
      ['limit (plain stream copy)', mb(limit.bytes), rate(limit), ...limit.peakGrowth.map(mb)],
    ]);
    console.log(`ratio handler / limit: ${(Number(rate(measured)) / Number(rate(limit))).toFixed(2)}`);
    console.log(`memory goal: flat, not proportional to document size (${RECORD_CONCURRENCY} documents in flight)`);
  } finally {
    await servers.stop();
  }
};

const mb = (bytes: number) => (bytes / MB).toFixed(1);
const rate = ({ bytes, busyMs }: { bytes: number; busyMs: number }) => (bytes / MB / (busyMs / 1000)).toFixed(1);

type Servers = Awaited<ReturnType<typeof startServers>>;

const startServers = () => forkServers<ServersRequest, ServersReply>(new URL('./document-servers.ts', import.meta.url));

/** The documents of a phase, `count` sizes spread evenly between its bounds, made by the servers. */
const documentsOf = async (
  servers: Servers,
  phase: (typeof PHASES)[number],
  first: number,
  count: number,
): Promise<Document[]> =>
  Promise.all(
    Array.from({ length: count }, async (_, offset) => {
      const index = first + offset;
      const orderId = `BENCH-${randomUUID().slice(0, 8)}`;
      const actionId = `upload-${orderId}`;
      const size = Math.round(
        phase.minBytes + ((phase.maxBytes - phase.minBytes) * index) / Math.max(1, phase.count - 1),
      );
      const reply = await servers.ask({ type: 'document', orderId, actionId, size });
      if (reply.type !== 'document') throw new Error('the servers did not make the document');
      return { orderId, actionId, size, link: reply.link, sha256: reply.sha256 };
    }),
  );

/** Runs `work` over each phase's documents batch by batch, timing the work only and sampling the RSS meanwhile. */
const measure = async (
  servers: Servers,
  phases: typeof PHASES,
  work: (batch: Document[]) => Promise<void>,
  check: (document: Document, reply: ServersReply) => void,
) => {
  const startRss = process.memoryUsage.rss();
  let peak = startRss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  let bytes = 0;
  let busyMs = 0;
  const peakGrowth: number[] = [];
  try {
    for (const phase of phases) {
      for (let first = 0; first < phase.count; first += BATCH_SIZE) {
        const batch = await documentsOf(servers, phase, first, Math.min(BATCH_SIZE, phase.count - first));
        const started = performance.now();
        await work(batch);
        busyMs += performance.now() - started;
        bytes += batch.reduce((sum, document) => sum + document.size, 0);
        for (const document of batch)
          check(
            document,
            await servers.ask({
              type: 'done',
              orderId: document.orderId,
              actionId: document.actionId,
              link: document.link,
            }),
          );
      }
      peakGrowth.push(peak - startRss);
    }
  } finally {
    clearInterval(sampler);
  }
  return { bytes, busyMs, peakGrowth };
};

const throughHandler = (
  servers: Servers,
  handler: ReturnType<typeof createOrderActionsHandler>,
  phases: typeof PHASES,
) =>
  measure(
    servers,
    phases,
    async (batch) => {
      const Records = batch.map((document) =>
        sqsRecord(
          JSON.stringify(documentEvent(document.orderId, document.link, { action_id: document.actionId })),
          BENCH_QUEUE_ARN,
        ),
      );
      const response = await handler({ Records }, lambdaContext('orderActions', 300_000));
      if (response.batchItemFailures.length > 0)
        throw new Error(`${response.batchItemFailures.length} records were handed back`);
    },
    (document, reply) => {
      if (reply.type !== 'done' || reply.status !== 'SUCCESS' || reply.sha256s.join() !== document.sha256) {
        throw new Error(
          `document of ${document.orderId} did not reach the marketplace intact (${JSON.stringify(reply)})`,
        );
      }
    },
  );

/** The bytes' own journey, with nothing else: storage → S3 (streamed put), then S3 → MMP (streamed multipart OR74). */
const plainCopy = (servers: Servers, s3: S3Client, phases: typeof PHASES) =>
  measure(
    servers,
    phases,
    async (batch) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: RECORD_CONCURRENCY }, async () => {
          while (next < batch.length) {
            const document = batch[next++] as Document;
            const key = `bench-copy/${document.orderId}/copy.pdf`;
            const download = await fetch(document.link);
            const Body = Readable.fromWeb(download.body as import('node:stream/web').ReadableStream<Uint8Array>);
            await s3.send(
              new PutObjectCommand({
                Bucket: servers.env.DOCUMENTS_BUCKET,
                Key: key,
                Body,
                ContentLength: document.size,
              }),
            );
            const object = await s3.send(new GetObjectCommand({ Bucket: servers.env.DOCUMENTS_BUCKET, Key: key }));
            await streamedUpload(servers.env.MMP_API_URL as string, document.orderId, object.Body as Readable);
          }
        }),
      );
    },
    (document, reply) => {
      if (reply.type !== 'done' || reply.sha256s.join() !== document.sha256)
        throw new Error(`copy of ${document.orderId} did not reach the marketplace intact`);
    },
  );

/** OR74 with the file part streamed as it arrives from S3: no temporary file (node:http, as the connector streams uploads). */
const streamedUpload = async (mmpUrl: string, orderId: string, file: Readable) => {
  const boundary = `bench-${randomUUID()}`;
  const describe = JSON.stringify({ order_documents: [{ file_name: 'copy.pdf', type_code: 'CUSTOMER_INVOICE' }] });
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="order_documents"\r\nContent-Type: application/json\r\n\r\n${describe}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="copy.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  async function* parts() {
    yield head;
    yield* file;
    yield Buffer.from(`\r\n--${boundary}--\r\n`);
  }
  const response = await sendStreamed(`${mmpUrl}/api/orders/${orderId}/documents`, {
    method: 'POST',
    headers: { authorization: 'local-mmp-key', 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: Readable.from(parts(), { objectMode: false }),
    signal: AbortSignal.timeout(60_000),
  });
  if (!response.ok) throw new Error(`OR74 answered ${response.status}`);
  await response.arrayBuffer();
};
