import * as z from 'zod';
import { flag, positiveInt, text } from './read.js';

/** What every function shares on AWS: outbound HTTP and secrets, the idempotency table, the archive bucket. */

export const runtimeSchema = z.object({
  /** Timeout of one outbound HTTP attempt. */
  HTTP_TIMEOUT_MS: positiveInt.default(10_000),
  /** How long a secret read from SSM is cached before it is read again. */
  SECRETS_MAX_AGE_SECONDS: positiveInt.default(300),
});

export const ledgerSchema = z.object({
  /** DynamoDB table of action records and order leases (Powertools layout: key `id`, TTL `expiration`). */
  IDEMPOTENCY_TABLE: text,
});

export const archiveSchema = z.object({
  /** S3 bucket of the archive: documents, and dead letters under `dead-letters/`. */
  DOCUMENTS_BUCKET: text,
  /** Local S3 servers need path-style URLs. */
  S3_FORCE_PATH_STYLE: flag.default(false),
});

export type RuntimeConfig = z.infer<typeof runtimeSchema>;

export type ArchiveConfig = z.infer<typeof archiveSchema>;
