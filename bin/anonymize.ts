import { readFileSync } from 'node:fs';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  dateRulesFrom,
  enqueueUpdates,
  readUpdatesCsv,
  validateUpdate,
  type DateRules,
} from '../lib/anonymization/index.js';
import { readAnonymizationProducerConfig } from '../lib/config/index.js';
import type { AnonymizeAfterOrder } from '../lib/connect/index.js';
import { parseCommandLine, QUEUE_OPTIONS, runCli, stageQueueUrl, UsageError } from './cli.js';

const USAGE = `Enqueues anonymize-after updates for the anonymization function.

  npm run anonymize -- --channel <channel_id> --order <channel_order_id> --after <date-time> [--sub-channel <code>]
  npm run anonymize -- --file <updates.csv>

  The CSV file has a header naming its columns: channel_id, channel_order_id, anonymize_after, and optionally
  sub_channel_code. Every row is checked first; if one is bad, the line numbers are listed and nothing is sent.

  Where to (the first given):
    --queue-url <url>    the queue URL
    ANONYMIZATION_QUEUE_URL
    --stage <stage>      the deployed stage's queue, mirakl-connect-connector-<stage>-anonymization
  --region <region>      AWS region (default: AWS_REGION)
  --dry-run              check only, send nothing
  Dates: ISO 8601 with a time zone (2031-01-01T00:00:00Z), at least ANONYMIZATION_MIN_RETENTION_DAYS (30)
  days ahead. Local stack: set AWS_ENDPOINT_URL_SQS (and any AWS_ACCESS_KEY_ID/SECRET) to its SQS server.`;

const parseOptions = () =>
  parseCommandLine({
    options: {
      channel: { type: 'string' },
      order: { type: 'string' },
      after: { type: 'string' },
      'sub-channel': { type: 'string' },
      file: { type: 'string' },
      ...QUEUE_OPTIONS,
    },
    strict: true,
  }).values;
type Options = ReturnType<typeof parseOptions>;

/** The updates to send, each with where it came from; every one is checked before anything is sent. */
const readUpdates = (
  options: Options,
  rules: DateRules,
  now: number,
): Array<{ origin: string; order: AnonymizeAfterOrder }> => {
  if (options.file !== undefined) {
    if (options.channel ?? options.order ?? options.after)
      throw new UsageError('Give --file, or --channel/--order/--after, not both.');
    const { updates, problems } = readUpdatesCsv(readCsv(options.file), now, rules);
    if (problems.length > 0) {
      const lines = problems.map(({ line, reason }) => `  line ${line}: ${reason}`).join('\n');
      throw new UsageError(`${options.file} has ${problems.length} bad row(s); nothing was sent.\n${lines}`, false);
    }
    if (updates.length === 0) throw new UsageError(`${options.file} has no rows.`, false);
    return updates.map(({ line, order }) => ({ origin: `line ${line}`, order }));
  }
  if (options.channel === undefined || options.order === undefined || options.after === undefined) {
    throw new UsageError('Give --channel, --order and --after (or --file).');
  }
  const update = {
    channel_id: options.channel,
    channel_order_id: options.order,
    sub_channel_code: options['sub-channel'],
    anonymize_after: options.after,
  };
  const read = validateUpdate(update, { now, sentAt: now }, rules);
  if (read.kind === 'invalid') throw new UsageError(`Invalid update: ${read.reason}; nothing was sent.`, false);
  return [{ origin: `order ${read.order.channel_order_id}`, order: read.order }];
};

const readCsv = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`, false);
  }
};

/** A progress line on a terminal, rewritten in place; otherwise a line every tenth of the way. */
const progressReporter = (total: number) => {
  let lastTenth = 0;
  return (sent: number) => {
    if (process.stderr.isTTY) {
      process.stderr.write(`\rEnqueued ${sent}/${total}${sent === total ? '\n' : ''}`);
    } else if (Math.floor((sent * 10) / total) > lastTenth || sent === total) {
      lastTenth = Math.floor((sent * 10) / total);
      process.stderr.write(`Enqueued ${sent}/${total}\n`);
    }
  };
};

const main = async (): Promise<number> => {
  const options = parseOptions();
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const config = readAnonymizationProducerConfig();
  const updates = readUpdates(options, dateRulesFrom(config.rules), Date.now());
  if (options['dry-run']) {
    console.log(`${updates.length} update(s) are valid; nothing was sent (--dry-run).`);
    return 0;
  }
  // The queue URL is a parameter, not the endpoint: AWS_ENDPOINT_URL_SQS points the client at a local server.
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false, ...(options.region && { region: options.region }) });
  const queueUrl = await stageQueueUrl(
    sqs,
    options,
    { name: 'ANONYMIZATION_QUEUE_URL', value: config.producer.ANONYMIZATION_QUEUE_URL },
    'anonymization',
  );
  const { sent, failed } = await enqueueUpdates({
    sqs,
    queueUrl,
    orders: updates.map(({ order }) => order),
    onProgress: progressReporter(updates.length),
  });
  sqs.destroy();
  console.log(`Enqueued ${sent} of ${updates.length} update(s) on ${queueUrl}.`);
  if (failed.length === 0) return 0;
  console.error(`Not enqueued (sending them all again is safe: setting the same date twice changes nothing):`);
  for (const { index, reason } of failed) console.error(`  ${updates[index]?.origin}: ${reason}`);
  return 1;
};

runCli(main, USAGE);
