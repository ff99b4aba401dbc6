import * as z from 'zod';
import { runtimeSchema } from './aws.js';
import { connectSchema } from './connect.js';
import { positiveInt, queueUrl, readSections } from './read.js';

/** The anonymization function and its producers (the anonymize CLI). */

const days = { error: 'must be a whole number of days, 0 or more' };

const anonymizationRulesSchema = z.object({
  /**
   * Shortest delay accepted between an update's send and its `anonymize_after`, so a typo (2026 for 2036)
   * cannot anonymize an order tomorrow: anonymization is irreversible. 0 turns the check off.
   */
  ANONYMIZATION_MIN_RETENTION_DAYS: z.coerce.number(days).int(days).nonnegative(days).default(30),
  /** How far in the future `anonymize_after` must still be when Connect is called (Connect tolerates a few minutes). */
  ANONYMIZATION_SAFETY_MARGIN_MINUTES: positiveInt.default(15),
});

const anonymizationSchema = z.object({
  /** The anonymization DLQ: invalid updates are moved there at once, with the reason; unset, they fail until the redrive moves them. */
  ANONYMIZATION_DLQ_URL: queueUrl.optional(),
});

const anonymizationProducerSchema = z.object({
  /** Where producers enqueue anonymization updates; the CLI also takes `--queue-url` or `--stage`. */
  ANONYMIZATION_QUEUE_URL: queueUrl.optional(),
});

export const readAnonymizationConfig = (env: NodeJS.ProcessEnv = process.env) =>
  readSections(
    {
      connect: connectSchema,
      runtime: runtimeSchema,
      rules: anonymizationRulesSchema,
      anonymization: anonymizationSchema,
    },
    env,
  );

export const readAnonymizationProducerConfig = (env: NodeJS.ProcessEnv = process.env) =>
  readSections({ rules: anonymizationRulesSchema, producer: anonymizationProducerSchema }, env);

export type AnonymizationConfig = ReturnType<typeof readAnonymizationConfig>;

export type AnonymizationRulesConfig = z.infer<typeof anonymizationRulesSchema>;
