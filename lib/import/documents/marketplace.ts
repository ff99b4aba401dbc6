import type { ReadableStream } from 'node:stream/web';
import { createMmpTransport } from '../../channel/mmp/client.js';
import { findMmpStore } from '../../channel/mmp/index.js';
import { createMmpDocumentsClient, MAX_ORDERS_PER_DOCUMENT_LIST } from '../../channel/mmp/documents-client.js';
import type { MmpConfig, RuntimeConfig } from '../../config/index.js';
import type { HttpSend } from '../../http/index.js';
import type { OrderDocumentLedger } from '../../ledger/index.js';
import { logger } from '../../observability.js';
import { ActionErrorCode, ActionFailure } from '../../outcome.js';
import { invoiceTypesOf } from './document-types.js';
import type { ListedDocument } from './plan.js';

/** One marketplace shop's order documents, as the document import needs them. */
export interface MarketplaceDocuments {
  /** Names the shop in channel document ids: its `shop_id`, else the Connect store it serves. */
  shop: string;
  /** OR72, by 100 order ids a call: each order's documents (an order without any is absent). */
  list(orderIds: string[]): Promise<Map<string, ListedDocument[]>>;
  /** OR73 with one document id: the raw file. */
  download(orderId: string, documentId: string): Promise<{ body: ReadableStream<Uint8Array>; contentType?: string }>;
  /** The operator's type codes that are customer invoices. */
  invoiceTypes(): Promise<ReadonlySet<string>>;
}

/** MMP allows DO01 once a day: its answer is kept that long in the state table, shared by every container. */
const DOCUMENT_TYPES_LIFETIME_SECONDS = 24 * 60 * 60;
/** How long a container keeps the invoice types (or, after a failed DO01, the defaults) before asking again. */
const CONTAINER_CACHE_MS = 60 * 60_000;

/**
 * The marketplace shops of this deployment, by Connect store. The invoice types are `MMP_INVOICE_DOCUMENT_TYPES`
 * when configured, else read from DO01's labels (see invoiceTypesOf); a DO01 that fails leaves the defaults.
 */
export const createMmpMarketplaceDocuments = (options: {
  config: MmpConfig;
  runtime: RuntimeConfig;
  send: HttpSend;
  ledger: Pick<OrderDocumentLedger, 'cached' | 'cache'>;
  invoiceTypes?: string[];
}) => {
  const { config, ledger } = options;
  const shops = new Map<string, MarketplaceDocuments>();
  const attachedAs = config.MMP_DOCUMENT_TYPE_CODES.CUSTOMER_INVOICE;

  const forStore = async (channelStoreId: string): Promise<MarketplaceDocuments> => {
    const known = shops.get(channelStoreId);
    if (known) return known;
    const store = await findMmpStore(config, options.runtime.SECRETS_MAX_AGE_SECONDS, channelStoreId);
    if (!store)
      throw new ActionFailure(
        ActionErrorCode.DATA_NOT_FOUND,
        `Store ${channelStoreId} is not served by this connector deployment`,
      );
    const documents = createMmpDocumentsClient(
      createMmpTransport({ baseUrl: config.MMP_API_URL, store, send: options.send }),
    );
    const shop = store.shopId ?? channelStoreId;
    // Shared while in flight: the documents of one call ask for it at the same time.
    let invoiceTypes: Promise<{ types: ReadonlySet<string>; until: number }> | undefined;

    const readInvoiceTypes = async (): Promise<{ types: ReadonlySet<string>; until: number }> => {
      if (options.invoiceTypes) return { types: new Set(options.invoiceTypes), until: Infinity };
      const cacheName = `mmp-invoice-types#${shop}`;
      try {
        const cached = await ledger.cached(cacheName);
        if (cached !== undefined)
          return { types: new Set(JSON.parse(cached) as string[]), until: Date.now() + CONTAINER_CACHE_MS };
        const types = invoiceTypesOf(await documents.listOrderDocumentTypes(), attachedAs);
        await ledger.cache(cacheName, JSON.stringify([...types]), DOCUMENT_TYPES_LIFETIME_SECONDS);
        logger.info('Invoice document types read from the marketplace (DO01)', {
          store: channelStoreId,
          invoice_types: [...types],
        });
        return { types, until: Date.now() + CONTAINER_CACHE_MS };
      } catch (error) {
        logger.warn(
          'The invoice document types could not be read (DO01): the defaults serve for now (MMP_INVOICE_DOCUMENT_TYPES names them)',
          {
            store: channelStoreId,
            reason: error instanceof Error ? error.message : String(error),
          },
        );
        return { types: invoiceTypesOf([], attachedAs), until: Date.now() + CONTAINER_CACHE_MS };
      }
    };

    const marketplace: MarketplaceDocuments = {
      shop,
      async list(orderIds) {
        const byOrder = new Map<string, ListedDocument[]>();
        for (let start = 0; start < orderIds.length; start += MAX_ORDERS_PER_DOCUMENT_LIST) {
          for (const document of await documents.listOrdersDocuments(
            orderIds.slice(start, start + MAX_ORDERS_PER_DOCUMENT_LIST),
          )) {
            const listed = {
              id: String(document.id),
              fileName: document.file_name,
              fileSize: document.file_size,
              type: document.type,
            };
            byOrder.set(document.order_id, [...(byOrder.get(document.order_id) ?? []), listed]);
          }
        }
        return byOrder;
      },
      download: (orderId, documentId) => documents.downloadDocument(orderId, documentId),
      async invoiceTypes() {
        if (!invoiceTypes || (await invoiceTypes).until <= Date.now()) invoiceTypes = readInvoiceTypes();
        return (await invoiceTypes).types;
      },
    };
    shops.set(channelStoreId, marketplace);
    return marketplace;
  };
  return { forStore };
};
