export { toQueueMessage } from './messages.js';
export type { DeliveredRecord, Disposition, QueueMessage } from './messages.js';
export { createQueueOperations, inChunksOf, sendInBatches } from './operations.js';
export type { DeadLetterMove, HandBack, QueueOperations } from './operations.js';
export { settleBatch } from './settle-batch.js';
