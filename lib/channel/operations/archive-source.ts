import type { OperationsDocumentsSource } from '../../archive/index.js';
import type { ConnectUploadConfig, OperationsConfig, RuntimeConfig } from '../../config/index.js';
import {
  ChannelDocumentNotAccepted,
  channelDocumentsClientFromConfig,
  type ChannelDocumentUpload,
} from '../../connect/index.js';
import { HttpError, type HttpSend } from '../../http/index.js';
import { logger } from '../../observability.js';
import { ActionErrorCode, ActionFailure } from '../../outcome.js';
import { secretFrom } from '../../secrets.js';
import { createOperationsClient } from './client.js';
import { connectTypeOfOperation, pdfFileName } from './document-type.js';

/** The archive folder of operations when nothing is uploaded to Connect (no CONNECT_CHANNEL_ID). */
const OPERATIONS_FOLDER = 'operations';

/**
 * The operations API as a source of the document archive. With an upload configuration (CONNECT_CHANNEL_ID) the
 * PDFs are filed under the channel, beside the order's other documents, and uploaded to Connect on the order
 * whose channel_order_id is the operation's reference, as `operations-<operation id>`. The store is the request's
 * `channel_store_id`, else MMP_STORE_ID.
 */
export const createOperationsArchiveSource = (options: {
  config: { api: OperationsConfig; upload?: ConnectUploadConfig };
  runtime: RuntimeConfig;
  send: HttpSend;
  maxBytes: number;
}): OperationsDocumentsSource => {
  const { api, upload } = options.config;
  const client = createOperationsClient({
    apiUrl: api.OPERATIONS_API_URL,
    token: secretFrom(
      api.OPERATIONS_API_TOKEN,
      api.OPERATIONS_API_TOKEN_PARAM,
      options.runtime.SECRETS_MAX_AGE_SECONDS,
    ),
    send: options.send,
  });

  return {
    folder: upload?.CONNECT_CHANNEL_ID ?? OPERATIONS_FOLDER,

    async find(request) {
      const operation = await client.find(
        request.order_id !== undefined ? { orderId: request.order_id } : { reference: request.reference as string },
      );
      const { pdfUrl } = operation;
      if (!pdfUrl)
        throw new ActionFailure(
          ActionErrorCode.DATA_NOT_FOUND,
          `operation ${operation.id} (${operation.operationType}) has no PDF (pdfUrl is empty)`,
        );
      return {
        id: operation.id,
        type: operation.operationType,
        reference: operation.reference,
        fileName: pdfFileName({ ...operation, pdfUrl }),
        download: () => client.downloadPdf({ ...operation, pdfUrl }, options.maxBytes),
      };
    },

    ...(upload && uploaderTo(upload, options)),
  };
};

const uploaderTo = (
  upload: ConnectUploadConfig,
  options: { runtime: RuntimeConfig; send: HttpSend },
): Pick<OperationsDocumentsSource, 'upload'> => {
  const documents = channelDocumentsClientFromConfig(upload.connect, options.runtime, options.send);
  return {
    async upload(operation, file, channelStoreId, archivedBefore) {
      const store = channelStoreId ?? upload.MMP_STORE_ID;
      const ids = {
        operation_id: operation.id,
        operation_type: operation.type,
        channel_order_id: operation.reference,
        store,
      };
      if (store === undefined) {
        throw new ActionFailure(
          ActionErrorCode.INVALID_INPUT,
          `operation ${operation.id} was archived but cannot be uploaded to Connect: no store (set MMP_STORE_ID, or name channel_store_id in the request when several stores are served)`,
        );
      }
      const document: ChannelDocumentUpload = {
        channelOrderId: operation.reference,
        origin: { channel_id: upload.CONNECT_CHANNEL_ID, channel_store_id: store },
        metadata: {
          channel_document_id: `operations-${operation.id}`,
          filename: operation.fileName,
          ...connectTypeOfOperation(operation.type),
        },
        file: { path: file.path, size: file.size, contentType: file.contentType },
      };
      try {
        await documents.upload(document);
      } catch (error) {
        if (error instanceof ChannelDocumentNotAccepted) {
          throw new ActionFailure(
            ActionErrorCode.INVALID_INPUT,
            `operation ${operation.id} was archived but not uploaded: ${error.message}`,
          );
        }
        // What Connect does with a second upload of one id is not documented (MIRAKL-SYNC.md §9.6): a 400 to the
        // upload of a PDF an earlier request archived (and so may have uploaded) is taken as Connect having it.
        if (archivedBefore && error instanceof HttpError && error.status === 400) {
          logger.info('Connect refused the upload of an operation PDF it may hold already: taken as uploaded', {
            ...ids,
            reason: error.message,
          });
          return;
        }
        throw error;
      }
      logger.info('Operation PDF uploaded to Connect', ids);
    },
  };
};
