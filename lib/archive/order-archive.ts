import type { ReadableStream } from 'node:stream/web';
import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { ConnectorError } from '../errors.js';
import { extensionOf } from '../file-names.js';
import { count, logger, MetricName } from '../observability.js';
import type { Disposition, QueueMessage } from '../queue/index.js';
import {
  connectOrderFolder,
  CONNECT_DOCUMENT_TYPES,
  readArchiveRequest,
  type ArchiveRequest,
  type OperationRequest,
  type OrderDocumentsRequest,
} from './archive-request.js';
import { orderDocumentsPrefix, type DocumentOrigin } from './document-keys.js';
import type { DocumentArchive } from './documents.js';
import type { DownloadedDocument } from './download.js';
import { discard, spool, SpoolLimitExceeded, type SpooledFile } from './spool.js';
import { eachZipEntry } from './zip-entries.js';
import { handBackSeconds, type Backoff } from '../backoff.js';

/** Connect's v2 documents download: the ZIP's body, or undefined when Connect has none to give (404). */
export interface ConnectDocumentsSource {
  download(
    orderId: string,
    filter: { types?: string[]; documentIds?: string[] },
  ): Promise<ReadableStream<Uint8Array> | undefined>;
}

export interface MarketplaceDocument {
  id: string;
  fileName: string;
  type: string;
}

/** A marketplace shop's order documents: OR72 lists them, OR73 downloads one. */
export interface MarketplaceDocumentsSource {
  list(orderId: string): Promise<MarketplaceDocument[]>;
  download(orderId: string, documentId: string): Promise<{ body: ReadableStream<Uint8Array>; contentType?: string }>;
}

/** An operation of the operations API, as the archive files its PDF. */
export interface OperationDocument {
  id: string;
  /** `operationType`: INVOICE, DELIVERY_NOTE, DELIVERY, ORDER, PRE_ORDER, …. */
  type: string;
  /** Connect's channel_order_id of the order it belongs to. */
  reference: string;
  fileName: string;
}

/** The operations API: an operation by id or reference, its PDF, and (CONNECT_CHANNEL_ID set) the upload to Connect. */
export interface OperationsDocumentsSource {
  /** The archive folder, in place of a channel_id: the Connect channel when uploads are on, else `operations`. */
  folder: string;
  find(request: OperationRequest): Promise<OperationDocument & { download(): Promise<DownloadedDocument> }>;
  /** `archivedBefore`: an earlier request archived this very PDF, and so may have uploaded it. */
  upload?(
    operation: OperationDocument,
    file: DownloadedDocument,
    channelStoreId: string | undefined,
    archivedBefore: boolean,
  ): Promise<void>;
}

/** A source, or why this deployment cannot read from it (said at cold start and for each request). */
export type Source<T> = { ready: T } | { notConfigured: string };

export interface ArchiveSources {
  connect: Source<ConnectDocumentsSource>;
  /** By Connect `channel_store_id`; undefined for the single store. Throws DATA_NOT_FOUND for a store not served. */
  marketplace: Source<{ forStore(channelStoreId: string | undefined): Promise<MarketplaceDocumentsSource> }>;
  operations: Source<OperationsDocumentsSource>;
}

/** Folder of the v2 documents downloaded without a type filter (`document_ids`): the ZIP does not say their type. */
const UNTYPED = 'UNSPECIFIED';
/** A transient failure is tried again after a minute, doubling with each delivery, up to 15 min. */
const ARCHIVE_BACKOFF: Backoff = { base: 60, cap: 15 * 60, jitter: false };
const CONTENT_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  txt: 'text/plain',
  csv: 'text/csv',
  zpl: 'application/zpl',
  xml: 'application/xml',
  json: 'application/json',
  zip: 'application/zip',
};

interface Tally {
  stored: number;
  alreadyArchived: number;
  /** The source answered that it had no documents (404, or an empty list). */
  none: boolean;
}

/**
 * The documentArchive function's logic: reads a request, fetches the order's documents from its source, and
 * archives each under the UPLOAD_DOCUMENT layout (`documents/<channel_id>/<channel_order_id>/<type>/<name>`),
 * once: a document whose SHA-256 is already under the order (any type, any name, from any source) is skipped.
 * Invalid requests and unconfigured sources are dead-lettered with the reason; transient failures handed back.
 */
