import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { readChannelDocumentsConfig } from '../lib/config/index.js';
import { createTokenProvider } from '../lib/connect/index.js';
import { createHttpClient, sendStreamed } from '../lib/http/index.js';
import { channelDocumentSyncFromConfig } from '../lib/import/documents/index.js';
import { literalSecret } from '../lib/secrets.js';
import type { ChannelServersReply, ChannelServersRequest } from './channel-document-servers.js';
import { forkServers } from './servers-process.js';
import { table } from './figures.js';

const MB = 1024 * 1024;
const DOCUMENTS = 200;
const MIN_BYTES = 1 * MB;
const MAX_BYTES = 5 * MB;
/** Orders per sync call, as the import hands them over (one document each). */
const BATCH_SIZE = 20;
/** The plain copy runs as many transfers at once as the sync does. */
const CONCURRENCY = 4;
const ORIGIN = { channel_id: '0024', channel_store_id: 'bench-store' };

interface Batch {
  documents: Array<{ orderId: string; documentId: string; sha256: string }>;
  bytes: number;
}

/**
 * The document import (OR72 → OR73 → S3 archive → uploadOrderDocument, state in DynamoDB) on 200 documents of
 * 1–5 MB, 20 orders a call, against the limit: the same bytes downloaded (OR73) and uploaded (streamed multipart)
 * with nothing else. The servers run in a child process (they keep documents in memory), so the memory figures
 * are the importing process's: its peak RSS growth should stay flat, not follow the documents' size.
 */
export const run = async () => {
  const servers = await startServers();
  try {
    Object.assign(process.env, servers.env); // the AWS SDK reads its endpoints from the environment, as in Lambda
    const send = createHttpClient();
    const documents = channelDocumentSyncFromConfig(readChannelDocumentsConfig(servers.env), send);
    const importBatch = async (batch: Batch) => {
      const result = await documents.syncOrderDocuments({
        origin: ORIGIN,
        orders: batch.documents.map((document) => ({ channelOrderId: document.orderId })),
      });
      if (result.uploaded !== batch.documents.length)
        throw new Error(
          `the sync uploaded ${result.uploaded} of ${batch.documents.length} documents: ${JSON.stringify(result.failures)}`,
        );
    };
    await measure(servers, 4, importBatch, 'mmp-bench-store-');
    const measured = await measure(servers, DOCUMENTS, importBatch, 'mmp-bench-store-');
    const limit = await measure(servers, DOCUMENTS, plainCopier(servers.env, send), 'plain-');
    const row = (name: string, figures: Awaited<ReturnType<typeof measure>>) => [
      name,
      figures.count,
      (figures.bytes / MB).toFixed(0),
      (figures.count / (figures.busyMs / 1000)).toFixed(1),
      (figures.bytes / MB / (figures.busyMs / 1000)).toFixed(1),
      ...figures.peakGrowth.map((growth) => (growth / MB).toFixed(1)),
    ];
    table([
      ['', 'documents', 'MB', 'documents/s', 'MB/s', 'peak RSS growth, 1–3 MB (MB)', 'peak RSS growth, all (MB)'],
      row('document import (syncOrderDocuments)', measured),
      row('limit (plain download + upload)', limit),
    ]);
    console.log(
      `ratio import / limit: ${(measured.busyMs > 0 ? limit.busyMs / measured.busyMs : 0).toFixed(2)} (documents/s)`,
    );
    console.log(
      `memory goal: flat, not proportional to document size (${CONCURRENCY} documents in flight, ${MAX_BYTES / MB} MB the largest)`,
    );
  } finally {
    await servers.stop();
  }
};

type Servers = Awaited<ReturnType<typeof startServers>>;

const startServers = () =>
  forkServers<ChannelServersRequest, ChannelServersReply>(new URL('./channel-document-servers.ts', import.meta.url));

