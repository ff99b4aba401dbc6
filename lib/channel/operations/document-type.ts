import type { ChannelDocumentUpload } from '../../connect/channel-documents.js';

type ConnectDocumentType = ChannelDocumentUpload['metadata']['type'];

/** operationType → Connect document type; any other operation is CHANNEL_SPECIFIC, its type kept as channel_type. */
const DOCUMENT_TYPES: Record<string, ConnectDocumentType> = {
  INVOICE: 'CUSTOMER_INVOICE',
  DELIVERY_NOTE: 'DELIVERY_SLIP',
  DELIVERY: 'SHIPMENT_DELIVERY_SLIP',
};

export const connectTypeOfOperation = (operationType: string): { type: ConnectDocumentType; channel_type?: string } => {
  const type = Object.hasOwn(DOCUMENT_TYPES, operationType) ? DOCUMENT_TYPES[operationType] : undefined;
  return type ? { type } : { type: 'CHANNEL_SPECIFIC', channel_type: operationType };
};

/** The PDF's name: the last segment of its link (`4_marie_order_2014_12_20.pdf`), else `<type>-<id>.pdf`. */
export const pdfFileName = (operation: { id: string; operationType: string; pdfUrl: string }): string => {
  try {
    const name = decodeURIComponent(new URL(operation.pdfUrl).pathname.split('/').pop() ?? '');
    if (name !== '') return name;
  } catch {
    // An unreadable link has no usable name: the default below.
  }
  return `${operation.operationType}-${operation.id}.pdf`;
};
