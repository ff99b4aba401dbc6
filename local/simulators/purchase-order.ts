import { randomUUID, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { FaultBook, routedFaultSchema } from './faults.js';
import { matchPath, parseJsonBody, startHttpServer, type SimulatorCall, type SimulatorReply } from './http-server.js';
import { buildMmpOrder, MmpOrderInputSchema, type MmpOrder, type MmpOrderInput } from './mmp-orders.js';

/** `GET /purchase-order/:orderId` of the purchase-order service (seed 002). */
const ORDER_PATH = /^\/purchase-order\/([^/]*)$/;
const TOKEN_PATH = '/oauth/token';
/** What the service takes for an order id; anything else is "Invalid ID supplied" (400). */
const VALID_ORDER_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** The seed's answers, word for word. */
export const PURCHASE_ORDER_ERRORS: Record<number, string> = {
  400: 'Invalid ID supplied',
  401: 'Unauthorized',
  404: 'Order not found',
  503: 'Mirakl is unavailable. We retried 5 times every 5 seconds. Please try again later',
};

export const PurchaseOrderFaultSchema = routedFaultSchema(['token', 'order']).extend({
  /** Only calls for this order; every call on the route when omitted. */
  orderId: z.string().min(1).optional(),
});
export type PurchaseOrderFault = z.infer<typeof PurchaseOrderFaultSchema>;

export interface PurchaseOrderRequest {
  route: PurchaseOrderFault['route'];
  method: string;
  path: string;
  /** The order asked for (route `order`). */
  orderId?: string;
  status: number;
}

export interface PurchaseOrderSimulatorOptions {
  /** @default 0 (any free port) */
  port?: number;
  /** @default local-purchase-order-client / local-purchase-order-secret */
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of the tokens issued. @default 3600 */
  tokenTtlSeconds?: number;
}

export interface PurchaseOrderSimulator {
  /** PURCHASE_ORDER_API_URL. */
  readonly url: string;
  /** PURCHASE_ORDER_AUTH_URL (OAuth2 client credentials). */
  readonly authUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Adds (or replaces) an order, filled in like an OR11 order. */
  addOrder(order: MmpOrderInput): MmpOrder;
  /** Tokens issued so far stop working (answer 401), as after a rotation on the service's side. */
  revokeTokens(): void;
  injectFault(fault: PurchaseOrderFault): void;
  requests(): PurchaseOrderRequest[];
  /** The most order reads it was answering at the same time (since the last reset). */
  peakConcurrentReads(): number;
  /** Clears orders, tokens, faults and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * The purchase-order service: an OAuth2 token endpoint (client credentials, form-encoded), and orders by id answered
 * in the marketplace's OR11 shape. It checks what it receives as the real one would: the bearer token (unknown,
 * revoked or expired: 401), the id (400 "Invalid ID supplied"), the order (404 "Order not found"). Faults stand in
 * for the rest, e.g. 503 "Mirakl is unavailable…", optionally after a latency (the real one retries for 25 s first).
 */
export async function startPurchaseOrderSimulator(
  options: PurchaseOrderSimulatorOptions = {},
): Promise<PurchaseOrderSimulator> {
  const clientId = options.clientId ?? 'local-purchase-order-client';
  const clientSecret = options.clientSecret ?? 'local-purchase-order-secret';
  const ttlSeconds = options.tokenTtlSeconds ?? 3600;
  const orders = new Map<string, MmpOrder>();
  const tokens = new Map<string, number>();
  const faults = new FaultBook<PurchaseOrderFault>();
  let recorded: PurchaseOrderRequest[] = [];
  let reading = 0;
  let peakReading = 0;

  const issueToken = (call: SimulatorCall): SimulatorReply => {
    const form = new URLSearchParams(call.rawBody);
    if (!(call.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return oauthError(400, 'invalid_request', 'The token request must be form-encoded');
    }
    if (form.get('grant_type') !== 'client_credentials')
      return oauthError(400, 'unsupported_grant_type', 'Only client_credentials is supported');
    if (form.get('client_id') !== clientId || !sameText(form.get('client_secret') ?? '', clientSecret)) {
      return oauthError(401, 'invalid_client', 'Client authentication failed');
    }
    const token = `po-${randomUUID()}`;
    tokens.set(token, Date.now() + ttlSeconds * 1000);
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: ttlSeconds } };
  };

  const readOrder = (call: SimulatorCall, orderId: string): SimulatorReply => {
    const token = /^Bearer (.+)$/.exec(call.headers.authorization ?? '')?.[1];
    if (token === undefined || (tokens.get(token) ?? 0) <= Date.now()) return seedError(401);
    if (!VALID_ORDER_ID.test(orderId)) return seedError(400);
    const order = orders.get(orderId);
    return order ? { status: 200, body: order } : seedError(404);
  };

  const handle = async (call: SimulatorCall): Promise<SimulatorReply | undefined> => {
    if (call.path.startsWith('/_sim/')) return handleInspection(call, simulator);
    const orderId = call.method === 'GET' ? matchPath(ORDER_PATH, call.path)?.[0] : undefined;
    const route =
      call.method === 'POST' && call.path === TOKEN_PATH ? 'token' : orderId !== undefined ? 'order' : undefined;
    if (route === undefined)
      return { status: 404, body: { status: 404, message: `No route for ${call.method} ${call.path}` } };
    if (route === 'order') peakReading = Math.max(peakReading, (reading += 1));
    const { reply, dropConnection } = await faults
      .apply(
        route,
        (status) =>
          route === 'token'
            ? { error: 'server_error', error_description: `Simulated ${status}` }
            : seedError(status).body,
        async () => (route === 'token' ? issueToken(call) : readOrder(call, orderId as string)),
        (fault) => fault.orderId === undefined || fault.orderId === orderId,
      )
      .finally(() => {
        if (route === 'order') reading -= 1;
      });
    recorded.push({
      route,
      method: call.method,
      path: call.path,
      ...(orderId !== undefined && { orderId }),
      status: reply.status,
    });
    return dropConnection ? undefined : reply;
  };

  const server = await startHttpServer(options.port ?? 0, handle);
  const simulator: PurchaseOrderSimulator = {
    url: server.url,
    authUrl: `${server.url}${TOKEN_PATH}`,
    clientId,
    clientSecret,
    addOrder: (input) => {
      const order = buildMmpOrder(input);
      orders.set(order.order_id, order);
      return structuredClone(order);
    },
    revokeTokens: () => tokens.clear(),
    injectFault: (fault) => faults.inject(PurchaseOrderFaultSchema.parse(fault)),
    requests: () => structuredClone(recorded),
    peakConcurrentReads: () => peakReading,
    reset: () => {
      peakReading = 0;
      orders.clear();
      tokens.clear();
      faults.clear();
      recorded = [];
    },
    close: server.close,
  };
  return simulator;
}

/** `POST /_sim/orders`, `POST /_sim/faults`, `POST /_sim/revoke-tokens`, `GET /_sim/requests`, `POST /_sim/reset`, for runs by hand. */
function handleInspection(call: SimulatorCall, simulator: PurchaseOrderSimulator): SimulatorReply {
  const route = `${call.method} ${call.path}`;
  const body = parseJsonBody(call);
  if (route === 'GET /_sim/requests') return { status: 200, body: simulator.requests() };
  if (route === 'POST /_sim/reset') {
    simulator.reset();
    return { status: 204 };
  }
  if (route === 'POST /_sim/revoke-tokens') {
    simulator.revokeTokens();
    return { status: 204 };
  }
  if (route === 'POST /_sim/orders') {
    const order = MmpOrderInputSchema.safeParse(body);
    if (!order.success) return { status: 400, body: { message: z.prettifyError(order.error) } };
    return { status: 201, body: simulator.addOrder(order.data) };
  }
  if (route === 'POST /_sim/faults') {
    const fault = PurchaseOrderFaultSchema.safeParse(body);
    if (!fault.success) return { status: 400, body: { message: z.prettifyError(fault.error) } };
    simulator.injectFault(fault.data);
    return { status: 204 };
  }
  return { status: 404, body: { message: `No route for ${route}` } };
}

const seedError = (status: number): SimulatorReply => ({
  status,
  body: { status, message: PURCHASE_ORDER_ERRORS[status] ?? `Simulated ${status}` },
});

const oauthError = (status: number, error: string, description: string): SimulatorReply => ({
  status,
  body: { error, error_description: description },
});

const sameText = (given: string, expected: string) => {
  const [a, b] = [Buffer.from(given), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
};
