import { S3Client } from '@aws-sdk/client-s3';
import { traced } from '../observability.js';

export { archiveDeadLetter, DEAD_LETTER_PREFIX } from './dead-letters.js';
export type { DeadLetter } from './dead-letters.js';
export { describeLink, linkExpiry } from './document-link.js';
export { contentDisposition, documentKeys, documentMetadata, orderDocumentsPrefix } from './document-keys.js';
export type { DocumentOrigin } from './document-keys.js';
export { ArchivedDocument, createDocumentArchive } from './documents.js';
export type { DocumentArchive } from './documents.js';
export type { DownloadedDocument } from './download.js';
export { discard, spool, SpoolLimitExceeded } from './spool.js';
export type { SpooledFile } from './spool.js';

/** Local S3 servers need path-style URLs (`S3_FORCE_PATH_STYLE`); AWS does not. */
export const createS3Client = (forcePathStyle: boolean) => traced(new S3Client({ forcePathStyle }));
export { ArchiveRequest, CONNECT_DOCUMENT_TYPES, connectOrderFolder, readArchiveRequest } from './archive-request.js';
export type { OperationRequest, OrderDocumentsRequest } from './archive-request.js';
export { createArchiveProcessor } from './order-archive.js';
export type {
  ArchiveSources,
  ConnectDocumentsSource,
  MarketplaceDocument,
  MarketplaceDocumentsSource,
  OperationDocument,
  OperationsDocumentsSource,
  Source,
} from './order-archive.js';
export { eachZipEntry } from './zip-entries.js';
