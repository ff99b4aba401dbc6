import {
  CONNECT_REASONS,
  REASON_CODES_VARIABLE,
  type MarketplaceReason,
  type ReasonMapping,
  type ReasonType,
} from '../channel/mmp/index.js';

const TYPES: ReadonlyArray<[ReasonType, string]> = [
  ['CANCELATION', 'partial cancelations, OR30'],
  ['REFUND', 'refunds, OR28'],
];
const WIDTH = Math.max(...CONNECT_REASONS.map((reason) => reason.length));

const describeMapping = (mapping: ReasonMapping): string => {
  const reason = mapping.reason.padEnd(WIDTH);
  const variable = REASON_CODES_VARIABLE[mapping.type];
  if (mapping.source === 'none')
    return `  ${reason}  → none: reported FAILED INVALID_INPUT unless mapped in ${variable}`;
  const label = mapping.label === undefined ? '(not listed by the marketplace for this shop)' : `"${mapping.label}"`;
  const source = mapping.source === 'configured' ? `configured in ${variable}` : `matched ${label}`;
  return `  ${reason}  → ${mapping.code} ${label}  ${source}`;
};

/** The mapping in force, one line per Connect reason, by type: what `npm run ops -- reasons` prints. */
export const describeReasonMappings = (
  channelStoreId: string,
  {
    mappings,
    onOffer,
  }: { mappings: readonly ReasonMapping[]; onOffer: Readonly<Record<ReasonType, readonly MarketplaceReason[]>> },
): string[] => [
  `Reasons of store ${channelStoreId}: Connect reason → the operator's code (RE01), and where it comes from`,
  ...TYPES.flatMap(([type, what]) => [
    `${type} (${what})`,
    ...mappings.filter((mapping) => mapping.type === type).map(describeMapping),
    `  codes this shop may use: ${onOffer[type].map((reason) => `${reason.code} "${reason.label}"`).join(', ') || 'none'}`,
  ]),
];
