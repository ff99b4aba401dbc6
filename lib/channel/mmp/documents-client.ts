import * as z from 'zod';
import type { ReadableStream } from 'node:stream/web';
import { multipartBody } from '../../http/index.js';
import { ActionErrorCode, ActionFailure } from '../../outcome.js';
import type { MmpTransport } from './client.js';

/** A document's file as OR73 streams it. */
export interface MmpDocumentFile {
  body: ReadableStream<Uint8Array>;
  contentType: string | undefined;
}

/** One OR74 attempt, the file included (the Lambda's deadline still bounds it). */
const UPLOAD_TIMEOUT_MS = 60_000;
/** One OR73 download, the file included. */
const DOWNLOAD_TIMEOUT_MS = 5 * 60_000;

const OrderDocument = z.object({
  id: z.number(),
  file_name: z.string(),
  file_size: z.number().nullish(),
  order_id: z.string(),
  type: z.string(),
});
export type MmpOrderDocument = z.infer<typeof OrderDocument>;
/** OR72 takes at most 100 order ids. */
export const MAX_ORDERS_PER_DOCUMENT_LIST = 100;

const DocumentType = z.object({
  code: z.string(),
  label: z.string().nullish(),
  description: z.string().nullish(),
  entity: z.string().nullish(),
});
/** One of the operator's document types (DO01). */
export type MmpDocumentType = z.infer<typeof DocumentType>;

/** One entry of OR74's `order_documents` part. */
export interface MmpDocumentInput {
  file_name: string;
  type_code: string;
  entity?: { id: string; type: 'RETURN' };
}

/** A file OR74 refused while answering 200: MMP's error codes and fields (its messages are not kept). */
export interface MmpDocumentRefusal {
  errors: Array<{ code?: string | null; field?: string | null }>;
}

const UploadReport = z.object({
  errors_count: z.number().nullish(),
  order_documents: z.array(
    z.object({ errors: z.array(z.object({ code: z.string().nullish(), field: z.string().nullish() })) }),
  ),
});

/** The order document calls of the MMP seller API. */
export interface MmpDocumentsClient {
  /** OR72: the documents on one order. */
  listDocuments(orderId: string): Promise<MmpOrderDocument[]>;
  /** OR72: the documents on up to 100 orders. */
  listOrdersDocuments(orderIds: string[]): Promise<MmpOrderDocument[]>;
  /** DO01: the operator's order document types (MMP allows this call once a day). */
  listOrderDocumentTypes(): Promise<MmpDocumentType[]>;
  /**
   * OR74: attaches one file, streamed from the temporary storage. Not idempotent: sent once. MMP answers 200
   * even when it refused the file: the refusals are returned, empty when it took it.
   */
  uploadDocument(
    orderId: string,
    input: MmpDocumentInput,
    file: { path: string; contentType: string },
  ): Promise<MmpDocumentRefusal[]>;
  /** OR73 with one document id: the raw file, streamed, and its content type. */
  downloadDocument(orderId: string, documentId: string): Promise<MmpDocumentFile>;
}

export const createMmpDocumentsClient = (call: MmpTransport): MmpDocumentsClient => {
  const listOrdersDocuments = async (orderIds: string[]) => {
    if (orderIds.length > MAX_ORDERS_PER_DOCUMENT_LIST)
      throw new RangeError(`OR72 takes at most ${MAX_ORDERS_PER_DOCUMENT_LIST} order ids, not ${orderIds.length}`);
    const response = await call({
      operation: 'OR72',
      method: 'GET',
      path: '/api/orders/documents',
      query: { order_ids: orderIds.join(',') },
    });
    const { order_documents: documents } = z
      .object({ order_documents: z.array(OrderDocument) })
      .parse(await response.json());
    return documents.filter((document) => orderIds.includes(document.order_id));
  };
  return {
    listOrdersDocuments,
    listDocuments: (orderId) => listOrdersDocuments([orderId]),
    async listOrderDocumentTypes() {
      const response = await call({
        operation: 'DO01',
        method: 'GET',
        path: '/api/documents',
        query: { entities: 'ORDER' },
      });
      return z.object({ documents: z.array(DocumentType) }).parse(await response.json()).documents;
    },
    async downloadDocument(orderId, documentId) {
      const response = await call({
        operation: 'OR73',
        method: 'GET',
        path: '/api/orders/documents/download',
        query: { order_ids: orderId, document_ids: documentId },
        timeoutMs: DOWNLOAD_TIMEOUT_MS,
        download: true,
      });
      if (!response.body)
        throw new ActionFailure(ActionErrorCode.UNAVAILABLE, `MMP OR73 sent no content for document ${documentId}`, {
          transient: true,
        });
      return {
        body: response.body as ReadableStream<Uint8Array>,
        contentType: response.headers.get('content-type') ?? undefined,
      };
    },
    async uploadDocument(orderId, input, file) {
      // The parts of the vendor's curl example: `-F 'files=@<file>' -F 'order_documents=<json>;type=application/json'`.
      const body = multipartBody([
        { name: 'files', filename: input.file_name, contentType: file.contentType, file },
        {
          name: 'order_documents',
          value: JSON.stringify({ order_documents: [input] }),
          contentType: 'application/json',
        },
      ]);
      const response = await call({
        operation: 'OR74',
        method: 'POST',
        path: `/api/orders/${encodeURIComponent(orderId)}/documents`,
        body,
        repeatable: false,
        timeoutMs: UPLOAD_TIMEOUT_MS,
      });
      const report = UploadReport.parse(await response.json());
      // `errors_count` is what MMP counts on; the list only details it.
      return report.order_documents.length === 0 && (report.errors_count ?? 0) > 0
        ? [{ errors: [] }]
        : report.order_documents;
    },
  };
};
