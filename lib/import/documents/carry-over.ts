import { discard, spool, SpoolLimitExceeded, type SpooledFile } from '../../archive/index.js';
import { channelDocumentContentType, channelDocumentRefusal, type ChannelDocumentOrigin } from '../../connect/index.js';
import { HttpError, timeLeft } from '../../http/index.js';
import type { OrderDocumentEntry, OrderDocumentsState } from '../../ledger/index.js';
import { count, logger, MetricName } from '../../observability.js';
import { ActionFailure } from '../../outcome.js';
import { channelDocumentIdOf, connectDocumentType, connectFileName } from './document-types.js';
import type { MarketplaceDocuments } from './marketplace.js';
import type { ListedDocument } from './plan.js';
import type { DocumentSyncResult, DocumentSyncServices, OrderToSync } from './sync.js';

/** A document is not started with less time left than this before the function's deadline (withDeadline). */
const MIN_TIME_PER_DOCUMENT_MS = 15_000;

/** One order's side of a sync call. */
export interface OrderContext {
  deps: DocumentSyncServices;
  marketplace: MarketplaceDocuments;
  store: string;
  origin: ChannelDocumentOrigin;
  order: OrderToSync;
  state: OrderDocumentsState;
  result: DocumentSyncResult;
}

/** One new document: download, then echo / archive / skip / upload. Failures are returned, never thrown. */
export const pushDocument = async (
  context: OrderContext,
  document: ListedDocument,
  previous: OrderDocumentEntry | undefined,
): Promise<void> => {
  const where = { channelOrderId: context.order.channelOrderId, documentId: document.id };
  if (timeLeft() < MIN_TIME_PER_DOCUMENT_MS) return fail(context.result, where, new NoTimeLeft());
  return carryOver(context, document, previous).catch((error: unknown) => fail(context.result, where, error));
};

class NoTimeLeft extends Error {
  override readonly name = 'NoTimeLeft';
  constructor() {
    super(`not started: less than ${MIN_TIME_PER_DOCUMENT_MS / 1000} s left before the function's deadline`);
  }
}

