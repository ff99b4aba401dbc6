import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { createOrderActionEventValidator } from './event-schema.js';
import { LOCAL_SERVERS, portOf } from './ports.js';

const USAGE = `Usage: npm run send-event -- <event.json | -> [--duplicates <n>] [--connect-port <port>]

Publishes an OrderActionEvent into the running local stack (npm start), through the simulated Connect, as Mirakl
does. The event is checked against Mirakl's webhooks spec first. Samples, one per action type: local/events/.`;

/** Why the event was not sent: the message is for the person who ran the command. */
class NotSent extends Error {}

const readEvent = async (source: string): Promise<unknown> => {
  let content: string;
  try {
    content = source === '-' ? await text(process.stdin) : await readFile(source, 'utf8');
  } catch (error) {
    throw new NotSent(`Cannot read ${source}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(content) as unknown;
  } catch (error) {
    throw new NotSent(`${source} is not JSON: ${(error as Error).message}`);
  }
};

const publish = async (connectUrl: string, event: unknown, duplicates: number): Promise<void> => {
  let response: Response;
  try {
    response = await fetch(`${connectUrl}/_sim/events?duplicates=${duplicates}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
    });
  } catch {
    throw new NotSent(`Nothing answers at ${connectUrl}: start the local stack first (npm start), or give the port it uses (--connect-port).`);
  }
  if (response.status !== 204) throw new NotSent(`The simulated Connect refused the event (${response.status}): ${await response.text()}`);
};

const main = async () => {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { duplicates: { type: 'string', default: '0' }, 'connect-port': { type: 'string' }, help: { type: 'boolean', default: false } },
    });
  } catch (error) {
    throw new NotSent(`${(error as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  const [source] = positionals;
  if (values.help || source === undefined || positionals.length > 1) throw new NotSent(USAGE);
  const duplicates = Number(values.duplicates);
  if (!Number.isInteger(duplicates) || duplicates < 0) throw new NotSent(`--duplicates must be a whole number (got ${values.duplicates})`);
  const connectUrl = `http://127.0.0.1:${portOf('connect', values, process.env) || LOCAL_SERVERS.connect.defaultPort}`;

  const event = await readEvent(source);
  const problems = createOrderActionEventValidator()(event);
  if (problems.length > 0) {
    throw new NotSent(`${source} is not a valid OrderActionEvent (contracts/mirakl-connect-channel-webhooks-openapi.yaml):\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  }
  await publish(connectUrl, event, duplicates);

  const { type, data } = event as { type: string; data: Record<string, unknown> };
  const copies = duplicates > 0 ? ` (${duplicates + 1} copies)` : '';
  console.log(`Published ${type} ${String(data['action_id'])} for order ${String(data['channel_order_id'])}${copies}.`);
  console.log(`Its status: curl -s ${connectUrl}/_sim/actions`);
};

try {
  await main();
} catch (error) {
  console.error(error instanceof NotSent ? error.message : error);
  process.exitCode = 1;
}
