import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createQueueWithDlq } from '../../../local/aws/servers.js';
import { pollOnce, type SqsHandler } from '../../../local/lambda/invoke.js';
import { shipmentEvent } from '../../fixtures/events.js';
import { captureOutput } from '../../support/output-capture.js';
import { PERSONAL_DATA, startPersonalDataServer } from '../../support/personal-data-server.js';
import { startTestStack, type TestStack } from '../../support/stack.js';

/**
 * Personal data never reaches the logs, at any level. The marketplace's order answers (OR11) and error bodies,
 * Connect's error bodies, errors nobody foresaw and a marketplace answer of the wrong shape all quote the
 * customer; the handlers run against them at each log level and everything written to stdout and stderr is read.
 * The test configuration silences Powertools' logger, which reads its level when the module is loaded: the
 * handlers are loaded afresh for each level.
 */
const LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
type Level = (typeof LEVELS)[number];

let stack: TestStack;
let server: Awaited<ReturnType<typeof startPersonalDataServer>>;
const outputs = new Map<Level, { text: string; lines: Array<Record<string, unknown>> }>();

/** Loads the functions afresh with the logger at `level`. */
const handlersAt = async (level: Level, hostileEnv: Record<string, string>) => {
  process.env.POWERTOOLS_LOG_LEVEL = level;
  vi.resetModules();
  const { createOrderActionsHandler } = await import('../../../functions/order-actions.js');
  const { createOrderActionsDeadLettersHandler } = await import('../../../functions/order-actions-dead-letters.js');
  return {
    simulated: createOrderActionsHandler(stack.env),
    hostile: createOrderActionsHandler({ ...stack.env, ...hostileEnv }),
    deadLetters: createOrderActionsDeadLettersHandler(stack.env),
  };
};

const run = async (handler: SqsHandler, queue: { queueUrl: string; queueArn: string }, functionName: string) =>
  pollOnce({ sqs: stack.aws.sqs, ...queue, handler, functionName });

/** The same scenarios at one level: each queue is new, so nothing of an earlier level is delivered again. */
const runScenarios = async (level: Level) => {
  const hostileQueue = await createQueueWithDlq(stack.aws.sqs, `redaction-${level}`, {
    maxReceiveCount: 5,
    visibilityTimeoutSeconds: 300,
  });
  const handlers = await handlersAt(level, {
    MMP_API_URL: server.mmpUrl,
    CONNECT_API_URL: server.connectApiUrl,
    MMP_CARRIER_LOOKUP: 'false',
    ORDER_ACTIONS_DLQ_URL: hostileQueue.dlqUrl,
    // Transient failures end at once as FAILED instead of going back to the queue.
    RETRY_WINDOW_MINUTES: '0.0001',
  });
  const send = (queueUrl: string, event: unknown) =>
    stack.aws.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(event) }));

  stack.mmp.addOrder({
    order_id: `SIM-${level}`,
    order_state: 'SHIPPING',
    order_lines: [{ order_line_id: `SIM-${level}-1`, offer_sku: 'SKU-1', quantity: 1 }],
  });
  for (const prefix of ['PII-400', 'PII-403', 'PII-500', 'PII-TEXT', 'PII-ZOD', 'PII-OK']) {
    const action = prefix === 'PII-OK' ? { action_id: `pii-connect-400-${level}` } : {};
    await send(hostileQueue.queueUrl, shipmentEvent(`${prefix}-${level}`, action));
  }
  await stack.connect.publish(shipmentEvent(`SIM-${level}`));
  await send(stack.queue.dlqUrl, shipmentEvent(`DLQ-${level}`));

  const output = captureOutput();
  try {
    await run(handlers.simulated, stack.queue, 'orderActions');
    await run(handlers.hostile, hostileQueue, 'orderActions');
    await run(
      handlers.deadLetters,
      { queueUrl: stack.queue.dlqUrl, queueArn: `${stack.queue.queueArn}-dlq` },
      'orderActionsDeadLetters',
    );
  } finally {
    output.stop();
  }
  outputs.set(level, { text: output.text(), lines: output.json() });
};

beforeAll(async () => {
  stack = await startTestStack();
  server = await startPersonalDataServer();
  for (const level of LEVELS) await runScenarios(level);
}, 120_000);

afterAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  await server?.close();
  await stack?.stop();
});

const linesAt = (level: Level) => outputs.get(level)?.lines ?? [];
const messagesAt = (level: Level) => linesAt(level).map((line) => line.message);

describe('no personal data in the logs', () => {
  it.each(LEVELS)('%s: none of the customer data the marketplace and Connect sent is written', (level) => {
    const text = outputs.get(level)?.text ?? '';
    expect(text.length).toBeGreaterThan(0);
    for (const value of PERSONAL_DATA) expect(text).not.toContain(value);
    expect(text.toLowerCase()).not.toContain('camille');
  });

  it('the paths that handle the data did run and log, at their levels', () => {
    expect(messagesAt('INFO')).toContain('Action reported');
    expect(messagesAt('WARN')).toContain('Connect did not take the report: it is sent again with the next delivery');
    expect(messagesAt('WARN')).toContain('Retry window closed: the action is failed');
    expect(messagesAt('ERROR')).toContain('Marketplace refused the API key: check the key of this store (rotated?)');
    const unexpected = linesAt('ERROR').filter((line) => line.message === 'Unexpected error while handling an action');
    expect(unexpected.map((line) => (line.error as { name: string }).name).sort()).toEqual(['SyntaxError', 'ZodError']);
    for (const line of unexpected) expect((line.error as { stack: string }).stack).toMatch(/^at /);
    for (const level of LEVELS.slice(1)) expect(linesAt(level).map((line) => line.level)).not.toContain('DEBUG');
    expect(linesAt('ERROR').map((line) => line.level)).not.toContain('INFO');
  });

  it('the failures reported to Connect name the call and the code, not what the marketplace said', () => {
    const reported = linesAt('INFO').filter(
      (line) => line.message === 'Action reported' && String(line.channel_order_id).startsWith('PII-'),
    );
    expect(
      reported.map((line) => [line.channel_order_id, (line.errors as Array<{ message: string }>)[0]?.message]),
    ).toEqual(
      expect.arrayContaining([
        ['PII-400-INFO', 'MMP OR11 answered 400'],
        ['PII-ZOD-INFO', 'Unexpected ZodError in the connector'],
        ['PII-TEXT-INFO', 'Unexpected SyntaxError in the connector'],
      ]),
    );
  });
});

describe('log lines carry the ids of the record they are about', () => {
  it.each([
    [
      'orderActions, a line written deep in the marketplace client',
      'Marketplace refused the API key: check the key of this store (rotated?)',
      'PII-403-INFO',
    ],
    ['orderActions, an unexpected error', 'Unexpected error while handling an action', 'PII-ZOD-INFO'],
    ['orderActionsDeadLetters', 'Dead letter settled and archived for replay', 'DLQ-INFO'],
  ])('%s', (_what, message, orderId) => {
    const line = linesAt('INFO').find(
      (candidate) => candidate.message === message && candidate.channel_order_id === orderId,
    );
    expect(line).toMatchObject({ channel_order_id: orderId, store: '2005', type: 'CREATE_SHIPMENT' });
    expect(line?.event_id).toEqual(expect.any(String));
    expect(line?.action_id).toEqual(expect.any(String));
    expect(line?.message_id).toEqual(expect.any(String));
    expect(line?.function_name).toEqual(expect.any(String));
  });
});
