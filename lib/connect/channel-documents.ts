import { asciiFileName, extensionOf } from '../file-names.js';
import { HttpError, multipartBody, type HttpSend } from '../http/index.js';
import { logger } from '../observability.js';
import type { ConnectOrigin } from './channel-orders.js';
import type { TokenProvider } from './token.js';

/** uploadOrderDocument's limits (contracts/mirakl-connect-channel-openapi.json): 10 MB, PDF, JPEG, PNG, CSV. */
export const MAX_CHANNEL_DOCUMENT_BYTES = 10 * 1024 * 1024;
/** The content type Connect gets for each extension it takes. */
export const CHANNEL_DOCUMENT_CONTENT_TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  csv: 'text/csv',
};
/** One upload attempt, the file included (the Lambda's deadline still bounds it). */
const UPLOAD_TIMEOUT_MS = 60_000;

export type ChannelDocumentType =
  | 'RETURN_LABEL'
  | 'CUSTOMER_INVOICE'
  | 'DELIVERY_SLIP'
  | 'SHIPMENT_DELIVERY_SLIP'
  | 'CHANNEL_SPECIFIC';
export type ChannelDocumentOrigin = ConnectOrigin & { sub_channel_code?: string };

/** One document pushed to Connect with uploadOrderDocument (multipart: `file`, `metadata`, `origin`). */
export interface ChannelDocumentUpload {
  channelOrderId: string;
  origin: ChannelDocumentOrigin;
  metadata: {
    /** Deterministic and stable (e.g. `mmp-<shop>-<document id>`), so a retried upload is safe. */
    channel_document_id: string;
    filename: string;
    type: ChannelDocumentType;
    channel_type?: string;
    entity?: { id: string; type: 'RETURN' };
  };
  /** The file in the function's temporary storage (streamed, never read whole into memory). */
  file: { path: string; size: number; contentType: string };
}

/** uploadOrderDocument / deleteOrderDocument of the Channel Platform. */
export interface ChannelDocumentsClient {
  /**
   * Streams the file from disk. Throws `ChannelDocumentNotAccepted` before any call for a file Connect does not
   * take (see `channelDocumentRefusal`), and `HttpError` for a refusal (400) or an outage (429, 5xx: transient).
   */
  upload(document: ChannelDocumentUpload): Promise<void>;
  /** DELETE with its JSON body `{origin}`; a 404 means already gone. */
  remove(channelDocumentId: string, origin: ChannelDocumentOrigin): Promise<'deleted' | 'already-gone'>;
}

/** A file uploadOrderDocument does not take: not sent at all. */
export class ChannelDocumentNotAccepted extends Error {
  override readonly name = 'ChannelDocumentNotAccepted';
}

/** Why Connect would refuse this file (format or size), or undefined when it takes it. */
export const channelDocumentRefusal = (file: { filename: string; size: number }): string | undefined => {
  const extension = extensionOf(file.filename);
  if (!Object.hasOwn(CHANNEL_DOCUMENT_CONTENT_TYPES, extension)) {
    return `Connect takes PDF, JPEG, PNG and CSV files only, not ${extension ? `.${extension}` : 'a file without an extension'}`;
  }
  if (file.size > MAX_CHANNEL_DOCUMENT_BYTES)
    return `${file.size} bytes is more than Connect's ${MAX_CHANNEL_DOCUMENT_BYTES} bytes (10 MB)`;
  return undefined;
};

/** The content type Connect should get for a file name it takes (by extension). */
export const channelDocumentContentType = (filename: string): string | undefined => {
  const extension = extensionOf(filename);
  return Object.hasOwn(CHANNEL_DOCUMENT_CONTENT_TYPES, extension)
    ? CHANNEL_DOCUMENT_CONTENT_TYPES[extension]
    : undefined;
};

/**
 * A 401 renews the token once. Both calls may be repeated (429, 5xx, a lost response): the upload names its
 * document with a deterministic `channel_document_id` and every Connect write is an upsert; a 404 on delete
 * means the document is gone. Connect does not say what a second upload of one id does (MIRAKL-SYNC.md §9.6):
 * a 400 after an attempt of the same call that may have landed is taken as that document being there already.
 */
export const createChannelDocumentsClient = (options: {
  apiUrl: string;
  tokens: TokenProvider;
  send: HttpSend;
}): ChannelDocumentsClient => {
  const withToken = async (call: (authorization: string) => Promise<Response>): Promise<Response> => {
    try {
      return await call(`Bearer ${await options.tokens.token()}`);
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 401)) throw error;
      options.tokens.invalidate();
      return call(`Bearer ${await options.tokens.token()}`);
    }
  };

  return {
    async upload(document) {
      const { metadata, file } = document;
      const refusal = channelDocumentRefusal({ filename: metadata.filename, size: file.size });
      if (refusal)
        throw new ChannelDocumentNotAccepted(
          `Document ${metadata.channel_document_id} of order ${document.channelOrderId}: ${refusal}`,
        );
      const body = multipartBody([
        // Only `metadata.filename` counts as the name: the part header gets a plain ASCII one.
        { name: 'file', filename: asciiFileName(metadata.filename), contentType: file.contentType, file },
        { name: 'metadata', value: JSON.stringify(metadata), contentType: 'application/json' },
        { name: 'origin', value: JSON.stringify(document.origin), contentType: 'application/json' },
      ]);
      try {
        await withToken((authorization) =>
          options.send({
            method: 'POST',
            url: `${options.apiUrl}/v1/orders/${encodeURIComponent(document.channelOrderId)}/documents`,
            operation: 'Connect uploadOrderDocument',
            repeatable: true,
            headers: { authorization },
            body,
            timeoutMs: UPLOAD_TIMEOUT_MS,
          }),
        );
      } catch (error) {
        if (!(error instanceof HttpError && error.status === 400 && error.details.mayHaveApplied)) throw error;
        logger.warn(
          'Connect refused a repeated upload of a document an earlier attempt may have delivered: taken as uploaded',
          {
            channel_order_id: document.channelOrderId,
            channel_document_id: metadata.channel_document_id,
            code: error.details.code,
          },
        );
      }
    },

    async remove(channelDocumentId, origin) {
      try {
        await withToken((authorization) =>
          options.send({
            method: 'DELETE',
            url: `${options.apiUrl}/v1/orders/documents/${encodeURIComponent(channelDocumentId)}`,
            operation: 'Connect deleteOrderDocument',
            repeatable: true,
            headers: { authorization },
            json: { origin },
          }),
        );
        return 'deleted';
      } catch (error) {
        if (error instanceof HttpError && error.status === 404) return 'already-gone';
        throw error;
      }
    },
  };
};
