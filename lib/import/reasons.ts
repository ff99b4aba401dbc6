import type { ConnectReasonOf } from '../channel/mmp/order-mapping.js';

/**
 * Connect's adjustment `reason` of a marketplace reason code, read backwards from the maps the actions use
 * (MMP_CANCELATION_REASON_CODES, MMP_REFUND_REASON_CODES: Connect reason → MMP code), so one table serves both
 * directions. A code mapped from several Connect reasons takes the first; an unmapped one is CHANNEL_SPECIFIC.
 */
export const reasonsFromMaps = (maps: { cancelation: Record<string, string>; refund: Record<string, string> }): ConnectReasonOf => {
  const backwards = (map: Record<string, string>) => {
    const reasons = new Map<string, string>();
    for (const [reason, code] of Object.entries(map)) if (!reasons.has(code)) reasons.set(code, reason);
    return reasons;
  };
  const tables = { CANCELATION: backwards(maps.cancelation), REFUND: backwards(maps.refund) };
  return (kind, code) => (code == null ? undefined : tables[kind].get(code)) ?? 'CHANNEL_SPECIFIC';
};
