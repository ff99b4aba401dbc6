import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  OpsArgumentError,
  opsCommands,
  stackName,
  syncCommands,
  stageFunctionEnvironment,
  stageResources,
  type OpsContext,
  type OpsResources,
} from '../lib/ops/index.js';
import { parseCommandLine, runCli, UsageError } from './cli.js';

const USAGE = `Operates the connector: dead letters, replays, what the ledger knows about an action, the import.

  npm run ops -- dlq:list                       the Connect events DLQ: message, action, type, order, age, why it died
  npm run ops -- dlq:list --archived [--day <yyyy-mm-dd>]
                                                the dead letters settled by orderActionsDeadLetters and archived in S3
  npm run ops -- dlq:redrive [--message <id>] [--force]
                                                moves DLQ messages (all, or one) back to the events queue
  npm run ops -- replay --file <event.json> [--force]
  npm run ops -- replay --archive <key> [--force]
                                                sends an event (a file, or an archived dead letter) to the events queue
  npm run ops -- action:status <action_id> [--store <channel_store_id> --order <channel_order_id>]
                                                the action's record, recorded outcome, report, order lease and intent
  npm run ops -- reasons [--store <channel_store_id>]
                                                the reason codes in force: each Connect reason → the operator's code
                                                (RE01, read now), configured, matched on its label, or none
  npm run ops -- sync:status [--store <channel_store_id>]
                                                the import of each store: cursors, window under way, last run, lag,
                                                returns pending, parked orders and returns with their reasons
  npm run ops -- sync:replay [--store <channel_store_id>]
                                                parked orders named on the order-refresh queue (re-read, upserted),
                                                parked returns put back for the next upsertReturns

  An action already reported final to Connect is not replayed: orderActions would act on the marketplace while
  Connect keeps the status it was given. --force replays it anyway, deleting its recorded outcome and its mark as
  reported. Messages that can never be carried out (unreadable, no action_id) are left where they are.

  Where (the first given): the option, the environment variable, the stage's CloudFormation outputs.
    --queue-url <url>    CONNECT_EVENTS_QUEUE_URL    the Connect events queue (replays go there)
    --dlq-url <url>      ORDER_ACTIONS_DLQ_URL       its dead-letter queue
    --table <name>       IDEMPOTENCY_TABLE           the idempotency table
    --bucket <name>      DOCUMENTS_BUCKET            the archive bucket
    --refresh-queue-url <url>  ORDER_REFRESH_QUEUE_URL  the order-refresh queue (sync:replay)
    --stage <stage>      the deployed stage (stack mirakl-connect-connector-<stage>)
  --region <region>      AWS region (default: AWS_REGION)
  reasons reads the marketplace variables (MMP_API_URL, MMP_API_KEY or _PARAM, MMP_STORES..., the two reason maps)
  from the environment when MMP_API_URL is set, else from the stage's deployed orderActions function.
  Local stack: set AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_DYNAMODB, S3_FORCE_PATH_STYLE=true
  (and any AWS_ACCESS_KEY_ID/SECRET); for reasons, MMP_API_URL=http://127.0.0.1:4020 MMP_API_KEY=local-mmp-key.`;

