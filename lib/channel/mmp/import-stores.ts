import type { MmpConfig, RuntimeConfig } from '../../config.js';
import type { HttpSend } from '../../http/index.js';
import { createMmpTransport } from './client.js';
import { createMmpImportClient, type MmpImportClient } from './import-client.js';
import { findMmpStore, readStoresParam } from './index.js';

/** The stores the import serves, and the marketplace reads of each (built once per store, kept for the container's life). */
export interface MmpImportStores {
  /** Single-store mode: `MMP_STORE_ID`; multi-store mode: the `MMP_STORES` keys. */
  storeIds(): Promise<string[]>;
  /** Undefined for a store this deployment does not serve. */
  clientFor(channelStoreId: string): Promise<MmpImportClient | undefined>;
}

export const createMmpImportStores = (options: { config: MmpConfig; runtime: RuntimeConfig; send: HttpSend }): MmpImportStores => {
  const { config, runtime, send } = options;
  const clients = new Map<string, MmpImportClient>();
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
      const store = await findMmpStore(config, maxAge, channelStoreId);
      if (!store) return undefined;
      const client = createMmpImportClient(createMmpTransport({ baseUrl: config.MMP_API_URL, store, send }));
      clients.set(channelStoreId, client);
      return client;
    },
  };
};
