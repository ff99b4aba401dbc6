import type { ConnectOrigin } from './channel-orders.js';

/** One document pushed to Connect with uploadOrderDocument (multipart: `file`, `metadata`, `origin`). */
export interface ChannelDocumentUpload {
  channelOrderId: string;
  origin: ConnectOrigin & { sub_channel_code?: string };
  metadata: {
    /** Deterministic and stable (e.g. `mmp-<shop>-<document id>`), so a retried upload is safe. */
    channel_document_id: string;
    filename: string;
    type: 'RETURN_LABEL' | 'CUSTOMER_INVOICE' | 'DELIVERY_SLIP' | 'SHIPMENT_DELIVERY_SLIP' | 'CHANNEL_SPECIFIC';
    channel_type?: string;
    entity?: { id: string; type: 'RETURN' };
  };
  /** The file in the function's temporary storage (streamed, never read whole into memory). */
  file: { path: string; size: number; contentType: string };
}

/**
 * uploadOrderDocument / deleteOrderDocument of the Channel Platform.
 * STUB (interface only): the channel-documents work implements `createChannelDocumentsClient`.
 */
export interface ChannelDocumentsClient {
  upload(document: ChannelDocumentUpload): Promise<void>;
  /** DELETE with its JSON body `{origin}`; a 404 means already gone. */
  remove(channelDocumentId: string, origin: ConnectOrigin & { sub_channel_code?: string }): Promise<'deleted' | 'already-gone'>;
}
