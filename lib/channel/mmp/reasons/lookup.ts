import * as z from 'zod';
import { ActionErrorCode, ActionFailure } from '../../../outcome.js';
import { CONNECT_REASONS, connectReasonOfLabel, type ConnectReason } from './labels.js';

/** One reason of RE01 (`GET /api/reasons`); its `type` is open (messaging, incidents, returns...). */
export const MarketplaceReason = z.object({
  code: z.string(),
  label: z.string(),
  type: z.string(),
  is_shop_right: z.boolean(),
});
export type MarketplaceReason = z.infer<typeof MarketplaceReason>;

/** The reason types of the adjustments the connector makes: OR30 cancelations and OR28 refunds. */
export type ReasonType = 'CANCELATION' | 'REFUND';

/** The variable that overrides the mapping of each type. */
export const REASON_CODES_VARIABLE: Record<ReasonType, string> = {
  CANCELATION: 'MMP_CANCELATION_REASON_CODES',
  REFUND: 'MMP_REFUND_REASON_CODES',
};

/** How a Connect reason reaches an operator code: set in the variable, matched on the label, or not at all. */
export type ReasonSource = 'configured' | 'matched' | 'none';

export interface ReasonMapping {
  type: ReasonType;
  reason: ConnectReason;
  source: ReasonSource;
  code?: string;
  /** The operator's label of the code; undefined for a configured code the marketplace does not list. */
  label?: string;
}

/** The operator's reasons the shop may use for a type, in the marketplace's order. */
export const reasonsOnOffer = (reasons: readonly MarketplaceReason[], type: ReasonType): MarketplaceReason[] =>
  reasons.filter((reason) => reason.type === type && reason.is_shop_right);

/**
 * The mapping in force for every Connect reason of a type: the configured code first, else the first reason on
 * offer whose label says it (RE01 lists reasons in the operator's sort order).
 */
export const reasonMappings = (
  reasons: readonly MarketplaceReason[],
  type: ReasonType,
  configured: Readonly<Record<string, string>>,
): ReasonMapping[] => {
  const onOffer = reasonsOnOffer(reasons, type);
  const labelOf = (code: string) => reasons.find((reason) => reason.type === type && reason.code === code)?.label;
  return CONNECT_REASONS.map((reason): ReasonMapping => {
    const code = Object.hasOwn(configured, reason) ? configured[reason] : undefined;
    if (code !== undefined) return { type, reason, source: 'configured', code, label: labelOf(code) };
    const matched = onOffer.find((candidate) => connectReasonOfLabel(candidate.label) === reason);
    return matched
      ? { type, reason, source: 'matched', code: matched.code, label: matched.label }
      : { type, reason, source: 'none' };
  });
};

/**
 * The Connect reason of a marketplace code (what an imported cancelation or refund says): the configured map read
 * backwards first, else the label of the code (shop's or operator's), else CHANNEL_SPECIFIC.
 */
export const connectReasonOfCode = (
  reasons: readonly MarketplaceReason[],
  type: ReasonType,
  configured: Readonly<Record<string, string>>,
  code: string,
): ConnectReason => {
  const configuredReason = CONNECT_REASONS.find(
    (reason) => Object.hasOwn(configured, reason) && configured[reason] === code,
  );
  if (configuredReason) return configuredReason;
  const listed = reasons.find((reason) => reason.type === type && reason.code === code);
  return (listed && connectReasonOfLabel(listed.label)) ?? 'CHANNEL_SPECIFIC';
};

/** INVALID_INPUT for reasons that have no code: names the codes on offer and the variable that maps them. */
export const unmappedReasons = (
  orderId: string,
  type: ReasonType,
  unmapped: readonly string[],
  onOffer: readonly MarketplaceReason[],
): ActionFailure => {
  const offered =
    onOffer.length > 0
      ? `the codes on offer are ${onOffer.map((reason) => `"${reason.code} ${reason.label}"`).join(', ')}`
      : 'the marketplace lists none';
  return new ActionFailure(
    ActionErrorCode.INVALID_INPUT,
    `Reason ${unmapped.join(', ')} of order ${orderId} matches none of the marketplace's ${type} reasons (${offered}): map it in ${REASON_CODES_VARIABLE[type]}`,
  );
};
