import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { FaultBook, routedFaultSchema } from './faults.js';
import { matchPath, parseJsonBody, startHttpServer, type SimulatorCall, type SimulatorReply } from './http-server.js';
import { buildMmpOrder, MmpOrderInputSchema, type MmpOrder, type MmpOrderInput } from './mmp-orders.js';
import {
  AcceptanceDecisionsSchema,
  acceptOrder,
  MMP_CARRIERS,
  shipOrder,
  TrackingUpdateSchema,
  updateTracking,
  type MmpError,
} from './mmp-workflow.js';
import { createSpecValidator } from './spec-validator.js';

export { MMP_CARRIERS } from './mmp-workflow.js';
export { SAMPLE_CUSTOMER, type MmpOrder, type MmpOrderInput } from './mmp-orders.js';

const MMP_SPEC = fileURLToPath(new URL('../../contracts/mirakl-mmp-seller-openapi.json', import.meta.url));
const ORDER_ACTION_PATHS = {
  OR21: /^\/api\/orders\/([^/]+)\/accept$/,
  OR23: /^\/api\/orders\/([^/]+)\/tracking$/,
  OR24: /^\/api\/orders\/([^/]+)\/ship$/,
} as const;

export const MmpFaultSchema = routedFaultSchema(['OR11', 'OR21', 'OR23', 'OR24', 'SH21']);
export type MmpFault = z.infer<typeof MmpFaultSchema>;
type MmpRoute = MmpFault['route'];
type OrderChangeRoute = keyof typeof ORDER_ACTION_PATHS;

export interface MmpShop {
  /** The `shop_id` that selects this shop when one API key reaches several shops. */
  shopId?: string;
  apiKey: string;
}

export interface MmpSimulatorOptions {
  /** @default 0 (any free port) */
  port?: number;
  /** @default [{ apiKey: 'local-mmp-key' }] */
  shops?: MmpShop[];
}

export interface MmpRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  /** True when the call was carried out but its response was never sent. */
  dropped?: boolean;
}

