import type { ConnectReason } from './labels.js';
import {
  connectReasonOfCode,
  reasonMappings,
  reasonsOnOffer,
  type MarketplaceReason,
  type ReasonMapping,
  type ReasonType,
} from './lookup.js';

const LIST_TTL_MS = 60 * 60_000;

/** Connect reasons ↔ the operator's reason codes of one shop, from its RE01 list (cached) and the configured maps. */
export interface MarketplaceReasons {
  /** The operator's code for a Connect reason: configured, else matched on its label; undefined when neither. */
  codeFor(type: ReasonType, reason: string): Promise<string | undefined>;
  /** The codes the shop may use for a type (`is_shop_right`), in the operator's order. */
  onOffer(type: ReasonType): Promise<MarketplaceReason[]>;
  /** The Connect reason of a marketplace code, CHANNEL_SPECIFIC when nothing says which. */
  connectReasonOf(type: ReasonType, code: string): Promise<ConnectReason>;
  /**
   * The same, as a plain function over the list read now: for a mapping that is pure (order-mapping.ts's
   * `reasonOf`). No code is CHANNEL_SPECIFIC.
   */
  connectReasonReader(): Promise<(type: ReasonType, code: string | null | undefined) => ConnectReason>;
  /** The mapping in force for every Connect reason of both types. */
  mappings(): Promise<ReasonMapping[]>;
}

export type ConfiguredReasonCodes = Readonly<Record<ReasonType, Readonly<Record<string, string>>>>;

/**
 * Reads RE01 at first need and keeps it for an hour. A configured code is used without reading the list. A failed
 * read is not kept: the error (transient for 429/5xx, from the transport) goes to the action, which is retried.
 */
export const createMarketplaceReasons = (options: {
  configured: ConfiguredReasonCodes;
  listReasons: () => Promise<MarketplaceReason[]>;
  now?: () => number;
}): MarketplaceReasons => {
  const now = options.now ?? Date.now;
  const { configured } = options;
  let listed: { reasons: MarketplaceReason[]; expiresAt: number } | undefined;
  let pending: Promise<MarketplaceReason[]> | undefined;

  const reasons = async (): Promise<MarketplaceReason[]> => {
    if (listed && now() < listed.expiresAt) return listed.reasons;
    pending ??= options
      .listReasons()
      .then((read) => {
        listed = { reasons: read, expiresAt: now() + LIST_TTL_MS };
        return read;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };

  return {
    async codeFor(type, reason) {
      const own = configured[type];
      if (Object.hasOwn(own, reason)) return own[reason];
      return reasonMappings(await reasons(), type, own).find((mapping) => mapping.reason === reason)?.code;
    },
    onOffer: async (type) => reasonsOnOffer(await reasons(), type),
    connectReasonOf: async (type, code) => connectReasonOfCode(await reasons(), type, configured[type], code),
    async connectReasonReader() {
      const read = await reasons();
      return (type, code) => (code ? connectReasonOfCode(read, type, configured[type], code) : 'CHANNEL_SPECIFIC');
    },
    async mappings() {
      const read = await reasons();
      return [
        ...reasonMappings(read, 'CANCELATION', configured.CANCELATION),
        ...reasonMappings(read, 'REFUND', configured.REFUND),
      ];
    },
  };
};
