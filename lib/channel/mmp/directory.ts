import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import type { MmpConfig, RuntimeConfig, StoreEntry } from '../../config/index.js';
import { storesSchema } from '../../config/index.js';
import type { HttpSend } from '../../http/index.js';
import { ActionErrorCode, ActionFailure } from '../../outcome.js';
import { secretFrom } from '../../secrets.js';
import type { ChannelDirectory, SalesChannel } from '../port.js';
import { createCarrierMap, type CarrierMap } from './carriers.js';
import { mmpChannel } from './channel.js';
import { createMmpClient, createMmpTransport, type MmpClient, type MmpStore } from './client.js';
import { createMmpDocumentsClient } from './documents-client.js';
import {
  createMarketplaceReasons,
  type MarketplaceReason,
  type MarketplaceReasons,
  type ReasonMapping,
  type ReasonType,
} from './reasons/index.js';
import { createMmpReturnsClient } from './returns-client.js';
import { createMmpShipmentsClient } from './shipments-client.js';

/**
 * Routes a Connect store to its marketplace shop (invariant 9): single-store mode (`MMP_API_KEY[_PARAM]`,
 * optional `MMP_SHOP_ID` and `MMP_STORE_ID`) or multi-store mode (`MMP_STORES[_PARAM]`). Channels are built
 * once per store and kept for the container's life. `attachments` notes the files UPLOAD_DOCUMENT attaches.
 */
export const createMmpDirectory = (options: {
  config: MmpConfig;
  runtime: RuntimeConfig;
  send: HttpSend;
  attachments?: { rememberAttached(channelStoreId: string, orderId: string, sha256: string): Promise<void> };
}): ChannelDirectory => {
  const { config, runtime, send, attachments } = options;
  const channels = new Map<string, SalesChannel>();
  const maxAge = runtime.SECRETS_MAX_AGE_SECONDS;
  let carriers: CarrierMap | undefined;

  const findStore = (channelStoreId: string) => findMmpStore(config, maxAge, channelStoreId);

  return {
    async forStore(channelStoreId) {
      const known = channels.get(channelStoreId);
      if (known) return known;
      const store = await findStore(channelStoreId);
      if (!store) {
        throw new ActionFailure(
          ActionErrorCode.DATA_NOT_FOUND,
          `Store ${channelStoreId} is not served by this connector deployment`,
        );
      }
      const transport = createMmpTransport({ baseUrl: config.MMP_API_URL, store, send });
      const mmp = createMmpClient({ store, transport });
      // The carrier list is the marketplace's, the same for every shop: read it through the first store.
      carriers ??= createCarrierMap({
        configured: config.MMP_CARRIER_CODES,
        listCarriers: config.MMP_CARRIER_LOOKUP ? () => mmp.listCarriers() : undefined,
      });
      const apis = {
        returns: createMmpReturnsClient(transport),
        shipments: createMmpShipmentsClient(transport),
        documents: createMmpDocumentsClient(transport),
        // Reasons are per shop: RE01's `is_shop_right` says which of the operator's codes this shop may use.
        reasons: marketplaceReasonsOf(mmp, config),
        attachments: attachments && {
          remember: (orderId: string, sha256: string) => attachments.rememberAttached(channelStoreId, orderId, sha256),
        },
      };
      const channel = mmpChannel(mmp, carriers, apis, config);
      channels.set(channelStoreId, channel);
      return channel;
    },
  };
};

/** The operator's reasons as one shop sees them (RE01, cached), with the configured maps over them. */
export const marketplaceReasonsOf = (
  mmp: Pick<MmpClient, 'listReasons'>,
  config: Pick<MmpConfig, 'MMP_CANCELATION_REASON_CODES' | 'MMP_REFUND_REASON_CODES'>,
): MarketplaceReasons =>
  createMarketplaceReasons({
    configured: { CANCELATION: config.MMP_CANCELATION_REASON_CODES, REFUND: config.MMP_REFUND_REASON_CODES },
    listReasons: () => mmp.listReasons(),
  });

/** The reason mapping in force for a Connect store's shop, read now from the marketplace (`npm run ops -- reasons`). */
export const shopReasonMappings = async (options: {
  config: MmpConfig;
  runtime: RuntimeConfig;
  send: HttpSend;
  channelStoreId: string;
}): Promise<{ mappings: ReasonMapping[]; onOffer: Record<ReasonType, MarketplaceReason[]> }> => {
  const { config, send, channelStoreId } = options;
  const store = await findMmpStore(config, options.runtime.SECRETS_MAX_AGE_SECONDS, channelStoreId);
  if (!store) throw new Error(`Store ${channelStoreId} is not served by this configuration`);
  const mmp = createMmpClient({ store, transport: createMmpTransport({ baseUrl: config.MMP_API_URL, store, send }) });
  const reasons = marketplaceReasonsOf(mmp, config);
  return {
    mappings: await reasons.mappings(),
    onOffer: { CANCELATION: await reasons.onOffer('CANCELATION'), REFUND: await reasons.onOffer('REFUND') },
  };
};

/** The shop serving a Connect store, from the store configuration; undefined when this deployment does not serve it. */
export const findMmpStore = async (
  config: MmpConfig,
  maxAge: number,
  channelStoreId: string,
): Promise<MmpStore | undefined> => {
  const storeFrom = (entry: StoreEntry): MmpStore => ({
    channelStoreId,
    shopId: entry.shop_id,
    apiKey: secretFrom(entry.api_key, entry.api_key_param, maxAge),
  });
  if (config.MMP_STORES || config.MMP_STORES_PARAM) {
    const stores = config.MMP_STORES ?? (await readStoresParam(config.MMP_STORES_PARAM as string, maxAge));
    const entry = Object.hasOwn(stores, channelStoreId) ? stores[channelStoreId] : undefined;
    return entry && storeFrom(entry);
  }
  if (config.MMP_STORE_ID !== undefined && config.MMP_STORE_ID !== channelStoreId) return undefined;
  return storeFrom({
    shop_id: config.MMP_SHOP_ID,
    api_key: config.MMP_API_KEY,
    api_key_param: config.MMP_API_KEY_PARAM,
  });
};

/** The multi-store map from its SSM parameter (MMP_STORES_PARAM). */
export const readStoresParam = async (name: string, maxAge: number) => {
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
