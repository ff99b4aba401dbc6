import * as z from 'zod';
import { HttpError, type HttpSend, type StreamedBody } from '../../http/index.js';
import { logger } from '../../observability.js';
import { ActionErrorCode, ActionFailure } from '../../outcome.js';
import type { Secret } from '../../secrets.js';
import { MarketplaceReason } from './reasons/lookup.js';

/** The marketplace shop serving one Connect store. */
export interface MmpStore {
  channelStoreId: string;
  shopId?: string;
  apiKey: Secret;
}

/** The ids of a line's refunds or cancelations: what OR28/OR30 add, and a redelivery reconciles against. */
const adjustmentIds = z
  .array(z.object({ id: z.string() }))
  .nullish()
  .transform((items) => (items ?? []).map((item) => item.id));

/** Only the fields the connector needs: OR11 also returns the customer's personal data, which is dropped here. */
const MmpOrder = z.object({
  order_id: z.string(),
  order_state: z.string(),
  currency_iso_code: z.string().nullish(),
  shipping_tracking: z.string().nullish(),
  shipping_carrier_code: z.string().nullish(),
  order_lines: z.array(
    z.object({
      order_line_id: z.string(),
      quantity: z.number(),
      order_line_state: z.string(),
      refunds: adjustmentIds,
      cancelations: adjustmentIds,
    }),
  ),
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
  /** OR21: accepts or refuses every line of an order in WAITING_ACCEPTANCE. */
  acceptOrder(orderId: string, decisions: MmpAcceptance): Promise<void>;
  /** OR23: sets the tracking; repeating it sets the same values again. */
  updateTracking(orderId: string, tracking: MmpTracking): Promise<void>;
  /** OR24: SHIPPING → SHIPPED for the whole order. */
  ship(orderId: string): Promise<void>;
  /** OR29: cancels the whole order. */
  cancelOrder(orderId: string): Promise<void>;
  /** OR30: creates cancelations on lines. Not idempotent: sent once. */
  cancelLines(cancelations: MmpCancelations): Promise<void>;
  /** OR28: creates refunds on lines. Not idempotent: sent once. */
  refundLines(refunds: MmpRefunds): Promise<void>;
  /** SH21: the marketplace's carriers. */
  listCarriers(): Promise<MmpCarrier[]>;
  /** RE01: the operator's reasons of every type (cancelation, refund, messaging...). */
  listReasons(): Promise<MarketplaceReason[]>;
}

/** OR21 body. */
export interface MmpAcceptance {
  order_lines: Array<{ id: string; accepted: boolean }>;
}

/** One OR28/OR30 line: amounts in the order's currency, taxes by code. */
export interface MmpAdjustmentLine {
  order_line_id: string;
  quantity: number;
  amount: number;
  shipping_amount: number;
  reason_code: string;
  currency_iso_code: string;
  taxes?: Array<{ code: string; amount: number }>;
  shipping_taxes?: Array<{ code: string; amount: number }>;
}

export interface MmpCancelations {
  order_tax_mode: 'TAX_EXCLUDED';
  cancelations: MmpAdjustmentLine[];
}

export interface MmpRefunds {
  order_tax_mode: 'TAX_EXCLUDED';
  refunds: MmpAdjustmentLine[];
}

export interface MmpCall {
  operation: string;
  method: 'GET' | 'PUT' | 'POST';
  path: string;
  /** A list is sent as the parameter repeated (MMP's array parameters, e.g. RT11 `return_id`). */
  query?: Record<string, string | string[]>;
  json?: unknown;
  /** A multipart body (OR74's files), instead of `json`. */
  body?: StreamedBody;
  /** False for calls MMP does not deduplicate (OR28, OR30, ST01): sent once, never retried (invariant 3). */
  repeatable?: boolean;
  /** Overrides the timeout of one attempt, e.g. for a file upload. */
  timeoutMs?: number;
  /** The answer is a file, streamed to the caller (OR73). */
  download?: boolean;
}

/** One call to the marketplace, authenticated for one shop; failures are already `ActionFailure`s or `HttpError`s. */
export type MmpTransport = (call: MmpCall) => Promise<Response>;

/**
 * The MMP seller API for one shop: `Authorization: <api key>`, optional `shop_id`. Reads and state-setting
 * PUTs may be retried; the others are sent once. 429/5xx/network failures become transient failures; a
 * 401/403 (a rotated key) re-reads the key once, then is transient too and logged as an error naming the store.
 */
export const createMmpTransport = (options: { baseUrl: string; store: MmpStore; send: HttpSend }): MmpTransport => {
  const { store } = options;

  const call = async (request: MmpCall, keyRefreshed = false): Promise<Response> => {
    const { operation, method, path, query, json, body, repeatable = true, timeoutMs, download } = request;
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries({ ...query, ...(store.shopId ? { shop_id: store.shopId } : {}) })) {
      for (const item of Array.isArray(value) ? value : [value]) search.append(name, item);
    }
    const url = `${options.baseUrl}${path}${search.size > 0 ? `?${search}` : ''}`;
    try {
      return await options.send({
        method,
        url,
        operation: `MMP ${operation}`,
        repeatable,
        headers: { authorization: await store.apiKey.value() },
        json,
        body,
        timeoutMs,
        download,
      });
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      if (error.status === 401 || error.status === 403) {
        if (!keyRefreshed) {
          store.apiKey.refresh();
          return call(request, true);
        }
        logger.error('Marketplace refused the API key: check the key of this store (rotated?)', {
          store: store.channelStoreId,
          operation,
          status: error.status,
        });
        throw new ActionFailure(
          ActionErrorCode.UNAVAILABLE,
          `MMP ${operation} refused the API key of store ${store.channelStoreId} (${error.status})`,
          { transient: true, cause: error },
        );
      }
      // Outages become transient failures here; refusals (4xx) stay HttpErrors for the adapters to classify.
      throw error.transient ? ActionFailure.from(error) : error;
    }
  };
  return (request) => call(request);
};

