import type { ChannelDocumentType } from '../../connect/index.js';

/** The marketplace's system document types with a Connect counterpart (OR74 and RT11 name them). */
const SYSTEM_TYPES: Readonly<Record<string, ChannelDocumentType>> = {
  SYSTEM_RETURN_LABEL: 'RETURN_LABEL',
  SYSTEM_DELIVERY_BILL: 'DELIVERY_SLIP',
  SYSTEM_SHIPMENT_DELIVERY_BILL: 'SHIPMENT_DELIVERY_SLIP',
};

/** The metadata type of a marketplace document in Connect; `channel_type` keeps the marketplace's own. */
export const connectDocumentType = (
  mmpType: string,
  invoiceTypes: ReadonlySet<string>,
): { type: ChannelDocumentType; channel_type?: string } => {
  if (Object.hasOwn(SYSTEM_TYPES, mmpType)) return { type: SYSTEM_TYPES[mmpType] as ChannelDocumentType };
  if (invoiceTypes.has(mmpType)) return { type: 'CUSTOMER_INVOICE' };
  return { type: 'CHANNEL_SPECIFIC', channel_type: mmpType };
};

/** Labels that name an invoice in the languages Mirakl operators use (DO01's `label`, `description`, `code`). */
const INVOICE_WORDS = /invoice|factur|rechnung|fattura|fatura|faktura|factuur/i;
/** Labels of documents that cancel an invoice: not invoices for Connect. */
const CREDIT_WORDS = /credit|avoir|gutschrift|nota de cr|abono|storno/i;

/**
 * The operator's order document types that are customer invoices: `CUSTOMER_INVOICE` (DO01's example), the
 * code UPLOAD_DOCUMENT attaches invoices as (MMP_DOCUMENT_TYPE_CODES), and the order types DO01 labels as invoices.
 */
export const invoiceTypesOf = (
  documentTypes: Array<{ code: string; label?: string | null; description?: string | null; entity?: string | null }>,
  attachedAs?: string,
): Set<string> =>
  new Set([
    'CUSTOMER_INVOICE',
    ...(attachedAs ? [attachedAs] : []),
    ...documentTypes
      .filter((documentType) => (documentType.entity ?? 'ORDER') === 'ORDER')
      .filter((documentType) => {
        const words = [documentType.label, documentType.description, documentType.code].filter(Boolean).join(' ');
        return INVOICE_WORDS.test(words) && !CREDIT_WORDS.test(words);
      })
      .map((documentType) => documentType.code),
  ]);

/** Deterministic and stable: the same marketplace document always has the same id in Connect. */
export const channelDocumentIdOf = (shop: string, documentId: string): string => `mmp-${shop}-${documentId}`;

/** Connect takes file names of 1 to 255 characters; longer ones are clipped before the extension. */
export const connectFileName = (name: string): string => {
  const characters = [...name];
  if (characters.length <= 255) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
  return [...characters.slice(0, 255 - [...extension].length), ...extension].join('');
};

/**
 * `returnDocuments` of `syncOrderDocuments` from the order's returns as RT11 lists them: each return names the
 * documents attached to it (`documents[] {id, type}`), so a return label is uploaded tied to its return.
 */
export const returnDocumentsOf = (
  returns: Array<{ id: string; documents?: Array<{ id: string }> | null }>,
): Map<string, string> =>
  new Map(returns.flatMap((found) => (found.documents ?? []).map((document) => [document.id, found.id] as const)));