export const createArchiveProcessor = (options: {
  s3: S3Client;
  bucket: string;
  archive: DocumentArchive;
  sources: ArchiveSources;
  maxBytes: number;
  marketplaceChannel: string;
}) => {
  const { s3, bucket, archive, sources, maxBytes } = options;

  /** The SHA-256 of every document archived under an order (from each object's `sha256` metadata). */
  const archivedDigests = async (prefix: string): Promise<Set<string>> => {
    const digests = new Set<string>();
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: object.Key }));
        if (head.Metadata?.sha256) digests.add(head.Metadata.sha256);
      }
      token = page.NextContinuationToken;
    } while (token);
    return digests;
  };

  /**
   * Archives spooled documents of one order, skipping those already there; `then` gets the file either way (and
   * whether it was archived before), before it is removed.
   */
  const keeperFor = async (request: ArchiveRequest, channelId: string, channelOrderId: string) => {
    const digests = await archivedDigests(orderDocumentsPrefix(channelId, channelOrderId));
    const tally: Tally = { stored: 0, alreadyArchived: 0, none: false };
    const keep = async (
      file: SpooledFile,
      document: { name: string; type: string; id?: string; contentType?: string; reference?: string },
      then?: (file: DownloadedDocument, archivedBefore: boolean) => Promise<void>,
    ) => {
      const contentType =
        document.contentType && document.contentType !== 'application/octet-stream'
          ? document.contentType
          : contentTypeOf(document.name);
      const archivedBefore = digests.has(file.sha256);
      try {
        if (archivedBefore) {
          tally.alreadyArchived += 1;
        } else {
          const origin: DocumentOrigin = {
            channelId,
            channelOrderId,
            documentType: document.type,
            documentName: document.name,
            source: request.source,
            documentId: document.id,
            reference: document.reference,
          };
          const { created } = await archive.store({ ...file, contentType }, origin);
          digests.add(file.sha256);
          if (created) tally.stored += 1;
          else tally.alreadyArchived += 1;
        }
        await then?.({ ...file, contentType }, archivedBefore);
      } finally {
        await discard(file);
      }
    };
    return { keep, tally };
  };

  const fromConnect = async (request: OrderDocumentsRequest, connect: ConnectDocumentsSource): Promise<Tally> => {
    const { channelId, channelOrderId } = connectOrderFolder(request.order_id);
    const { keep, tally } = await keeperFor(request, channelId, channelOrderId);
    // One call per type, so that each document's type (the archive folder) is known: the ZIP does not say it.
    const calls = request.document_ids ? [undefined] : (request.types ?? [...CONNECT_DOCUMENT_TYPES]);
    let answered = 0;
    for (const type of calls) {
      const body = await connect.download(
        request.order_id,
        type ? { types: [type] } : { documentIds: request.document_ids },
      );
      if (!body) continue;
      answered += 1;
      const zip = await spool(body, maxBytes);
      try {
        await eachZipEntry(zip.path, async (entry, content) => {
          const name = entry.name.split('/').pop() || 'document';
          await keep(await spool(content, maxBytes), { name, type: type ?? UNTYPED });
        });
      } finally {
        await discard(zip);
      }
    }
    return { ...tally, none: answered === 0 };
  };

  const fromMarketplace = async (
    request: OrderDocumentsRequest,
    directory: { forStore(id: string | undefined): Promise<MarketplaceDocumentsSource> },
  ): Promise<Tally> => {
    const shop = await directory.forStore(request.channel_store_id);
    const { keep, tally } = await keeperFor(
      request,
      request.channel_id ?? options.marketplaceChannel,
      request.order_id,
    );
    const listed = (await shop.list(request.order_id)).filter(
      (document) =>
        (request.types?.includes(document.type) ?? true) && (request.document_ids?.includes(document.id) ?? true),
    );
    // One OR73 call per document (one id: the raw file), so each keeps the name and type OR72 gave it.
    for (const document of listed) {
      const { body, contentType } = await shop.download(request.order_id, document.id);
      await keep(await spool(body, maxBytes), {
        name: document.fileName,
        type: document.type,
        id: document.id,
        contentType,
      });
    }
    return { ...tally, none: listed.length === 0 };
  };

  /** The operation's PDF, archived under its reference (the Connect order), then uploaded when uploads are on. */
  const fromOperations = async (request: OperationRequest, operations: OperationsDocumentsSource): Promise<Tally> => {
    const operation = await operations.find(request);
    const { keep, tally } = await keeperFor(request, operations.folder, operation.reference);
    const upload = operations.upload?.bind(operations);
    await keep(
      await operation.download(),
      { name: operation.fileName, type: operation.type, id: operation.id, reference: operation.reference },
      upload && ((file, archivedBefore) => upload(operation, file, request.channel_store_id, archivedBefore)),
    );
    return tally;
  };

  const archiveOrder = async (request: ArchiveRequest): Promise<Disposition> => {
    const source = sources[request.source];
    if ('notConfigured' in source) {
      return {
        kind: 'dead-letter',
        reason: `The ${request.source} source of the document archive is not configured: ${source.notConfigured}`,
      };
    }
    const tally =
      request.source === 'operations'
        ? await fromOperations(request, (source as { ready: OperationsDocumentsSource }).ready)
        : request.source === 'connect'
          ? await fromConnect(request, (source as { ready: ConnectDocumentsSource }).ready)
          : await fromMarketplace(
              request,
              (source as { ready: { forStore(id: string | undefined): Promise<MarketplaceDocumentsSource> } }).ready,
            );
    const ids = { ...requestIds(request), ...(request.channel_store_id && { store: request.channel_store_id }) };
    if (tally.none) {
      // Normal (no documents yet), but it is also what a wrong order id looks like: logged and counted.
      count(MetricName.ArchiveRequestsWithoutDocuments);
      logger.info('No documents to archive for this order (the source answered 404 or listed none)', ids);
    } else {
      logger.info('Order documents archived', {
        ...ids,
        stored: tally.stored,
        already_archived: tally.alreadyArchived,
      });
    }
    return { kind: 'done' };
  };

  return async (message: QueueMessage): Promise<Disposition> => {
    const read = readArchiveRequest(message.body);
    if (!read.ok) return { kind: 'dead-letter', reason: read.reason };
    try {
      return await archiveOrder(read.request);
    } catch (error) {
      return dispositionOf(error, read.request, maxBytes, message.receiveCount);
    }
  };
};

