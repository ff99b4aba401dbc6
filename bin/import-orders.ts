import { readOrderSyncConfig } from '../lib/config/index.js';
import { createHttpClient } from '../lib/http/index.js';
import {
  backfillStore,
  exportedPagesOf,
  importServicesFrom,
  orderPagesOf,
  type BackfillTally,
} from '../lib/import/index.js';
import { type LOCAL_SERVERS, portOf } from '../local/cli/ports.js';
import { LOCAL_CHANNEL, LOCAL_CONNECT_CLIENT, LOCAL_MMP_API_KEY } from '../local/cli/stack.js';
import { LOCAL_REGION } from '../local/aws/region.js';
import { parseCommandLine, runCli, UsageError } from './cli.js';

const USAGE = `Imports a past period of the marketplace's orders into Mirakl Connect (backfill).

  npm run import-orders -- --since <date> [--until <date>] [--store <channel_store_id>] [--stage <stage> | --local]
                           [--walk] [--poll-seconds <s>]

  Every order changed on the marketplace from --since to --until (default: now) is read again and upserted whole,
  with the same mapping, validation and parking as orderSync; the stores' cursors are not touched. One store
  (--store), or every store served, one after the other. A progress line, and a summary.

  The orders come from MMP's asynchronous export (OR13, OR14 every --poll-seconds until COMPLETED (default 10, MMP's
  advice; 2 at least), OR15 per file; a year per export, one export per shop at a time). --walk reads them with OR11
  instead, 100 a page: for a short period, or a marketplace that does not allow the export.

  Configuration: the variables of orderSync (README, "Configuration"): CONNECT_*, CONNECT_CHANNEL_ID, MMP_*,
  MMP_STORE_ID or MMP_STORES, IDEMPOTENCY_TABLE (where orders that cannot be imported are parked).
    --stage <stage>   IDEMPOTENCY_TABLE defaults to the stage's table, mirakl-connect-connector-<stage>-idempotency
    --local           the local stack of npm start, at its ports (LOCAL_*_PORT): its simulators, table and credentials
  Dates: ISO 8601 (2026-01-01 or 2026-01-01T00:00:00Z).`;

const parseOptions = () =>
  parseCommandLine({
    options: {
      since: { type: 'string' },
      until: { type: 'string' },
      store: { type: 'string' },
      stage: { type: 'string' },
      local: { type: 'boolean', default: false },
      walk: { type: 'boolean', default: false },
      'poll-seconds': { type: 'string', default: '10' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  }).values;

const dateOption = (name: string, value: string): string => {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new UsageError(`--${name} must be a date, e.g. 2026-01-01 (got ${value}).`);
  return new Date(time).toISOString();
};

/** The local stack of npm start (local/cli/stack.ts), at the ports it listens on. */
const localStackEnvironment = (env: NodeJS.ProcessEnv): Record<string, string> => {
  const port = (server: keyof typeof LOCAL_SERVERS) => portOf(server, {}, env);
  const connect = `http://127.0.0.1:${port('connect')}`;
  return {
    CONNECT_API_URL: `${connect}/api/channel-platform`,
    CONNECT_AUTH_URL: `${connect}/oauth/token`,
    CONNECT_CLIENT_ID: LOCAL_CONNECT_CLIENT.id,
    CONNECT_CLIENT_SECRET: LOCAL_CONNECT_CLIENT.secret,
    CONNECT_CHANNEL_ID: LOCAL_CHANNEL.channelId,
    MMP_API_URL: `http://127.0.0.1:${port('mmp')}`,
    MMP_API_KEY: LOCAL_MMP_API_KEY,
    MMP_STORE_ID: LOCAL_CHANNEL.storeId,
    IDEMPOTENCY_TABLE: 'mirakl-connect-connector-dev-idempotency',
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port('dynamodb')}`,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
};

const describe = (store: string, tally: BackfillTally) => {
  const of =
    tally.total === undefined
      ? ''
      : ` of ${tally.total} (${Math.floor((100 * tally.read) / Math.max(1, tally.total))}%)`;
  const file = tally.file === undefined ? '' : ` (export file ${tally.file.number} of ${tally.file.of})`;
  return `store ${store}: ${tally.read}${of} orders read${file}, ${tally.imported} imported, ${tally.parked} parked`;
};

const main = async (): Promise<number> => {
  const options = parseOptions();
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (options.since === undefined) throw new UsageError('Give --since.');
  if (options.local && options.stage !== undefined) throw new UsageError('Give --stage or --local, not both.');
  const window = {
    from: dateOption('since', options.since),
    to: options.until === undefined ? new Date().toISOString() : dateOption('until', options.until),
  };
  if (window.from >= window.to) throw new UsageError('--since must be before --until.');
  const pollSeconds = Number(options['poll-seconds']);
  if (!Number.isFinite(pollSeconds) || pollSeconds < 2)
    throw new UsageError('--poll-seconds must be a number of seconds, 2 at least (MMP allows an OR14 every 2 s).');

  if (options.local) Object.assign(process.env, localStackEnvironment(process.env));
  if (options.stage !== undefined)
    process.env.IDEMPOTENCY_TABLE ??= `mirakl-connect-connector-${options.stage}-idempotency`;
  const config = readOrderSyncConfig(process.env);
  const send = createHttpClient({ timeoutMs: config.runtime.HTTP_TIMEOUT_MS, maxAttempts: 6, maxDelayMs: 20_000 });
  const services = importServicesFrom(config, send);
  const served = await services.stores.storeIds();
  if (options.store !== undefined && !served.includes(options.store))
    throw new UsageError(
      `Store ${options.store} is not served by this configuration (${served.join(', ') || 'none'}).`,
      false,
    );
  const stores = options.store === undefined ? served : [options.store];

  console.log(
    `Importing the orders changed from ${window.from} to ${window.to} into Connect (channel ${services.channelId})`,
  );
  const totals = { read: 0, imported: 0, parked: 0 };
  for (const store of stores) {
    const client = await services.stores.clientFor(store);
    const transport = await services.stores.transportFor(store);
    if (!client || !transport) continue;
    const pages = options.walk
      ? orderPagesOf(client, window)
      : exportedPagesOf(window, {
          transport,
          baseUrl: config.mmp.MMP_API_URL,
          send,
          pollIntervalMs: pollSeconds * 1000,
          onProgress: (progress) => {
            if (progress.stage === 'requested')
              console.log(
                `store ${store}: export ${progress.trackingId} requested (${progress.from} → ${progress.to})`,
              );
            if (progress.stage === 'completed')
              console.log(`store ${store}: export ${progress.trackingId} completed, ${progress.files} file(s)`);
          },
        });
    const tally = await backfillStore(store, pages, services.orders, (progress) => {
      if (process.stdout.isTTY) process.stdout.write(`\r${describe(store, progress)}`);
    });
    if (process.stdout.isTTY) process.stdout.write('\n');
    console.log(describe(store, tally));
    totals.read += tally.read;
    totals.imported += tally.imported;
    totals.parked += tally.parked;
  }
  console.log(
    `Done: ${totals.read} orders read, ${totals.imported} imported, ${totals.parked} parked${totals.parked > 0 ? ' (npm run ops -- sync:status shows why)' : ''}.`,
  );
  return totals.parked > 0 ? 1 : 0;
};

runCli(main, USAGE);
