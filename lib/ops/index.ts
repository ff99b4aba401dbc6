export { createDeadLetterArchive } from './archive.js';
export type { ArchivedDeadLetter } from './archive.js';
export { createDeadLetterQueue } from './dead-letter-queue.js';
export { age, describeEvent, describeHistory, describeReplay } from './describe.js';
export type { DeadLetterMessage, DeadLetterQueue } from './dead-letter-queue.js';
export { createReplay, describeOutcome } from './replay.js';
export type { ReplayResult } from './replay.js';
export { stackName, stageResources } from './resources.js';
export type { OpsResources } from './resources.js';
