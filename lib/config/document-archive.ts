import * as z from 'zod';
import { archiveSchema, runtimeSchema } from './aws.js';
import { type ConnectConfig, connectSchema, connectSellerSchema } from './connect.js';
import { mmpSchema } from './mmp.js';
import {
  always,
  oneOf,
  positiveInt,
  queueUrl,
  readSections,
  sourceConfig,
  type SourceConfig,
  text,
  url,
} from './read.js';

/** The documentArchive function, its sources, and its producers (the archive-documents CLI). */

export const documentArchiveSchema = z.object({
  /** The document-archive DLQ: invalid requests, and requests for a source that is not configured, go there at once. */
  DOCUMENT_ARCHIVE_DLQ_URL: queueUrl.optional(),
  /**
   * The largest download the archive takes: one v2 ZIP (all of an order's documents of one type) or one
   * marketplace document. It is spooled to the temporary storage, which must hold it plus its largest document.
   */
  DOCUMENT_ARCHIVE_MAX_BYTES: positiveInt.default(400 * 1024 * 1024),
  /** Folder (in place of a Connect `channel_id`) of marketplace documents whose request names no channel. */
  DOCUMENT_ARCHIVE_MARKETPLACE_CHANNEL: text.default('marketplace'),
});

/**
 * The documentArchive function: the archive is required; each source is optional and reported as not configured
 * (with the reason) when its variables are missing, so that the other source still runs.
 */
export const readDocumentArchiveConfig = (env: NodeJS.ProcessEnv = process.env) => {
  const base = readSections(
    { archive: archiveSchema, runtime: runtimeSchema, documentArchive: documentArchiveSchema },
    env,
  );
  const isUnset = (...names: string[]) => names.every((name) => (env[name] ?? '').trim() === '');
  return {
    ...base,
    connectSeller: sourceConfig(
      () => readSections({ seller: connectSellerSchema }, env).seller,
      isUnset('CONNECT_SELLER_CLIENT_ID', 'CONNECT_SELLER_CLIENT_SECRET', 'CONNECT_SELLER_CLIENT_SECRET_PARAM'),
      'the seller-API credentials CONNECT_SELLER_CLIENT_ID and CONNECT_SELLER_CLIENT_SECRET (or CONNECT_SELLER_CLIENT_SECRET_PARAM)',
    ),
    mmp: sourceConfig(
      () => readSections({ mmp: mmpSchema }, env).mmp,
      isUnset('MMP_API_URL'),
      'the marketplace variables MMP_API_URL and MMP_API_KEY (or MMP_STORES)',
    ),
    operations: readOperationsSourceConfig(env),
  };
};

export type DocumentArchiveConfig = ReturnType<typeof readDocumentArchiveConfig>;

const documentArchiveProducerSchema = z.object({
  /** Where producers enqueue archive requests; the CLI also takes `--queue-url` or `--stage`. */
  DOCUMENT_ARCHIVE_QUEUE_URL: queueUrl.optional(),
});

export const readDocumentArchiveProducerConfig = (env: NodeJS.ProcessEnv = process.env) =>
  readSections({ producer: documentArchiveProducerSchema }, env).producer;

/** The operations API (seed 003), a source of the document archive: its base (with `/api/<version>`) and bearer token. */
const operationsSchema = z
  .object({
    OPERATIONS_API_URL: url,
    OPERATIONS_API_TOKEN: text.optional(),
    OPERATIONS_API_TOKEN_PARAM: text.optional(),
  })
  .superRefine(oneOf('OPERATIONS_API_TOKEN', 'OPERATIONS_API_TOKEN_PARAM'), always);

export type OperationsConfig = z.infer<typeof operationsSchema>;

/**
 * Where documentArchive uploads what it archives from the operations API: the Connect channel (and its Channel
 * Platform credentials) and, in single-store mode, the store the orders belong to.
 */
const connectUploadSchema = z.object({
  CONNECT_CHANNEL_ID: text,
  /** `origin.channel_store_id` of the uploads; a request may name its own `channel_store_id` (multi-store). */
  MMP_STORE_ID: text.optional(),
});

export type ConnectUploadConfig = z.infer<typeof connectUploadSchema> & { connect: ConnectConfig };

/**
 * The operations source of documentArchive: off (with the reason) without OPERATIONS_API_URL; with
 * CONNECT_CHANNEL_ID set, what it archives is also uploaded to Connect, which then needs the Connect credentials.
 */
export const readOperationsSourceConfig = (
  env: NodeJS.ProcessEnv,
): SourceConfig<{ api: OperationsConfig; upload?: ConnectUploadConfig }> => {
  const isUnset = (name: string) => (env[name] ?? '').trim() === '';
  return sourceConfig(
    () => {
      if (isUnset('CONNECT_CHANNEL_ID')) return { api: readSections({ api: operationsSchema }, env).api };
      const { api, connect, upload } = readSections(
        { api: operationsSchema, connect: connectSchema, upload: connectUploadSchema },
        env,
      );
      return { api, upload: { ...upload, connect } };
    },
    isUnset('OPERATIONS_API_URL'),
    'the operations API variables OPERATIONS_API_URL and OPERATIONS_API_TOKEN (or OPERATIONS_API_TOKEN_PARAM)',
  );
};
