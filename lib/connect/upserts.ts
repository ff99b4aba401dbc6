import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod';
import { HttpError, type HttpRequest, type HttpSend } from '../http/index.js';
import type { ConnectOrder, ConnectOrigin, ConnectReturn } from './channel-orders.js';
import { withToken, type TokenProvider } from './token.js';

/**
 * How Connect took an upsertOrders call (all or nothing):
 * - `accepted`: 204 (accepted, not always applied: an older `channel_updated_at` is silently dropped);
 * - `rejected`: 400, nothing applied; `fields` are the `errors[].field` JSON paths it named, empty when none;
 * - `store-unknown`: 404, the channel or the store is unknown to Connect: a configuration error, not a data one.
 * Any other answer (429 and 5xx once retried, 403, a timeout) is thrown as an `HttpError`.
 */
export type UpsertOrdersResult =
  | { kind: 'accepted' }
  | { kind: 'rejected'; code: string | undefined; fields: string[] }
  | { kind: 'store-unknown'; code: string | undefined };

/** One return Connect refused in a 200: its ids and the error codes and fields (never the messages). */
export interface ReturnRefusal {
  channel_order_id: string;
  channel_return_id: string;
  codes: string[];
  fields: string[];
}

/** upsertReturns is partially successful: a 200 lists what it took and what it refused. */
export type UpsertReturnsResult =
  | { kind: 'answered'; succeeded: string[]; refused: ReturnRefusal[] }
  | { kind: 'rejected'; code: string | undefined; fields: string[] }
  | { kind: 'store-unknown'; code: string | undefined };

const text = z.string().catch('');
const UpsertReturnsAnswer = z.object({
  return_success: z.array(z.object({ channel_return_id: text }).loose()).nullish(),
  return_errors: z
    .array(
      z
        .object({
          channel_order_id: text,
          channel_return_id: text,
          details: z.array(z.object({ code: text, field: z.string().nullish() }).loose()).nullish(),
        })
        .loose(),
    )
    .nullish(),
});

export interface UpsertClient {
  upsertOrders(origin: ConnectOrigin, orders: ConnectOrder[]): Promise<UpsertOrdersResult>;
  upsertReturns(origin: ConnectOrigin, returns: ConnectReturn[]): Promise<UpsertReturnsResult>;
}

/**
 * upsertOrders calls of one container start at least this far apart: 10 a second. orderSync and the two orderRefresh
 * invocations the queue may drive stay within Connect's 30 calls a second (20 recommended) together.
 */
export const UPSERT_ORDERS_SPACING_MS = 100;

/**
 * Connect's upserts (`POST /v1/orders`, `POST /v1/orders/returns`). Both restate whole objects and are versioned by
 * `channel_updated_at`, so a repeat cannot apply a change twice: they are sent as repeatable, and the HTTP client
 * rides out 429/5xx with `Retry-After` within the caller's deadline. A 401 renews the token once.
 */
export const createUpsertClient = (options: {
  apiUrl: string;
  tokens: TokenProvider;
  send: HttpSend;
  spacingMs?: number;
}): UpsertClient => {
  const spacingMs = options.spacingMs ?? UPSERT_ORDERS_SPACING_MS;
  let nextOrdersCall = 0;
  /** Takes the next upsertOrders slot of this container, waiting for it when calls come faster than the spacing. */
  const paceOrders = async () => {
    const at = Math.max(Date.now(), nextOrdersCall);
    nextOrdersCall = at + spacingMs;
    if (at > Date.now()) await sleep(at - Date.now());
  };

  const post = (request: Omit<HttpRequest, 'method' | 'repeatable' | 'headers'>): Promise<Response> =>
    withToken(options.tokens, (authorization) =>
      options.send({ ...request, method: 'POST', repeatable: true, headers: { authorization } }),
    );

  /** 400 and 404 are answers about the call, not failures of it. */
  const refusalOf = (error: unknown) => {
    if (!(error instanceof HttpError)) throw error;
    if (error.status === 400)
      return { kind: 'rejected' as const, code: error.details.code, fields: error.details.fields ?? [] };
    if (error.status === 404) return { kind: 'store-unknown' as const, code: error.details.code };
    throw error;
  };

  return {
    async upsertOrders(origin, orders) {
      await paceOrders();
      try {
        await post({ url: `${options.apiUrl}/v1/orders`, operation: 'Connect upsertOrders', json: { origin, orders } });
        return { kind: 'accepted' };
      } catch (error) {
        return refusalOf(error);
      }
    },

    async upsertReturns(origin, returns) {
      let response: Response;
      try {
        response = await post({
          url: `${options.apiUrl}/v1/orders/returns`,
          operation: 'Connect upsertReturns',
          json: { origin, returns },
        });
      } catch (error) {
        return refusalOf(error);
      }
      const answer = UpsertReturnsAnswer.safeParse(await response.json().catch(() => undefined));
      if (!answer.success) throw new Error('Connect upsertReturns answered 200 without return_success/return_errors');
      return {
        kind: 'answered',
        succeeded: (answer.data.return_success ?? []).map((item) => item.channel_return_id),
        refused: (answer.data.return_errors ?? []).map((item) => ({
          channel_order_id: item.channel_order_id,
          channel_return_id: item.channel_return_id,
          codes: (item.details ?? []).map((detail) => detail.code).filter(Boolean),
          fields: (item.details ?? []).flatMap((detail) => (detail.field ? [detail.field] : [])),
        })),
      };
    },
  };
};