/** The order calls of the MMP seller API for one shop. */
export const createMmpClient = (options: { store: MmpStore; transport: MmpTransport }): MmpClient => {
  const { store, transport: call } = options;

  const orderPath = (orderId: string, action: string) => `/api/orders/${encodeURIComponent(orderId)}/${action}`;

  return {
    store,
    async getOrder(orderId) {
      const response = await call({
        operation: 'OR11',
        method: 'GET',
        path: '/api/orders',
        query: { order_ids: orderId },
      });
      const { orders } = z.object({ orders: z.array(MmpOrder) }).parse(await response.json());
      return orders.find((order) => order.order_id === orderId);
    },
    async acceptOrder(orderId, decisions) {
      await call({ operation: 'OR21', method: 'PUT', path: orderPath(orderId, 'accept'), json: decisions });
    },
    async updateTracking(orderId, tracking) {
      await call({ operation: 'OR23', method: 'PUT', path: orderPath(orderId, 'tracking'), json: tracking });
    },
    async ship(orderId) {
      await call({ operation: 'OR24', method: 'PUT', path: orderPath(orderId, 'ship') });
    },
    async cancelOrder(orderId) {
      await call({ operation: 'OR29', method: 'PUT', path: orderPath(orderId, 'cancel') });
    },
    async cancelLines(cancelations) {
      await call({
        operation: 'OR30',
        method: 'PUT',
        path: '/api/orders/cancel',
        json: cancelations,
        repeatable: false,
      });
    },
    async refundLines(refunds) {
      await call({ operation: 'OR28', method: 'PUT', path: '/api/orders/refund', json: refunds, repeatable: false });
    },
    async listCarriers() {
      const response = await call({ operation: 'SH21', method: 'GET', path: '/api/shipping/carriers' });
      return z.object({ carriers: z.array(MmpCarrier) }).parse(await response.json()).carriers;
    },
    async listReasons() {
      const response = await call({ operation: 'RE01', method: 'GET', path: '/api/reasons' });
      return z.object({ reasons: z.array(MarketplaceReason) }).parse(await response.json()).reasons;
    },
  };
};
