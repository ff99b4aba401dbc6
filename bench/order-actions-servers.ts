/**
 * The local servers of order-actions.bench.ts, in a child process of their own, as Connect, the marketplace and
 * DynamoDB are in production: their work (parsing, validating against the specs, dynalite's expressions) is not
 * counted against the handler, nor against the limit it is compared with. Speaks with its parent over IPC: `orders`
 * puts orders awaiting shipment on the marketplace and registers their actions in Connect; `tally` answers the
 * OR11 reads made so far, the actions not ended SUCCESS and the CPU time this process has spent.
 */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { createIdempotencyTable, startLocalAws } from '../local/aws/servers.js';
import { startConnectSimulator } from '../local/simulators/connect.js';
import { startMmpSimulator } from '../local/simulators/mmp.js';
import { connectSettings, mmpSettings } from '../local/simulators/settings.js';
import { serveParent } from './servers-process.js';

export type ActionServersRequest =
  | { type: 'orders'; actions: Array<{ orderId: string; actionId: string }> }
  | { type: 'tally' };

export type ActionServersReply =
  | { type: 'orders' }
  | { type: 'tally'; reads: number; notSucceeded: number; cpuMs: number };

const aws = await startLocalAws();
const table = 'bench-order-actions';
await createIdempotencyTable(aws.dynamodb, table);
const bucket = 'bench-order-actions-documents';
await aws.s3.send(new CreateBucketCommand({ Bucket: bucket }));
const queueUrl = async (name: string) =>
  (await aws.sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl as string;
const connect = await startConnectSimulator();
const mmp = await startMmpSimulator();

const answer = async (request: ActionServersRequest): Promise<ActionServersReply> => {
  if (request.type === 'orders') {
    for (const { orderId, actionId } of request.actions) {
      mmp.addOrder({
        order_id: orderId,
        order_state: 'SHIPPING',
        order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 1 }],
      });
      connect.registerAction(actionId);
    }
    return { type: 'orders' };
  }
  return {
    type: 'tally',
    reads: mmp.requests().filter((call) => call.route === 'OR11').length,
    notSucceeded: connect.actions().filter((action) => action.status !== 'SUCCESS').length,
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
  };
};

serveParent(
  {
    ...aws.env,
    ...connectSettings(connect),
    ...mmpSettings(mmp),
    IDEMPOTENCY_TABLE: table,
    DOCUMENTS_BUCKET: bucket,
    ORDER_ACTIONS_DLQ_URL: await queueUrl('bench-order-actions-dlq'),
    // As deployed: each report names its order on the order-refresh queue.
    ORDER_REFRESH_QUEUE_URL: await queueUrl('bench-order-refresh'),
  },
  answer,
  async () => {
    await Promise.all([connect.close(), mmp.close()]);
    await aws.stop();
  },
);
