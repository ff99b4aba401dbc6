import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ConfigError } from '../lib/config/index.js';

// The CLIs run on the developer's Node (20.19+ is supported): the AWS SDK's advice to move to Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** A mistake of the caller's: said plainly, with the usage when it may help. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly showUsage = true,
  ) {
    super(message);
  }
}

/** Runs a CLI's `main`: its result is the exit code; a usage or configuration error is one readable message. */
export const runCli = (
  main: () => Promise<number>,
  usage: string,
  readableErrors: Array<new (...args: never[]) => Error> = [],
) =>
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) console.error(error.showUsage ? `${error.message}\n\n${usage}` : error.message);
      else if (error instanceof ConfigError || readableErrors.some((kind) => error instanceof kind))
        console.error((error as Error).message);
      else console.error(error);
      process.exitCode = 1;
    },
  );

/**
 * The URL of one of the stage's queues: `--queue-url`, else the variable, else the queue serverless.yml names
 * `mirakl-connect-connector-<stage>-<suffix>`, looked up in the account.
 */
export const stageQueueUrl = async (
  sqs: SQSClient,
  options: { 'queue-url'?: string; stage?: string },
  fromEnv: { name: string; value: string | undefined },
  suffix: string,
): Promise<string> => {
  const url = options['queue-url'] ?? fromEnv.value;
  if (url !== undefined) return url;
  if (options.stage === undefined) throw new UsageError(`Give --queue-url, ${fromEnv.name} or --stage.`);
  const name = `mirakl-connect-connector-${options.stage}-${suffix}`;
  try {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    return QueueUrl as string;
  } catch (error) {
    throw new UsageError(
      `Cannot find the queue ${name} (${(error as Error).name}): is stage ${options.stage} deployed in this region?`,
      false,
    );
  }
};

/** The options of every producer CLI: where the queue is, and whether to send at all. */
export const QUEUE_OPTIONS = {
  'queue-url': { type: 'string' },
  stage: { type: 'string' },
  region: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

/** `parseArgs`, with a mistake on the command line reported as a usage error. */
export const parseCommandLine = <T extends ParseArgsConfig>(config: T) => {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
};
