import * as z from 'zod';

/**
 * Connect's events, parsed leniently as Mirakl asks (invariant 8): unknown fields are dropped,
 * enums are plain strings (new values may appear), and the vendor examples' aliases are accepted.
 */
export const ConnectEvent = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  time: z.string().min(1),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type ConnectEvent = z.infer<typeof ConnectEvent>;

const id = z.string().min(1);
const money = z.object({ amount: z.number(), currency: z.string().min(1) });
const tax = z.object({ code: z.string().min(1), amount: money });

/** Fields every order action carries (MIRAKL-CONTRACT.md §3.2). */
export const ActionTarget = z.object({
  action_id: id,
  channel_id: id,
  channel_store_id: id,
  channel_order_id: id,
  sub_channel_code: z.string().optional(),
});
export type ActionTarget = z.infer<typeof ActionTarget>;

const renamed = (from: string, to: string) => (value: unknown) => {
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  return to in record || !(from in record) ? record : { ...record, [to]: record[from] };
};

const adjustmentLine = z.preprocess(
  renamed('order_line_id', 'channel_order_line_id'),
  z.object({
    channel_order_line_id: id,
    product_id: id,
    quantity: z.number().int().min(0),
    reason: z.string().min(1),
    price: money,
    shipping_price: money,
    taxes: z.array(tax).default([]),
    shipping_taxes: z.array(tax).default([]),
  }),
);

const flatDocumentEntity = (value: unknown) => {
  if (typeof value !== 'object' || value === null) return value;
  const { document_entity_id: entityId, document_entity_type: entityType, ...rest } = value as Record<string, unknown>;
  if ('document_entity' in rest || entityId === undefined) return rest;
  return { ...rest, document_entity: { id: entityId, type: entityType } };
};

/** `data` of each OrderActionEvent `type` (MIRAKL-CONTRACT.md §3.3). */
export const ActionPayloads = {
  ACCEPT: ActionTarget.extend({
    order_lines: z.array(z.object({ channel_order_line_id: id, accepted: z.boolean() })).min(1),
  }),
  CREATE_SHIPMENT: ActionTarget.extend({
    carrier: z.string({ error: 'is required' }).trim().min(1, 'is required'),
    tracking_number: z.string().optional(),
    tracking_url: z.string().optional(),
    return_tracking_number: z.string().optional(),
    warehouse_id: z.string().optional(),
    items: z
      .array(z.object({ channel_order_line_id: id, id: z.string().optional(), quantity: z.number().int().positive() }))
      .optional(),
  }),
  CANCEL: ActionTarget.extend({ cancelations: z.array(adjustmentLine).min(1) }),
  REFUND: ActionTarget.extend({ refunds: z.array(adjustmentLine).min(1) }),
  UPLOAD_DOCUMENT: z.preprocess(
    flatDocumentEntity,
    ActionTarget.extend({
      document_download_url: z.url(),
      document_name: z.string().min(1),
      document_type: z.string().min(1),
      document_entity: z.object({ id, type: z.string().min(1) }).optional(),
    }),
  ),
  ACCEPT_RETURN: ActionTarget.extend({
    channel_return_id: id,
    accepted: z.boolean(),
    rejection_reason: z.string().nullish(),
  }),
  UPDATE_RETURN_TRACKING_INFORMATION: ActionTarget.extend({
    channel_return_id: id,
    label_url: z.string().optional(),
    rma_id: z.string().optional(),
    tracking: z
      .object({
        carrier: z.string().optional(),
        tracking_number: z.string().optional(),
        tracking_url: z.string().optional(),
      })
      .optional(),
  }),
  ACKNOWLEDGE_RETURN_RECEPTION: ActionTarget.extend({ channel_return_id: id }),
  CLOSE_RETURN: ActionTarget.extend({ channel_return_id: id }),
} as const;

export type ActionType = keyof typeof ActionPayloads;
export type ActionPayload<T extends ActionType> = z.infer<(typeof ActionPayloads)[T]>;

export const isActionType = (type: string): type is ActionType => Object.hasOwn(ActionPayloads, type);

/** An order action of one type with its payload, parsed: `action.type` tells TypeScript what `action.payload` is. */
export type OrderActionOf<T extends ActionType> = { type: T; payload: ActionPayload<T> };
export type OrderAction = { [T in ActionType]: OrderActionOf<T> }[ActionType];

const typed = <T extends ActionType>(
  type: T,
  parsed: z.ZodSafeParseResult<ActionPayload<T>>,
): OrderActionOf<T> | z.ZodError => (parsed.success ? { type, payload: parsed.data } : parsed.error);

/** One reader per type, so that each result keeps its type and its payload together. */
const readers: { [T in ActionType]: (data: unknown) => OrderActionOf<T> | z.ZodError } = {
  ACCEPT: (data) => typed('ACCEPT', ActionPayloads.ACCEPT.safeParse(data)),
  CREATE_SHIPMENT: (data) => typed('CREATE_SHIPMENT', ActionPayloads.CREATE_SHIPMENT.safeParse(data)),
  CANCEL: (data) => typed('CANCEL', ActionPayloads.CANCEL.safeParse(data)),
  REFUND: (data) => typed('REFUND', ActionPayloads.REFUND.safeParse(data)),
  UPLOAD_DOCUMENT: (data) => typed('UPLOAD_DOCUMENT', ActionPayloads.UPLOAD_DOCUMENT.safeParse(data)),
  ACCEPT_RETURN: (data) => typed('ACCEPT_RETURN', ActionPayloads.ACCEPT_RETURN.safeParse(data)),
  UPDATE_RETURN_TRACKING_INFORMATION: (data) =>
    typed('UPDATE_RETURN_TRACKING_INFORMATION', ActionPayloads.UPDATE_RETURN_TRACKING_INFORMATION.safeParse(data)),
  ACKNOWLEDGE_RETURN_RECEPTION: (data) =>
    typed('ACKNOWLEDGE_RETURN_RECEPTION', ActionPayloads.ACKNOWLEDGE_RETURN_RECEPTION.safeParse(data)),
  CLOSE_RETURN: (data) => typed('CLOSE_RETURN', ActionPayloads.CLOSE_RETURN.safeParse(data)),
};

/** `data` of an event of a known action type → the typed action, or why it is not one. */
export const readOrderAction = (type: ActionType, data: unknown): OrderAction | z.ZodError => readers[type](data);

/** Field-by-field reasons, e.g. `carrier is required; items.0.quantity must be > 0`, with no values. */
export const describeInvalid = (error: z.ZodError): string =>
  error.issues
    .map((issue) => {
      const field = issue.path.map(String).join('.') || 'data';
      const message =
        issue.code === 'invalid_type' && issue.message.includes('undefined') ? 'is required' : issue.message;
      return `${field} ${message}`;
    })
    .join('; ');
