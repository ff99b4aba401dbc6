import { HttpError, type HttpSend } from '../../http/index.js';
import type { TokenProvider } from '../../connect/index.js';
import { MmpImportedOrderSchema, type MmpImportedOrder } from '../mmp/imported-order.js';

/** What the purchase-order service answered for one order (seed 002), once its token was renewed if need be. */
export type PurchaseOrderRead =
  | { kind: 'found'; order: MmpImportedOrder }
  /** 400 (invalid id), 404 (not found), or another refusal of the request itself: asking again changes nothing. */
  | { kind: 'refused'; status: number }
  /** 200, but not the order asked for: the reason names fields, never values. */
  | { kind: 'unreadable'; reason: string }
  /** 401 with a freshly issued token, 403, or the token endpoint refusing the client: the credentials are wrong. */
  | { kind: 'unauthorized'; reason: string }
  /** 503 (the service already retried 5 × 5 s), 429, other 5xx, timeouts and network failures. */
  | { kind: 'unavailable'; reason: string; retryAfterSeconds?: number };

export interface PurchaseOrderClient {
  read(orderId: string): Promise<PurchaseOrderRead>;
}

/**
 * `GET {PURCHASE_ORDER_API_URL}/purchase-order/{orderId}` with `Authorization: Bearer <token>`. Sent once: the
 * service retries the marketplace itself before it answers 503, so the caller hands the wait back to SQS. A 401
 * renews the token (and re-reads the client secret) once; a second 401 is a configuration error.
 */
export const createPurchaseOrderClient = (options: {
  apiUrl: string;
  tokens: TokenProvider;
  send: HttpSend;
}): PurchaseOrderClient => {
  const { apiUrl, tokens, send } = options;

  const get = async (orderId: string, token: string): Promise<Response> =>
    send({
      method: 'GET',
      url: `${apiUrl}/purchase-order/${encodeURIComponent(orderId)}`,
      headers: { authorization: `Bearer ${token}` },
      operation: 'Purchase-order service GET /purchase-order',
      repeatable: true,
    });

  const attempt = async (orderId: string, renewed: boolean): Promise<PurchaseOrderRead> => {
    let token: string;
    try {
      token = await tokens.token();
    } catch (error) {
      return tokenFailure(error);
    }
    let response: Response;
    try {
      response = await get(orderId, token);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      if (error.status === 401 && !renewed) {
        tokens.invalidate();
        return attempt(orderId, true);
      }
      return answerFailure(error);
    }
    return readPurchaseOrder(orderId, await response.json().catch(() => undefined));
  };

  return { read: (orderId) => attempt(orderId, false) };
};

/** The order in a 200's body, when it is the one asked for. */
export const readPurchaseOrder = (orderId: string, body: unknown): PurchaseOrderRead => {
  const parsed = MmpImportedOrderSchema.safeParse(body);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(body)'))].slice(0, 5);
    return { kind: 'unreadable', reason: `the answer is not a Mirakl order (${fields.join(', ')})` };
  }
  if (parsed.data.order_id !== orderId)
    return { kind: 'unreadable', reason: `the answer is another order (${parsed.data.order_id})` };
  return { kind: 'found', order: parsed.data };
};

const answerFailure = (error: HttpError): PurchaseOrderRead => {
  const { status } = error;
  if (status === 401 || status === 403)
    return { kind: 'unauthorized', reason: `the service answered ${status} to a freshly issued token` };
  if (status !== undefined && !error.transient) return { kind: 'refused', status };
  return { kind: 'unavailable', reason: error.message, retryAfterSeconds: error.details.retryAfterSeconds };
};

const tokenFailure = (error: unknown): PurchaseOrderRead => {
  if (error instanceof HttpError && !error.transient)
    return { kind: 'unauthorized', reason: `the token endpoint answered ${error.status}` };
  return { kind: 'unavailable', reason: `no token: ${error instanceof Error ? error.message : String(error)}` };
};
