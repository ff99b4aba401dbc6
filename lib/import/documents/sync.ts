import type { DocumentArchive } from '../../archive/index.js';
import { discard, spool, SpoolLimitExceeded, type SpooledFile } from '../../archive/index.js';
import type { ConnectOrigin } from '../../connect/channel-orders.js';
import type { ChannelDocumentOrigin, ChannelDocumentsClient } from '../../connect/index.js';
import { channelDocumentContentType, channelDocumentRefusal } from '../../connect/index.js';
import { HttpError, timeLeft } from '../../http/index.js';
import type { OrderDocumentEntry, OrderDocumentLedger, OrderDocumentsState } from '../../ledger/index.js';
import { count, logger, MetricName } from '../../observability.js';
import { ActionFailure } from '../../outcome.js';
import { channelDocumentIdOf, connectDocumentType, connectFileName } from './document-types.js';
import type { MarketplaceDocuments } from './marketplace.js';
import { planOrderDocuments, type ListedDocument } from './plan.js';

/** Documents handled at the same time in one call (each streams through the temporary storage). */
const CONCURRENCY = 4;
/** A document is not started with less time left than this before the function's deadline (withDeadline). */
const MIN_TIME_PER_DOCUMENT_MS = 15_000;

/** One order the import touched. */
export interface OrderToSync {
  channelOrderId: string;
  /** `origin.sub_channel_code` of the order, when it has one. */
  subChannelCode?: string;
  /** Marketplace document id → `channel_return_id`, from RT11 `documents[]` of the order's returns. */
  returnDocuments?: ReadonlyMap<string, string>;
}

/** A document (or, without `documentId`, an order's whole listing) not carried over this time. */
export interface DocumentSyncFailure {
  channelOrderId: string;
  documentId?: string;
  /** Ids and short reasons only. */
  reason: string;
  /** An outage or throttling: worth trying again soon. */
  transient: boolean;
  retryAfterSeconds?: number;
}

export interface DocumentSyncResult {
  uploaded: number;
  deleted: number;
  skipped: number;
  echoes: number;
  awaitingReturn: number;
  unchanged: number;
  failures: DocumentSyncFailure[];
}

export interface ChannelDocumentSync {
  /** Brings Connect's documents of these orders (one store, any number of orders) in line with the marketplace's. */
  syncOrderDocuments(request: { origin: ConnectOrigin; orders: OrderToSync[] }): Promise<DocumentSyncResult>;
}

/**
 * The marketplace's order documents in Connect (invariant 18, MIRAKL-SYNC.md §6.5). For the orders given:
 * OR72 lists their documents, and each one not handled yet is downloaded (OR73), archived (the document
 * archive's keys, metadata and dedupe) and uploaded under a deterministic `channel_document_id`, unless it is a
 * file the connector attached itself (never uploaded back) or one Connect does not take (archived, warned,
 * counted). Documents this connector uploaded that OR72 no longer lists are deleted in Connect. What became of
 * each document is recorded per order, so the next run uploads nothing twice. One document's failure never
 * stops the others: it is returned, and the document is tried again the next time its order is synced.
 */
export const createChannelDocumentSync = (deps: {
  marketplace: { forStore(channelStoreId: string): Promise<MarketplaceDocuments> };
  ledger: OrderDocumentLedger;
  archive: Pick<DocumentArchive, 'store'>;
  connect: ChannelDocumentsClient;
  /** The largest document archived (DOCUMENT_ARCHIVE_MAX_BYTES); a larger one is skipped. */
  maxArchiveBytes: number;
}): ChannelDocumentSync => ({
  async syncOrderDocuments({ origin, orders }) {
    const result: DocumentSyncResult = { uploaded: 0, deleted: 0, skipped: 0, echoes: 0, awaitingReturn: 0, unchanged: 0, failures: [] };
    const unique = [...new Map(orders.map((order) => [order.channelOrderId, order])).values()];
    if (unique.length === 0) return result;
    const store = origin.channel_store_id;
    const marketplace = await deps.marketplace.forStore(store);
    const orderIds = unique.map((order) => order.channelOrderId);
    let listed: Map<string, ListedDocument[]>;
    try {
      listed = await marketplace.list(orderIds);
    } catch (error) {
      for (const orderId of orderIds) fail(result, { channelOrderId: orderId }, error);
      return result;
    }
    // Read after OR72: a file UPLOAD_DOCUMENT attaches is remembered before OR74, so any file listed above is known here.
    const states = await deps.ledger.read(store, orderIds);

    const tasks: Array<() => Promise<void>> = [];
    for (const order of unique) {
      const orderId = order.channelOrderId;
      const state = states.get(orderId) as OrderDocumentsState;
      const plan = planOrderDocuments(listed.get(orderId) ?? [], state, (documentId) => order.returnDocuments?.get(documentId));
      result.unchanged += plan.unchanged;
      for (const document of plan.awaitingReturn) {
        result.awaitingReturn += 1;
        count(MetricName.ChannelDocumentsAwaitingReturn);
        logger.info('Return label left for later: the import named no return for it', { store, channel_order_id: orderId, document_id: document.id });
      }
      const documentOrigin = { ...origin, ...(order.subChannelCode && { sub_channel_code: order.subChannelCode }) };
      const context = { deps, marketplace, store, origin: documentOrigin, order, state, result };
      for (const { document, previous } of plan.push) tasks.push(() => pushDocument(context, document, previous));
      for (const gone of plan.remove) tasks.push(() => removeDocument(context, gone));
      for (const documentId of plan.forget) {
        tasks.push(() => deps.ledger.forget(store, orderId, documentId).catch((error: unknown) => fail(result, { channelOrderId: orderId, documentId }, error)));
      }
    }
    await runAll(tasks, CONCURRENCY);
    return result;
  },
});

