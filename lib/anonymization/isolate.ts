/** What one all-or-nothing call made of the items it carried. */
export type CallResult =
  | { kind: 'applied' }
  /** Refused, nothing applied; `fields` are the JSON paths Connect named (`orders[i]...`), empty when it named none. */
  | { kind: 'rejected'; code: string | undefined; fields: string[] }
  /** Not made, or its outcome is unknown (outage, throttling, no time left): try again later. */
  | { kind: 'not-sent'; reason: string; retryAfterSeconds?: number };

/** What became of one item. */
export type Verdict =
  | { kind: 'applied' }
  | { kind: 'rejected'; code: string | undefined; field?: string }
  /** No longer acceptable when its turn came (checked before every call). */
  | { kind: 'expired'; reason: string }
  | { kind: 'not-sent'; reason: string; retryAfterSeconds?: number };

type Rejected = Extract<CallResult, { kind: 'rejected' }>;

export interface IsolationOptions<T> {
  /** One call carrying these items, in this order. */
  send(items: T[]): Promise<CallResult>;
  /** Why an item may not be sent any more, or undefined. */
  expired(item: T): string | undefined;
}

/**
 * Sends items through a call that takes them all or none, so that every acceptable item is applied and
 * only the refused ones are rejected:
 * - a refusal naming items (`orders[i]...`) rejects those, and the rest is sent again at once;
 * - a refusal naming none bisects. When the left half goes through, the refused item must be in the right
 *   half, so that half is split again without being sent whole: for one refused item among n this costs
 *   at most 2·ceil(log2 n) extra calls, and fewer when it sits in right halves.
 */
export const sendIsolating = async <T>(items: T[], options: IsolationOptions<T>): Promise<Map<T, Verdict>> => {
  const verdicts = new Map<T, Verdict>();

  /** True when every item of `group` was applied. `knownRefusal`: Connect already refused exactly this group. */
  const sendGroup = async (group: T[], knownRefusal?: Rejected): Promise<boolean> => {
    const live = group.filter((item) => {
      const reason = options.expired(item);
      if (reason !== undefined) verdicts.set(item, { kind: 'expired', reason });
      return reason === undefined;
    });
    if (live.length === 0) return false;
    const result = knownRefusal && live.length === group.length ? knownRefusal : await options.send(live);
    if (result.kind !== 'rejected') {
      for (const item of live) verdicts.set(item, result);
      return result.kind === 'applied' && live.length === group.length;
    }
    const named = namedItems(result.fields, live.length);
    if (named.size > 0) {
      for (const [index, field] of named)
        verdicts.set(live[index] as T, { kind: 'rejected', code: result.code, field });
      await sendGroup(live.filter((_, index) => !named.has(index)));
    } else if (live.length === 1) {
      verdicts.set(live[0] as T, { kind: 'rejected', code: result.code });
    } else {
      const middle = Math.ceil(live.length / 2);
      const leftApplied = await sendGroup(live.slice(0, middle));
      await sendGroup(live.slice(middle), leftApplied ? result : undefined);
    }
    return false;
  };

  await sendGroup(items);
  return verdicts;
};

/** `orders[3].channel_order_id` (also `input.orders[3]...`, `orders.3...`) → 3, for indexes below `count`. */
const ITEM_PATH = /(?:^|[.$])orders(?:\[(\d+)\]|\.(\d+))(?=$|[.[])/;

const namedItems = (fields: string[], count: number): Map<number, string> => {
  const named = new Map<number, string>();
  for (const field of fields) {
    const match = ITEM_PATH.exec(field);
    const index = Number(match?.[1] ?? match?.[2]);
    if (Number.isInteger(index) && index < count && !named.has(index)) named.set(index, field);
  }
  return named;
};
