import { asciiFileName, withSuffix } from '../file-names.js';

const DOCUMENT_PREFIX = 'documents/';
/** Original names are clipped in metadata and headers: S3 takes 2 KB of user metadata, URI-encoded CJK is 9 bytes a character. */
const MAX_ORIGINAL_NAME_LENGTH = 150;

/** What the archive says about a document: where it belongs and where it came from. */
export interface DocumentOrigin {
  /** The Connect action that brought it (UPLOAD_DOCUMENT); unset for documents archived from a source. */
  actionId?: string;
  /** Where the document was read from, for the document archive: `connect` (v2 ZIP) or `marketplace` (OR73). */
  source?: string;
  /** The source's own id of the document (MMP's OR72 id, the operations API's operation id), when it has one. */
  documentId?: string;
  /** The operation's reference (the operations source), which names the Connect order. */
  reference?: string;
  eventId?: string;
  channelId: string;
  channelOrderId: string;
  /** Connect's `document_type`, e.g. `CUSTOMER_INVOICE`. */
  documentType: string;
  /** Connect's `document_name`, as sent (any Unicode). */
  documentName: string;
}

/**
 * Where a document is archived, browsable by channel, order and type:
 * `documents/<channel_id>/<channel_order_id>/<document_type>/<ASCII file name>`. The second key is for a
 * different document that arrives under a name already taken on the order (a corrected invoice): the same
 * name with the first 12 hex digits of its SHA-256, so it never overwrites the first.
 */
export const documentKeys = (origin: DocumentOrigin, sha256: string): [string, string] => {
  const folder = [origin.channelId, origin.channelOrderId, origin.documentType].map(keySegment).join('/');
  const name = asciiFileName(origin.documentName);
  return [
    `${DOCUMENT_PREFIX}${folder}/${name}`,
    `${DOCUMENT_PREFIX}${folder}/${withSuffix(name, sha256.slice(0, 12))}`,
  ];
};

/** The folder of one order's documents, all types: `documents/<channel_id>/<channel_order_id>/`. */
export const orderDocumentsPrefix = (channelId: string, channelOrderId: string): string =>
  `${DOCUMENT_PREFIX}${[channelId, channelOrderId].map(keySegment).join('/')}/`;

/**
 * The object's user metadata (`x-amz-meta-*`). S3 carries it in HTTP headers, which must be ASCII: every
 * value is URI-encoded (`decodeURIComponent` reads it back); ids and digests come out unchanged.
 */
export const documentMetadata = (
  origin: DocumentOrigin,
  file: { contentType: string; size: number; sha256: string },
): Record<string, string> => {
  const metadata: Record<string, string | undefined> = {
    'action-id': origin.actionId,
    'event-id': origin.eventId,
    source: origin.source,
    'document-id': origin.documentId,
    reference: origin.reference,
    'document-type': origin.documentType,
    'original-name': clip(origin.documentName),
    'content-type': file.contentType,
    size: String(file.size),
    sha256: file.sha256,
  };
  return Object.fromEntries(
    Object.entries(metadata).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, encodeURIComponent(value)]],
    ),
  );
};

/** `Content-Disposition` for a download from the archive: the ASCII name, and the original one (RFC 6266). */
export const contentDisposition = (documentName: string): string =>
  `attachment; filename="${asciiFileName(documentName)}"; filename*=UTF-8''${encodeURIComponent(clip(documentName)).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;

const clip = (name: string) => [...name].slice(0, MAX_ORIGINAL_NAME_LENGTH).join('');

/** One path segment of a key from an id: safe characters only, never `.` or `..`. */
const keySegment = (id: string): string => {
  const safe = id.replace(/[^A-Za-z0-9._-]/g, '_');
  return /^\.*$/.test(safe) ? safe.replace(/\./g, '_') || '_' : safe;
};
