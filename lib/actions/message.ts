import * as z from 'zod';
import { ConnectEvent, describeInvalid, isActionType, readOrderAction, type OrderAction } from '../connect/index.js';
import type { RecordIds } from '../observability.js';
import { ActionErrorCode, failed, type Outcome } from '../outcome.js';

/** SQS caps a message at 256 KiB; anything larger did not come from Connect's queue as configured. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

/** The ids every log line about an event carries (the record's, less the SQS message id). */
export type EventIds = Omit<RecordIds, 'message_id'>;

/** What a queue message turned out to be, before anything is done on the channel. */
export type ReadMessage =
  /** Unreadable and unreportable (no action id): moved to the DLQ with the reason. */
  | { kind: 'poison'; reason: string; ids: EventIds }
  /** A Connect event that is not an order action (catalog events): acknowledged and counted. */
  | { kind: 'not-an-action'; ids: EventIds }
  /** An action that cannot be carried out as sent: reported at once. */
  | { kind: 'rejected'; actionId: string; outcome: Outcome; ids: EventIds }
  | { kind: 'action'; actionId: string; action: OrderAction; ids: EventIds };

/**
 * Reads a queue message into an order action, leniently (invariants 7 and 8). Every way it can be wrong
 * has a defined end: poison (no action id to report on), not an action, or rejected with the reason.
 */
export const readMessage = (body: string): ReadMessage => {
  if (Buffer.byteLength(body) > MAX_MESSAGE_BYTES)
    return { kind: 'poison', reason: `message is larger than ${MAX_MESSAGE_BYTES} bytes`, ids: {} };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { kind: 'poison', reason: 'message body is not JSON', ids: {} };
  }
  const data = isRecord(json) && isRecord(json.data) ? json.data : {};
  const actionId = typeof data.action_id === 'string' && data.action_id.trim() !== '' ? data.action_id : undefined;
  const ids: EventIds = {
    event_id: isRecord(json) && typeof json.id === 'string' ? json.id : undefined,
    event_time: isRecord(json) && typeof json.time === 'string' ? json.time : undefined,
    action_id: actionId,
    type: isRecord(json) && typeof json.type === 'string' ? json.type : undefined,
    channel_order_id: typeof data.channel_order_id === 'string' ? data.channel_order_id : undefined,
    store: typeof data.channel_store_id === 'string' ? data.channel_store_id : undefined,
  };

  const envelope = ConnectEvent.safeParse(json);
  if (!envelope.success) {
    const reason = `not a Connect event envelope: ${describeInvalid(envelope.error)}`;
    return actionId
      ? { kind: 'rejected', actionId, outcome: failed(ActionErrorCode.INVALID_INPUT, reason), ids }
      : { kind: 'poison', reason, ids };
  }
  const type = actionTypeOf(envelope.data);
  ids.type = type;
  if (!actionId) {
    return isActionType(type)
      ? { kind: 'poison', reason: `${type} event without data.action_id: cannot report on it`, ids }
      : { kind: 'not-an-action', ids };
  }
  if (!isActionType(type)) {
    const reason =
      type === 'ORDER_ACTION'
        ? 'ORDER_ACTION event names no action (data.action_type or data.type)'
        : `Event type ${type} is not an order action this connector knows`;
    return { kind: 'rejected', actionId, outcome: failed(ActionErrorCode.ACTION_NOT_SUPPORTED, reason), ids };
  }
  const action = readOrderAction(type, envelope.data.data);
  if (action instanceof z.ZodError) {
    const missingCarrier = type === 'CREATE_SHIPMENT' && action.issues.some((issue) => issue.path[0] === 'carrier');
    const code = missingCarrier ? ActionErrorCode.MISSING_CARRIER : ActionErrorCode.INVALID_INPUT;
    return {
      kind: 'rejected',
      actionId,
      outcome: failed(code, `Invalid ${type} event: ${describeInvalid(action)}`),
      ids,
    };
  }
  return { kind: 'action', actionId, action, ids };
};

/**
 * The spec's examples put the action in `type`; Mirakl's guide also shows a generic `ORDER_ACTION` type.
 * Then the action is taken from `data.action_type` or `data.type`, when present.
 */
const actionTypeOf = (event: ConnectEvent): string => {
  if (event.type !== 'ORDER_ACTION') return event.type;
  const named = event.data?.action_type ?? event.data?.type;
  return typeof named === 'string' && named !== '' ? named : 'ORDER_ACTION';
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The order an action works on, `<store>#<order id>`: actions on one order must not overlap. An event too
 * broken to name its order is keyed by its action id, or its message, so it still runs alone.
 */
export const orderKeyOf = (ids: EventIds, fallback: string): string =>
  ids.store && ids.channel_order_id ? `${ids.store}#${ids.channel_order_id}` : `action#${ids.action_id ?? fallback}`;
