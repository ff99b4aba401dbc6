export { createPurchaseOrderClient, readPurchaseOrder } from './client.js';
export type { PurchaseOrderClient, PurchaseOrderRead } from './client.js';
export { readFailure, UNAUTHORIZED_RETRY_SECONDS, UNAVAILABLE_RETRY_SECONDS } from './failures.js';
export { createPurchaseOrderSource, purchaseOrderSource } from './order-source.js';
