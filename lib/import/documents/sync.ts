import type { DocumentArchive } from '../../archive/index.js';
import type { ConnectOrigin } from '../../connect/channel-orders.js';
import type { ChannelDocumentsClient } from '../../connect/index.js';
import type { OrderDocumentLedger, OrderDocumentsState } from '../../ledger/index.js';
import { count, logger, MetricName } from '../../observability.js';
import { fail, pushDocument, removeDocument } from './carry-over.js';
import type { MarketplaceDocuments } from './marketplace.js';
import { planOrderDocuments, type ListedDocument } from './plan.js';

/** Documents handled at the same time in one call (each streams through the temporary storage). */
const CONCURRENCY = 4;

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

/** What the document import works with. */
export interface DocumentSyncServices {
  marketplace: { forStore(channelStoreId: string): Promise<MarketplaceDocuments> };
  ledger: OrderDocumentLedger;
  archive: Pick<DocumentArchive, 'store'>;
  connect: ChannelDocumentsClient;
  /** The largest document archived (DOCUMENT_ARCHIVE_MAX_BYTES); a larger one is skipped. */
  maxArchiveBytes: number;
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
export const createChannelDocumentSync = (deps: DocumentSyncServices): ChannelDocumentSync => ({
  async syncOrderDocuments({ origin, orders }) {
    const result: DocumentSyncResult = {
      uploaded: 0,
      deleted: 0,
      skipped: 0,
      echoes: 0,
      awaitingReturn: 0,
      unchanged: 0,
      failures: [],
    };
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
      const plan = planOrderDocuments(listed.get(orderId) ?? [], state, (documentId) =>
        order.returnDocuments?.get(documentId),
      );
      result.unchanged += plan.unchanged;
      for (const document of plan.awaitingReturn) {
        result.awaitingReturn += 1;
        count(MetricName.ChannelDocumentsAwaitingReturn);
        logger.info('Return label left for later: the import named no return for it', {
          store,
          channel_order_id: orderId,
          document_id: document.id,
        });
      }
      const documentOrigin = { ...origin, ...(order.subChannelCode && { sub_channel_code: order.subChannelCode }) };
      const context = { deps, marketplace, store, origin: documentOrigin, order, state, result };
      for (const { document, previous } of plan.push) tasks.push(() => pushDocument(context, document, previous));
      for (const gone of plan.remove) tasks.push(() => removeDocument(context, gone));
      for (const documentId of plan.forget) {
        tasks.push(() =>
          deps.ledger
            .forget(store, orderId, documentId)
            .catch((error: unknown) => fail(result, { channelOrderId: orderId, documentId }, error)),
        );
      }
    }
    await runAll(tasks, CONCURRENCY);
    return result;
  },
});

/** Runs the tasks, at most `concurrency` at a time. */
const runAll = async (tasks: Array<() => Promise<void>>, concurrency: number): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await (tasks[(next += 1) - 1] as () => Promise<void>)();
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
};
