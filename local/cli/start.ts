import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ActionTracker, type TrackedAction } from '../console/action-tracker.js';
import { formatHandlerLine } from '../console/handler-logs.js';
import { LiveView } from '../console/live-view.js';
import { describeStack } from '../console/overview.js';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { formatEcho, formatImportSummary } from '../console/import-summary.js';
import { callsOf, elapsedOf, formatSummary, outcomeOf } from '../console/summary.js';
import { actionIdOf, Demo, DEMO_ACTIONS, LIFE, LIFE_LAST_ATTACHMENT } from './demo.js';
import { EchoCheck, echoShown } from './echo-check.js';
import { ImportStory } from './import-story.js';
import { addSampleConnectDocuments, addSampleOrders } from './marketplace.js';
import { busyServers, explainPortInUse, LOCAL_SERVERS, portOf, PortInUseError, type LocalServer } from './ports.js';
import { LOCAL_MMP_API_KEY, startLocalStack, type LocalStack } from './stack.js';

const option = (name: string, meaning: string) => `  ${name.padEnd(24)}${meaning}`;
const USAGE = [
  'Usage: npm start -- [options]',
  '',
  'Runs the connector locally, as packaged for AWS, against a simulated Mirakl Connect and marketplace (MMP).',
  '',
  option('--no-demo', 'publish nothing at start (the marketplace still has the orders of local/events/)'),
  option('--verbose', "show the functions' logs"),
  option(
    '--exit-after-demo',
    'stop once the demo is over (exit code 1 if an action or an import step did not go as planned)',
  ),
  option('--package-dir <dir>', 'where the deployable is packaged and unpacked (default .local/package)'),
  ...Object.values(LOCAL_SERVERS).map(({ flag, variable, defaultPort, service }) =>
    option(`--${flag} <port>`, `${service} (default ${defaultPort}, or ${variable}; 0: any free port)`),
  ),
].join('\n');

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
const DEMO_TIMEOUT_MS = 120_000;
/** orderSync runs this often here (and polls the store each time), so the demo's import shows in seconds; AWS runs it at the template's rate. */
const LOCAL_ORDER_SYNC_SECONDS = 5;
const IMPORT_LOOK_MS = 200;
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
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
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

  let stack: LocalStack | undefined;
  const view = new LiveView(
    process.stdout,
    process.stdout.isTTY === true,
    () => stack?.connect.heldOrders().length ?? 0,
  );
  const tracker = new ActionTracker();
  const demoIds = DEMO_ACTIONS.map(actionIdOf);
  let demoDone = options['no-demo'];
  let demo: Demo | undefined;
  const echo = new EchoCheck(LIFE, LIFE_LAST_ATTACHMENT);
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
      scheduleIntervalSeconds: LOCAL_ORDER_SYNC_SECONDS,
      environment: {
        ORDER_SYNC_MIN_INTERVAL_SECONDS: String(LOCAL_ORDER_SYNC_SECONDS),
        ...(process.env.POWERTOOLS_LOG_LEVEL && { POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL }),
      },
      observer: {
        published: (event, copies) => {
          tracker.published(event, copies, stack?.mmp.requests().length ?? 0);
          view.counts.published += copies;
        },
        invoked: (_, records) => {
          tracker.delivered(records);
          view.counts.received += records.length;
          view.counts.inFlight += records.length;
        },
        settled: (functionKey, records, handedBack, error) => {
          view.counts.inFlight -= records.length;
          view.counts.retried += handedBack;
          if (functionKey === 'orderRefresh' && !error && handedBack === 0) echo.orderRefreshed(records);
          if (error && !stopping)
            view.print(
              `✗ ${functionKey} failed (${records.length} records go back to the queue): ${error.errorType}: ${error.errorMessage}`,
            );
        },
        reported: (report) => {
          view.counts[report.status === 'SUCCESS' ? 'succeeded' : 'failed'] += 1;
          const action = tracker.reported(report, stack?.mmp.requests().length);
          if (action) demo?.reported(action.actionId, outcomeOf(action));
          if (action) echo.reported(action.actionId, action.reportedAt ?? Date.now(), action.callsAtReport ?? 0);
          if (action && stack && (demoDone || !demoIds.includes(action.actionId))) {
            const shown = stack;
            void describeOutcome(action, tracker, shown).then((line) => view.print(line));
          }
        },
        log: (line, container) => {
          if (options.verbose) view.print(formatHandlerLine(line, container));
        },
        warning: (message) => view.print(`! ${message}`),
      },
    });
  } catch (error) {
    if (stopping) return;
    console.error(
      error instanceof PortInUseError ? error.message : `The local stack did not start: ${(error as Error).message}`,
    );
    return process.exit(1);
  }
  if (stopping) return;

  console.log(`\n${describeStack(stack)}\n`);
  addSampleOrders(stack.mmp);
  addSampleConnectDocuments(stack.connect);
  view.start();

  if (!options['no-demo']) {
    const running = new Demo({ mmp: stack.mmp, documents: stack.documents }, stack.connect, (message) =>
      view.print(`! ${message}`),
    );
    demo = running;
    const shown = stack;
    const requestArchive = (request: object) => sendToQueue(shown, 'DocumentArchiveQueue', request);
    const story = new ImportStory({ ...stack, requestArchive }, (line) => view.print(line), {
      followed: new Map([[LIFE, 'the life above']]),
    });
    const lives = new Set(
      DEMO_ACTIONS.filter((action) => action.after !== undefined).map((action) => action.event.data?.channel_order_id),
    );
    view.print(
      [
        `Demo: ${DEMO_ACTIONS.filter((action) => action.after === undefined).length} actions published by the simulated Connect at once, ` +
          `then the life of order ${[...lives].join(', ')} one step at a time${options.verbose ? '' : " (--verbose shows the functions' logs)"}`,
        `      and the other way: ${story.orders.map(({ order }) => order.order_id).join(', ')} placed on the marketplace, imported into Connect ` +
          `(orderSync every ${LOCAL_ORDER_SYNC_SECONDS} s here), where the simulated seller acts on them`,
      ].join('\n'),
    );
    story.start();
    await running.start();
    const deadline = Date.now() + DEMO_TIMEOUT_MS;
    // The echo check waits for a refresh of the order after its last attachment, unless that action never ran.
    const echoSettled = () => echo.checked || tracker.list([LIFE_LAST_ATTACHMENT])[0]?.reportedAt === undefined;
    while (!stopping && Date.now() < deadline && !(running.finished && story.finished && echoSettled())) {
      story.observe();
      await sleep(IMPORT_LOOK_MS);
    }
    if (stopping) return;
    story.observe();
    const actionIds = [...demoIds, ...story.actions().keys()];
    const stories = new Map([
      ...DEMO_ACTIONS.map((action) => [actionIdOf(action), action.story] as const),
      ...story.actions(),
    ]);
    const verdict = echo.checked ? echo.verdict(stack.mmp, stack.connect) : undefined;
    view.print(
      `\nDemo summary, Connect → marketplace (the actions):\n${formatSummary(tracker.list(actionIds), stack.mmp.requests(), stories, tracker.list())}\n`,
    );
    view.print(
      `Marketplace → Connect (the import), what Connect held in turn, from the orders' placement:\n` +
        `${formatImportSummary(story, stack.connect.heldOrders().length)}\n${formatEcho(verdict, LIFE_LAST_ATTACHMENT)}\n`,
    );
    view.print(`${await describeArchive(stack)}\n`);
    demoDone = true;
    const surprises = [
      ...running.surprises(),
      ...story.surprises(),
      ...(echoShown(verdict) ? [] : [formatEcho(verdict, LIFE_LAST_ATTACHMENT)]),
    ];
    for (const surprise of surprises) view.print(`! ${surprise}`);
    if (options['exit-after-demo']) return stop(surprises.length > 0 ? 1 : 0);
  }

  view.print(
    [
      'Running. Publish an event as Mirakl Connect does:',
      `  npm run send-event -- local/events/create-shipment.json${portFlags(stack)}`,
      `  npm run send-event -- local/events/upload-document.json${portFlags(stack)}   # uploads local/events/documents/return-label.pdf first`,
      "See the operator's reason codes the connector found (RE01):",
      `  MMP_API_URL=${stack.mmp.url} MMP_API_KEY=${LOCAL_MMP_API_KEY} npm run ops -- reasons`,
      'Ctrl-C stops everything.',
    ].join('\n'),
  );
};