export interface MmpSimulator {
  /** MMP_API_URL, e.g. `http://127.0.0.1:1234`. */
  readonly url: string;
  /** Adds (or replaces) an order; it belongs to `shopId`, or to the first shop. */
  addOrder(order: MmpOrderInput): MmpOrder;
  order(orderId: string): MmpOrder | undefined;
  requests(): MmpRequest[];
  injectFault(fault: MmpFault): void;
  /** Clears faults, orders and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

/** A local Mirakl marketplace (MMP) seller API: OR11, OR21, OR23, OR24 and SH21. */
export async function startMmpSimulator(options: MmpSimulatorOptions = {}): Promise<MmpSimulator> {
  const shops = options.shops ?? [{ apiKey: 'local-mmp-key' }];
  const spec = createSpecValidator(MMP_SPEC);
  const orders = new Map<string, { shopId: string | undefined; order: MmpOrder }>();
  const faults = new FaultBook<MmpRoute>();
  let recorded: MmpRequest[] = [];

  const shopOrder = (shop: MmpShop, orderId: string): MmpOrder | undefined => {
    const entry = orders.get(orderId);
    return entry && entry.shopId === shop.shopId ? entry.order : undefined;
  };

  const listOrders = (call: SimulatorCall, shop: MmpShop): SimulatorReply => {
    const ids = call.query.get('order_ids')?.split(',').filter(Boolean);
    const found = [...orders.keys()]
      .filter((id) => ids === undefined || ids.includes(id))
      .flatMap((id) => shopOrder(shop, id) ?? []);
    return { status: 200, body: { orders: found, total_count: found.length } };
  };

  const changeOrder = (call: SimulatorCall, shop: MmpShop, orderId: string, route: OrderChangeRoute): SimulatorReply => {
    const or21Code = (code: string) => (route === 'OR21' ? { code } : {});
    const order = shopOrder(shop, orderId);
    if (!order) return mmpError({ status: 404, message: `Order ${orderId} not found`, ...or21Code('ORDER_NOT_FOUND') });
    if (route === 'OR24') return outcome(shipOrder(order));
    const body = parseJsonBody(call);
    const schemaErrors = spec.validate(route === 'OR21' ? 'OR21_Request' : 'OR23_Request', body);
    if (schemaErrors.length > 0) {
      return mmpError({ status: 400, message: schemaErrors.join('; '), ...or21Code('VALIDATION_ERROR') });
    }
    return outcome(
      route === 'OR21'
        ? acceptOrder(order, AcceptanceDecisionsSchema.parse(body))
        : updateTracking(order, TrackingUpdateSchema.parse(body)),
    );
  };

  const handleApiCall = async (call: SimulatorCall): Promise<SimulatorReply | undefined> => {
    const target = routeOf(call);
    if (!target) return mmpError({ status: 404, message: `No route for ${call.method} ${call.path}` });
    const { route, orderId } = target;

    const { reply, dropConnection } = await faults.apply(
      route,
      (status) => ({ status, message: status === 429 ? 'Too many requests' : `Simulated ${status}` }),
      async () => {
        const shopId = call.query.get('shop_id') ?? undefined;
        const shop = shops.find(
          (candidate) =>
            candidate.apiKey === call.headers.authorization && (shopId === undefined || candidate.shopId === shopId),
        );
        if (!shop) return mmpError({ status: 401, message: 'Unauthorized' });
        if (route === 'OR11') return listOrders(call, shop);
        if (route === 'SH21') return { status: 200, body: { carriers: MMP_CARRIERS } };
        return changeOrder(call, shop, orderId, route);
      },
    );
    recorded.push({
      method: call.method,
      path: call.path,
      query: Object.fromEntries(call.query),
      body: parseJsonBody(call),
      status: reply.status,
      ...(dropConnection && { dropped: true }),
    });
    return dropConnection ? undefined : reply;
  };

  const server = await startHttpServer(options.port ?? 0, (call) =>
    call.path.startsWith('/_sim/') ? Promise.resolve(handleInspection(call, simulator, orders)) : handleApiCall(call),
  );
  const simulator: MmpSimulator = {
    url: server.url,
    addOrder: (input) => {
      const order = buildMmpOrder(input);
      orders.set(order.order_id, { shopId: input.shopId ?? shops[0]?.shopId, order });
      return structuredClone(order);
    },
    order: (orderId) => structuredClone(orders.get(orderId)?.order),
    requests: () => structuredClone(recorded),
    injectFault: (fault) => faults.inject(MmpFaultSchema.parse(fault)),
    reset: () => {
      faults.clear();
      orders.clear();
      recorded = [];
    },
    close: server.close,
  };
  return simulator;
}

function handleInspection(
  call: SimulatorCall,
  simulator: MmpSimulator,
  orders: ReadonlyMap<string, { shopId: string | undefined; order: MmpOrder }>,
): SimulatorReply {
  const route = `${call.method} ${call.path}`;
  const body = parseJsonBody(call);
  if (route === 'GET /_sim/orders') return { status: 200, body: [...orders.values()] };
  if (route === 'GET /_sim/requests') return { status: 200, body: simulator.requests() };
  if (route === 'POST /_sim/reset') {
    simulator.reset();
    return { status: 204 };
  }
  if (route === 'POST /_sim/orders') {
    const order = MmpOrderInputSchema.safeParse(body);
    if (!order.success) return mmpError({ status: 400, message: z.prettifyError(order.error) });
    return { status: 201, body: simulator.addOrder(order.data) };
  }
  if (route === 'POST /_sim/faults') {
    const fault = MmpFaultSchema.safeParse(body);
    if (!fault.success) return mmpError({ status: 400, message: z.prettifyError(fault.error) });
    simulator.injectFault(fault.data);
    return { status: 204 };
  }
  return mmpError({ status: 404, message: `No route for ${route}` });
}

function routeOf(call: SimulatorCall): { route: MmpRoute; orderId: string } | undefined {
  if (call.method === 'GET' && call.path === '/api/orders') return { route: 'OR11', orderId: '' };
  if (call.method === 'GET' && call.path === '/api/shipping/carriers') return { route: 'SH21', orderId: '' };
  if (call.method !== 'PUT') return undefined;
  for (const [route, pattern] of Object.entries(ORDER_ACTION_PATHS) as Array<[OrderChangeRoute, RegExp]>) {
    const orderId = matchPath(pattern, call.path)?.[0];
    if (orderId !== undefined) return { route, orderId };
  }
  return undefined;
}

function outcome(error: MmpError | undefined): SimulatorReply {
  return error ? mmpError(error) : { status: 204 };
}

function mmpError(error: MmpError): SimulatorReply {
  return { status: error.status, body: error };
}
