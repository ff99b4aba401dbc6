import * as z from 'zod';
import { matchPath, parseJsonBody, type SimulatorCall, type SimulatorReply } from './http-server.js';
import {
  cancelLines,
  CancelationsSchema,
  cancelWholeOrder,
  refundLines,
  RefundsSchema,
  type LineOfOrder,
} from './mmp-adjustments.js';
import { updateStamp, type MmpOrder } from './mmp-orders.js';
import {
  buildMmpReturn,
  changeReturns,
  MmpReturnInputSchema,
  RETURN_CHANGES,
  ReturnDecisionsSchema,
  ReturnIdsSchema,
  ReturnUpdatesSchema,
  type MmpReturn,
  type MmpReturnInput,
} from './mmp-returns.js';
import { OPERATOR_LANGUAGES } from './mmp-reasons.js';
import { listReturns } from './mmp-return-query.js';
import { ShipmentBook, ShipmentsSchema } from './mmp-shipments.js';
import type { MmpError } from './mmp-workflow.js';

export type { MmpReturn, MmpReturnInput } from './mmp-returns.js';

/**
 * The order life after acceptance, on the simulated marketplace: cancelations (OR29, OR30), refunds (OR28),
 * multi-shipment (ST01, ST11) and returns (RT11, RT04, RT21, RT25, RT27). mmp.ts routes these calls here.
 */
export const LIFECYCLE_ROUTES = [
  'OR28',
  'OR29',
  'OR30',
  'ST01',
  'ST11',
  'RT04',
  'RT11',
  'RT21',
  'RT25',
  'RT27',
] as const;
export type LifecycleRoute = (typeof LIFECYCLE_ROUTES)[number];

const ROUTES: Array<{ route: LifecycleRoute; method: string; path: string | RegExp }> = [
  { route: 'OR28', method: 'PUT', path: '/api/orders/refund' },
  { route: 'OR30', method: 'PUT', path: '/api/orders/cancel' },
  { route: 'OR29', method: 'PUT', path: /^\/api\/orders\/([^/]+)\/cancel$/ },
  { route: 'ST01', method: 'POST', path: '/api/shipments' },
  { route: 'ST11', method: 'GET', path: '/api/shipments' },
  { route: 'RT11', method: 'GET', path: '/api/returns' },
  { route: 'RT04', method: 'PUT', path: '/api/returns' },
  { route: 'RT21', method: 'PUT', path: '/api/returns/accept' },
  { route: 'RT25', method: 'PUT', path: '/api/returns/receive' },
  { route: 'RT27', method: 'PUT', path: '/api/returns/close' },
];

/** The request schema (`#/components/schemas/<name>` of the MMP spec) of each call that has a body. */
export const REQUEST_SCHEMAS: Readonly<Record<string, string>> = {
  OR21: 'OR21_Request',
  OR23: 'OR23_Request',
  OR28: 'OR28_Request',
  OR30: 'OR30_Request',
  ST01: 'ST01_Request',
  RT04: 'RT04_Request',
  RT21: 'RT21_Request',
  RT25: 'RT25_Request',
  RT27: 'RT27_Request',
};

/** What the operator enabled on the simulated marketplace; a change names only what it changes. */
export const MarketplaceSettingsSchema = z
  .object({
    /** OR21 may accept some lines and refuse others. */
    partialAcceptance: z.boolean(),
    /** ST01 is available. */
    multiShipment: z.boolean(),
    /** The language of the operator's back office, hence of its reason labels (RE01). */
    operatorLanguage: z.enum(OPERATOR_LANGUAGES),
  })
  .partial();
export type MarketplaceSettings = Required<z.output<typeof MarketplaceSettingsSchema>>;

const DEFAULT_SETTINGS: MarketplaceSettings = { partialAcceptance: true, multiShipment: false, operatorLanguage: 'en' };

