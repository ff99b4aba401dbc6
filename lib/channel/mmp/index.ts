import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import type { MmpConfig, RuntimeConfig, StoreEntry } from '../../config.js';
import { storesSchema } from '../../config.js';
import type { HttpSend } from '../../http/index.js';
import { ActionErrorCode, ActionFailure } from '../../outcome.js';
import { secretFrom } from '../../secrets.js';
import type { ChannelDirectory, SalesChannel } from '../port.js';
import { createCarrierMap, type CarrierMap } from './carriers.js';
import { createMmpClient, type MmpStore } from './client.js';
import { shipOrder } from './shipping.js';

export const mmpChannel = (mmp: ReturnType<typeof createMmpClient>, carriers: CarrierMap): SalesChannel => ({
  ship: (shipment) => shipOrder(mmp, carriers, shipment),
});

/**
 * Routes a Connect store to its marketplace shop (invariant 9): single-store mode (`MMP_API_KEY[_PARAM]`,
 * optional `MMP_SHOP_ID` and `MMP_STORE_ID`) or multi-store mode (`MMP_STORES[_PARAM]`). Channels are built
 * once per store and kept for the container's life.
 */
export const createMmpDirectory = (options: { config: MmpConfig; runtime: RuntimeConfig; send: HttpSend }): ChannelDirectory => {
  const { config, runtime, send } = options;
  const channels = new Map<string, SalesChannel>();
  const maxAge = runtime.SECRETS_MAX_AGE_SECONDS;
  let carriers: CarrierMap | undefined;

  const storeFrom = (channelStoreId: string, entry: StoreEntry): MmpStore => ({
    channelStoreId,
    shopId: entry.shop_id,
    apiKey: secretFrom(entry.api_key, entry.api_key_param, maxAge),
  });

  const findStore = async (channelStoreId: string): Promise<MmpStore | undefined> => {
    if (config.MMP_STORES || config.MMP_STORES_PARAM) {
      const stores = config.MMP_STORES ?? (await readStoresParam(config.MMP_STORES_PARAM as string, maxAge));
      const entry = Object.hasOwn(stores, channelStoreId) ? stores[channelStoreId] : undefined;
      return entry && storeFrom(channelStoreId, entry);
    }
    if (config.MMP_STORE_ID !== undefined && config.MMP_STORE_ID !== channelStoreId) return undefined;
    return storeFrom(channelStoreId, { shop_id: config.MMP_SHOP_ID, api_key: config.MMP_API_KEY, api_key_param: config.MMP_API_KEY_PARAM });
  };

  return {
    async forStore(channelStoreId) {
      const known = channels.get(channelStoreId);
      if (known) return known;
      const store = await findStore(channelStoreId);
      if (!store) {
        throw new ActionFailure(ActionErrorCode.DATA_NOT_FOUND, `Store ${channelStoreId} is not served by this connector deployment`);
      }
      const mmp = createMmpClient({ baseUrl: config.MMP_API_URL, store, send });
      // The carrier list is the marketplace's, the same for every shop: read it through the first store.
      carriers ??= createCarrierMap({
        configured: config.MMP_CARRIER_CODES,
        listCarriers: config.MMP_CARRIER_LOOKUP ? () => mmp.listCarriers() : undefined,
      });
      const channel = mmpChannel(mmp, carriers);
      channels.set(channelStoreId, channel);
      return channel;
    },
  };
};

const readStoresParam = async (name: string, maxAge: number) => {
  const raw = await getParameter(name, { decrypt: true, maxAge });
  const parsed = storesSchema.safeParse(parseJson(raw));
  // The message names the parameter only: its value holds API keys.
  if (!parsed.success) throw new Error(`SSM parameter ${name} (MMP_STORES_PARAM) is not a valid JSON store map`);
  return parsed.data;
};

const parseJson = (text: string | undefined): unknown => {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
};
