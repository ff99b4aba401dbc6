import { orderKeyOf, readMessage } from './message.js';

/** A record handed back to SQS because an earlier action on the same order in its batch was. */
export class HandedBackForOrder extends Error {
  override readonly name = 'HandedBackForOrder';
}

/**
 * How the records of one batch run (invariant 6): concurrently, at most `concurrency` at a time, except that
 * records on the same order run one after the other in event `time` order. When one of them does not
 * complete (it is handed back to SQS), the later ones on that order are handed back too, so order is kept.
 */
export const planBatch = (records: Array<{ id: string; body: string }>, concurrency: number) => {
  const slots = semaphore(concurrency);
  const completed = new Map(records.map((record) => [record.id, deferred<boolean>()]));
  const predecessor = new Map<string, string>();
  const byOrder = new Map<string, Array<{ id: string; time: number }>>();
  for (const record of records) {
    const { ids } = readMessage(record.body);
    const key = orderKeyOf(ids, record.id);
    byOrder.set(key, [...(byOrder.get(key) ?? []), { id: record.id, time: Date.parse(ids.event_time ?? '') || 0 }]);
  }
  for (const group of byOrder.values()) {
    group.sort((a, b) => a.time - b.time);
    group.forEach((record, index) => index > 0 && predecessor.set(record.id, (group[index - 1] as { id: string }).id));
  }

  return {
    async run<T>(recordId: string, work: () => Promise<T>): Promise<T> {
      const mine = completed.get(recordId);
      const before = predecessor.get(recordId);
      try {
        if (before !== undefined && !(await completed.get(before)?.promise)) {
          throw new HandedBackForOrder('an earlier action on the same order in this batch was handed back to SQS');
        }
        const result = await slots(work);
        mine?.resolve(true);
        return result;
      } catch (error) {
        mine?.resolve(false);
        throw error;
      }
    },
  };
};

const deferred = <T>() => {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
};

const semaphore = (limit: number) => {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await work();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
};
