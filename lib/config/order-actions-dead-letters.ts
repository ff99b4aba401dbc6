import { archiveSchema, ledgerSchema, runtimeSchema } from './aws.js';
import { connectSchema } from './connect.js';
import { readSections } from './read.js';

/** The orderActionsDeadLetters function. */

export const readDeadLettersConfig = (env: NodeJS.ProcessEnv = process.env) =>
  readSections({ connect: connectSchema, runtime: runtimeSchema, ledger: ledgerSchema, archive: archiveSchema }, env);
