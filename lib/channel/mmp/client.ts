import { z } from 'zod';
import { HttpError, type HttpSend } from '../../http/index.js';
import { logger } from '../../observability.js';
import { ActionErrorCode, ActionFailure } from '../../outcome.js';
import type { Secret } from '../../secrets.js';

/** The marketplace shop serving one Connect store. */
export interface MmpStore {
  channelStoreId: string;
  shopId?: string;
  apiKey: Secret;
}

/** Only the fields the connector needs: OR11 also returns the customer's personal data, which is dropped here. */
const MmpOrder = z.object({
  order_id: z.string(),
  order_state: z.string(),
  shipping_tracking: z.string().nullish(),
  shipping_carrier_code: z.string().nullish(),
  order_lines: z.array(z.object({ order_line_id: z.string(), quantity: z.number(), order_line_state: z.string() })),
});
export type MmpOrder = z.infer<typeof MmpOrder>;

const MmpCarrier = z.object({ code: z.string(), label: z.string().nullish() });
export type MmpCarrier = z.infer<typeof MmpCarrier>;

/** OR23 body: a registered carrier by code, or an unregistered one by name and URL. */
export type MmpTracking =
  | { carrier_code: string; tracking_number?: string }
  | { carrier_name: string; carrier_url?: string; tracking_number?: string };

export interface MmpClient {
  readonly store: MmpStore;
  /** OR11; undefined when the marketplace does not know the order (for this shop). */
  getOrder(orderId: string): Promise<MmpOrder | undefined>;
  /** OR23: sets the tracking; repeating it sets the same values again. */
  updateTracking(orderId: string, tracking: MmpTracking): Promise<void>;
  /** OR24: SHIPPING → SHIPPED for the whole order. */
  ship(orderId: string): Promise<void>;
  /** SH21: the marketplace's carriers. */
  listCarriers(): Promise<MmpCarrier[]>;
}

interface Call {
  operation: string;
  method: 'GET' | 'PUT';
  path: string;
  query?: Record<string, string>;
  json?: unknown;
}

/**
 * The MMP seller API for one shop: `Authorization: <api key>`, optional `shop_id`. Every call here is a read
 * or a state-setting PUT, so it may be retried. 429/5xx/network failures become transient failures; a 401/403
 * (a rotated key) re-reads the key once, then is transient too and logged as an error naming the store.
 */
export const createMmpClient = (options: { baseUrl: string; store: MmpStore; send: HttpSend }): MmpClient => {
  const { store } = options;

  const call = async ({ operation, method, path, query, json }: Call, keyRefreshed = false): Promise<Response> => {
    const search = new URLSearchParams({ ...query, ...(store.shopId ? { shop_id: store.shopId } : {}) });
    const url = `${options.baseUrl}${path}${search.size > 0 ? `?${search}` : ''}`;
    try {
      return await options.send({
        method,
        url,
        operation: `MMP ${operation}`,
        repeatable: true,
        headers: { authorization: await store.apiKey.value() },
        json,
      });
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      if (error.status === 401 || error.status === 403) {
        if (!keyRefreshed) {
          store.apiKey.refresh();
          return call({ operation, method, path, query, json }, true);
        }
        logger.error('Marketplace refused the API key: check the key of this store (rotated?)', {
          store: store.channelStoreId,
          operation,
          status: error.status,
        });
        throw new ActionFailure(
          ActionErrorCode.UNAVAILABLE,
          `MMP ${operation} refused the API key of store ${store.channelStoreId} (${error.status})`,
          { transient: true },
        );
      }
      if (error.transient) {
        const code = error.status === 429 ? ActionErrorCode.TOO_MANY_REQUEST : ActionErrorCode.UNAVAILABLE;
        throw new ActionFailure(code, error.message, { transient: true, retryAfterSeconds: error.details.retryAfterSeconds });
      }
      throw error;
    }
  };

  const orderPath = (orderId: string, action: string) => `/api/orders/${encodeURIComponent(orderId)}/${action}`;

  return {
    store,
    async getOrder(orderId) {
      const response = await call({ operation: 'OR11', method: 'GET', path: '/api/orders', query: { order_ids: orderId } });
      const { orders } = z.object({ orders: z.array(MmpOrder) }).parse(await response.json());
      return orders.find((order) => order.order_id === orderId);
    },
    async updateTracking(orderId, tracking) {
      await call({ operation: 'OR23', method: 'PUT', path: orderPath(orderId, 'tracking'), json: tracking });
    },
    async ship(orderId) {
      await call({ operation: 'OR24', method: 'PUT', path: orderPath(orderId, 'ship') });
    },
    async listCarriers() {
      const response = await call({ operation: 'SH21', method: 'GET', path: '/api/shipping/carriers' });
      return z.object({ carriers: z.array(MmpCarrier) }).parse(await response.json()).carriers;
    },
  };
};
