import { asciiFileName, extensionOf, withSuffix } from '../../file-names.js';
import { ActionErrorCode, ActionFailure } from '../../outcome.js';

/** OR74: the only extensions MMP takes, and how many documents an order may hold. */
export const MMP_DOCUMENT_EXTENSIONS: ReadonlySet<string> = new Set([
  'csv',
  'doc',
  'xls',
  'xlsx',
  'ppt',
  'pdf',
  'odt',
  'ods',
  'odp',
  'txt',
  'rtf',
  'png',
  'jpg',
  'gif',
  'zpl',
  'mov',
  'mp4',
]);
export const MAX_DOCUMENTS_PER_ORDER = 50;

/**
 * Connect `document_type` → MMP `type_code`. MMP's codes are the operator's (DO01 lists them): its example
 * instance has `CUSTOMER_INVOICE`, and return labels attached to a return are `SYSTEM_RETURN_LABEL` (RT11).
 */
const DEFAULT_DOCUMENT_TYPE_CODES: Readonly<Record<string, string>> = {
  CUSTOMER_INVOICE: 'CUSTOMER_INVOICE',
  RETURN_LABEL: 'SYSTEM_RETURN_LABEL',
};

/**
 * The MMP type code of a Connect document type: `configured` (MMP_DOCUMENT_TYPE_CODES) first, then the defaults, else
 * as named; `source` says which, for a refusal to name what to configure.
 */
export const mmpTypeCode = (
  documentType: string,
  configured: Readonly<Record<string, string>>,
): { code: string; source: 'configured' | 'default' | 'as named' } => {
  if (Object.hasOwn(configured, documentType))
    return { code: configured[documentType] as string, source: 'configured' };
  if (Object.hasOwn(DEFAULT_DOCUMENT_TYPE_CODES, documentType))
    return { code: DEFAULT_DOCUMENT_TYPE_CODES[documentType] as string, source: 'default' };
  return { code: documentType, source: 'as named' };
};

/** A document already on the order, as OR72 lists it. */
export interface MmpListedDocument {
  file_name: string;
  file_size?: number | null;
  type: string;
}

/** The document to attach, as MMP will see it. */
export interface DocumentToAttach {
  /** Connect's name, any Unicode. */
  name: string;
  size: number;
  sha256: string;
  typeCode: string;
}

export type AttachmentPlan = { kind: 'already-attached'; fileName: string } | { kind: 'upload'; fileName: string };

/**
 * What to do on an order holding `listed` (OR72). OR74 is not idempotent and MMP keeps no checksum, so a document
 * counts as already attached when a file of the same name, size and type code is on the order: that is how a
 * redelivery after a lost OR74 response finds its upload. The file name is US-ASCII (OR74) and distinct on the
 * order: when another document holds the name, the first 8 hex digits of the SHA-256 are added to it.
 * Throws INVALID_INPUT for an extension MMP refuses or an order already holding its 50 documents.
 */
export const planAttachment = (
  listed: MmpListedDocument[],
  document: DocumentToAttach,
  orderId: string,
): AttachmentPlan => {
  const fileName = mmpFileName(document.name);
  const extension = extensionOf(fileName);
  if (!MMP_DOCUMENT_EXTENSIONS.has(extension)) {
    throw new ActionFailure(
      ActionErrorCode.INVALID_INPUT,
      `Document ${document.name} of order ${orderId}: MMP does not take ${extension ? `.${extension}` : 'files without an extension'} (it takes ${[...MMP_DOCUMENT_EXTENSIONS].join(', ')})`,
    );
  }
  for (const candidate of [fileName, withSuffix(fileName, document.sha256.slice(0, 8))]) {
    const holder = listed.find((listedDocument) => listedDocument.file_name === candidate);
    if (holder?.file_size === document.size && holder.type === document.typeCode)
      return { kind: 'already-attached', fileName: candidate };
    if (holder) continue;
    if (listed.length >= MAX_DOCUMENTS_PER_ORDER) {
      throw new ActionFailure(
        ActionErrorCode.INVALID_INPUT,
        `Document ${document.name} of order ${orderId}: the order already holds ${listed.length} documents, MMP's maximum is ${MAX_DOCUMENTS_PER_ORDER}`,
      );
    }
    return { kind: 'upload', fileName: candidate };
  }
  throw new ActionFailure(
    ActionErrorCode.INVALID_INPUT,
    `Document ${document.name} of order ${orderId}: other documents on the order already hold the names ${fileName} and its variant`,
  );
};

/** The US-ASCII name MMP gets; `.jpeg` becomes `.jpg`, the spelling MMP takes. */
export const mmpFileName = (name: string): string => {
  const ascii = asciiFileName(name);
  return extensionOf(ascii) === 'jpeg' ? `${ascii.slice(0, -'jpeg'.length)}jpg` : ascii;
};
