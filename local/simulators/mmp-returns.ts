import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { updateStamp, type MmpOrder } from './mmp-orders.js';
import { MMP_CARRIERS } from './mmp-workflow.js';

export const MMP_RETURN_STATES = [
  'WAITING_ACCEPTANCE',
  'IN_PROGRESS',
  'REFUSED',
  'RECEIVED',
  'NO_RECEPTION',
  'CLOSED',
  'CANCELED',
] as const;
export type MmpReturnState = (typeof MMP_RETURN_STATES)[number];

/** What a test says about a return; `buildMmpReturn` fills in the rest of RT11's fields. */
export const MmpReturnInputSchema = z.object({
  /** A UUID, as MMP's return ids are; a new one when omitted. */
  id: z.uuid().optional(),
  order_id: z.string().min(1),
  state: z.enum(MMP_RETURN_STATES).default('WAITING_ACCEPTANCE'),
  /** The order's shop when omitted (the first shop's for an order the simulator does not have). */
  shopId: z.string().optional(),
  /** When the customer opened it (now when omitted): RT11 sorts on it. */
  date_created: z.iso.datetime({ offset: true }).optional(),
  /** Every line of the order, in full, when omitted. */
  return_lines: z
    .array(z.object({ order_line_id: z.string().min(1), quantity: z.number().int().positive() }))
    .min(1)
    .optional(),
});
export type MmpReturnInput = z.input<typeof MmpReturnInputSchema>;

/** A return as RT11 lists it (the fields the spec requires, plus RMA, label and tracking). */
export interface MmpReturn {
  id: string;
  order_id: string;
  order_commercial_id: string;
  state: MmpReturnState;
  date_created: string;
  last_updated: string;
  method_code: 'RETURN_METHOD_BY_MAIL';
  reason_code: 'RETURN_CHANGED_MIND';
  return_address: { street1: string; zip_code: string; city: string; country_iso_code: string };
  return_lines: Array<{ order_line_id: string; quantity: number; reason_code: 'RETURN_CHANGED_MIND' }>;
  rejection_reason_code?: string;
  rma?: string;
  label_url?: string;
  tracking?: {
    carrier_code?: string;
    carrier_name?: string;
    carrier_standard_code?: string;
    tracking_number?: string;
    tracking_url?: string;
  };
}

export function buildMmpReturn(input: z.output<typeof MmpReturnInputSchema>, order: MmpOrder | undefined): MmpReturn {
  const created = input.date_created === undefined ? updateStamp() : new Date(input.date_created).toISOString();
  const lines = input.return_lines ??
    order?.order_lines.map((line) => ({ order_line_id: line.order_line_id, quantity: line.quantity })) ?? [
      { order_line_id: `${input.order_id}-1`, quantity: 1 },
    ];
  return {
    id: input.id ?? randomUUID(),
    order_id: input.order_id,
    order_commercial_id: order?.commercial_id ?? input.order_id,
    state: input.state,
    date_created: created,
    last_updated: created,
    method_code: 'RETURN_METHOD_BY_MAIL',
    reason_code: 'RETURN_CHANGED_MIND',
    return_address: { street1: '3 rue du Retour', zip_code: '59000', city: 'Lille', country_iso_code: 'FRA' },
    return_lines: lines.map((line) => ({ ...line, reason_code: 'RETURN_CHANGED_MIND' })),
  };
}

/** RT21/RT04/RT25/RT27 bodies, read once the spec validator has accepted them. */
export const ReturnDecisionsSchema = z.object({
  returns: z.array(z.object({ id: z.string(), accepted: z.boolean(), rejection_reason_code: z.string().optional() })),
});
export const ReturnUpdatesSchema = z.object({
  returns: z.array(
    z.object({
      id: z.string(),
      rma: z.string().optional(),
      label_url: z.string().optional(),
      tracking: z
        .object({
          carrier_code: z.string().optional(),
          carrier_name: z.string().optional(),
          tracking_number: z.string().optional(),
          tracking_url: z.string().optional(),
        })
        .optional(),
    }),
  ),
});
export const ReturnIdsSchema = z.object({ returns: z.array(z.object({ id: z.string() })) });

