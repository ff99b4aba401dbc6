export { readUpdatesCsv } from './csv.js';
export { enqueueUpdates } from './enqueue.js';
export { readUpdateMessage, validateUpdate } from './message.js';
export { createAnonymizationProcessor, anonymizationHandBackSeconds } from './process.js';
export { dateRulesFrom, tooEarly } from './rules.js';
export type { DateRules } from './rules.js';
