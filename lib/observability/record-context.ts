import { AsyncLocalStorage } from 'node:async_hooks';
import { traceRecord } from './tracer.js';

/** The ids that say which record a log line, a trace or a failure is about. */
export interface RecordIds {
  message_id?: string;
  event_id?: string;
  event_time?: string;
  action_id?: string;
  type?: string;
  channel_order_id?: string;
  store?: string;
}

/** Records of one batch run concurrently: their ids follow each one's async work, not the invocation. */
const records = new AsyncLocalStorage<RecordIds>();

export const currentRecordIds = (): RecordIds => records.getStore() ?? {};

/** Runs the work on one record: every log line it writes carries the record's ids, and its trace is annotated with them. */
export const observeRecord = <T>(ids: RecordIds, work: () => Promise<T>): Promise<T> =>
  records.run(ids, () => traceRecord(ids, work));
