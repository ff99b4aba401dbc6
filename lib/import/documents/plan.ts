import type { OrderDocumentEntry, OrderDocumentsState } from '../../ledger/index.js';

/** A document OR72 lists on an order. */
export interface ListedDocument {
  id: string;
  fileName: string;
  /** As OR72 gives it; the downloaded file's size decides. */
  fileSize?: number | null;
  /** The operator's type code, e.g. `SYSTEM_DELIVERY_BILL`. */
  type: string;
}

export interface OrderDocumentsPlan {
  /** Listed and not handled yet (or whose upload may not have landed: `previous` is `uploading`). */
  push: Array<{ document: ListedDocument; previous?: OrderDocumentEntry }>;
  /** Return labels whose return the import did not name (RT11 `documents[]`): left for a run that does. */
  awaitingReturn: ListedDocument[];
  /** Gone from the marketplace after this connector uploaded them (or may have): delete in Connect. */
  remove: Array<{ documentId: string; channelDocumentId: string }>;
  /** Gone from the marketplace, never in Connect (echoes, skipped): only the record goes. */
  forget: string[];
  /** Listed and handled already. */
  unchanged: number;
}

/**
 * What to do for one order: its documents as OR72 lists them now, against what the connector recorded.
 * Pure; the caller downloads, archives, uploads and deletes.
 */
export const planOrderDocuments = (
  listed: ListedDocument[],
  state: OrderDocumentsState,
  returnIdOf: (documentId: string) => string | undefined,
): OrderDocumentsPlan => {
  const plan: OrderDocumentsPlan = { push: [], awaitingReturn: [], remove: [], forget: [], unchanged: 0 };
  const listedIds = new Set(listed.map((document) => document.id));
  for (const document of listed) {
    const previous = state.documents.get(document.id);
    if (previous && previous.status !== 'uploading') plan.unchanged += 1;
    else if (document.type === 'SYSTEM_RETURN_LABEL' && returnIdOf(document.id) === undefined)
      plan.awaitingReturn.push(document);
    else plan.push.push({ document, ...(previous && { previous }) });
  }
  for (const [documentId, entry] of state.documents) {
    if (listedIds.has(documentId)) continue;
    if ((entry.status === 'uploaded' || entry.status === 'uploading') && entry.channel_document_id) {
      plan.remove.push({ documentId, channelDocumentId: entry.channel_document_id });
    } else plan.forget.push(documentId);
  }
  return plan;
};
