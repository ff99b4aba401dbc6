import type { MmpConfig, RuntimeConfig } from '../../config/index.js';
import type { HttpSend } from '../../http/index.js';
import { createMmpClient, createMmpTransport, type MmpTransport } from './client.js';
import { createMmpImportClient, type MmpImportClient } from './import-client.js';
import { findMmpStore, marketplaceReasonsOf, readStoresParam } from './directory.js';
import type { ConnectReasonOf } from './order-mapping.js';
import type { MarketplaceReasons } from './reasons/index.js';

/** The stores the import serves, and the marketplace reads of each (built once per store, kept for the container's life). */
export interface MmpImportStores {
  /** Single-store mode: `MMP_STORE_ID`; multi-store mode: the `MMP_STORES` keys. */
  storeIds(): Promise<string[]>;
  /** Undefined for a store this deployment does not serve. */
  clientFor(channelStoreId: string): Promise<MmpImportClient | undefined>;
  /** The shop's authenticated transport (the asynchronous export's OR13–OR15); undefined for a store not served. */
  transportFor(channelStoreId: string): Promise<MmpTransport | undefined>;
  /**
   * The Connect reason of the shop's cancelation and refund codes, as the actions map them the other way: the
   * configured maps, else the operator's RE01 list matched on its labels (read at first need, cached an hour).
   */
  reasonsFor(channelStoreId: string): Promise<ConnectReasonOf | undefined>;
}

export const createMmpImportStores = (options: {
  config: MmpConfig;
  runtime: RuntimeConfig;
  send: HttpSend;
}): MmpImportStores => {
  const { config, runtime, send } = options;
  const clients = new Map<string, MmpImportClient>();
  const reasons = new Map<string, MarketplaceReasons>();
  const transportFor = async (channelStoreId: string) => {
    const store = await findMmpStore(config, maxAge, channelStoreId);
    return store && createMmpTransport({ baseUrl: config.MMP_API_URL, store, send });
  };
  const maxAge = runtime.SECRETS_MAX_AGE_SECONDS;
  return {
    async storeIds() {
      if (config.MMP_STORES) return Object.keys(config.MMP_STORES);
      if (config.MMP_STORES_PARAM) return Object.keys(await readStoresParam(config.MMP_STORES_PARAM, maxAge));
      return config.MMP_STORE_ID === undefined ? [] : [config.MMP_STORE_ID];
    },
    async clientFor(channelStoreId) {
      const known = clients.get(channelStoreId);
      if (known) return known;
      const transport = await transportFor(channelStoreId);
      if (!transport) return undefined;
      const client = createMmpImportClient(transport);
      clients.set(channelStoreId, client);
      return client;
    },
    transportFor,
    async reasonsFor(channelStoreId) {
      let known = reasons.get(channelStoreId);
      if (!known) {
        const store = await findMmpStore(config, maxAge, channelStoreId);
        if (!store) return undefined;
        known = marketplaceReasonsOf(
          createMmpClient({ store, transport: createMmpTransport({ baseUrl: config.MMP_API_URL, store, send }) }),
          config,
        );
        reasons.set(channelStoreId, known);
      }
      return known.connectReasonReader();
    },
  };
};
