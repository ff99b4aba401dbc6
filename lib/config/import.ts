import * as z from 'zod';
import { archiveSchema, ledgerSchema, runtimeSchema } from './aws.js';
import { connectSchema } from './connect.js';
import { documentArchiveSchema } from './document-archive.js';
import { mmpSchema } from './mmp.js';
import { always, jsonText, nonNegativeInt, positiveInt, queueUrl, readSections, text } from './read.js';

/** The import: orderSync and orderRefresh, their documents, and the order-refresh producers. */

const channelDocumentsSchema = z.object({
  /**
   * JSON array of the operator's order document type codes that are customer invoices (uploaded to Connect as
   * CUSTOMER_INVOICE). Unset: read from the marketplace's document types (DO01), those labelled as invoices.
   */
  MMP_INVOICE_DOCUMENT_TYPES: jsonText(z.array(text).min(1)).optional(),
});

/**
 * The document import (the marketplace's order documents → Connect), run by orderSync and orderRefresh: Connect,
 * the marketplace, the state table and the archive; DOCUMENT_ARCHIVE_MAX_BYTES bounds the largest document archived.
 */
export const readChannelDocumentsConfig = (env: NodeJS.ProcessEnv = process.env) =>
  readSections(
    {
      connect: connectSchema,
      mmp: mmpSchema,
      runtime: runtimeSchema,
      ledger: ledgerSchema,
      archive: archiveSchema,
      archiveLimit: documentArchiveSchema.pick({ DOCUMENT_ARCHIVE_MAX_BYTES: true }),
      channelDocuments: channelDocumentsSchema,
    },
    env,
  );

export type ChannelDocumentsConfig = ReturnType<typeof readChannelDocumentsConfig>;

/**
 * The import's documents (orderSync, orderRefresh): on when DOCUMENTS_BUCKET is set (the archive every document goes
 * through), else undefined and the import runs without them; once on, a bad document variable fails like any other.
 */
export const readImportDocumentsConfig = (env: NodeJS.ProcessEnv = process.env): ChannelDocumentsConfig | undefined =>
  (env.DOCUMENTS_BUCKET ?? '').trim() === '' ? undefined : readChannelDocumentsConfig(env);

/** What orderSync and orderRefresh share: the channel in Connect, and the store served in single-store mode. */
const importSchema = z
  .object({
    /** The channel's id in Connect (`origin.channel_id` of every upsert), issued by Mirakl. */
    CONNECT_CHANNEL_ID: text,
    /** Single-store mode: the `channel_store_id` of the shop (`origin.channel_store_id`). */
    MMP_STORE_ID: text.optional(),
    MMP_STORES: text.optional(),
    MMP_STORES_PARAM: text.optional(),
  })
  .refine(
    (env) => env.MMP_STORE_ID !== undefined || env.MMP_STORES !== undefined || env.MMP_STORES_PARAM !== undefined,
    {
      message:
        'is required in single-store mode (without MMP_STORES): it is the channel_store_id the orders are imported into',
      path: ['MMP_STORE_ID'],
      ...always,
    },
  )
  .transform(({ CONNECT_CHANNEL_ID, MMP_STORE_ID }) => ({ CONNECT_CHANNEL_ID, MMP_STORE_ID }));

const orderSyncSchema = z.object({
  /**
   * How far each window reaches back before the store's cursor: an order whose change the marketplace shows late
   * (its own latency, clocks apart) is still read. Orders changed within it are sent again, which Connect takes as
   * the same version.
   */
  ORDER_SYNC_OVERLAP_SECONDS: nonNegativeInt.default(120),
  /** A store's first run (no cursor yet) imports the orders and returns changed in this many days. */
  ORDER_SYNC_FIRST_LOOKBACK_DAYS: positiveInt.default(30),
  /** The least time between two polls of a store's orders (MMP allows a scheduled OR11 poll once a minute per shop). */
  ORDER_SYNC_MIN_INTERVAL_SECONDS: nonNegativeInt.default(60),
  /**
   * The least time between two polls of a store's returns: MMP allows RT11 every 5 minutes at most. Four, so that a
   * 5-minute schedule firing a little early still polls every run.
   */
  ORDER_SYNC_RETURNS_MIN_INTERVAL_SECONDS: nonNegativeInt.default(240),
  /** A run stops walking a store's pages with this much of the invocation left, and saves where it got. */
  ORDER_SYNC_STOP_BEFORE_DEADLINE_SECONDS: positiveInt.default(20),
  /** The order-refresh queue: an order whose documents failed transiently is named there; unset, they wait for its next change. */
  ORDER_REFRESH_QUEUE_URL: queueUrl.optional(),
});

const orderRefreshSchema = z.object({
  /** The order-refresh DLQ (set by serverless.yml): unreadable messages go there at once, with the reason. */
  ORDER_REFRESH_DLQ_URL: queueUrl.optional(),
});

export const readOrderSyncConfig = (env: NodeJS.ProcessEnv = process.env) =>
  readSections(
    {
      connect: connectSchema,
      mmp: mmpSchema,
      runtime: runtimeSchema,
      ledger: ledgerSchema,
      import: importSchema,
      orderSync: orderSyncSchema,
    },
    env,
  );

export type OrderSyncConfig = ReturnType<typeof readOrderSyncConfig>;

export type ImportConfig = z.infer<typeof importSchema>;

export const readOrderRefreshConfig = (env: NodeJS.ProcessEnv = process.env) =>
  readSections(
    {
      connect: connectSchema,
      mmp: mmpSchema,
      runtime: runtimeSchema,
      ledger: ledgerSchema,
      import: importSchema,
      orderRefresh: orderRefreshSchema,
    },
    env,
  );

export type OrderRefreshConfig = ReturnType<typeof readOrderRefreshConfig>;

const orderRefreshProducerSchema = z.object({
  /** Where producers name orders to re-import; the CLI also takes `--queue-url` or `--stage`. */
  ORDER_REFRESH_QUEUE_URL: queueUrl.optional(),
});

export const readOrderRefreshProducerConfig = (env: NodeJS.ProcessEnv = process.env) =>
  readSections({ producer: orderRefreshProducerSchema }, env).producer;
