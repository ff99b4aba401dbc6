import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDocumentArchive, createS3Client } from '../../archive/index.js';
import type { ChannelDocumentsConfig } from '../../config/index.js';
import { channelDocumentsClientFromConfig } from '../../connect/index.js';
import type { HttpSend } from '../../http/index.js';
import { createOrderDocumentLedger } from '../../ledger/index.js';
import { traced } from '../../observability.js';
import { createMmpMarketplaceDocuments } from './marketplace.js';
import { createChannelDocumentSync, type ChannelDocumentSync } from './sync.js';

/** The document import of a function (orderSync, orderRefresh), from its validated configuration (readChannelDocumentsConfig). */
export const channelDocumentSyncFromConfig = (config: ChannelDocumentsConfig, send: HttpSend): ChannelDocumentSync => {
  const ledger = createOrderDocumentLedger({
    tableName: config.ledger.IDEMPOTENCY_TABLE,
    client: traced(new DynamoDBClient({})),
  });
  const maxArchiveBytes = config.archiveLimit.DOCUMENT_ARCHIVE_MAX_BYTES;
  return createChannelDocumentSync({
    marketplace: createMmpMarketplaceDocuments({
      config: config.mmp,
      runtime: config.runtime,
      send,
      ledger,
      invoiceTypes: config.channelDocuments.MMP_INVOICE_DOCUMENT_TYPES,
    }),
    ledger,
    archive: createDocumentArchive({
      s3: createS3Client(config.archive.S3_FORCE_PATH_STYLE),
      bucket: config.archive.DOCUMENTS_BUCKET,
      send,
      maxBytes: maxArchiveBytes,
    }),
    connect: channelDocumentsClientFromConfig(config.connect, config.runtime, send),
    maxArchiveBytes,
  });
};