/** Transient failures go back to SQS (maxReceiveCount ends them); refusals are final, with the reason. */
const dispositionOf = (
  error: unknown,
  request: ArchiveRequest,
  maxBytes: number,
  receiveCount: number,
): Disposition => {
  const subject =
    request.source === 'operations'
      ? `Archive of operation ${request.order_id ?? `reference ${request.reference}`} from operations`
      : `Archive of order ${request.order_id} from ${request.source}`;
  if (error instanceof SpoolLimitExceeded) {
    return {
      kind: 'dead-letter',
      reason: `${subject}: a download is larger than ${maxBytes} bytes (DOCUMENT_ARCHIVE_MAX_BYTES)`,
    };
  }
  const transient = error instanceof ConnectorError ? error.transient : true;
  const reason = `${subject}: ${error instanceof Error ? error.message : String(error)}`;
  if (!transient) return { kind: 'dead-letter', reason };
  const retryAfter = error instanceof ConnectorError ? error.retryAfterSeconds : undefined;
  logger.warn('Document archive failed for now: handed back to the queue', { ...requestIds(request), reason });
  return { kind: 'retry', reason, afterSeconds: handBackSeconds(ARCHIVE_BACKOFF, receiveCount, retryAfter) };
};

/** What logs name a request by: its order id, or the operation's reference. */
const requestIds = (request: ArchiveRequest) => ({
  source: request.source,
  ...(request.order_id !== undefined && { order_id: request.order_id }),
  ...(request.source === 'operations' && request.reference !== undefined && { reference: request.reference }),
});

const contentTypeOf = (name: string): string => CONTENT_TYPES[extensionOf(name)] ?? 'application/octet-stream';
