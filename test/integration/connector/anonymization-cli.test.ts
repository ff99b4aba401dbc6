import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { daysFromNow, startAnonymizationStack, type AnonymizationStack } from '../../support/anonymization-stack.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));

let stack: AnonymizationStack;
beforeAll(async () => {
  stack = await startAnonymizationStack();
});
afterAll(async () => stack?.stop());
beforeEach(async () => stack.reset());

/** `npm run anonymize -- <args>`, against the local SQS server. */
const anonymize = async (args: string[], env: Record<string, string> = {}) => {
  const { ANONYMIZATION_QUEUE_URL: _, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'bin/anonymize.ts', ...args], {
      cwd: root,
      env: { ...inherited, ...stack.aws.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

const csvFile = (lines: string[]): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'anonymize-')), 'updates.csv');
  writeFileSync(file, lines.join('\r\n'));
  return file;
};

const later = daysFromNow(120);

describe('npm run anonymize', () => {
  it('checks the whole file first: bad rows are listed by line and nothing is sent', async () => {
    const file = csvFile([
      'channel_id,channel_order_id,anonymize_after',
      `0024,MKP-1-A,${later}`,
      `0024,MKP-2-A,${daysFromNow(3)}`,
      `0024,,${later}`,
      `0024,MKP-3-A,2031-02-30`,
      `0024,MKP-1-A,${later}`,
    ]);

    const { code, stderr } = await anonymize(['--file', file, '--queue-url', stack.queue.queueUrl]);

    expect(code).toBe(1);
    expect(stderr).toContain('has 4 bad row(s); nothing was sent.');
    expect(stderr).toContain(
      'line 3: anonymize_after is less than 30 days after the update was sent (minimum retention)',
    );
    expect(stderr).toContain('line 4: channel_order_id');
    expect(stderr).toContain('line 5: anonymize_after must be an ISO 8601 date-time with a time zone');
    expect(stderr).toContain('line 6: order MKP-1-A of channel 0024 is already on line 2');
    expect(await stack.depth(stack.queue.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('enqueues a good file, which the function then applies in one call', async () => {
    for (const orderId of ['MKP-1-A', 'MKP-2-A', 'MKP, 3', 'MKP-4-A']) stack.connect.registerOrder('0024', orderId);
    const file = csvFile([
      'channel_order_id,anonymize_after,channel_id,sub_channel_code',
      `MKP-1-A,${later},0024,FR`,
      `MKP-2-A,${later},0024,`,
      `"MKP, 3",${later},0024,`,
      '',
      `MKP-4-A,${later},0024,DE`,
    ]);

    const { code, stdout, stderr } = await anonymize(['--file', file, '--queue-url', stack.queue.queueUrl]);

    expect(code).toBe(0);
    expect(stdout).toContain('Enqueued 4 of 4 update(s)');
    expect(stderr).toContain('Enqueued 4/4');
    expect(await stack.invoke()).toEqual({ received: 4, failed: [] });
    expect(stack.calls()).toHaveLength(1);
    expect(stack.connect.knownOrders()).toEqual([
      { channel_id: '0024', channel_order_id: 'MKP-1-A', sub_channel_code: 'FR', anonymize_after: later, updates: 1 },
      { channel_id: '0024', channel_order_id: 'MKP-2-A', anonymize_after: later, updates: 1 },
      { channel_id: '0024', channel_order_id: 'MKP, 3', anonymize_after: later, updates: 1 },
      { channel_id: '0024', channel_order_id: 'MKP-4-A', sub_channel_code: 'DE', anonymize_after: later, updates: 1 },
    ]);
  });

  it('enqueues one update to ANONYMIZATION_QUEUE_URL', async () => {
    stack.connect.registerOrder('0024', 'MKP-9-A');

    const { code } = await anonymize(['--channel', '0024', '--order', 'MKP-9-A', '--after', later], {
      ANONYMIZATION_QUEUE_URL: stack.queue.queueUrl,
    });

    expect(code).toBe(0);
    expect(await stack.invoke()).toEqual({ received: 1, failed: [] });
    expect(stack.connect.knownOrders()).toMatchObject([{ channel_order_id: 'MKP-9-A', anonymize_after: later }]);
  });

  it('finds the queue of a stage by its name, and refuses a bad date before sending', async () => {
    const { QueueUrl } = await stack.aws.sqs.send(
      new CreateQueueCommand({ QueueName: 'mirakl-connect-connector-cli-anonymization' }),
    );
    const args = ['--channel', '0024', '--order', 'MKP-9-A', '--stage', 'cli'];

    expect(await anonymize([...args, '--after', '2031-01-01'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Invalid update: anonymize_after must be an ISO 8601 date-time with a time zone'),
    });
    expect((await anonymize([...args, '--after', later])).code).toBe(0);
    const { Messages = [] } = await stack.aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }),
    );
    expect(Messages.map((message) => JSON.parse(message.Body ?? '') as unknown)).toEqual([
      { channel_id: '0024', channel_order_id: 'MKP-9-A', anonymize_after: later },
    ]);
  });

  it('says how to call it when the arguments are wrong', async () => {
    const { code, stderr } = await anonymize(['--order', 'MKP-9-A']);
    expect(code).toBe(1);
    expect(stderr).toContain('Give --channel, --order and --after (or --file).');
    expect(stderr).toContain('npm run anonymize -- --file <updates.csv>');
  });
});