/** One order's side of a sync call. */
interface OrderContext {
  deps: Parameters<typeof createChannelDocumentSync>[0];
  marketplace: MarketplaceDocuments;
  store: string;
  origin: ChannelDocumentOrigin;
  order: OrderToSync;
  state: OrderDocumentsState;
  result: DocumentSyncResult;
}

/** One new document: download, then echo / archive / skip / upload. Failures are returned, never thrown. */
const pushDocument = async (context: OrderContext, document: ListedDocument, previous: OrderDocumentEntry | undefined): Promise<void> => {
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

const carryOver = async (context: OrderContext, document: ListedDocument, previous: OrderDocumentEntry | undefined): Promise<void> => {
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
      { channelId: context.origin.channel_id, channelOrderId: orderId, documentType: document.type, documentName: document.fileName, source: 'marketplace', documentId: document.id },
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
    if (previous?.status !== 'uploading') await record({ status: 'uploading', channel_document_id: channelDocumentId, sha256: file.sha256 });
    try {
      await deps.connect.upload({ channelOrderId: orderId, origin: context.origin, metadata, file: { path: file.path, size: file.size, contentType } });
    } catch (error) {
      // An earlier run's upload of this very document may have landed: Connect may refuse the repeat.
      if (!(previous?.status === 'uploading' && error instanceof HttpError && error.status === 400)) throw error;
      logger.warn('Connect refused the repeat of an upload an earlier run may have delivered: taken as uploaded', { ...ids, channel_document_id: channelDocumentId, code: error.details.code });
    }
    await record({ status: 'uploaded', channel_document_id: channelDocumentId, sha256: file.sha256 });
    result.uploaded += 1;
    count(MetricName.ChannelDocumentsUploaded);
    logger.info('Marketplace document uploaded to Connect', { ...ids, channel_document_id: channelDocumentId, connect_type: metadata.type, size: file.size });
  } finally {
    await discard(file);
  }
};

/** A document this connector uploaded (or may have) that the marketplace no longer lists: deleted in Connect, then forgotten. */
const removeDocument = async (context: OrderContext, gone: { documentId: string; channelDocumentId: string }): Promise<void> => {
  const { deps, store, result } = context;
  const orderId = context.order.channelOrderId;
  try {
    const answer = await deps.connect.remove(gone.channelDocumentId, context.origin);
    await deps.ledger.forget(store, orderId, gone.documentId);
    result.deleted += 1;
    count(MetricName.ChannelDocumentsDeleted);
    logger.info('Document gone from the marketplace: deleted in Connect', { store, channel_order_id: orderId, document_id: gone.documentId, channel_document_id: gone.channelDocumentId, answer });
  } catch (error) {
    fail(result, { channelOrderId: orderId, documentId: gone.documentId }, error);
  }
};

const fail = (result: DocumentSyncResult, where: { channelOrderId: string; documentId?: string }, error: unknown): void => {
  const transient = error instanceof HttpError || error instanceof ActionFailure ? error.transient : true;
  const retryAfterSeconds = error instanceof HttpError ? error.details.retryAfterSeconds : error instanceof ActionFailure ? error.retryAfterSeconds : undefined;
  const reason = error instanceof Error ? error.message : String(error);
  result.failures.push({ ...where, reason, transient, ...(retryAfterSeconds !== undefined && { retryAfterSeconds }) });
  count(MetricName.ChannelDocumentsFailed);
  logger.warn('Order documents not carried over to Connect this time', { channel_order_id: where.channelOrderId, document_id: where.documentId, reason, transient });
};

/** Runs the tasks, at most `concurrency` at a time. */
const runAll = async (tasks: Array<() => Promise<void>>, concurrency: number): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await (tasks[(next += 1) - 1] as () => Promise<void>)();
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
};
