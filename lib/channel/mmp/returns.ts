import { ActionErrorCode, ActionFailure } from '../../outcome.js';
import type { ReturnDecision, ReturnRef, ReturnTracking } from '../port.js';
import type { CarrierMap } from './carriers.js';
import { carryOut, type CallAnswer } from './course.js';
import type { MmpReturn, MmpReturnDecision, MmpReturnsClient, MmpReturnUpdate } from './returns-client.js';

/** MMP return ids are UUIDs (RT25, RT27); anything else cannot name a marketplace return. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** States that come after an acceptance. */
const ACCEPTED = new Set(['IN_PROGRESS', 'RECEIVED', 'NO_RECEPTION', 'CLOSED']);
/** States where the return's tracking may still change. */
const OPEN = new Set(['WAITING_ACCEPTANCE', 'IN_PROGRESS']);

/** One change of a return: the call, and what the return's state says about it. */
interface ReturnStep {
  operation: 'RT04' | 'RT21' | 'RT25' | 'RT27';
  /** For messages: `cannot <verb> it`. */
  verb: string;
  /** The return already shows the change: a redelivery, or someone made it by hand. */
  done(state: string): boolean;
  /** States the change may still become possible from: worth waiting for. */
  waitFrom?: ReadonlySet<string>;
  /** States the change is meant for: a refusal from them is the values' fault, not the state's. */
  valuesFrom?: ReadonlySet<string>;
  send(): Promise<CallAnswer>;
}

/**
 * The four return actions take the course of every change (course.ts): the call goes first; a refusal (the
 * 200's `return_errors`, or a 4xx) reads the return (RT11): unknown, or not a return of the event's order, is
 * DATA_NOT_FOUND; a return already showing the change is confirmed; otherwise the state says whose fault it is.
 */
const changeReturn = async (returns: MmpReturnsClient, ref: ReturnRef, step: ReturnStep): Promise<void> => {
  assertReturnId(ref);
  await carryOut(
    () => readReturn(returns, ref),
    [
      {
        operation: step.operation,
        done: (found) => step.done(found.state),
        // Whose fault a refusal is depends on the refusal too: `refused` tells.
        check: () => undefined,
        send: step.send,
        itemErrors: 'return_errors',
        refused: (refusal, found) =>
          step.valuesFrom?.has(found.state)
            ? new ActionFailure(
                ActionErrorCode.INVALID_INPUT,
                `MMP ${step.operation} refused to ${step.verb} return ${found.id} of order ${found.order_id} (${refusal.description}): values not accepted`,
              )
            : wrongState(found, step, `MMP ${step.operation} refused with ${refusal.description}`),
      },
    ],
  );
};

/** MMP return ids are UUIDs: anything else cannot name a marketplace return, and is not sent. */
const assertReturnId = ({ channelReturnId: id, channelOrderId: orderId }: ReturnRef) => {
  if (!UUID.test(id)) {
    throw new ActionFailure(
      ActionErrorCode.DATA_NOT_FOUND,
      `Return ${id} of order ${orderId} is not a marketplace return id (MMP return ids are UUIDs)`,
    );
  }
};

const readReturn = async (returns: MmpReturnsClient, ref: ReturnRef): Promise<MmpReturn> => {
  const { channelReturnId: id, channelOrderId: orderId } = ref;
  const found = await returns.getReturn(id);
  if (!found)
    throw new ActionFailure(
      ActionErrorCode.DATA_NOT_FOUND,
      `Return ${id} of order ${orderId} not found on the marketplace (MMP RT11)`,
    );
  if (found.order_id !== orderId) {
    throw new ActionFailure(
      ActionErrorCode.DATA_NOT_FOUND,
      `Return ${id} is not a return of order ${orderId} on the marketplace`,
    );
  }
  return found;
};

const wrongState = (found: MmpReturn, step: ReturnStep, refusal: string) =>
  new ActionFailure(
    ActionErrorCode.RETURN_IN_WRONG_STATE,
    `Return ${found.id} of order ${found.order_id} is ${found.state} on the marketplace: cannot ${step.verb} it (${refusal})`,
    { transient: step.waitFrom?.has(found.state) ?? false },
  );

