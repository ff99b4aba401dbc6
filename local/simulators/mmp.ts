import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { FaultBook, routedFaultSchema } from './faults.js';
import { matchPath, parseJsonBody, startHttpServer, type SimulatorCall, type SimulatorReply } from './http-server.js';
import {
  createOrderLifecycle,
  isLifecycleRoute,
  LIFECYCLE_ROUTES,
  lifecycleRouteOf,
  MarketplaceSettingsSchema,
  REQUEST_SCHEMAS,
  type MarketplaceSettings,
  type MmpReturn,
  type MmpReturnInput,
} from './mmp-lifecycle.js';
import { OrderDocumentBook, type MmpOrderDocument } from './mmp-documents.js';
import { ExportFailureSchema, OrderExportBook, type ExportFailure } from './mmp-exports.js';
import { listOrders } from './mmp-order-query.js';
import { buildMmpOrder, MmpOrderInputSchema, updateStamp, type MmpOrder, type MmpOrderInput } from './mmp-orders.js';
import { operatorReasons, type OperatorLanguage } from './mmp-reasons.js';
import { MmpReturnInputSchema } from './mmp-returns.js';
import {
  AcceptanceDecisionsSchema,
  acceptOrder,
  changeOrder as applyOrderChange,
  MMP_CARRIERS,
  MmpOrderChangeSchema,
  shipOrder,
  TrackingUpdateSchema,
  updateTracking,
  type MmpError,
  type MmpOrderChange,
} from './mmp-workflow.js';
import { createSpecValidator } from './spec-validator.js';

export { MMP_CARRIERS, type MmpOrderChange } from './mmp-workflow.js';
export { SAMPLE_CUSTOMER, type MmpOrder, type MmpOrderInput } from './mmp-orders.js';
export type { MmpOrderDocument } from './mmp-documents.js';
export type { ExportFailure } from './mmp-exports.js';
export type { MarketplaceSettings, MmpReturn, MmpReturnInput } from './mmp-lifecycle.js';

const MMP_SPEC = fileURLToPath(new URL('../../contracts/mirakl-mmp-seller-openapi.json', import.meta.url));
const ORDER_ACTION_PATHS = {
  OR21: /^\/api\/orders\/([^/]+)\/accept$/,
  OR23: /^\/api\/orders\/([^/]+)\/tracking$/,
  OR24: /^\/api\/orders\/([^/]+)\/ship$/,
} as const;

export const MmpFaultSchema = routedFaultSchema([
  'OR11',
  'OR13',
  'OR14',
  'OR15',
  'OR21',
  'OR23',
  'OR24',
  'SH21',
  'RE01',
  'DO01',
  'OR72',
  'OR73',
  'OR74',
  'OR76',
  ...LIFECYCLE_ROUTES,
]).extend({
  /** Only calls about this order (asking for it, changing it, its lines or its returns); every call on the route when omitted. */
  orderId: z.string().min(1).optional(),
});
export type MmpFault = z.infer<typeof MmpFaultSchema>;
type MmpRoute = MmpFault['route'];
type OrderChangeRoute = keyof typeof ORDER_ACTION_PATHS;
const EXPORT_ROUTES: readonly MmpRoute[] = ['OR13', 'OR14', 'OR15'];
/** OR15: the URLs OR14 gives, `/api/<tracking id>?file=<name>` as in the spec's example. */
const EXPORT_FILE_PATH = /^\/api\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
/** The calls that change an order: each moves its `last_updated_date` forward, as MMP does. */
const ORDER_CHANGING_ROUTES: readonly MmpRoute[] = [
  'OR21',
  'OR23',
  'OR24',
  'OR28',
  'OR29',
  'OR30',
  'OR74',
  'OR76',
  'ST01',
];

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
  /** @default partial acceptance on, multi-shipment off, an English-speaking operator */
  settings?: Partial<MarketplaceSettings>;
  /** How long an OR13 export stays PENDING. @default 2000 */
  exportDelayMs?: number;
  /** Export files hold at most this many orders, below the 10,000 `items_per_chunk` allows at least (for tests). @default none */
  exportFileMaxOrders?: number;
}

export interface MmpRequest {
  /** The API operation called, e.g. `OR24`. */
  route: MmpRoute;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  /** How the request body breaks the MMP spec's request schema of its call; empty when it matches (or has none). */
  schemaErrors: string[];
  /** True when the call was carried out but its response was never sent. */
  dropped?: boolean;
}

