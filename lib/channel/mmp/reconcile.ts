import * as z from 'zod';
import type { Intent } from '../../ledger/index.js';

/**
 * What is remembered before a call MMP does not deduplicate: the ids the marketplace showed just before. `waiting`
 * marks ids read by a delivery that found the subject not ready (a line not shipped yet) and sent nothing.
 */
const Remembered = z.object({ operation: z.string(), known_ids: z.array(z.string()), waiting: z.boolean().optional() });
export type Remembered = z.infer<typeof Remembered>;

/**
 * Invariant 3 for OR28, OR30 and ST01, which MMP applies again when sent again. Before the call, the ids
 * the marketplace shows (refund or cancelation ids of the lines, shipment ids of the order) are remembered.
 * A redelivery (the response was lost, or the process died) reads them back: an id that is new since then
 * means the earlier call was applied, so the action is done and nothing is sent again.
 *
 *   first delivery:  OR11 ids {c1} ─ remember {c1} ─ OR30 ─ ✗ response lost ─ handed back to SQS
 *   redelivery:      OR11 ids {c1, c2} ─ c2 is new since the intent ─ SUCCESS, no second OR30
 *
 * An id added by someone else in between is taken for ours: the action is then confirmed, never doubled.
 * Ids remembered while waiting were read before any call of the action: they are the ids before its call still
 * (ids are only ever added), so the redelivery sends the call with them, unread (course.ts).
 *
 *   first delivery:  OR11 ids {r1}, line SHIPPING ─ remember {r1} waiting ─ handed back to wait for the shipment
 *   redelivery:      remember {r1} ─ OR28 ─ applied, or refused: read the order to tell why
 */
export const recallIntent = async (intent: Intent, operation: string): Promise<Remembered | undefined> => {
  const remembered = Remembered.safeParse(await intent.recall());
  return remembered.success && remembered.data.operation === operation ? remembered.data : undefined;
};

export const appliedEarlier = (remembered: Remembered, idsNow: string[]): boolean => {
  if (remembered.waiting) return false;
  const known = new Set(remembered.known_ids);
  return idsNow.some((id) => !known.has(id));
};

export const rememberBefore = (intent: Intent, operation: string, idsNow: string[]): Promise<void> =>
  intent.remember({ operation, known_ids: idsNow });

export const rememberWaiting = (intent: Intent, operation: string, idsNow: string[]): Promise<void> =>
  intent.remember({ operation, known_ids: idsNow, waiting: true });
