import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { readArchiveRequest } from '../lib/archive/index.js';
import { readDocumentArchiveProducerConfig } from '../lib/config/index.js';
import { parseCommandLine, QUEUE_OPTIONS, runCli, stageQueueUrl, UsageError } from './cli.js';

const USAGE = `Asks the documentArchive function to archive an order's documents to S3.

  npm run archive-documents -- --order <order id> [--source connect|marketplace] [--type <type> ...] [--document <id> ...]
                               [--store <channel_store_id>] [--channel <channel_id>]
  npm run archive-documents -- --source operations (--order <operation id> | --reference <reference>) [--store <channel_store_id>]

  --source connect       (default) Connect's v2 ZIP; --order is the Connect order id, e.g. 0024_MKP-000123-A
  --source marketplace   the marketplace's OR72/OR73; --order is the marketplace order id; --store picks the
                         shop (default: the single store), --channel the archive folder (channel_id)
  --source operations    the operations API's PDF of one operation, by id (--order) or --reference; archived
                         under the reference and, with CONNECT_CHANNEL_ID set, uploaded to Connect on the
                         order whose channel_order_id is the reference (--store: its store, default MMP_STORE_ID)
  --type, --document     narrow to document types or ids (repeatable; not both)

  Where to (the first given):
    --queue-url <url>    the queue URL
    DOCUMENT_ARCHIVE_QUEUE_URL
    --stage <stage>      the deployed stage's queue, mirakl-connect-connector-<stage>-document-archive
  --region <region>      AWS region (default: AWS_REGION)
  --dry-run              check only, send nothing
  Local stack: set AWS_ENDPOINT_URL_SQS (and any AWS_ACCESS_KEY_ID/SECRET) to its SQS server.`;

const parseOptions = () =>
  parseCommandLine({
    options: {
      order: { type: 'string' },
      reference: { type: 'string' },
      source: { type: 'string', default: 'connect' },
      type: { type: 'string', multiple: true },
      document: { type: 'string', multiple: true },
      store: { type: 'string' },
      channel: { type: 'string' },
      ...QUEUE_OPTIONS,
    },
    strict: true,
  }).values;

const main = async (): Promise<number> => {
  const options = parseOptions();
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const operations = options.source === 'operations';
  if (options.order === undefined && !(operations && options.reference !== undefined))
    throw new UsageError(operations ? 'Give --order or --reference.' : 'Give --order.');
  const config = readDocumentArchiveProducerConfig();
  const body = JSON.stringify({
    source: options.source,
    ...(options.order !== undefined && { order_id: options.order }),
    ...(options.reference !== undefined && { reference: options.reference }),
    ...(options.type && { types: options.type }),
    ...(options.document && { document_ids: options.document }),
    ...(options.store && { channel_store_id: options.store }),
    ...(options.channel && { channel_id: options.channel }),
  });
  // The same check as the function's: a request it would dead-letter is not sent.
  const read = readArchiveRequest(body);
  if (!read.ok) throw new UsageError(`Not sent: ${read.reason}.`, false);
  if (options['dry-run']) {
    console.log(`The request is valid; nothing was sent (--dry-run): ${body}`);
    return 0;
  }
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false, ...(options.region && { region: options.region }) });
  const queueUrl = await stageQueueUrl(
    sqs,
    options,
    { name: 'DOCUMENT_ARCHIVE_QUEUE_URL', value: config.DOCUMENT_ARCHIVE_QUEUE_URL },
    'document-archive',
  );
  const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  sqs.destroy();
  const what = options.order !== undefined ? `order ${options.order}` : `reference ${options.reference}`;
  console.log(`Enqueued the archive of ${what} from ${options.source} on ${queueUrl} (message ${MessageId}).`);
  return 0;
};

runCli(main, USAGE);