/** ACCEPT_RETURN → RT21. */
export const acceptReturn = async (
  returns: MmpReturnsClient,
  decision: ReturnDecision,
  rejectionReasons: Record<string, string>,
) => {
  const body = returnDecisionBody(decision, rejectionReasons);
  await changeReturn(returns, decision, {
    operation: 'RT21',
    verb: decision.accepted ? 'accept' : 'refuse',
    done: (state) => (decision.accepted ? ACCEPTED.has(state) : state === 'REFUSED'),
    send: () => returns.decideReturn(body),
  });
};

/** UPDATE_RETURN_TRACKING_INFORMATION → RT04, the carrier mapped as for shipments. */
export const updateReturnTracking = async (
  returns: MmpReturnsClient,
  carriers: CarrierMap,
  tracking: ReturnTracking,
) => {
  const carrierCode = tracking.carrier ? await carriers.codeFor(tracking.carrier) : undefined;
  const body = returnUpdateBody(tracking, carrierCode);
  await changeReturn(returns, tracking, {
    operation: 'RT04',
    verb: 'update the tracking of',
    done: () => false,
    valuesFrom: OPEN,
    send: () => returns.updateReturn(body),
  });
};

/** ACKNOWLEDGE_RETURN_RECEPTION → RT25; a return not accepted yet may still be. */
export const receiveReturn = (returns: MmpReturnsClient, ref: ReturnRef) =>
  changeReturn(returns, ref, {
    operation: 'RT25',
    verb: 'receive',
    done: (state) => state === 'RECEIVED' || state === 'CLOSED',
    waitFrom: new Set(['WAITING_ACCEPTANCE']),
    send: () => returns.receiveReturn(ref.channelReturnId),
  });

/** CLOSE_RETURN → RT27; a return not received yet may still be. */
export const closeReturn = (returns: MmpReturnsClient, ref: ReturnRef) =>
  changeReturn(returns, ref, {
    operation: 'RT27',
    verb: 'close',
    done: (state) => state === 'CLOSED',
    waitFrom: OPEN,
    send: () => returns.closeReturn(ref.channelReturnId),
  });

/** The RT21 body: a refusal needs a reason that maps to one of MMP's rejection codes. */
export const returnDecisionBody = (
  decision: ReturnDecision,
  rejectionReasons: Record<string, string>,
): MmpReturnDecision => {
  const id = decision.channelReturnId;
  if (decision.accepted) return { id, accepted: true };
  const reason = decision.rejectionReason;
  if (!reason) {
    throw new ActionFailure(
      ActionErrorCode.INVALID_INPUT,
      `Refusing return ${id} of order ${decision.channelOrderId} needs a rejection_reason`,
    );
  }
  if (!Object.hasOwn(rejectionReasons, reason)) {
    throw new ActionFailure(
      ActionErrorCode.INVALID_INPUT,
      `Rejection reason ${reason} of return ${id} has no marketplace rejection_reason_code: map it in MMP_RETURN_REJECTION_REASONS`,
    );
  }
  return { id, accepted: false, rejection_reason_code: rejectionReasons[reason] };
};

/** The RT04 body: only what the event sets; a registered carrier by code, another by name and URL. */
export const returnUpdateBody = (tracking: ReturnTracking, carrierCode: string | undefined): MmpReturnUpdate => {
  const trackingNumber = tracking.trackingNumber || undefined;
  const carrier = tracking.carrier?.trim() || undefined;
  const trackingBody = carrierCode
    ? { carrier_code: carrierCode, tracking_number: trackingNumber }
    : { carrier_name: carrier, tracking_url: tracking.trackingUrl || undefined, tracking_number: trackingNumber };
  const update: MmpReturnUpdate = {
    id: tracking.channelReturnId,
    rma: tracking.rmaId || undefined,
    label_url: tracking.labelUrl || undefined,
    tracking: Object.values(trackingBody).some((value) => value !== undefined) ? trackingBody : undefined,
  };
  if (!update.rma && !update.label_url && !update.tracking) {
    throw new ActionFailure(
      ActionErrorCode.INVALID_INPUT,
      `UPDATE_RETURN_TRACKING_INFORMATION of return ${update.id} sets nothing: no rma_id, label_url or tracking`,
    );
  }
  return update;
};
