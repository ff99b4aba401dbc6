import type { OrderReadFailure } from '../../import/order-source.js';
import type { PurchaseOrderRead } from './client.js';

/** A 503 means the service already retried for 25 s: the next try is at least a minute away. */
export const UNAVAILABLE_RETRY_SECONDS = 60;
/** Wrong credentials are the operator's to fix (the alarm says so): the records wait longer meanwhile. */
export const UNAUTHORIZED_RETRY_SECONDS = 300;

const REFUSALS: Record<number, string> = { 400: 'invalid id', 404: 'not found' };

/** What becomes of a refresh request for an order the service did not give (seed 002's answers). */
export const readFailure = (orderId: string, read: Exclude<PurchaseOrderRead, { kind: 'found' }>): OrderReadFailure => {
  const where = 'the purchase-order service';
  switch (read.kind) {
    case 'refused':
      return {
        orderId,
        outcome: 'dead-letter',
        reason: `${where} answered ${read.status} (${REFUSALS[read.status] ?? 'refused'}) for order ${orderId}`,
      };
    case 'unreadable':
      return {
        orderId,
        outcome: 'dead-letter',
        reason: `${where} answered order ${orderId} with a body the import cannot read: ${read.reason}`,
      };
    case 'unavailable':
      return {
        orderId,
        outcome: 'retry',
        reason: `${where} is unavailable for order ${orderId}: ${read.reason}`,
        retryAfterSeconds: Math.max(UNAVAILABLE_RETRY_SECONDS, Math.ceil(read.retryAfterSeconds ?? 0)),
      };
    case 'unauthorized':
      return {
        orderId,
        outcome: 'retry',
        reason: `${where} refused the connector's credentials: ${read.reason}`,
        retryAfterSeconds: UNAUTHORIZED_RETRY_SECONDS,
      };
  }
};
