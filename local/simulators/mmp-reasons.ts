/** One reason as RE01 lists it. */
export interface MmpReason {
  code: string;
  label: string;
  type: string;
  is_shop_right: boolean;
}

/** The language of the operator's back office: the labels of its reasons. */
export const OPERATOR_LANGUAGES = ['en', 'fr'] as const;
export type OperatorLanguage = (typeof OPERATOR_LANGUAGES)[number];

type ReasonRow = [code: string, type: string, isShopRight: boolean, labels: Record<OperatorLanguage, string>];

/**
 * The operator's reasons (RE01), sorted by type then sort index as MMP sorts them; codes and English labels follow
 * the vendor's examples (RE01, RE02). The shop may use the `is_shop_right` ones; the others are the operator's own
 * (an automatic cancelation, incidents). A cancelation for an agreement has no code here: mapping it needs the variable.
 */
const REASONS: ReasonRow[] = [
  [
    '34',
    'CANCELATION',
    true,
    { en: 'Cancelled by the client prior to shipping', fr: 'Annulée par le client avant expédition' },
  ],
  ['35', 'CANCELATION', true, { en: 'Out of stock', fr: 'Rupture de stock' }],
  ['37', 'CANCELATION', true, { en: 'Unable to deliver to the address', fr: "Impossible de livrer à l'adresse" }],
  ['36', 'CANCELATION', true, { en: 'Other', fr: 'Autre motif' }],
  ['14', 'CANCELATION', false, { en: 'No response from the shop', fr: 'Pas de réponse du vendeur' }],
  ['1', 'INCIDENT_OPEN', false, { en: 'Item not received', fr: 'Article non reçu' }],
  ['10', 'INCIDENT_CLOSE', false, { en: 'Replacement item received', fr: 'Article de remplacement reçu' }],
  ['26', 'ORDER_MESSAGING', true, { en: 'Other question', fr: 'Autre question' }],
  ['15', 'REFUND', true, { en: 'Out of stock', fr: 'Rupture de stock' }],
  [
    '16',
    'REFUND',
    true,
    { en: 'Cancelled by the client prior to shipping', fr: 'Annulée par le client avant expédition' },
  ],
  ['17', 'REFUND', true, { en: 'Item returned', fr: 'Article retourné' }],
  ['18', 'REFUND', true, { en: 'Item not received', fr: 'Article non reçu' }],
  ['19', 'REFUND', true, { en: 'Agreement found with the vendor', fr: 'Accord trouvé avec le vendeur' }],
  ['20', 'REFUND', true, { en: 'Damaged or defective item', fr: 'Article endommagé ou défectueux' }],
  ['21', 'REFUND', true, { en: 'Undeliverable parcel', fr: 'Colis impossible à livrer' }],
  ['22', 'REFUND', true, { en: 'Other', fr: 'Autre motif' }],
];

/** RE01's answer for an operator working in `language`. */
export const operatorReasons = (language: OperatorLanguage): MmpReason[] =>
  REASONS.map(([code, type, isShopRight, labels]) => ({
    code,
    label: labels[language],
    type,
    is_shop_right: isShopRight,
  }));

/** The codes OR30 (CANCELATION) or OR28 (REFUND) accept from a shop: its own reasons of the type. */
export const shopReasonCodes = (type: 'CANCELATION' | 'REFUND'): string[] =>
  REASONS.filter(([, reasonType, isShopRight]) => reasonType === type && isShopRight).map(([code]) => code);