const readCommandLine = () =>
  parseCommandLine({
    allowPositionals: true,
    strict: true,
    options: {
      archived: { type: 'boolean', default: false },
      day: { type: 'string' },
      message: { type: 'string' },
      force: { type: 'boolean', default: false },
      file: { type: 'string' },
      archive: { type: 'string' },
      store: { type: 'string' },
      order: { type: 'string' },
      'queue-url': { type: 'string' },
      'dlq-url': { type: 'string' },
      table: { type: 'string' },
      bucket: { type: 'string' },
      'refresh-queue-url': { type: 'string' },
      stage: { type: 'string' },
      region: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
type Options = ReturnType<typeof readCommandLine>['values'];

const OPTIONS: Record<keyof OpsResources, string> = {
  eventsQueueUrl: '--queue-url',
  deadLetterQueueUrl: '--dlq-url',
  table: '--table',
  bucket: '--bucket',
  refreshQueueUrl: '--refresh-queue-url',
};

/** The resources from the options and the environment; the stage's outputs fill in the rest, read only if needed. */
const resourcesOf = (options: Options, env: NodeJS.ProcessEnv) => {
  const given: OpsResources = {
    eventsQueueUrl: options['queue-url'] ?? env.CONNECT_EVENTS_QUEUE_URL,
    deadLetterQueueUrl: options['dlq-url'] ?? env.ORDER_ACTIONS_DLQ_URL,
    table: options.table ?? env.IDEMPOTENCY_TABLE,
    bucket: options.bucket ?? env.DOCUMENTS_BUCKET,
    refreshQueueUrl: options['refresh-queue-url'] ?? env.ORDER_REFRESH_QUEUE_URL,
  };
  let stage: Promise<OpsResources> | undefined;
  return async (resource: keyof OpsResources): Promise<string> => {
    const option = OPTIONS[resource];
    const value = given[resource];
    if (value) return value;
    if (options.stage === undefined) throw new UsageError(`Give ${option}, its environment variable, or --stage.`);
    const name = options.stage;
    stage ??= stageResources(name, options.region).catch((error: unknown) => {
      throw new UsageError(
        `Cannot read the stack ${stackName(name)} (${(error as Error).name}): is stage ${name} deployed in this region?`,
        false,
      );
    });
    const found = (await stage)[resource];
    if (!found) throw new UsageError(`The stack ${stackName(name)} has no output for ${option}.`, false);
    return found;
  };
};

/** The marketplace variables: the shell's when it sets MMP_API_URL, else the deployed orderActions function's. */
const marketplaceEnvironment = async (options: Options, env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> => {
  if (env.MMP_API_URL) return env;
  if (options.stage === undefined)
    throw new UsageError('Set MMP_API_URL and MMP_API_KEY (or MMP_API_KEY_PARAM), or give --stage.');
  const stage = options.stage;
  try {
    return {
      ...(await stageFunctionEnvironment(stage, options.region, 'orderActions')),
      AWS_REGION: options.region ?? env.AWS_REGION,
    };
  } catch (error) {
    throw new UsageError(
      `Cannot read the stack ${stackName(stage)} (${(error as Error).name}): is stage ${stage} deployed in this region?`,
      false,
    );
  }
};

const main = async (): Promise<number> => {
  const { values: options, positionals } = readCommandLine();
  const [command, ...operands] = positionals;
  if (options.help || command === undefined) {
    console.log(USAGE);
    return options.help ? 0 : 1;
  }
  const region = options.region ? { region: options.region } : {};
  const context: OpsContext = {
    sqs: new SQSClient({ useQueueUrlAsEndpoint: false, ...region }),
    s3: new S3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true', ...region }),
    dynamodb: new DynamoDBClient(region),
    resource: resourcesOf(options, process.env),
    print: (line) => console.log(line),
  };
  try {
    switch (command) {
      case 'dlq:list':
        return await (options.archived
          ? opsCommands.listArchivedDeadLetters(context, options.day)
          : opsCommands.listDeadLetters(context));
      case 'dlq:redrive':
        return await opsCommands.redriveDeadLetters(context, { messageId: options.message, force: options.force });
      case 'replay':
        if ((options.file === undefined) === (options.archive === undefined))
          throw new UsageError('Give --file or --archive.');
        return await opsCommands.replay(
          context,
          options.file !== undefined ? { file: options.file } : { archiveKey: options.archive as string },
          options.force,
        );
      case 'action:status': {
        const [actionId] = operands;
        if (actionId === undefined) throw new UsageError('Give the action id: action:status <action_id>.');
        if ((options.store === undefined) !== (options.order === undefined))
          throw new UsageError('Give --store and --order together.');
        return await opsCommands.showActionStatus(
          context,
          actionId,
          options.store === undefined ? undefined : `${options.store}#${options.order}`,
        );
      }
      case 'reasons':
        return await opsCommands.showReasons(
          context,
          await marketplaceEnvironment(options, process.env),
          options.store,
        );
      case 'sync:status':
        return await syncCommands.syncStatus(context, { store: options.store });
      case 'sync:replay':
        return await syncCommands.syncReplay(context, { store: options.store });
      default:
        throw new UsageError(`Unknown command ${command}.`);
    }
  } finally {
    context.sqs.destroy();
    context.s3.destroy();
    context.dynamodb.destroy();
  }
};

runCli(main, USAGE, [OpsArgumentError]);
