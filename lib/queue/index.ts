export { toQueueMessage } from './messages.js';
export type { DeliveredRecord, Disposition, QueueMessage } from './messages.js';
export { createQueueOperations, inChunksOf } from './operations.js';
export type { DeadLetterMove, HandBack, QueueOperations } from './operations.js';
export { settleBatch } from './settle-batch.js';
