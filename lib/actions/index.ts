export type { ActionContext, PerformAction } from './action.js';
export { planBatch } from './batch-plan.js';
export { createDeadLetterProcessor, REDRIVE_REASON } from './dead-letter.js';
export type { DeadLetterMessage } from './dead-letter.js';
export { MAX_MESSAGE_BYTES, orderKeyOf, readMessage } from './message.js';
export { createBatchProcessor, retryDelaySeconds } from './process.js';
export type { ProcessorOptions } from './process.js';
