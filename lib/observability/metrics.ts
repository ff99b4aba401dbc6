import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger } from './logger.js';

export { MetricUnit };

/**
 * Every metric the connector publishes (EMF, namespace `MiraklConnectConnector`, dimension `service`). Those
 * counted with `countBy` are also published broken down by `type` (the action type) and/or `code` (the Connect
 * error code), each on its own: dashboards and alarms use the totals, the breakdowns say where they come from.
 */
export const MetricName = {
  /** orderActions: deliveries of order actions (SQS redeliveries included), by `type`. */
  ActionsReceived: 'ActionsReceived',
  /** Actions that ended SUCCESS, by `type`. */
  ActionsSucceeded: 'ActionsSucceeded',
  /** Actions that ended FAILED, by `type` and by `code` (the dead-letter backstop's are UNEXPECTED). */
  ActionsFailed: 'ActionsFailed',
  /** Deliveries of an action already reported: acknowledged without acting. */
  DuplicatesSkipped: 'DuplicatesSkipped',
  /** Messages handed back to SQS after a transient failure (outage, throttling, busy order), by `code`. */
  Retries: 'Retries',
  /** Reports Connect did not take (outage, refusal): the message goes back to SQS and the report is tried again. */
  ReportsFailed: 'ReportsFailed',
  /** Actions Connect answered 404 for on their first report: expired or unknown, their outcome is lost. */
  ExpiredActions: 'ExpiredActions',
  /** From the event's `time` to the report Connect took (ms). */
  EndToEndLatency: 'EndToEndLatency',
  /** Unreadable messages (not JSON, oversized, no action_id) moved to the DLQ by orderActions. */
  PoisonMessages: 'PoisonMessages',
  /** Connect events that are not order actions (catalog events): acknowledged. */
  IgnoredEvents: 'IgnoredEvents',
  /** orderActionsDeadLetters: messages settled (reported FAILED if not final) and archived for replay. */
  DeadLetters: 'DeadLetters',
  /** Documents written to the archive (a document already there is not counted again). */
  DocumentsArchived: 'DocumentsArchived',
  /** Their size, in bytes. */
  DocumentBytesArchived: 'DocumentBytesArchived',
  /** documentArchive: archive requests whose source had no documents (404): normal, but it also hides wrong order ids. */
  ArchiveRequestsWithoutDocuments: 'ArchiveRequestsWithoutDocuments',
  /** anonymization: calls to Connect's anonymize-after endpoint (up to 100 orders each). */
  AnonymizationCalls: 'AnonymizationCalls',
  /** Orders whose anonymize_after date Connect took. */
  AnonymizationsApplied: 'AnonymizationsApplied',
  /** Orders Connect refused (handed back to the queue). */
  AnonymizationsRejected: 'AnonymizationsRejected',
  /** Invalid updates moved to the anonymization DLQ. */
  AnonymizationsInvalid: 'AnonymizationsInvalid',
  /** Updates not sent (outage, no time left): handed back to the queue. */
  AnonymizationRetries: 'AnonymizationRetries',
  /** Document import: marketplace documents uploaded to Connect (uploadOrderDocument). */
  ChannelDocumentsUploaded: 'ChannelDocumentsUploaded',
  /** Documents gone from the marketplace, deleted in Connect (deleteOrderDocument; already gone included). */
  ChannelDocumentsDeleted: 'ChannelDocumentsDeleted',
  /** Documents archived but not uploaded: a format or size Connect does not take (each warned once). */
  ChannelDocumentsSkipped: 'ChannelDocumentsSkipped',
  /** Documents the connector attached itself for an UPLOAD_DOCUMENT: not uploaded back (invariant 18). */
  ChannelDocumentEchoesSkipped: 'ChannelDocumentEchoesSkipped',
  /** Return labels left for later: the import named no return for them (RT11 `documents[]`). */
  ChannelDocumentsAwaitingReturn: 'ChannelDocumentsAwaitingReturn',
  /** Documents (or orders, when OR72 failed) not carried over this run: outage, refusal; tried again with the order. */
  ChannelDocumentsFailed: 'ChannelDocumentsFailed',
  /** Import (orderSync, orderRefresh, backfill): orders Connect accepted (upsertOrders 204). */
  OrdersImported: 'OrdersImported',
  /** upsertOrders calls (up to 100 orders each; the minimum for N orders is ceil(N/100)). */
  UpsertCalls: 'UpsertCalls',
  /** Returns Connect took (upsertReturns return_success). */
  ReturnsImported: 'ReturnsImported',
  /** upsertReturns calls (at most one a minute per store). */
  ReturnUpsertCalls: 'ReturnUpsertCalls',
  /** Orders and returns parked: invalid, or refused by Connect; kept for replay (`npm run ops -- sync:replay`). */
  OrdersParked: 'OrdersParked',
  /** From a change's MMP last_updated_date to the upsert Connect accepted (ms): the largest of each call. */
  ImportLag: 'ImportLag',
  /** Connect answered 404 to an upsert: the channel or the store is unknown to it (configuration). */
  ImportConfigurationErrors: 'ImportConfigurationErrors',
  /** A store's import stopped by an outage or throttling that outlasted the retries; the next run goes on from there. */
  ImportInterruptions: 'ImportInterruptions',
  /** orderRefresh (ORDER_SOURCE=purchase-order): orders the service did not give, by `code` (refused, unreadable, unavailable, unauthorized). */
  OrderSourceReadFailures: 'OrderSourceReadFailures',
  /** The purchase-order service refused the connector's credentials (401 after a renewal, or the token endpoint): alarm. */
  OrderSourceConfigurationErrors: 'OrderSourceConfigurationErrors',
} as const;
export type MetricName = (typeof MetricName)[keyof typeof MetricName];

