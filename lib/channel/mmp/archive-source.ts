import type { MarketplaceDocumentsSource } from '../../archive/index.js';
import type { MmpConfig, RuntimeConfig } from '../../config/index.js';
import type { HttpSend } from '../../http/index.js';
import { ActionErrorCode, ActionFailure } from '../../outcome.js';
import { createMmpTransport } from './client.js';
import { createMmpDocumentsClient } from './documents-client.js';
import { findMmpStore } from './index.js';

/**
 * The marketplace as a source of the document archive: OR72 and OR73 through the shop serving a Connect store.
 * A request naming no store is for the single store (`MMP_STORE_ID`, or any store when unset); in multi-store
 * mode it must name one.
 */
export const createMmpArchiveSource = (options: { config: MmpConfig; runtime: RuntimeConfig; send: HttpSend }) => ({
  async forStore(channelStoreId: string | undefined): Promise<MarketplaceDocumentsSource> {
    const { config } = options;
    const multiStore = config.MMP_STORES !== undefined || config.MMP_STORES_PARAM !== undefined;
    if (channelStoreId === undefined && multiStore) {
      throw new ActionFailure(
        ActionErrorCode.INVALID_INPUT,
        'channel_store_id is required: this deployment serves several stores (MMP_STORES)',
      );
    }
    const storeId = channelStoreId ?? config.MMP_STORE_ID ?? 'default';
    const store = await findMmpStore(config, options.runtime.SECRETS_MAX_AGE_SECONDS, storeId);
    if (!store)
      throw new ActionFailure(
        ActionErrorCode.DATA_NOT_FOUND,
        `Store ${storeId} is not served by this connector deployment`,
      );
    const documents = createMmpDocumentsClient(
      createMmpTransport({ baseUrl: config.MMP_API_URL, store, send: options.send }),
    );
    return {
      list: async (orderId) =>
        (await documents.listDocuments(orderId)).map((document) => ({
          id: String(document.id),
          fileName: document.file_name,
          type: document.type,
        })),
      download: (orderId, documentId) => documents.downloadDocument(orderId, documentId),
    };
  },
});
