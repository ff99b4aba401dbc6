import { HttpError } from '../../http/index.js';
import { ActionErrorCode, ActionFailure } from '../../outcome.js';
import type { OrderDocument } from '../port.js';
import { mmpTypeCode, planAttachment } from './document-rules.js';
import type { MmpDocumentRefusal, MmpDocumentsClient } from './documents-client.js';

/** Files the connector attaches to an order itself, so the document import never uploads them back to Connect (invariant 18). */
export interface ConnectorAttachments {
  remember(orderId: string, sha256: string): Promise<void>;
}

/**
 * UPLOAD_DOCUMENT on MMP: OR72 lists the order's documents, then OR74 attaches the file unless it is already
 * there (a redelivery after a lost response: OR74 is not idempotent). A 200 from OR74 may still refuse the file
 * (`errors_count`): that is a failure, reported with MMP's error codes. The file is remembered as the
 * connector's before OR74, so no import that lists it afterwards can take it for the marketplace's.
 */
export const attachDocument = async (
  documents: MmpDocumentsClient,
  typeCodes: Readonly<Record<string, string>>,
  document: OrderDocument,
  attachments?: ConnectorAttachments,
): Promise<void> => {
  const orderId = document.channelOrderId;
  const { code: typeCode, source } = mmpTypeCode(document.documentType, typeCodes);
  const entity = returnEntity(document, orderId);
  const listed = await documents.listDocuments(orderId);
  const plan = planAttachment(
    listed,
    { name: document.name, size: document.file.size, sha256: document.file.sha256, typeCode },
    orderId,
  );
  await attachments?.remember(orderId, document.file.sha256);
  if (plan.kind === 'already-attached') return;

  let refusals: MmpDocumentRefusal[];
  try {
    refusals = await documents.uploadDocument(
      orderId,
      { file_name: plan.fileName, type_code: typeCode, ...(entity && { entity }) },
      document.file,
    );
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    const answer = `${error.status}${error.details.code ? ` ${error.details.code}` : ''}`;
    if (error.status === 404) {
      throw new ActionFailure(
        ActionErrorCode.DATA_NOT_FOUND,
        `Order ${orderId} not found on the marketplace (MMP OR74 answered ${answer})`,
      );
    }
    throw new ActionFailure(
      ActionErrorCode.INVALID_INPUT,
      `MMP OR74 refused document ${plan.fileName} of order ${orderId} (${answer})`,
    );
  }
  if (refusals.length > 0) {
    const reasons = refusals.flatMap((refusal) =>
      refusal.errors.map((error) => [error.code, error.field && `(${error.field})`].filter(Boolean).join(' ')),
    );
    throw new ActionFailure(
      ActionErrorCode.INVALID_INPUT,
      `MMP OR74 refused document ${plan.fileName} of order ${orderId} with type ${typeCode} (${TYPE_SOURCES[source](document.documentType)}): ${reasons.filter(Boolean).join('; ') || 'no reason given'}`,
    );
  }
};

/** Where the type code came from, and what to configure when the marketplace does not know it. */
const TYPE_SOURCES: Record<ReturnType<typeof mmpTypeCode>['source'], (documentType: string) => string> = {
  configured: (documentType) => `MMP_DOCUMENT_TYPE_CODES maps ${documentType} to it`,
  default: (documentType) => `the default for ${documentType}: ${MAP_IT}`,
  'as named': (documentType) => `${documentType} as named, having no default: ${MAP_IT}`,
};
const MAP_IT = "map it to one of the operator's codes (DO01) in MMP_DOCUMENT_TYPE_CODES";

/** OR74 ties a document to a return only (`entity.type` RETURN); Connect's `document_entity` names it. */
const returnEntity = (document: OrderDocument, orderId: string): { id: string; type: 'RETURN' } | undefined => {
  if (!document.entity) return undefined;
  if (document.entity.type !== 'RETURN') {
    throw new ActionFailure(
      ActionErrorCode.INVALID_INPUT,
      `Document ${document.name} of order ${orderId}: MMP attaches documents to returns only, not to a ${document.entity.type}`,
    );
  }
  return { id: document.entity.id, type: 'RETURN' };
};
