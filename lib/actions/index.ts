export { createMessageProcessor } from './process.js';
export type { Disposition, ProcessorOptions, QueueMessage } from './process.js';
export { MAX_MESSAGE_BYTES, readMessage } from './message.js';