/** The download, then what the document is: an echo, unsupported (archived only), or uploaded after archiving. */
const carryOver = async (
  context: OrderContext,
  document: ListedDocument,
  previous: OrderDocumentEntry | undefined,
): Promise<void> => {
  const { deps, marketplace, store, order, result } = context;
  const orderId = order.channelOrderId;
  const ids = { store, channel_order_id: orderId, document_id: document.id, type: document.type };
  const record = (entry: OrderDocumentEntry) => deps.ledger.record(store, orderId, document.id, entry);
  const skip = async (reason: string, sha256?: string) => {
    await record({ status: 'skipped', reason, ...(sha256 && { sha256 }) });
    result.skipped += 1;
    count(MetricName.ChannelDocumentsSkipped);
    logger.warn(`Marketplace document ${document.fileName} not uploaded to Connect: ${reason}`, { ...ids, reason });
  };

  const tooLarge = `larger than ${deps.maxArchiveBytes} bytes (DOCUMENT_ARCHIVE_MAX_BYTES): neither archived nor uploaded`;
  if ((document.fileSize ?? 0) > deps.maxArchiveBytes) return skip(tooLarge);
  let file: SpooledFile;
  try {
    const { body } = await marketplace.download(orderId, document.id);
    file = await spool(body, deps.maxArchiveBytes);
  } catch (error) {
    if (error instanceof SpoolLimitExceeded) return skip(tooLarge);
    throw error;
  }
  try {
    if (context.state.attached.has(file.sha256)) {
      await record({ status: 'echo', sha256: file.sha256 });
      result.echoes += 1;
      count(MetricName.ChannelDocumentEchoesSkipped);
      logger.info('Document attached by the connector for an UPLOAD_DOCUMENT: not uploaded back to Connect', ids);
      return;
    }
    const contentType = channelDocumentContentType(document.fileName) ?? 'application/octet-stream';
    await deps.archive.store(
      { ...file, contentType },
      {
        channelId: context.origin.channel_id,
        channelOrderId: orderId,
        documentType: document.type,
        documentName: document.fileName,
        source: 'marketplace',
        documentId: document.id,
      },
    );
    const refusal = channelDocumentRefusal({ filename: document.fileName, size: file.size });
    if (refusal) return await skip(`${refusal} (archived)`, file.sha256);

    const channelDocumentId = channelDocumentIdOf(marketplace.shop, document.id);
    const returnId = order.returnDocuments?.get(document.id);
    const metadata = {
      channel_document_id: channelDocumentId,
      filename: connectFileName(document.fileName),
      ...connectDocumentType(document.type, await marketplace.invoiceTypes()),
      ...(document.type === 'SYSTEM_RETURN_LABEL' && returnId && { entity: { id: returnId, type: 'RETURN' as const } }),
    };
    if (previous?.status !== 'uploading')
      await record({ status: 'uploading', channel_document_id: channelDocumentId, sha256: file.sha256 });
    try {
      await deps.connect.upload({
        channelOrderId: orderId,
        origin: context.origin,
        metadata,
        file: { path: file.path, size: file.size, contentType },
      });
    } catch (error) {
      // An earlier run's upload of this very document may have landed: Connect may refuse the repeat.
      if (!(previous?.status === 'uploading' && error instanceof HttpError && error.status === 400)) throw error;
      logger.warn('Connect refused the repeat of an upload an earlier run may have delivered: taken as uploaded', {
        ...ids,
        channel_document_id: channelDocumentId,
        code: error.details.code,
      });
    }
    await record({ status: 'uploaded', channel_document_id: channelDocumentId, sha256: file.sha256 });
    result.uploaded += 1;
    count(MetricName.ChannelDocumentsUploaded);
    logger.info('Marketplace document uploaded to Connect', {
      ...ids,
      channel_document_id: channelDocumentId,
      connect_type: metadata.type,
      size: file.size,
    });
  } finally {
    await discard(file);
  }
};

/** A document this connector uploaded (or may have) that the marketplace no longer lists: deleted in Connect, then forgotten. */
export const removeDocument = async (
  context: OrderContext,
  gone: { documentId: string; channelDocumentId: string },
): Promise<void> => {
  const { deps, store, result } = context;
  const orderId = context.order.channelOrderId;
  try {
    const answer = await deps.connect.remove(gone.channelDocumentId, context.origin);
    await deps.ledger.forget(store, orderId, gone.documentId);
    result.deleted += 1;
    count(MetricName.ChannelDocumentsDeleted);
    logger.info('Document gone from the marketplace: deleted in Connect', {
      store,
      channel_order_id: orderId,
      document_id: gone.documentId,
      channel_document_id: gone.channelDocumentId,
      answer,
    });
  } catch (error) {
    fail(result, { channelOrderId: orderId, documentId: gone.documentId }, error);
  }
};

export const fail = (
  result: DocumentSyncResult,
  where: { channelOrderId: string; documentId?: string },
  error: unknown,
): void => {
  const transient = error instanceof HttpError || error instanceof ActionFailure ? error.transient : true;
  const retryAfterSeconds =
    error instanceof HttpError
      ? error.details.retryAfterSeconds
      : error instanceof ActionFailure
        ? error.retryAfterSeconds
        : undefined;
  const reason = error instanceof Error ? error.message : String(error);
  result.failures.push({ ...where, reason, transient, ...(retryAfterSeconds !== undefined && { retryAfterSeconds }) });
  count(MetricName.ChannelDocumentsFailed);
  logger.warn('Order documents not carried over to Connect this time', {
    channel_order_id: where.channelOrderId,
    document_id: where.documentId,
    reason,
    transient,
  });
};