/** The call's route and path parameter, when it is one of the routes here. */
export function lifecycleRouteOf(call: SimulatorCall): { route: LifecycleRoute; orderId: string } | undefined {
  for (const { route, method, path } of ROUTES) {
    if (call.method !== method) continue;
    if (typeof path === 'string' ? call.path === path : matchPath(path, call.path)) {
      return { route, orderId: typeof path === 'string' ? '' : (matchPath(path, call.path)?.[0] ?? '') };
    }
  }
  return undefined;
}

export const isLifecycleRoute = (route: string): route is LifecycleRoute =>
  (LIFECYCLE_ROUTES as readonly string[]).includes(route);

interface ShopOrders {
  /** The order with this id, when it belongs to the shop. */
  order(shopId: string | undefined, orderId: string): MmpOrder | undefined;
  /** Every order of the shop. */
  orders(shopId: string | undefined): MmpOrder[];
  /** The order and its shop, whatever the shop. */
  find(orderId: string): { shopId: string | undefined; order: MmpOrder } | undefined;
  /** The shop of an order the simulator does not have. */
  defaultShopId: string | undefined;
  /** Every order, whatever the shop. */
  all(): MmpOrder[];
}

/** Where the calls here name orders, lines or returns; anything else in the body is ignored. */
const ConcernedSchema = z.object({
  cancelations: z.array(z.object({ order_line_id: z.string() })).optional(),
  refunds: z.array(z.object({ order_line_id: z.string() })).optional(),
  shipments: z.array(z.object({ order_id: z.string() })).optional(),
  returns: z.array(z.object({ id: z.string() })).optional(),
});

/** The documents attached to a return (OR74 with `entity: {type: RETURN, id}`), as RT11 lists them. */
type ReturnDocuments = (orderId: string, returnId: string) => Array<{ id: number; type: string }>;

