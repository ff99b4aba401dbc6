import type { Disposition } from '../queue/index.js';

/**
 * How the records of one batch run (invariant 6): concurrently, at most `concurrency` at a time, except that
 * records on the same order run one after the other in event `time` order. When one of them does not
 * complete (it is handed back to SQS, or its work threw), the later ones on that order are handed back too, so
 * order is kept.
 */
export const planBatch = (records: Array<{ id: string; orderKey: string; time: number }>, concurrency: number) => {
  const slots = semaphore(concurrency);
  const completed = new Map(records.map((record) => [record.id, deferred<boolean>()]));
  const predecessor = new Map<string, string>();
  const byOrder = new Map<string, Array<{ id: string; time: number }>>();
  for (const record of records) byOrder.set(record.orderKey, [...(byOrder.get(record.orderKey) ?? []), record]);
  for (const group of byOrder.values()) {
    group.sort((a, b) => a.time - b.time);
    for (let index = 1; index < group.length; index += 1) {
      predecessor.set((group[index] as { id: string }).id, (group[index - 1] as { id: string }).id);
    }
  }

  return {
    /** Runs the record's work; `handedBack` is what becomes of it instead when an earlier one on its order was handed back. */
    async run(recordId: string, work: () => Promise<Disposition>, handedBack: () => Disposition): Promise<Disposition> {
      const before = predecessor.get(recordId);
      let done = false;
      try {
        const result =
          before !== undefined && !(await completed.get(before)?.promise) ? handedBack() : await slots(work);
        done = result.kind !== 'retry';
        return result;
      } finally {
        completed.get(recordId)?.resolve(done);
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
