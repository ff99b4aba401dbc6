import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createArchiveProcessor, createDocumentArchive, createS3Client, type ArchiveSources } from '../lib/archive/index.js';
import { createMmpArchiveSource } from '../lib/channel/mmp/index.js';
import { createOperationsArchiveSource } from '../lib/channel/operations/index.js';
import { readDocumentArchiveConfig } from '../lib/config.js';
import { orderDocumentsClientFromConfig } from '../lib/connect/index.js';
import { createHttpClient, withDeadline } from '../lib/http/index.js';
import { logger, metrics, tracer } from '../lib/observability.js';
import { createQueueOperations, settleDispositions, toQueueMessage, type Disposition } from '../lib/queue/index.js';

/** Built once per container, on the first event; a source that is not configured is said once, here, as a warning. */
const createServices = (env: NodeJS.ProcessEnv) => {
  const config = readDocumentArchiveConfig(env);
  const send = createHttpClient({ timeoutMs: config.runtime.HTTP_TIMEOUT_MS });
  const s3 = createS3Client(config.archive.S3_FORCE_PATH_STYLE);
  const { connectSeller, mmp, operations } = config;
  const maxBytes = config.documentArchive.DOCUMENT_ARCHIVE_MAX_BYTES;
  const sources: ArchiveSources = {
    connect: connectSeller.configured ? { ready: orderDocumentsClientFromConfig(connectSeller.config, config.runtime, send) } : { notConfigured: connectSeller.reason },
    marketplace: mmp.configured ? { ready: createMmpArchiveSource({ config: mmp.config, runtime: config.runtime, send }) } : { notConfigured: mmp.reason },
    operations: operations.configured
      ? { ready: createOperationsArchiveSource({ config: operations.config, runtime: config.runtime, send, maxBytes }) }
      : { notConfigured: operations.reason },
  };
  for (const [source, state] of Object.entries(sources)) {
    if ('notConfigured' in state) logger.warn(`The ${source} source of the document archive is not configured: its requests will be dead-lettered`, { source, reason: state.notConfigured });
  }
  return {
    dlqUrl: config.documentArchive.DOCUMENT_ARCHIVE_DLQ_URL,
    queue: createQueueOperations(),
    process: createArchiveProcessor({
      s3,
      bucket: config.archive.DOCUMENTS_BUCKET,
      archive: createDocumentArchive({ s3, bucket: config.archive.DOCUMENTS_BUCKET, send, maxBytes }),
      sources,
      maxBytes,
      marketplaceChannel: config.documentArchive.DOCUMENT_ARCHIVE_MARKETPLACE_CHANNEL,
    }),
  };
};
type Services = ReturnType<typeof createServices>;

/**
 * The `documentArchive` function: archive requests from the document-archive queue, one after the other (each
 * spools its downloads to the temporary storage). Only the records that cannot be archived now fail.
 */
export const createDocumentArchiveHandler = (env: NodeJS.ProcessEnv = process.env) => {
  let services: Services | undefined;

  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    // A configuration error (no DOCUMENTS_BUCKET) fails the whole invocation, loudly: it is the operator's to fix.
    services ??= createServices(env);
    const ready = services;
    const deadline = Date.now() + context.getRemainingTimeInMillis();
    const dispositions = await withDeadline(deadline, async () => {
      const settled = new Map<string, Disposition>();
      for (const record of event.Records) settled.set(record.messageId, await ready.process(toQueueMessage(record)));
      return settled;
    });
    const failed = await settleDispositions(ready.queue, { queueArn: event.Records[0]?.eventSourceARN ?? '', dlqUrl: ready.dlqUrl }, event.Records, dispositions);
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  })
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
};

export const handler = createDocumentArchiveHandler();