/** The send-event flags naming the ports this stack uses, when they are not the defaults. */
const portFlags = (stack: LocalStack): string =>
  [
    ['connect', stack.connect.url],
    ['documents', stack.documents.url],
  ]
    .filter(
      ([server, url]) =>
        new URL(url as string).port !== String(LOCAL_SERVERS[server as 'connect' | 'documents'].defaultPort),
    )
    .map(
      ([server, url]) => ` --${LOCAL_SERVERS[server as 'connect' | 'documents'].flag} ${new URL(url as string).port}`,
    )
    .join('');

/** An action's outcome once reported; for an UPLOAD_DOCUMENT, what the document bucket holds for its order. */
const describeOutcome = async (action: TrackedAction, tracker: ActionTracker, stack: LocalStack): Promise<string> => {
  const archived =
    action.type === 'UPLOAD_DOCUMENT'
      ? (await archivedDocuments(stack)).filter((key) => key.includes(`/${action.orderId}/`))
      : [];
  return (
    `${action.status === 'SUCCESS' ? '✔' : '✗'} ${action.type} ${action.orderId} (${action.actionId}): ${outcomeOf(action)} in ${elapsedOf(action)}` +
    ` · MMP: ${callsOf(action, tracker.list(), stack.mmp.requests())}${archived.length > 0 ? ` · in S3: ${archived.join(', ')}` : ''}`
  );
};

