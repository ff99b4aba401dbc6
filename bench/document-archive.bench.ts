import { createDocumentArchiveHandler } from '../functions/document-archive.js';
import { lambdaContext } from '../local/runtime/context.js';
import type { ArchiveServersReply, ArchiveServersRequest } from './document-archive-servers.js';
import { forkServers } from './servers-process.js';
import { sqsRecord, table } from './figures.js';

const MB = 1024 * 1024;
/** One order with 50 documents of 4 MB: a ZIP of 200 MB, spooled, read entry by entry, one object each. */
const DOCUMENTS = 50;
const DOCUMENT_BYTES = 4 * MB;
const QUEUE_ARN = 'arn:aws:sqs:eu-west-1:000000000000:bench-document-archive';

/**
 * documentArchive throughput and memory on a 200 MB v2 ZIP through the real handler (connect source), the
 * servers in a child process. The peak RSS growth of this process should stay flat: the ZIP goes to the
 * temporary storage, and each document is streamed from it to S3.
 */
export const run = async () => {
  const servers = await startServers();
  try {
    Object.assign(process.env, servers.env);
    const handler = createDocumentArchiveHandler({ ...servers.env });
    const rows: Array<Array<string | number>> = [['order', 'documents', 'MB', 's', 'MB/s', 'peak RSS growth (MB)']];
    for (const [label, count, size] of [
      ['warm-up (5 x 100 KB)', 5, 100_000],
      ['50 x 4 MB', DOCUMENTS, DOCUMENT_BYTES],
    ] as const) {
      const orderId = `0024_BENCH-${Date.now().toString(36)}`;
      const made = await servers.ask({ type: 'order', orderId, count, size });
      if (made.type !== 'order') throw new Error('the servers did not make the order');
      const startRss = process.memoryUsage.rss();
      let peak = startRss;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage.rss());
      }, 5);
      const started = performance.now();
      const response = await handler(
        {
          Records: [
            sqsRecord(JSON.stringify({ source: 'connect', order_id: orderId, types: ['CUSTOMER_INVOICE'] }), QUEUE_ARN),
          ],
        },
        lambdaContext('documentArchive', 300_000),
      );
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      if (response.batchItemFailures.length > 0) throw new Error('the archive request was handed back');
      const archived = await servers.ask({ type: 'archived', prefix: `documents/0024/${orderId.slice(5)}/` });
      if (archived.type !== 'archived' || archived.sha256s.sort().join() !== made.sha256s.sort().join())
        throw new Error(`order ${orderId} was not archived intact`);
      const bytes = count * size;
      rows.push([
        label,
        count,
        (bytes / MB).toFixed(1),
        seconds.toFixed(1),
        (bytes / MB / seconds).toFixed(1),
        ((peak - startRss) / MB).toFixed(1),
      ]);
    }
    table(rows);
    console.log('memory goal: flat, not proportional to the ZIP (200 MB) or its documents (4 MB each)');
  } finally {
    await servers.stop();
  }
};

const startServers = () =>
  forkServers<ArchiveServersRequest, ArchiveServersReply>(new URL('./document-archive-servers.ts', import.meta.url));
