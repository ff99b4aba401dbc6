import * as z from 'zod';
import type { SimulatorReply } from './http-server.js';
import { jsonPathOf, type SpecViolation } from './spec-validator.js';

/** The channel the simulated Connect knows, with its stores: an upsert for any other answers 404. */
export interface ConnectChannel {
  channelId: string;
  storeIds: string[];
}

/**
 * How strict the simulated Connect is where Mirakl documents nothing. `orderIndexInErrors`: a refused
 * upsertOrders names the failing order in `errors[].field` (`orders[3].status`); off, the index is left out
 * (`orders.status`) and the connector must find the culprit by itself. `rejectedOrderIds`: orders Connect
 * refuses although they match the spec (a poison order). `returnsIntervalMs`: the least time between two
 * upsertReturns of one store (the spec's "maximum once per minute").
 */
export const ChannelOrderRulesSchema = z.object({
  orderIndexInErrors: z.boolean(),
  rejectedOrderIds: z.array(z.string()),
  returnsIntervalMs: z.number().int().nonnegative(),
});
export type ChannelOrderRules = z.infer<typeof ChannelOrderRulesSchema>;

export const DEFAULT_CHANNEL_ORDER_RULES: ChannelOrderRules = {
  orderIndexInErrors: true,
  rejectedOrderIds: [],
  returnsIntervalMs: 60_000,
};

const OriginSchema = z.object({ channel_id: z.string(), channel_store_id: z.string() });
const LineIdsSchema = z.array(z.looseObject({ channel_order_line_id: z.string() }));
/** The fields of the upserts the simulator reads, once the spec validator has accepted the body. */
const UpsertOrdersSchema = z.object({
  origin: OriginSchema,
  orders: z.array(
    z.looseObject({ channel_order_id: z.string(), channel_updated_at: z.string(), order_lines: LineIdsSchema }),
  ),
});
const UpsertReturnsSchema = z.object({
  origin: OriginSchema,
  returns: z.array(
    z.looseObject({
      channel_order_id: z.string(),
      channel_return_id: z.string(),
      channel_updated_at: z.string(),
      return_lines: LineIdsSchema,
    }),
  ),
});
type UpsertedOrder = z.infer<typeof UpsertOrdersSchema>['orders'][number];
type UpsertedReturn = z.infer<typeof UpsertReturnsSchema>['returns'][number];

/** An order (or return) as Connect holds it: the last body applied, and how often it was applied or ignored as stale. */
export interface HeldEntity<Body> {
  channel_id: string;
  channel_store_id: string;
  channel_updated_at: string;
  body: Body;
  /** Upserts applied (equal or newer `channel_updated_at`). */
  applied: number;
  /** Upserts silently ignored because their `channel_updated_at` was older. */
  ignoredAsStale: number;
}
export type HeldOrder = HeldEntity<UpsertedOrder>;
export type HeldReturn = HeldEntity<UpsertedReturn>;

interface ReturnErrorDetail {
  code: string;
  message: string;
  field?: string;
}

/** The orders and returns the channel pushed into Connect (upsertOrders, upsertReturns), with the spec's semantics. */
export class ChannelOrderBook {
  private readonly orders = new Map<string, HeldOrder>();
  private readonly returns = new Map<string, HeldReturn>();
  private readonly lastReturnsCall = new Map<string, number>();
  private rules: ChannelOrderRules;

  constructor(
    private readonly channel: ConnectChannel,
    private readonly initialRules: ChannelOrderRules,
    private readonly onOrderApplied: (channelId: string, channelOrderId: string) => void,
  ) {
    this.rules = { ...initialRules };
  }

  configure(rules: Partial<ChannelOrderRules>): void {
    this.rules = { ...this.rules, ...rules };
  }

  /** All or nothing: one invalid or rejected order refuses the whole call and nothing is applied. */
  upsertOrders(body: unknown, violations: SpecViolation[]): SimulatorReply {
    if (violations.length > 0) return this.invalid('Invalid upsert orders request', violations);
    const request = UpsertOrdersSchema.parse(body);
    const unknown = this.unknownOrigin(request.origin);
    if (unknown) return unknown;
    const rejected = request.orders.flatMap((order, index) =>
      this.rules.rejectedOrderIds.includes(order.channel_order_id)
        ? [{ pointer: `/orders/${index}/channel_order_id`, message: 'was refused by Connect' }]
        : [],
    );
    if (rejected.length > 0) return this.invalid('Invalid upsert orders request', rejected);
    for (const order of request.orders) {
      this.apply(this.orders, request.origin, order.channel_order_id, order);
      this.onOrderApplied(request.origin.channel_id, order.channel_order_id);
    }
    return { status: 204 };
  }

