import * as z from 'zod';

/**
 * How the simulated Connect describes a refused anonymize-after call. Mirakl documents `errors[].field` as a
 * JSON path but not whether every bad order is named: `every-order` names each, `first-order` only the first,
 * `no-field` none (the connector must then find the bad orders by itself).
 */
export const AnonymizeErrorDetailSchema = z.enum(['every-order', 'first-order', 'no-field']);
export type AnonymizeErrorDetail = z.infer<typeof AnonymizeErrorDetailSchema>;

/** The fields of an `UpdateAnonymizeAfterRequest` the simulator keeps, once the spec validator accepted it. */
export const AnonymizeAfterRequestSchema = z.object({
  orders: z.array(
    z.object({
      channel_id: z.string(),
      channel_order_id: z.string(),
      sub_channel_code: z.string().optional(),
      anonymize_after: z.string(),
    }),
  ),
});
type AnonymizeAfterItem = z.infer<typeof AnonymizeAfterRequestSchema>['orders'][number];

export interface KnownOrder {
  channel_id: string;
  channel_order_id: string;
  /** The date last set, if any. */
  anonymize_after?: string;
  sub_channel_code?: string;
  /** Calls that set this order's date. */
  updates: number;
}

export interface OrderRefusal {
  code: 'DATA_NOT_FOUND' | 'INVALID_INPUT';
  field: string;
  message: string;
}

/** Connect lets a date be "a few minutes" in the past (MIRAKL-CONTRACT.md §5.3). */
export const PAST_TOLERANCE_MS = 5 * 60_000;

/** The orders Connect knows, and the anonymize-after dates set on them. */
export class AnonymizationBook {
  private readonly orders = new Map<string, KnownOrder>();

  register(channelId: string, channelOrderId: string): void {
    const key = orderKey(channelId, channelOrderId);
    if (!this.orders.has(key))
      this.orders.set(key, { channel_id: channelId, channel_order_id: channelOrderId, updates: 0 });
  }

  /** All or nothing, as Connect: the refusals (each with its JSON path), or none when every order was updated. */
  update(items: AnonymizeAfterItem[], now = Date.now()): OrderRefusal[] {
    const refusals = items.flatMap((item, index): OrderRefusal[] => {
      if (!this.orders.has(orderKey(item.channel_id, item.channel_order_id))) {
        return [
          {
            code: 'DATA_NOT_FOUND',
            field: `orders[${index}].channel_order_id`,
            message: `Order ${item.channel_order_id} not found`,
          },
        ];
      }
      if (Date.parse(item.anonymize_after) < now - PAST_TOLERANCE_MS) {
        return [
          {
            code: 'INVALID_INPUT',
            field: `orders[${index}].anonymize_after`,
            message: 'anonymize_after must be in the future',
          },
        ];
      }
      return [];
    });
    if (refusals.length > 0) return refusals;
    for (const item of items) {
      const order = this.orders.get(orderKey(item.channel_id, item.channel_order_id)) as KnownOrder;
      order.anonymize_after = item.anonymize_after;
      if (item.sub_channel_code !== undefined) order.sub_channel_code = item.sub_channel_code;
      order.updates += 1;
    }
    return [];
  }

  list(): KnownOrder[] {
    return structuredClone([...this.orders.values()]);
  }

  clear(): void {
    this.orders.clear();
  }
}

/** The 400 body of a refused call, detailed as `detail` says. */
export function refusalBody(refusals: OrderRefusal[], detail: AnonymizeErrorDetail) {
  const named = detail === 'first-order' ? refusals.slice(0, 1) : refusals;
  return {
    code: refusals[0]?.code ?? 'INVALID_INPUT',
    message: 'At least one order is invalid: no anonymize_after date was updated',
    errors: named.map(({ field, message }) => (detail === 'no-field' ? { message } : { message, field })),
  };
}

const orderKey = (channelId: string, channelOrderId: string) => JSON.stringify([channelId, channelOrderId]);