/** A change of one return: an error message (reported in `return_errors`), or undefined once applied. */
type ReturnChange<T> = (found: MmpReturn, request: T) => string | undefined;

/**
 * RT21: a return WAITING_ACCEPTANCE is accepted (IN_PROGRESS) or refused with a reason (REFUSED).
 * RT04: the RMA, label and tracking of a return not received yet. RT25: IN_PROGRESS → RECEIVED.
 * RT27: RECEIVED (or NO_RECEPTION) → CLOSED.
 */
export const RETURN_CHANGES = {
  RT21: ((found, decision: z.infer<typeof ReturnDecisionsSchema>['returns'][number]) => {
    if (found.state !== 'WAITING_ACCEPTANCE') return `Return is ${found.state}, not WAITING_ACCEPTANCE`;
    if (!decision.accepted && decision.rejection_reason_code === undefined)
      return 'A rejection reason code is required to refuse a return';
    found.state = decision.accepted ? 'IN_PROGRESS' : 'REFUSED';
    if (decision.rejection_reason_code !== undefined && !decision.accepted)
      found.rejection_reason_code = decision.rejection_reason_code;
    return undefined;
  }) satisfies ReturnChange<z.infer<typeof ReturnDecisionsSchema>['returns'][number]>,
  RT04: ((found, update: z.infer<typeof ReturnUpdatesSchema>['returns'][number]) => {
    if (found.state !== 'WAITING_ACCEPTANCE' && found.state !== 'IN_PROGRESS')
      return `Return is ${found.state}: its tracking can no longer change`;
    const carrier =
      update.tracking?.carrier_code === undefined
        ? undefined
        : MMP_CARRIERS.find((known) => known.code === update.tracking?.carrier_code);
    if (update.tracking?.carrier_code !== undefined && !carrier)
      return `Carrier code ${update.tracking.carrier_code} is not registered`;
    if (update.rma !== undefined) found.rma = update.rma;
    if (update.label_url !== undefined) found.label_url = update.label_url;
    if (update.tracking) {
      found.tracking = carrier
        ? {
            carrier_code: carrier.code,
            carrier_name: carrier.label,
            carrier_standard_code: carrier.standard_code,
            tracking_number: update.tracking.tracking_number,
          }
        : { ...update.tracking };
    }
    return undefined;
  }) satisfies ReturnChange<z.infer<typeof ReturnUpdatesSchema>['returns'][number]>,
  RT25: ((found) => {
    if (found.state !== 'IN_PROGRESS') return `Return is ${found.state}, not IN_PROGRESS`;
    found.state = 'RECEIVED';
    return undefined;
  }) satisfies ReturnChange<unknown>,
  RT27: ((found) => {
    if (found.state !== 'RECEIVED' && found.state !== 'NO_RECEPTION') return `Return is ${found.state}, not RECEIVED`;
    found.state = 'CLOSED';
    return undefined;
  }) satisfies ReturnChange<unknown>,
};

/** Applies a change to each return of a call: the 200 answer lists the successes and the per-return errors. */
export function changeReturns<T extends { id: string }>(
  findReturn: (id: string) => MmpReturn | undefined,
  requests: T[],
  change: ReturnChange<T>,
  success: (found: MmpReturn) => object = (found) => ({ id: found.id }),
): { return_success: object[]; return_errors: Array<{ id: string; message: string }> } {
  const answer: ReturnType<typeof changeReturns> = { return_success: [], return_errors: [] };
  for (const request of requests) {
    const found = findReturn(request.id);
    const error = found ? change(found, request) : 'Return not found';
    if (found && error === undefined) {
      found.last_updated = updateStamp(found.last_updated);
      answer.return_success.push(success(found));
    } else {
      answer.return_errors.push({ id: request.id, message: error ?? 'Return not found' });
    }
  }
  return answer;
}
