/**
 * One orderActions container in a child process, so a test can kill it mid-action (a crash is not an
 * exception: nothing in the process gets to clean up). Settings come from the environment; it polls the
 * events queue once with a Lambda timeout of WORKER_TIMEOUT_MS.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { createOrderActionsHandler } from '../../functions/order-actions.js';
import { pollOnce } from '../../local/lambda/invoke.js';

const { WORKER_QUEUE_URL, WORKER_QUEUE_ARN, WORKER_TIMEOUT_MS } = process.env;
await pollOnce({
  sqs: new SQSClient({ useQueueUrlAsEndpoint: false }),
  queueUrl: WORKER_QUEUE_URL as string,
  queueArn: WORKER_QUEUE_ARN as string,
  handler: createOrderActionsHandler(),
  functionName: 'orderActions',
  batchSize: 1,
  timeoutMs: Number(WORKER_TIMEOUT_MS),
});
