import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { shipmentEvent } from './test/fixtures/events.js';
import { startTestStack } from './test/support/stack.js';
const stack = await startTestStack();
const ops = (...args: string[]) => {
  try { return execFileSync(process.execPath, ['--import', 'tsx', 'bin/ops.ts', ...args, '--bucket', stack.bucket], { env: { ...process.env, ...stack.aws.env, CONNECT_EVENTS_QUEUE_URL: stack.queue.queueUrl, ORDER_ACTIONS_DLQ_URL: stack.queue.dlqUrl, IDEMPOTENCY_TABLE: stack.env.IDEMPOTENCY_TABLE } }).toString(); }
  catch (e) { const x = e as { stdout: Buffer; stderr: Buffer; status: number }; return `exit ${x.status}\n${x.stdout}${x.stderr}`; }
};
try {
stack.mmp.addOrder({ order_id: 'MKP-9', order_state: 'SHIPPING', order_lines: [{ order_line_id: 'L1', offer_sku: 'S', quantity: 1 }] });
const e = shipmentEvent('MKP-9');
await stack.connect.publish(e);
await stack.drain();
await stack.aws.sqs.send(new SendMessageCommand({ QueueUrl: stack.queue.dlqUrl, MessageBody: JSON.stringify(e) }));
await stack.aws.sqs.send(new SendMessageCommand({ QueueUrl: stack.queue.dlqUrl, MessageBody: JSON.stringify(shipmentEvent('MKP-10')) }));
await stack.aws.sqs.send(new SendMessageCommand({ QueueUrl: stack.queue.dlqUrl, MessageBody: 'oops', MessageAttributes: { dead_letter_reason: { DataType: 'String', StringValue: 'message body is not JSON' } } }));
const out: string[] = [];
out.push(ops('dlq:list'));
out.push(ops('dlq:redrive'));
out.push(ops('action:status', e.data.action_id as string));
await stack.drainDeadLetters();
out.push(ops('dlq:list', '--archived'));
writeFileSync('/tmp/ops-demo.txt', out.join('\n-----\n'));
} catch (error) { console.error('FAILED', error); }
await stack.stop();