export interface MmpSimulator {
  /** MMP_API_URL, e.g. `http://127.0.0.1:1234`. */
  readonly url: string;
  /** Places (or replaces) an order; it belongs to `shopId`, or to the first shop. */
  addOrder(order: MmpOrderInput): MmpOrder;
  /** Changes an order as the marketplace would (a new state, tracking, an incident); undefined when unknown; throws for a line it does not have. */
  changeOrder(orderId: string, change: MmpOrderChange): MmpOrder | undefined;
  order(orderId: string): MmpOrder | undefined;
  /** Adds a return (a new UUID unless given); it belongs to its order's shop. */
  addReturn(input: MmpReturnInput): MmpReturn;
  return(returnId: string): MmpReturn | undefined;
  /** Changes what the operator enabled (until `reset()`). */
  configure(settings: Partial<MarketplaceSettings>): void;
  requests(): MmpRequest[];
  injectFault(fault: MmpFault): void;
  /** The documents on an order (OR72/OR74), with the SHA-256 of each file as received. */
  documents(orderId: string): MmpOrderDocument[];
  /** Puts a document on an order (on one of its returns with `entity: {type: 'RETURN', id}`), as if uploaded just now. */
  addDocument(
    orderId: string,
    document: { file_name: string; type: string; body: Uint8Array; entity?: { id: string; type: string } },
  ): MmpOrderDocument;
  /** Deletes a document from its order, as OR76 (or the operator) would; false when there is no such document. */
  removeDocument(documentId: number): boolean;
  /** The next OR13 export ends FAILED or CANCELED instead of COMPLETED (one export per call). */
  failNextExport(failure: ExportFailure): void;
  /** Clears faults, orders, returns, shipments, documents, exports, settings and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * A local Mirakl marketplace (MMP) seller API: OR21, OR23, OR24, SH21 and RE01 (English or French labels) here; OR11's
 * filters and pages in mmp-order-query.ts; the async export (OR13, OR14, OR15) in mmp-exports.ts; cancelations,
 * refunds, multi-shipment and returns (RT11 in mmp-return-query.ts) in mmp-lifecycle.ts; order documents (DO01, OR72, OR73, OR74,
 * OR76) in mmp-documents.ts. Request bodies are checked against the MMP spec; every change to an order moves its
 * `last_updated_date` forward.
 */
export async function startMmpSimulator(options: MmpSimulatorOptions = {}): Promise<MmpSimulator> {
  const shops = options.shops ?? [{ apiKey: 'local-mmp-key' }];
  const spec = createSpecValidator(MMP_SPEC);
  const orders = new Map<string, { shopId: string | undefined; order: MmpOrder }>();
  const faults = new FaultBook<MmpFault>();
  let recorded: MmpRequest[] = [];
  // A document on a return (RT11 lists it) is a change of the return.
  const documents = new OrderDocumentBook({
    spec,
    maxFileBytes: 10 * 1024 * 1024,
    onStored: (document) => document.entity && lifecycle.touchReturn(document.entity.id),
  });
  const exportBook = new OrderExportBook({
    baseUrl: () => simulator.url,
    delayMs: options.exportDelayMs ?? 2000,
    fileMaxOrders: options.exportFileMaxOrders,
  });
  const returnDocuments = (orderId: string, returnId: string) =>
    documents
      .documents(orderId)
      .filter((document) => document.entity?.id === returnId)
      .map((document) => ({ id: document.id, type: document.type }));
  const lifecycle = createOrderLifecycle(
    {
      order: (shopId, orderId) => {
        const entry = orders.get(orderId);
        return entry && entry.shopId === shopId ? entry.order : undefined;
      },
      orders: (shopId) => [...orders.values()].filter((entry) => entry.shopId === shopId).map((entry) => entry.order),
      find: (orderId) => orders.get(orderId),
      defaultShopId: shops[0]?.shopId,
      all: () => [...orders.values()].map((entry) => entry.order),
    },
    options.settings,
    returnDocuments,
  );

  const shopOrder = (shop: MmpShop, orderId: string): MmpOrder | undefined => {
    const entry = orders.get(orderId);
    return entry && entry.shopId === shop.shopId ? entry.order : undefined;
  };

  const shopOrders = (shop: MmpShop) =>
    [...orders.values()].filter((entry) => entry.shopId === shop.shopId).map((entry) => entry.order);

  const changeOrder = (
    call: SimulatorCall,
    shop: MmpShop,
    orderId: string,
    route: OrderChangeRoute,
  ): SimulatorReply => {
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
        ? acceptOrder(order, AcceptanceDecisionsSchema.parse(body), lifecycle.settings())
        : updateTracking(order, TrackingUpdateSchema.parse(body)),
    );
  };

