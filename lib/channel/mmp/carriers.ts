import { logger } from '../../observability.js';
import type { MmpCarrier, MmpTracking } from './client.js';

const LIST_TTL_MS = 60 * 60_000;
const FAILED_LIST_TTL_MS = 60_000;

export interface CarrierMap {
  /** The marketplace `carrier_code` for a carrier name, or undefined for an unregistered carrier. */
  codeFor(carrierName: string): Promise<string | undefined>;
}

const normalise = (name: string) => name.trim().toLowerCase();

/**
 * Carrier name → MMP `carrier_code`: the configured map first, then (optionally) the marketplace's own
 * carrier list (SH21), matched on code or label and cached. A failed list read is logged and retried a
 * minute later; meanwhile carriers go out unregistered rather than blocking shipments.
 */
export const createCarrierMap = (options: {
  configured: Record<string, string>;
  listCarriers?: () => Promise<MmpCarrier[]>;
  now?: () => number;
}): CarrierMap => {
  const now = options.now ?? Date.now;
  const configured = new Map(Object.entries(options.configured).map(([name, code]) => [normalise(name), code]));
  let listed: { byName: Map<string, string>; expiresAt: number } | undefined;
  let pending: Promise<Map<string, string>> | undefined;

  const readList = async (listCarriers: () => Promise<MmpCarrier[]>) => {
    try {
      const byName = new Map<string, string>();
      for (const carrier of await listCarriers()) {
        byName.set(normalise(carrier.code), carrier.code);
        if (carrier.label) byName.set(normalise(carrier.label), carrier.code);
      }
      listed = { byName, expiresAt: now() + LIST_TTL_MS };
    } catch (error) {
      logger.warn('Could not read the marketplace carrier list (SH21); unmapped carriers are sent unregistered', {
        reason: error instanceof Error ? error.message : String(error),
      });
      listed = { byName: new Map(), expiresAt: now() + FAILED_LIST_TTL_MS };
    }
    return listed.byName;
  };

  const marketplaceCarriers = async (): Promise<Map<string, string>> => {
    if (!options.listCarriers) return new Map();
    if (listed && now() < listed.expiresAt) return listed.byName;
    pending ??= readList(options.listCarriers).finally(() => {
      pending = undefined;
    });
    return pending;
  };

  return {
    async codeFor(carrierName) {
      const key = normalise(carrierName);
      return configured.get(key) ?? (await marketplaceCarriers()).get(key);
    },
  };
};

/** The OR23 body for a shipment's carrier and tracking. */
export const trackingBody = (
  carrierCode: string | undefined,
  shipment: { carrier: string; trackingNumber?: string; trackingUrl?: string },
): MmpTracking => {
  const tracking_number = shipment.trackingNumber || undefined;
  if (carrierCode) return { carrier_code: carrierCode, tracking_number };
  return { carrier_name: shipment.carrier.trim(), carrier_url: shipment.trackingUrl || undefined, tracking_number };
};