/** Sends a message to one of the template's queues, by its logical id. */
const sendToQueue = async (stack: LocalStack, logicalId: string, body: object): Promise<void> => {
  const queue = stack.resources.get(logicalId);
  if (queue?.kind !== 'queue') throw new Error(`the template has no queue ${logicalId}`);
  await stack.aws.sqs.send(
    new SendMessageCommand({ QueueUrl: queue.url as string, MessageBody: JSON.stringify(body) }),
  );
};

const documentsBucket = (stack: LocalStack) =>
  [...stack.resources.values()].find(
    (resource) => resource.kind === 'bucket' && resource.logicalId === 'DocumentsBucket',
  );

/** The keys under documents/ in the document bucket (empty when it cannot be listed). */
const archivedDocuments = async (stack: LocalStack): Promise<string[]> => {
  const bucket = documentsBucket(stack);
  if (!bucket) return [];
  try {
    const listed = await stack.aws.s3.send(new ListObjectsV2Command({ Bucket: bucket.name, Prefix: 'documents/' }));
    return (listed.Contents ?? []).flatMap((object) => object.Key ?? []);
  } catch {
    return [];
  }
};

/** What the document bucket holds under documents/, as S3 lists it. */
const describeArchive = async (stack: LocalStack): Promise<string> => {
  const bucket = documentsBucket(stack);
  if (!bucket) return 'Documents archived in S3: the template has no DocumentsBucket';
  try {
    const listed = await stack.aws.s3.send(new ListObjectsV2Command({ Bucket: bucket.name, Prefix: 'documents/' }));
    const objects = (listed.Contents ?? []).map(
      (object) => `  s3://${bucket.name}/${object.Key ?? ''}  (${object.Size ?? 0} bytes)`,
    );
    return [
      `Documents archived in S3 (${bucket.name}, under documents/):`,
      ...(objects.length > 0 ? objects : ['  none']),
    ].join('\n');
  } catch (error) {
    return `Documents archived in S3: cannot list ${bucket.name}: ${(error as Error).message}`;
  }
};

await main();
