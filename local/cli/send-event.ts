import { readFile } from 'node:fs/promises';
import { extname, relative, resolve } from 'node:path';
import { text } from 'node:stream/consumers';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createOrderActionEventValidator } from './event-schema.js';
import { LOCAL_SERVERS, portOf } from './ports.js';

const USAGE = `Usage: npm run send-event -- <event.json | -> [--duplicates <n>] [--connect-port <port>] [--documents-port <port>]

Publishes an OrderActionEvent into the running local stack (npm start), through the simulated Connect, as Mirakl
does. The event is checked against Mirakl's webhooks spec first. Samples, one per action type: local/events/.

An UPLOAD_DOCUMENT whose document_download_url is http://127.0.0.1:<port>/local/events/documents/<file> names a
file of this repository: it is uploaded to the simulated document storage first, and the event is published with
a fresh link to it (signed now, valid 900 s), as Connect's presigned links are.`;

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
/** The documents an UPLOAD_DOCUMENT sample may name in its link. */
const LOCAL_DOCUMENTS = resolve(REPOSITORY, 'local', 'events', 'documents');
const CONTENT_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
};

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
    throw new NotSent(
      `Nothing answers at ${connectUrl}: start the local stack first (npm start), or give the port it uses (--connect-port).`,
    );
  }
  if (response.status !== 204)
    throw new NotSent(`The simulated Connect refused the event (${response.status}): ${await response.text()}`);
};

/** The repository file a local document link names (`/local/events/documents/<file>`), or undefined for any other link. */
const localDocumentOf = (link: unknown): string | undefined => {
  let url: URL;
  try {
    url = new URL(String(link));
  } catch {
    return undefined;
  }
  if (!['127.0.0.1', 'localhost'].includes(url.hostname) || !url.pathname.startsWith('/local/events/documents/'))
    return undefined;
  const file = resolve(REPOSITORY, `.${decodeURIComponent(url.pathname)}`);
  if (relative(LOCAL_DOCUMENTS, file).startsWith('..'))
    throw new NotSent(`${String(link)} points outside local/events/documents/`);
  return file;
};

/** Uploads a repository file to the simulated document storage; returns a link to it, signed now. */
const freshLink = async (storageUrl: string, file: string): Promise<string> => {
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (error) {
    throw new NotSent(`Cannot read the document ${relative(REPOSITORY, file)}: ${(error as Error).message}`);
  }
  let response: Response;
  try {
    response = await fetch(`${storageUrl}/_sim/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        content_base64: content.toString('base64'),
        content_type: CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      }),
    });
  } catch {
    throw new NotSent(
      `Nothing answers at ${storageUrl} (the document storage): start the local stack first (npm start), or give the port it uses (--documents-port).`,
    );
  }
  if (response.status !== 201)
    throw new NotSent(
      `The simulated document storage refused ${relative(REPOSITORY, file)} (${response.status}): ${await response.text()}`,
    );
  return ((await response.json()) as { url: string }).url;
};

/** The command line, or why it is not one `send-event` takes (with the usage). */
const parseCommandLine = () => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        duplicates: { type: 'string', default: '0' },
        'connect-port': { type: 'string' },
        'documents-port': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new NotSent(`${(error as Error).message}\n\n${USAGE}`);
  }
};

const main = async () => {
  const { values, positionals } = parseCommandLine();
  const [source] = positionals;
  if (values.help || source === undefined || positionals.length > 1) throw new NotSent(USAGE);
  const duplicates = Number(values.duplicates);
  if (!Number.isInteger(duplicates) || duplicates < 0)
    throw new NotSent(`--duplicates must be a whole number (got ${values.duplicates})`);
  const connectUrl = `http://127.0.0.1:${portOf('connect', values, process.env) || LOCAL_SERVERS.connect.defaultPort}`;

  const event = await readEvent(source);
  const problems = createOrderActionEventValidator()(event);
  if (problems.length > 0) {
    throw new NotSent(
      `${source} is not a valid OrderActionEvent (contracts/mirakl-connect-channel-webhooks-openapi.yaml):\n${problems.map((problem) => `  ${problem}`).join('\n')}`,
    );
  }
  const { type, data } = event as { type: string; data: Record<string, unknown> };
  const document = type === 'UPLOAD_DOCUMENT' ? localDocumentOf(data.document_download_url) : undefined;
  if (document !== undefined) {
    const storageUrl = `http://127.0.0.1:${portOf('documents', values, process.env) || LOCAL_SERVERS.documents.defaultPort}`;
    data.document_download_url = await freshLink(storageUrl, document);
    console.log(
      `Uploaded ${relative(REPOSITORY, document)} to the simulated document storage: the event links to it, signed now, valid 900 s.`,
    );
  }
  await publish(connectUrl, event, duplicates);

  const copies = duplicates > 0 ? ` (${duplicates + 1} copies)` : '';
  console.log(`Published ${type} ${String(data.action_id)} for order ${String(data.channel_order_id)}${copies}.`);
  console.log(`Its status: curl -s ${connectUrl}/_sim/actions`);
};

try {
  await main();
} catch (error) {
  console.error(error instanceof NotSent ? error.message : error);
  process.exitCode = 1;
}
