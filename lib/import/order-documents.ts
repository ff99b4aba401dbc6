import type { MmpImportedOrder, MmpImportedReturn } from '../channel/mmp/imported-order.js';
import { logger } from '../observability.js';
import {
  returnDocumentsOf,
  type ChannelDocumentSync,
  type DocumentSyncFailure,
  type DocumentSyncResult,
} from './documents/index.js';

/** The documents of orders the import just upserted, as the import calls the document import (lib/import/documents/). */
export interface ImportedOrderDocuments {
  /**
   * Brings Connect's documents of these orders in line with the marketplace's. Only orders Connect accepted are
   * given (an upload on an order Connect does not hold is refused). `returns`: the orders' returns as RT11 lists
   * them, which tie each return label to its return; a label whose return is not among them waits.
   * Returns the documents not carried over this time; never throws (a failure as a whole fails every order, transiently).
   */
  sync(store: string, orders: MmpImportedOrder[], returns: MmpImportedReturn[]): Promise<DocumentSyncFailure[]>;
}

export const createImportedOrderDocuments = (options: {
  documents: ChannelDocumentSync;
  channelId: string;
}): ImportedOrderDocuments => ({
  async sync(store, orders, returns) {
    if (orders.length === 0) return [];
    const returnsByOrder = new Map<string, MmpImportedReturn[]>();
    for (const found of returns)
      returnsByOrder.set(found.order_id, [...(returnsByOrder.get(found.order_id) ?? []), found]);
    let result: DocumentSyncResult;
    try {
      result = await options.documents.syncOrderDocuments({
        origin: { channel_id: options.channelId, channel_store_id: store },
        orders: orders.map((order) => ({
          channelOrderId: order.order_id,
          ...(order.channel?.code && { subChannelCode: order.channel.code }),
          returnDocuments: returnDocumentsOf(returnsByOrder.get(order.order_id) ?? []),
        })),
      });
    } catch (error) {
      // The state table or the marketplace failing as a whole: every order's documents are tried again.
      const reason = `order documents not synchronised: ${error instanceof Error ? error.message : String(error)}`;
      logger.warn('Order documents not synchronised this time', { store, orders: orders.length, reason });
      return orders.map((order) => ({ channelOrderId: order.order_id, reason, transient: true }));
    }
    const { failures, ...counts } = result;
    if (counts.uploaded + counts.deleted + counts.skipped + counts.echoes + failures.length > 0) {
      logger.info('Order documents carried over to Connect', {
        store,
        orders: orders.length,
        ...counts,
        failed: failures.length,
      });
    }
    return failures;
  },
});

/** The orders of `failures` worth trying again soon (an outage or throttling), with the longest wait asked. */
export const transientlyFailed = (failures: DocumentSyncFailure[]): Map<string, { retryAfterSeconds?: number }> => {
  const orders = new Map<string, { retryAfterSeconds?: number }>();
  for (const failure of failures.filter((item) => item.transient)) {
    const asked = [orders.get(failure.channelOrderId)?.retryAfterSeconds, failure.retryAfterSeconds].filter(
      (seconds) => seconds !== undefined,
    );
    orders.set(failure.channelOrderId, asked.length > 0 ? { retryAfterSeconds: Math.max(...asked) } : {});
  }
  return orders;
};

/** What a course does with the orders Connect accepted (and their returns): their documents, and what failed. */
export type DocumentStep = (store: string, accepted: MmpImportedOrder[], returns: MmpImportedReturn[]) => Promise<void>;

/**
 * orderSync's document step: a document that failed transiently has its order named on the order-refresh queue
 * (`requestRefresh`), which tries it again within seconds; any other failure waits until its order changes again.
 * Without the queue, every failed document waits so.
 */
export const syncDocumentStep =
  (
    documents: ImportedOrderDocuments,
    requestRefresh?: (store: string, orderIds: string[]) => Promise<void>,
  ): DocumentStep =>
  async (store, accepted, returns) => {
    const retry = [...transientlyFailed(await documents.sync(store, accepted, returns)).keys()];
    if (retry.length === 0) return;
    if (!requestRefresh) {
      logger.warn('Order documents left until their orders change again (ORDER_REFRESH_QUEUE_URL is not set)', {
        store,
        channel_order_ids: retry,
      });
      return;
    }
    await requestRefresh(store, retry).catch((error: unknown) =>
      logger.warn('Order documents left until their orders change again: the refresh could not be requested', {
        store,
        channel_order_ids: retry,
        reason: error instanceof Error ? error.message : String(error),
      }),
    );
  };
