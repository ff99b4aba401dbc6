import * as z from 'zod';
import { archiveSchema, ledgerSchema, runtimeSchema } from './aws.js';
import { connectSchema } from './connect.js';
import { mmpSchema } from './mmp.js';
import { always, flag, positiveInt, positiveNumber, queueUrl, readSections } from './read.js';

/** The orderActions function. */

const orderActionsSchema = z
  .object({
    /** The Connect events DLQ: unreadable messages are moved there at once, with the reason. */
    ORDER_ACTIONS_DLQ_URL: queueUrl,
    /**
     * How long an action is retried through transient failures (outage, throttling, an order not yet
     * accepted on the marketplace), from the event's first send; then it is reported FAILED.
     */
    RETRY_WINDOW_MINUTES: positiveNumber.default(240),
    /**
     * How long an action waiting for the order or the return to reach a state (a shipment before the acceptance is
     * applied, a refund before the shipment) is handed back before it tries again. Each try may read the order, and
     * MMP allows asynchronous OR11 use about once a minute per shop (seed 001).
     */
    STATE_WAIT_SECONDS: positiveInt.default(60),
    /** Records of one batch handled at the same time (actions on one order still run one after the other). */
    RECORD_CONCURRENCY: positiveInt.default(10),
    /** After a successful CREATE_SHIPMENT or UPLOAD_DOCUMENT, ask documentArchive to archive the order's marketplace documents. */
    ARCHIVE_DOCUMENTS_AFTER: flag.default(false),
    /** The document-archive queue (set by serverless.yml); needed when ARCHIVE_DOCUMENTS_AFTER is true. */
    DOCUMENT_ARCHIVE_QUEUE_URL: queueUrl.optional(),
    /** The order-refresh queue: after each report the action's order is named there (invariant 17); unset, no refresh. */
    ORDER_REFRESH_QUEUE_URL: queueUrl.optional(),
  })
  .refine((env) => !env.ARCHIVE_DOCUMENTS_AFTER || env.DOCUMENT_ARCHIVE_QUEUE_URL !== undefined, {
    message: 'DOCUMENT_ARCHIVE_QUEUE_URL is required when ARCHIVE_DOCUMENTS_AFTER is true',
    ...always,
  });

const documentsSchema = z.object({
  /**
   * The largest document UPLOAD_DOCUMENT downloads and attaches; a larger one is FAILED INVALID_INPUT. Connect
   * takes documents of up to 10 MB; lower it to the marketplace's own limit if it has a smaller one.
   */
  DOCUMENT_MAX_BYTES: positiveInt.default(10 * 1024 * 1024),
});

export const readOrderActionsConfig = (env: NodeJS.ProcessEnv = process.env) =>
  readSections(
    {
      connect: connectSchema,
      mmp: mmpSchema,
      runtime: runtimeSchema,
      ledger: ledgerSchema,
      orderActions: orderActionsSchema,
      archive: archiveSchema,
      documents: documentsSchema,
    },
    env,
  );

export type OrderActionsConfig = ReturnType<typeof readOrderActionsConfig>;
