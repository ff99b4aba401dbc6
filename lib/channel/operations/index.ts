export { createOperationsArchiveSource } from './archive-source.js';
export { createOperationsClient } from './client.js';
export type { Operation, OperationKey, OperationsClient } from './client.js';
export { connectTypeOfOperation as connectDocumentType, pdfFileName } from './document-type.js';