  const handleApiCall = async (call: SimulatorCall): Promise<SimulatorReply | undefined> => {
    const target = routeOf(call);
    if (!target) return mmpError({ status: 404, message: `No route for ${call.method} ${call.path}` });
    const { route, orderId } = target;
    const orderIds =
      route === 'OR11' || route === 'OR72' || route === 'OR73'
        ? (call.query.get('order_ids')?.split(',') ?? [])
        : isLifecycleRoute(route)
          ? lifecycle.ordersConcerned(route, call, orderId)
          : EXPORT_ROUTES.includes(route)
            ? []
            : route === 'OR76'
              ? [documents.orderOf(orderId) ?? '']
              : [orderId];
    const schema = route === 'OR13' ? 'OR13_Request' : REQUEST_SCHEMAS[route];
    const schemaErrors = schema ? spec.validate(schema, parseJsonBody(call)) : [];
    const updatedBefore = new Map(orderIds.map((id) => [id, orders.get(id)?.order.last_updated_date]));

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
        if (route === 'OR11') return listOrders(shopOrders(shop), call.query);
        if (route === 'OR13')
          return exportBook.create(shop.shopId, shopOrders(shop), parseJsonBody(call), schemaErrors);
        if (route === 'OR14') return exportBook.status(shop.shopId, orderId);
        if (route === 'OR15') return exportBook.file(shop.shopId, orderId, call.query.get('file'));
        if (route === 'SH21') return { status: 200, body: { carriers: MMP_CARRIERS } };
        if (route === 'RE01') return listReasons(lifecycle.settings().operatorLanguage);
        if (route === 'OR72') return documents.list(orderIds, (id) => shopOrder(shop, id) !== undefined);
        if (route === 'OR73')
          return documents.download(
            orderIds.filter((id) => shopOrder(shop, id)),
            call.query.get('document_ids')?.split(',').filter(Boolean) ?? [],
          );
        if (route === 'DO01') return documents.types(call.query.get('entities')?.split(',').filter(Boolean) ?? []);
        if (route === 'OR76') return documents.remove(orderId, (id) => shopOrder(shop, id) !== undefined);
        if (route === 'OR74')
          return shopOrder(shop, orderId)
            ? documents.upload(call, orderId)
            : mmpError({ status: 404, message: `Order ${orderId} not found` });
        if (isLifecycleRoute(route)) return lifecycle.handle(route, call, shop.shopId, orderId, schemaErrors);
        return changeOrder(call, shop, orderId, route);
      },
      (fault) => fault.orderId === undefined || orderIds.includes(fault.orderId),
    );
    if (ORDER_CHANGING_ROUTES.includes(route) && reply.status < 300) {
      for (const [id, before] of updatedBefore) {
        const order = orders.get(id)?.order;
        if (order && order.last_updated_date === before) order.last_updated_date = updateStamp(before);
      }
    }
    recorded.push({
      route,
      method: call.method,
      path: call.path,
      query: Object.fromEntries(call.query),
      body: parseJsonBody(call),
      status: reply.status,
      schemaErrors,
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
    changeOrder: (orderId, change) => {
      const order = orders.get(orderId)?.order;
      const refusal = order && applyOrderChange(order, MmpOrderChangeSchema.parse(change));
      if (refusal !== undefined) throw new Error(refusal);
      return structuredClone(order);
    },
    order: (orderId) => structuredClone(orders.get(orderId)?.order),
    addReturn: (input) => lifecycle.addReturn(input),
    return: (returnId) => lifecycle.returnOf(returnId),
    configure: (settings) => lifecycle.configure(MarketplaceSettingsSchema.parse(settings)),
    requests: () => structuredClone(recorded),
    injectFault: (fault) => faults.inject(MmpFaultSchema.parse(fault)),
    failNextExport: (failure) => exportBook.failNext(ExportFailureSchema.parse(failure)),
    documents: (orderId) => documents.documents(orderId),
    addDocument: (orderId, document) => {
      const order = orders.get(orderId)?.order;
      if (order) order.last_updated_date = updateStamp(order.last_updated_date);
      return documents.add(orderId, document);
    },
    removeDocument: (documentId) => {
      const order = orders.get(documents.orderOf(String(documentId)) ?? '')?.order;
      const removed = documents.remove(String(documentId), () => true).status === 204;
      if (order && removed) order.last_updated_date = updateStamp(order.last_updated_date);
      return removed;
    },
    reset: () => {
      faults.clear();
      orders.clear();
      documents.clear();
      exportBook.clear();
      lifecycle.reset();
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
  const changed = call.method === 'PATCH' ? matchPath(/^\/_sim\/orders\/([^/]+)$/, call.path)?.[0] : undefined;
  if (changed !== undefined) {
    const change = MmpOrderChangeSchema.safeParse(body);
    if (!change.success) return mmpError({ status: 400, message: z.prettifyError(change.error) });
    try {
      const order = simulator.changeOrder(changed, change.data);
      return order ? { status: 200, body: order } : mmpError({ status: 404, message: `Order ${changed} not found` });
    } catch (error) {
      return mmpError({ status: 400, message: error instanceof Error ? error.message : String(error) });
    }
  }
  if (route === 'POST /_sim/returns') {
    const input = MmpReturnInputSchema.safeParse(body);
    if (!input.success) return mmpError({ status: 400, message: z.prettifyError(input.error) });
    return { status: 201, body: simulator.addReturn(input.data) };
  }
  if (route === 'POST /_sim/exports/failures') {
    const failure = ExportFailureSchema.safeParse((body as { status?: unknown } | undefined)?.status);
    if (!failure.success) return mmpError({ status: 400, message: z.prettifyError(failure.error) });
    simulator.failNextExport(failure.data);
    return { status: 204 };
  }
  if (route === 'POST /_sim/settings') {
    const settings = MarketplaceSettingsSchema.safeParse(body);
    if (!settings.success) return mmpError({ status: 400, message: z.prettifyError(settings.error) });
    simulator.configure(settings.data);
    return { status: 204 };
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
  const lifecycleRoute = lifecycleRouteOf(call);
  if (lifecycleRoute) return lifecycleRoute;
  if (call.method === 'GET' && call.path === '/api/orders') return { route: 'OR11', orderId: '' };
  if (call.method === 'POST' && call.path === '/api/orders/async-export') return { route: 'OR13', orderId: '' };
  const trackingId =
    call.method === 'GET' ? matchPath(/^\/api\/orders\/async-export\/status\/([^/]+)$/, call.path)?.[0] : undefined;
  if (trackingId !== undefined) return { route: 'OR14', orderId: trackingId };
  const exportFile = call.method === 'GET' ? matchPath(EXPORT_FILE_PATH, call.path)?.[0] : undefined;
  if (exportFile !== undefined) return { route: 'OR15', orderId: exportFile };
  if (call.method === 'GET' && call.path === '/api/shipping/carriers') return { route: 'SH21', orderId: '' };
  if (call.method === 'GET' && call.path === '/api/reasons') return { route: 'RE01', orderId: '' };
  if (call.method === 'GET' && call.path === '/api/orders/documents') return { route: 'OR72', orderId: '' };
  if (call.method === 'GET' && call.path === '/api/orders/documents/download') return { route: 'OR73', orderId: '' };
  if (call.method === 'GET' && call.path === '/api/documents') return { route: 'DO01', orderId: '' };
  // OR76's path parameter is the document id; it stands where the other routes put an order id.
  const deleted =
    call.method === 'DELETE' ? matchPath(/^\/api\/orders\/documents\/([^/]+)$/, call.path)?.[0] : undefined;
  if (deleted !== undefined) return { route: 'OR76', orderId: deleted };
  const documentsOf =
    call.method === 'POST' ? matchPath(/^\/api\/orders\/([^/]+)\/documents$/, call.path)?.[0] : undefined;
  if (documentsOf !== undefined) return { route: 'OR74', orderId: documentsOf };
  if (call.method !== 'PUT') return undefined;
  for (const [route, pattern] of Object.entries(ORDER_ACTION_PATHS) as Array<[OrderChangeRoute, RegExp]>) {
    const orderId = matchPath(pattern, call.path)?.[0];
    if (orderId !== undefined) return { route, orderId };
  }
  return undefined;
}

function listReasons(language: OperatorLanguage): SimulatorReply {
  const reasons = operatorReasons(language);
  return { status: 200, body: { reasons, total_count: reasons.length } };
}

function outcome(error: MmpError | undefined): SimulatorReply {
  return error ? mmpError(error) : { status: 204 };
}

function mmpError(error: MmpError): SimulatorReply {
  return { status: error.status, body: error };
}
