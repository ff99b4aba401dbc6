import type { SQSEvent } from 'aws-lambda';
import {
  createArchiveProcessor,
  createDocumentArchive,
  createS3Client,
  type ArchiveSources,
} from '../lib/archive/index.js';
import { createMmpArchiveSource } from '../lib/channel/mmp/index.js';
import { createOperationsArchiveSource } from '../lib/channel/operations/index.js';
import { readDocumentArchiveConfig } from '../lib/config/index.js';
import { orderDocumentsClientFromConfig } from '../lib/connect/index.js';
import { createHttpClient } from '../lib/http/index.js';
import { logger } from '../lib/observability.js';
import { createQueueOperations, settleBatch, toQueueMessage, type Disposition } from '../lib/queue/index.js';
import { lambdaFunction } from '../lib/lambda-function.js';

/** Built once per container, on the first event; a source that is not configured is said once, here, as a warning. */
const createServices = (env: NodeJS.ProcessEnv) => {
  const config = readDocumentArchiveConfig(env);
  const send = createHttpClient({ timeoutMs: config.runtime.HTTP_TIMEOUT_MS });
  const s3 = createS3Client(config.archive.S3_FORCE_PATH_STYLE);
  const { connectSeller, mmp, operations } = config;
  const maxBytes = config.documentArchive.DOCUMENT_ARCHIVE_MAX_BYTES;
  const sources: ArchiveSources = {
    connect: connectSeller.configured
      ? { ready: orderDocumentsClientFromConfig(connectSeller.config, config.runtime, send) }
      : { notConfigured: connectSeller.reason },
    marketplace: mmp.configured
      ? { ready: createMmpArchiveSource({ config: mmp.config, runtime: config.runtime, send }) }
      : { notConfigured: mmp.reason },
    operations: operations.configured
      ? { ready: createOperationsArchiveSource({ config: operations.config, runtime: config.runtime, send, maxBytes }) }
      : { notConfigured: operations.reason },
  };
  for (const [source, state] of Object.entries(sources)) {
    if ('notConfigured' in state)
      logger.warn(
        `The ${source} source of the document archive is not configured: its requests will be dead-lettered`,
        { source, reason: state.notConfigured },
      );
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

/**
 * The `documentArchive` function: archive requests from the document-archive queue, one after the other (each
 * spools its downloads to the temporary storage). Only the records that cannot be archived now fail.
 */
export const createDocumentArchiveHandler = (env: NodeJS.ProcessEnv = process.env) =>
  lambdaFunction(
    () => createServices(env),
    async (event: SQSEvent, services) => {
      const dispositions = new Map<string, Disposition>();
      for (const record of event.Records)
        dispositions.set(record.messageId, await services.process(toQueueMessage(record)));
      return settleBatch(event, services, dispositions);
    },
  );

export const handler = createDocumentArchiveHandler();