export function createOrderLifecycle(
  shopOrders: ShopOrders,
  initial: Partial<MarketplaceSettings> = {},
  returnDocuments: ReturnDocuments = () => [],
) {
  const returns = new Map<string, { shopId: string | undefined; found: MmpReturn }>();
  const shipments = new ShipmentBook();
  let settings = { ...DEFAULT_SETTINGS };
  const configure = (patch: Partial<MarketplaceSettings>) => {
    settings = {
      partialAcceptance: patch.partialAcceptance ?? settings.partialAcceptance,
      multiShipment: patch.multiShipment ?? settings.multiShipment,
      operatorLanguage: patch.operatorLanguage ?? settings.operatorLanguage,
    };
  };
  configure(initial);

  const lineOf =
    (shopId: string | undefined) =>
    (orderLineId: string): LineOfOrder | undefined => {
      for (const order of shopOrders.orders(shopId)) {
        const line = order.order_lines.find((candidate) => candidate.order_line_id === orderLineId);
        if (line) return { order, line };
      }
      return undefined;
    };
  const returnOf = (shopId: string | undefined) => (id: string) => {
    const entry = returns.get(id);
    return entry && entry.shopId === shopId ? entry.found : undefined;
  };

  /** Answers one call on a route here; the body has already been checked against the spec (`schemaErrors`). */
  const handle = (
    route: LifecycleRoute,
    call: SimulatorCall,
    shopId: string | undefined,
    orderId: string,
    schemaErrors: string[],
  ): SimulatorReply => {
    if (schemaErrors.length > 0)
      return mmpError({ status: 400, code: 'VALIDATION_ERROR', message: schemaErrors.join('; ') });
    const body = parseJsonBody(call);
    switch (route) {
      case 'OR29': {
        const order = shopOrders.order(shopId, orderId);
        return order
          ? outcome(cancelWholeOrder(order))
          : mmpError({ status: 404, message: `Order ${orderId} not found` });
      }
      case 'OR30': {
        const { error, created } = cancelLines(lineOf(shopId), CancelationsSchema.parse(body));
        const cancelations = created.map(([request, made]) => ({ ...request, cancelation_id: made.id }));
        return error ? mmpError(error) : { status: 200, body: { cancelations, order_tax_mode: 'TAX_EXCLUDED' } };
      }
      case 'OR28': {
        const { error, created } = refundLines(lineOf(shopId), RefundsSchema.parse(body));
        const refunds = created.map(([request, made]) => ({
          ...request,
          refund_id: made.id,
          order_refund_id: made.order_refund_id,
        }));
        return error ? mmpError(error) : { status: 200, body: { refunds, order_tax_mode: 'TAX_EXCLUDED' } };
      }
      case 'ST01': {
        if (!settings.multiShipment)
          return mmpError({ status: 400, message: 'Multi-shipment is not enabled on this marketplace' });
        const answer = shipments.create((id) => shopOrders.order(shopId, id), ShipmentsSchema.parse(body).shipments);
        return { status: 201, body: answer };
      }
      case 'ST11': {
        const orderIds = call.query.getAll('order_id').filter((id) => shopOrders.order(shopId, id));
        return { status: 200, body: { data: shipments.list(orderIds) } };
      }
      case 'RT11': {
        const listed = [...returns.values()]
          .filter((entry) => entry.shopId === shopId)
          .map((entry) => ({
            ...structuredClone(entry.found),
            documents: returnDocuments(entry.found.order_id, entry.found.id),
          }));
        return listReturns(listed, call.query);
      }
      case 'RT21':
        return {
          status: 200,
          body: changeReturns(returnOf(shopId), ReturnDecisionsSchema.parse(body).returns, RETURN_CHANGES.RT21),
        };
      case 'RT04':
        return {
          status: 200,
          body: changeReturns(
            returnOf(shopId),
            ReturnUpdatesSchema.parse(body).returns,
            RETURN_CHANGES.RT04,
            structuredClone,
          ),
        };
      case 'RT25':
      case 'RT27':
        return {
          status: 200,
          body: changeReturns(returnOf(shopId), ReturnIdsSchema.parse(body).returns, RETURN_CHANGES[route]),
        };
    }
  };

  /** The orders a call is about, so that a fault can target one order. */
  const ordersConcerned = (route: LifecycleRoute, call: SimulatorCall, orderId: string): string[] => {
    const body = ConcernedSchema.safeParse(parseJsonBody(call)).data ?? {};
    const lineIds = [...(body.cancelations ?? []), ...(body.refunds ?? [])].map((line) => line.order_line_id);
    const returnIds = [...(body.returns ?? []).map((found) => found.id), ...call.query.getAll('return_id')];
    return [
      ...(route === 'OR29' ? [orderId] : []),
      ...call.query.getAll('order_id'),
      ...(body.shipments ?? []).map((shipment) => shipment.order_id),
      ...shopOrders
        .all()
        .filter((order) => order.order_lines.some((line) => lineIds.includes(line.order_line_id)))
        .map((order) => order.order_id),
      ...returnIds.flatMap((id) => returns.get(id)?.found.order_id ?? []),
    ];
  };

  return {
    handle,
    ordersConcerned,
    settings: () => settings,
    configure,
    addReturn(input: MmpReturnInput): MmpReturn {
      const parsed = MmpReturnInputSchema.parse(input);
      const order = shopOrders.find(parsed.order_id);
      const found = buildMmpReturn(parsed, order?.order);
      returns.set(found.id, { shopId: parsed.shopId ?? (order ? order.shopId : shopOrders.defaultShopId), found });
      return structuredClone(found);
    },
    returnOf: (id: string) => structuredClone(returns.get(id)?.found),
    /** Moves a return's `last_updated` forward, e.g. when a document is attached to it. */
    touchReturn(id: string) {
      const entry = returns.get(id);
      if (entry) entry.found.last_updated = updateStamp(entry.found.last_updated);
    },
    reset() {
      returns.clear();
      shipments.clear();
      settings = { ...DEFAULT_SETTINGS };
      configure(initial);
    },
  };
}

function outcome(error: MmpError | undefined): SimulatorReply {
  return error ? mmpError(error) : { status: 204 };
}

function mmpError(error: MmpError): SimulatorReply {
  return { status: error.status, body: error };
}