  /**
   * Partial success: each return is applied or listed in `return_errors` (its order or one of its lines not held
   * yet). At most one call per store in `returnsIntervalMs`; a call too soon answers 429 with `Retry-After`.
   */
  upsertReturns(body: unknown, violations: SpecViolation[], now = Date.now()): SimulatorReply {
    if (violations.length > 0) return this.invalid('Invalid upsert returns request', violations);
    const request = UpsertReturnsSchema.parse(body);
    const unknown = this.unknownOrigin(request.origin);
    if (unknown) return unknown;
    const store = request.origin.channel_store_id;
    const waitMs = (this.lastReturnsCall.get(store) ?? -Infinity) + this.rules.returnsIntervalMs - now;
    if (waitMs > 0) {
      return {
        status: 429,
        headers: { 'retry-after': String(Math.ceil(waitMs / 1000)) },
        body: {
          code: 'TOO_MANY_REQUEST',
          message: `upsertReturns is limited to one call every ${this.rules.returnsIntervalMs} ms per store`,
        },
      };
    }
    this.lastReturnsCall.set(store, now);
    const answer = { return_success: [] as object[], return_errors: [] as object[] };
    for (const found of request.returns) {
      const ids = { channel_order_id: found.channel_order_id, channel_return_id: found.channel_return_id };
      const details = this.returnErrors(store, found);
      if (details.length > 0) {
        answer.return_errors.push({ ...ids, details });
      } else {
        this.apply(this.returns, request.origin, `${found.channel_order_id}/${found.channel_return_id}`, found);
        answer.return_success.push(ids);
      }
    }
    return { status: 200, body: answer };
  }

  heldOrders(): HeldOrder[] {
    return structuredClone([...this.orders.values()]);
  }

  heldReturns(): HeldReturn[] {
    return structuredClone([...this.returns.values()]);
  }

  clear(): void {
    this.orders.clear();
    this.returns.clear();
    this.lastReturnsCall.clear();
    this.rules = { ...this.initialRules };
  }

  /** Anti-replay on `channel_updated_at`: an older version is silently ignored, an equal or newer one replaces. */
  private apply<Body extends { channel_updated_at: string }>(
    held: Map<string, HeldEntity<Body>>,
    origin: z.infer<typeof OriginSchema>,
    id: string,
    body: Body,
  ): void {
    const key = `${origin.channel_store_id}/${id}`;
    const current = held.get(key);
    if (current && Date.parse(body.channel_updated_at) < Date.parse(current.channel_updated_at)) {
      current.ignoredAsStale += 1;
      return;
    }
    held.set(key, {
      ...origin,
      channel_updated_at: body.channel_updated_at,
      body,
      applied: (current?.applied ?? 0) + 1,
      ignoredAsStale: current?.ignoredAsStale ?? 0,
    });
  }

  private returnErrors(store: string, found: UpsertedReturn): ReturnErrorDetail[] {
    const order = this.orders.get(`${store}/${found.channel_order_id}`);
    if (!order)
      return [
        { code: 'DATA_NOT_FOUND', message: `Order ${found.channel_order_id} not found`, field: 'channel_order_id' },
      ];
    const lineIds = new Set(order.body.order_lines.map((line) => line.channel_order_line_id));
    return found.return_lines.flatMap((line, index) =>
      lineIds.has(line.channel_order_line_id)
        ? []
        : [
            {
              code: 'DATA_NOT_FOUND',
              message: `Order line ${line.channel_order_line_id} not found`,
              field: `return_lines[${index}].channel_order_line_id`,
            },
          ],
    );
  }

  private unknownOrigin(origin: z.infer<typeof OriginSchema>): SimulatorReply | undefined {
    const field =
      origin.channel_id !== this.channel.channelId
        ? 'origin.channel_id'
        : this.channel.storeIds.includes(origin.channel_store_id)
          ? undefined
          : 'origin.channel_store_id';
    if (field === undefined) return undefined;
    const message =
      field === 'origin.channel_id' ? 'The channel is unknown to Connect' : 'The store is unknown to Connect';
    return { status: 404, body: { code: 'DATA_NOT_FOUND', message, errors: [{ message, field }] } };
  }

  private invalid(message: string, violations: SpecViolation[]): SimulatorReply {
    const field = (pointer: string) => {
      const path = jsonPathOf(pointer);
      return this.rules.orderIndexInErrors ? path : path.replace(/^orders\[\d+\]/, 'orders');
    };
    return {
      status: 400,
      body: {
        code: 'INVALID_INPUT',
        message,
        errors: violations.map((v) => ({ message: v.message, field: field(v.pointer) })),
      },
    };
  }
}
