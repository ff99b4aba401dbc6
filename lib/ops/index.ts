export { OpsArgumentError, opsCommands } from './commands.js';
export type { OpsContext } from './commands.js';
export { stackName, stageFunctionEnvironment, stageResources } from './resources.js';
export type { OpsResources } from './resources.js';
export { syncCommands } from './sync.js';
