import { ConnectAdjustmentReason } from '../../../connect/channel-orders.js';

/** Connect's cancelation and refund `reason`: a closed enum. */
export const CONNECT_REASONS = ConnectAdjustmentReason.options;
export type ConnectReason = ConnectAdjustmentReason;

/**
 * What an operator's label says, per Connect reason, in English and French: each entry is a set of words that must
 * all be in the label, in any order; a word ending in `*` is a prefix (`cancel*` takes "cancelled", "cancellation").
 * The reasons are tried in this order, the more specific first: "Retour non reçu" is ITEM_NOT_RECEIVED, not RETURN.
 */
const SYNONYMS: ReadonlyArray<readonly [ConnectReason, ReadonlyArray<readonly string[]>]> = [
  [
    'ITEM_NOT_RECEIVED',
    [
      ['not', 'receiv*'],
      ['never', 'receiv*'],
      ['not', 'delivered'],
      ['non', 'recu*'],
      ['pas', 'recu*'],
      ['jamais', 'recu*'],
      ['non', 'livre*'],
    ],
  ],
  [
    'UNABLE_TO_DELIVER',
    [
      ['unable', 'deliver*'],
      ['cannot', 'deliver*'],
      ['undeliver*'],
      ['impossible', 'livr*'],
      ['adresse', 'incorrect*'],
      ['wrong', 'address'],
    ],
  ],
  [
    'CUSTOMER_CANCELATION',
    [
      ['cancel*', 'customer*'],
      ['cancel*', 'client*'],
      ['cancel*', 'buyer*'],
      ['annul*', 'client*'],
      ['annul*', 'acheteur*'],
      ['customer', 'request*'],
      ['demande', 'client*'],
    ],
  ],
  ['OUT_OF_STOCK', [['out', 'stock'], ['no', 'stock'], ['rupture*'], ['stock', 'epuise*'], ['hors', 'stock']]],
  [
    'DEFECT',
    [['defect*'], ['damag*'], ['faulty'], ['broken'], ['endommag*'], ['casse*'], ['abime*'], ['non', 'conforme']],
  ],
  ['RETURN', [['return*'], ['retour*']]],
  ['AGREEMENT', [['agreement'], ['accord'], ['goodwill'], ['commercial', 'gesture'], ['geste', 'commercial']]],
  ['CHANNEL_SPECIFIC', [['other*'], ['autre*'], ['divers']]],
];

/** Lower case, no accents, words split on anything that is not a letter or a digit. */
export const labelWords = (label: string): string[] =>
  label
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

const hasWord = (words: readonly string[], term: string) =>
  term.endsWith('*') ? words.some((word) => word.startsWith(term.slice(0, -1))) : words.includes(term);

/** The Connect reason an operator's reason label says, e.g. "Annulée par le client" → CUSTOMER_CANCELATION; undefined when none. */
export const connectReasonOfLabel = (label: string): ConnectReason | undefined => {
  const words = labelWords(label);
  return SYNONYMS.find(([, phrases]) => phrases.some((terms) => terms.every((term) => hasWord(words, term))))?.[0];
};
