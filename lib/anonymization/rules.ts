import type { AnonymizationRulesConfig } from '../config/index.js';

/** The guards against anonymizing too early: anonymization is irreversible. */
export interface DateRules {
  /** `anonymize_after` must be at least this long after the update was sent, so a typo cannot anonymize tomorrow. */
  minRetentionMs: number;
  /** `anonymize_after` must be at least this far ahead when the update is read, and again before each call. */
  safetyMarginMs: number;
}

export const dateRulesFrom = (config: AnonymizationRulesConfig): DateRules => ({
  minRetentionMs: config.ANONYMIZATION_MIN_RETENTION_DAYS * 86_400_000,
  safetyMarginMs: config.ANONYMIZATION_SAFETY_MARGIN_MINUTES * 60_000,
});

/** Why `anonymizeAfter` (epoch ms) must not be sent to Connect at `now`; undefined when it may. */
export const tooEarly = (
  anonymizeAfter: number,
  at: { now: number; sentAt: number },
  rules: DateRules,
): string | undefined => {
  if (anonymizeAfter <= at.now) return 'anonymize_after is in the past';
  if (anonymizeAfter < at.now + rules.safetyMarginMs) {
    return `anonymize_after is less than ${rules.safetyMarginMs / 60_000} minutes ahead (safety margin)`;
  }
  if (anonymizeAfter < at.sentAt + rules.minRetentionMs) {
    return `anonymize_after is less than ${rules.minRetentionMs / 86_400_000} days after the update was sent (minimum retention)`;
  }
  return undefined;
};