/** Dimensions a metric may be broken down by: few and bounded (action types and Connect error codes). */
export interface Breakdown {
  type?: string;
  code?: string;
}

const options = {
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'MiraklConnectConnector',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'mirakl-connect-connector',
  // Its own warnings (e.g. an invocation with no metric) go through the logger, as structured lines.
  logger,
};

export const metrics = new Metrics(options);

/**
 * Writes each metric it is given at once, on a line of its own, with the dimensions added just before: one instance
 * for every breakdown line (`metrics.singleMetric()` builds a new one each time, 0.15 ms of CPU).
 */
export const breakdownMetrics = new Metrics({ ...options, singleMetric: true });

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/**
 * The invocation's metrics are summed here, a few map updates per action, and handed to Powertools once, at the
 * end of the invocation (`publishMetrics`, before logMetrics writes them): totals as one value per metric,
 * measurements as they came, breakdowns on EMF lines of their own.
 */
const totals = new Map<MetricName, number>();
const measurements: Array<{ name: MetricName; unit: Unit; value: number }> = [];
const breakdowns = new Map<string, { name: MetricName; dimensions: Array<[string, string]>; value: number }>();

export const count = (name: MetricName, value = 1): void => {
  totals.set(name, (totals.get(name) ?? 0) + value);
};

export const measure = (name: MetricName, unit: Unit, value: number): void => {
  measurements.push({ name, unit, value });
};

/**
 * Counts one in the total, and once more under each dimension of `breakdown`. Records of one batch differ in
 * type and code while the buffer shares one set of dimensions, so each breakdown is summed apart and written on a
 * line of its own: an EMF line per metric and breakdown in an invocation, not per action.
 */
export const countBy = (name: MetricName, breakdown: Breakdown): void => {
  count(name);
  const dimensions = Object.entries(breakdown).filter((entry): entry is [string, string] => Boolean(entry[1]));
  if (dimensions.length === 0) return;
  const key = `${name}|${dimensions.join('|')}`;
  const summed = breakdowns.get(key);
  if (summed) summed.value += 1;
  else breakdowns.set(key, { name, dimensions, value: 1 });
};

/** Hands what was counted and measured so far to Powertools (a line per breakdown: one dimension set per dimension). */
export const publishMetrics = (): void => {
  for (const [name, value] of totals) metrics.addMetric(name, MetricUnit.Count, value);
  for (const { name, unit, value } of measurements) metrics.addMetric(name, unit, value);
  for (const { name, dimensions, value } of breakdowns.values()) {
    for (const [dimension, dimensionValue] of dimensions)
      breakdownMetrics.addDimensions({ [dimension]: dimensionValue });
    breakdownMetrics.addMetric(name, MetricUnit.Count, value);
  }
  totals.clear();
  measurements.length = 0;
  breakdowns.clear();
};
