import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ActionLedger, type TrackedAction } from './console/action-ledger.js';
import { formatHandlerLine } from './console/handler-logs.js';
import { LiveView } from './console/live-view.js';
import { describeStack } from './console/overview.js';
import { callsAbout, elapsedOf, formatSummary, outcomeOf } from './console/summary.js';
import { DEMO_ACTIONS, runDemo } from './demo.js';
import { addSampleOrders } from './marketplace.js';
import { busyServers, explainPortInUse, LOCAL_SERVERS, portOf, PortInUseError, type LocalServer } from './ports.js';
import { startLocalStack, type LocalStack } from './stack.js';

const option = (name: string, meaning: string) => `  ${name.padEnd(24)}${meaning}`;
const USAGE = [
  'Usage: npm start -- [options]',
  '',
  'Runs the connector locally, as packaged for AWS, against a simulated Mirakl Connect and marketplace (MMP).',
  '',
  option('--no-demo', 'publish nothing at start (the marketplace still has the orders of local/events/)'),
  option('--verbose', "show the functions' logs"),
  option('--exit-after-demo', "stop once the demo's actions are reported (exit code 1 if one is not)"),
  option('--package-dir <dir>', 'where the deployable is packaged and unpacked (default .local/package)'),
  ...Object.values(LOCAL_SERVERS).map(({ flag, variable, defaultPort, service }) =>
    option(`--${flag} <port>`, `${service} (default ${defaultPort}, or ${variable}; 0: any free port)`),
  ),
].join('\n');

const REPOSITORY = fileURLToPath(new URL('..', import.meta.url));
const DEMO_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

const readOptions = () => {
  const { values } = parseArgs({
    options: {
      'no-demo': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      'exit-after-demo': { type: 'boolean', default: false },
      'package-dir': { type: 'string', default: resolve(REPOSITORY, '.local', 'package') },
      help: { type: 'boolean', default: false },
      ...Object.fromEntries(Object.values(LOCAL_SERVERS).map(({ flag }) => [flag, { type: 'string' as const }])),
    },
  });
  const ports = Object.fromEntries(
    (Object.keys(LOCAL_SERVERS) as LocalServer[]).map((server) => [server, portOf(server, values, process.env)]),
  ) as Record<LocalServer, number>;
  return { ...values, ports };
};

const main = async () => {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  let options: ReturnType<typeof readOptions>;
  try {
    options = readOptions();
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return process.exit(2);
  }
  if (options.help) return console.log(USAGE);

  const busy = await busyServers(options.ports);
  if (busy.length > 0) {
    for (const server of busy) console.error(explainPortInUse(server, options.ports[server]));
    return process.exit(1);
  }

  const view = new LiveView(process.stdout, process.stdout.isTTY === true);
  const ledger = new ActionLedger();
  const demoIds = DEMO_ACTIONS.map((action) => String(action.event.data?.['action_id']));
  let demoDone = options['no-demo'];
  let stack: LocalStack | undefined;
  let stopping = false;
  const starting = new AbortController();

  const stop = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    starting.abort();
    view.stop();
    console.log('Stopping the local stack...');
    setTimeout(() => {
      console.error(`The local stack did not stop within ${STOP_TIMEOUT_MS / 1000} s: exiting anyway.`);
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
    await stack?.stop();
    console.log('Stopped.');
    process.exit(exitCode);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(0));

  console.log(`Packaging the deployable (serverless package --stage dev) into ${options['package-dir']} ...`);
  try {
    stack = await startLocalStack({
      packageDir: options['package-dir'],
      ports: options.ports,
      signal: starting.signal,
      ...(process.env['POWERTOOLS_LOG_LEVEL'] && { environment: { POWERTOOLS_LOG_LEVEL: process.env['POWERTOOLS_LOG_LEVEL'] } }),
      observer: {
        published: (event, copies) => {
          ledger.published(event, copies);
          view.counts.published += copies;
        },
        invoked: (_, records) => {
          ledger.delivered(records);
          view.counts.received += records.length;
          view.counts.inFlight += records.length;
        },
        settled: (functionKey, records, handedBack, error) => {
          view.counts.inFlight -= records.length;
          view.counts.retried += handedBack;
          if (error && !stopping) view.print(`✗ ${functionKey} failed (${records.length} records go back to the queue): ${error.errorType}: ${error.errorMessage}`);
        },
        reported: (report) => {
          view.counts[report.status === 'SUCCESS' ? 'succeeded' : 'failed'] += 1;
          const action = ledger.reported(report);
          if (action && stack && (demoDone || !demoIds.includes(action.actionId))) view.print(describeOutcome(action, stack));
        },
        log: (line, container) => {
          if (options.verbose) view.print(formatHandlerLine(line, container));
        },
        warning: (message) => view.print(`! ${message}`),
      },
    });
  } catch (error) {
    if (stopping) return;
    console.error(error instanceof PortInUseError ? error.message : `The local stack did not start: ${(error as Error).message}`);
    return process.exit(1);
  }
  if (stopping) return;

  console.log(`\n${describeStack(stack)}\n`);
  addSampleOrders(stack.mmp);
  view.start();

  if (!options['no-demo']) {
    view.print(`Demo: ${DEMO_ACTIONS.length} shipments published by the simulated Connect${options.verbose ? '' : ' (--verbose shows the functions\' logs)'}`);
    await runDemo(stack.connect, stack.mmp);
    const deadline = Date.now() + DEMO_TIMEOUT_MS;
    while (!stopping && Date.now() < deadline && ledger.list(demoIds).some((action) => action.status === 'PENDING')) await sleep(100);
    if (stopping) return;
    const stories = new Map(DEMO_ACTIONS.map((action) => [String(action.event.data?.['action_id']), action.story]));
    view.print(`\nDemo summary:\n${formatSummary(ledger.list(demoIds), stack.mmp.requests(), stories)}\n`);
    demoDone = true;
    const pending = ledger.list(demoIds).filter((action) => action.status === 'PENDING');
    if (pending.length > 0) view.print(`! ${pending.length} demo action(s) still pending after ${DEMO_TIMEOUT_MS / 1000} s`);
    if (options['exit-after-demo']) return stop(pending.length > 0 ? 1 : 0);
  }

  view.print(
    [
      'Running. Publish an event as Mirakl Connect does:',
      `  npm run send-event -- local/events/create-shipment.json${stack.connect.url.endsWith(':4010') ? '' : ` --connect-port ${new URL(stack.connect.url).port}`}`,
      'Ctrl-C stops everything.',
    ].join('\n'),
  );
};

const describeOutcome = (action: TrackedAction, stack: LocalStack): string =>
  `${action.status === 'SUCCESS' ? '✔' : '✗'} ${action.type} ${action.orderId} (${action.actionId}): ${outcomeOf(action)} in ${elapsedOf(action)}` +
  ` · MMP: ${callsAbout(action.orderId, stack.mmp.requests())}`;

await main();
