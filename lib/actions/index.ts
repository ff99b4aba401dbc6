export { HandedBackForOrder, planBatch } from './batch-plan.js';
export { MAX_MESSAGE_BYTES, orderKeyOf, readMessage } from './message.js';
export { createMessageProcessor, retryDelaySeconds } from './process.js';
export type { ProcessorOptions } from './process.js';
export type { ActionContext, PerformAction } from './registry.js';
export { createDeadLetterProcessor, REDRIVE_REASON } from './dead-letter.js';
export type { DeadLetterMessage } from './dead-letter.js';
