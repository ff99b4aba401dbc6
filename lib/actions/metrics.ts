import { isActionType, type ReportResult } from '../connect/index.js';
import { count, countBy, measure, MetricName, MetricUnit } from '../observability.js';
import type { Outcome } from '../outcome.js';
import type { EventIds } from './message.js';

/** The `type` dimension: an action type this connector knows, or OTHER, so a stray event cannot add dimensions. */
const typeOf = (ids: EventIds): string => (ids.type !== undefined && isActionType(ids.type) ? ids.type : 'OTHER');

export const countReceived = (ids: EventIds): void => countBy(MetricName.ActionsReceived, { type: typeOf(ids) });

/** What an action came to, and, when Connect took the report, how long after the event it was. */
export const countReported = (ids: EventIds, outcome: Outcome, result: ReportResult, now = Date.now()): void => {
  if (outcome.status === 'SUCCESS') countBy(MetricName.ActionsSucceeded, { type: typeOf(ids) });
  else countBy(MetricName.ActionsFailed, { type: typeOf(ids), code: outcome.errors[0]?.code });
  if (result === 'unknown-action') count(MetricName.ExpiredActions);
  const eventTime = Date.parse(ids.event_time ?? '');
  if (result === 'reported' && !Number.isNaN(eventTime))
    measure(MetricName.EndToEndLatency, MetricUnit.Milliseconds, Math.max(0, now - eventTime));
};