/**
 * Runs `work` over `count` documents (sizes spread evenly over 1–5 MB), batch by batch, timing the work only and
 * sampling the RSS meanwhile; then checks Connect holds each document's bytes under `idPrefix` + its id.
 */
const measure = async (servers: Servers, count: number, work: (batch: Batch) => Promise<void>, idPrefix: string) => {
  const startRss = process.memoryUsage.rss();
  let peak = startRss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  let bytes = 0;
  let busyMs = 0;
  /** Peak RSS growth over the smaller half of the documents (1–3 MB), then over all of them. */
  const peakGrowth: number[] = [];
  try {
    for (let first = 0; first < count; first += BATCH_SIZE) {
      const size = Math.min(BATCH_SIZE, count - first);
      const sizes = Array.from({ length: size }, (_, offset) =>
        Math.round(MIN_BYTES + ((MAX_BYTES - MIN_BYTES) * (first + offset)) / Math.max(1, count - 1)),
      );
      const orderIds = sizes.map(() => `BENCH-${randomUUID().slice(0, 8)}`);
      const made = await servers.ask({ type: 'orders', orderIds, sizes });
      if (made.type !== 'orders') throw new Error('the servers did not make the documents');
      const started = performance.now();
      await work({ documents: made.documents, bytes: sizes.reduce((sum, one) => sum + one, 0) });
      busyMs += performance.now() - started;
      bytes += sizes.reduce((sum, one) => sum + one, 0);
      const checked = await servers.ask({ type: 'check', orderIds });
      const held =
        checked.type === 'check'
          ? new Map(checked.held.map((document) => [document.channelDocumentId, document.sha256]))
          : new Map();
      for (const document of made.documents) {
        if (held.get(`${idPrefix}${document.documentId}`) !== document.sha256)
          throw new Error(`document ${document.documentId} did not reach Connect intact`);
      }
      if (first + size === count / 2) peakGrowth.push(peak - startRss);
    }
    peakGrowth.push(peak - startRss);
  } finally {
    clearInterval(sampler);
  }
  return { count, bytes, busyMs, peakGrowth };
};

/** OR73's body streamed straight into a multipart uploadOrderDocument (node:http), nothing else: no archive, no state. */
const plainCopier = (env: Record<string, string>, send: ReturnType<typeof createHttpClient>) => {
  const tokens = createTokenProvider({
    authUrl: env.CONNECT_AUTH_URL as string,
    clientId: env.CONNECT_CLIENT_ID as string,
    clientSecret: literalSecret(env.CONNECT_CLIENT_SECRET as string),
    send,
  });
  const copy = async (document: Batch['documents'][number]) => {
    const download = await fetch(
      `${env.MMP_API_URL}/api/orders/documents/download?order_ids=${document.orderId}&document_ids=${document.documentId}`,
      {
        headers: { authorization: env.MMP_API_KEY as string },
      },
    );
    const boundary = `bench-${randomUUID()}`;
    const json = (name: string, value: unknown) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(value)}\r\n`;
    const metadata = {
      channel_document_id: `plain-${document.documentId}`,
      filename: 'invoice.pdf',
      type: 'CUSTOMER_INVOICE',
    };
    async function* parts() {
      yield Buffer.from(json('metadata', metadata) + json('origin', ORIGIN));
      yield Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="invoice.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      );
      yield* Readable.fromWeb(download.body as ReadableStream<Uint8Array>);
      yield Buffer.from(`\r\n--${boundary}--\r\n`);
    }
    const response = await sendStreamed(`${env.CONNECT_API_URL}/v1/orders/${document.orderId}/documents`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await tokens.token()}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      body: Readable.from(parts(), { objectMode: false }),
      signal: AbortSignal.timeout(60_000),
    });
    if (response.status !== 204) throw new Error(`uploadOrderDocument answered ${response.status}`);
  };
  return async (batch: Batch) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < batch.documents.length) await copy(batch.documents[next++] as Batch['documents'][number]);
      }),
    );
  };
};
