import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, PurgeQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { shipmentEvent } from '../../fixtures/events.js';
import { startTestStack, type TestStack } from '../../support/stack.js';

const execute = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack?.stop());
beforeEach(async () => {
  stack.connect.reset();
  stack.mmp.reset();
  await stack.aws.sqs.send(new PurgeQueueCommand({ QueueUrl: stack.queue.dlqUrl }));
});

/** `npm run ops -- <args>` against the local servers: the queues and table by environment, the bucket by option. */
const ops = async (args: string[], more: Record<string, string> = {}) => {
  const {
    CONNECT_EVENTS_QUEUE_URL: _q,
    ORDER_ACTIONS_DLQ_URL: _d,
    IDEMPOTENCY_TABLE: _t,
    DOCUMENTS_BUCKET: _b,
    ...inherited
  } = process.env;
  const env = {
    ...inherited,
    ...stack.aws.env,
    CONNECT_EVENTS_QUEUE_URL: stack.queue.queueUrl,
    ORDER_ACTIONS_DLQ_URL: stack.queue.dlqUrl,
    IDEMPOTENCY_TABLE: stack.env.IDEMPOTENCY_TABLE,
    ...more,
  };
  try {
    const { stdout, stderr } = await execute(
      process.execPath,
      ['--import', 'tsx', 'bin/ops.ts', ...args, '--bucket', stack.bucket],
      { cwd: root, env },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

const shippingOrder = (orderId: string) =>
  stack.mmp.addOrder({
    order_id: orderId,
    order_state: 'SHIPPING',
    order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 1 }],
  });

const toDeadLetterQueue = (body: string, reason?: string) =>
  stack.aws.sqs.send(
    new SendMessageCommand({
      QueueUrl: stack.queue.dlqUrl,
      MessageBody: body,
      ...(reason && { MessageAttributes: { dead_letter_reason: { DataType: 'String', StringValue: reason } } }),
    }),
  );

/** Messages on the DLQ: visible, and hidden (by a reader that did not give them back). */
const dlqDepth = async () => {
  const { Attributes = {} } = await stack.aws.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: stack.queue.dlqUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages),
    hidden: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
  };
};

const actionOf = (actionId: string) => stack.connect.actions().find((action) => action.actionId === actionId);
const mmpCalls = (orderId: string) =>
  stack.mmp.requests().filter((request) => request.path.includes(orderId) || request.query.order_ids === orderId);

describe('npm run ops -- action:status', () => {
  it('tells what the ledger knows about a reported action, finding its order by itself or given it', async () => {
    shippingOrder('OPS-1');
    const event = shipmentEvent('OPS-1');
    await stack.connect.publish(event);
    await stack.drain();

    const found = await ops(['action:status', event.data.action_id as string]);
    const given = await ops(['action:status', event.data.action_id as string, '--store', '2005', '--order', 'OPS-1']);

    expect(found.code).toBe(0);
    expect(found.stdout).toContain(`Action ${event.data.action_id}`);
    expect(found.stdout).toMatch(/record: {2}COMPLETED, outcome SUCCESS \(kept until \d{4}-/);
    expect(found.stdout).toContain('report:  reported final to Connect; order 2005#OPS-1 not leased');
    expect(given.stdout).toBe(found.stdout);
  });

  it('says so for an action it has never seen', async () => {
    const { code, stdout } = await ops(['action:status', 'never-seen']);

    expect(code).toBe(0);
    expect(stdout).toContain('record:  none: never carried out, or more than 15 days ago');
    expect(stdout).toContain('report:  not reported (no order notes it');
    expect(stdout).toContain('intent:  none');
  });
});

describe('npm run ops -- dlq:list and dlq:redrive', () => {
  it('lists what is dead and why, by ids, without bodies, and leaves it on the DLQ', async () => {
    const event = shipmentEvent('OPS-2', { tracking_number: 'SECRET-TRACKING-42' });
    await toDeadLetterQueue(JSON.stringify(event));
    await toDeadLetterQueue('{not json', 'message body is not JSON');

    const { code, stdout } = await ops(['dlq:list']);

    expect(code).toBe(0);
    expect(stdout).toContain(`2 message(s) on ${stack.queue.dlqUrl}`);
    expect(stdout).toMatch(
      new RegExp(
        `action ${event.data.action_id} {2}CREATE_SHIPMENT {2}order 2005#OPS-2 {2}age \\d+s {2}received 1x {2}reason: no final outcome after maxReceiveCount deliveries`,
      ),
    );
    expect(stdout).toMatch(/action - {2}- {2}order - {2}age \d+s {2}received 1x {2}reason: message body is not JSON/);
    expect(stdout).not.toContain('SECRET-TRACKING-42');
    expect(await dlqDepth()).toEqual({ visible: 2, hidden: 0 });
  });

  it('moves actions back to the events queue, but not one reported final, nor an unreadable message', async () => {
    shippingOrder('OPS-3');
    shippingOrder('OPS-4');
    const reported = shipmentEvent('OPS-3');
    const pending = shipmentEvent('OPS-4');
    await stack.connect.publish(reported);
    await stack.drain();
    stack.connect.registerAction(pending.data.action_id as string);
    await toDeadLetterQueue(JSON.stringify(reported));
    await toDeadLetterQueue(JSON.stringify(pending));
    await toDeadLetterQueue('{not json', 'message body is not JSON');

    const { code, stdout } = await ops(['dlq:redrive']);
    await stack.drain();

    expect(code).toBe(1);
    expect(stdout).toContain(`action ${pending.data.action_id} (order 2005#OPS-4) is on the events queue`);
    expect(stdout).toContain(
      `action ${reported.data.action_id} (order 2005#OPS-3): already reported final to Connect (SUCCESS)`,
    );
    expect(stdout).toContain('unreadable (message body is not JSON): it would go straight back to the DLQ');
    expect(stdout).toContain('1 of 3 message(s) moved to the events queue.');
    expect(actionOf(pending.data.action_id as string)).toMatchObject({ status: 'SUCCESS' });
    expect(stack.mmp.order('OPS-4')?.order_state).toBe('SHIPPED');
    expect(await dlqDepth()).toEqual({ visible: 2, hidden: 0 });
  });

  it('with --force, replays one message reported final after clearing what would stop it, and says what that means', async () => {
    shippingOrder('OPS-5');
    const event = shipmentEvent('OPS-5');
    await stack.connect.publish(event);
    await stack.drain();
    await toDeadLetterQueue(JSON.stringify(event));
    await toDeadLetterQueue('{not json', 'message body is not JSON');
    const listed = await ops(['dlq:list']);
    const copy = new RegExp(`^(\\S+) {2}action ${event.data.action_id}`, 'm').exec(listed.stdout)?.[1] as string;

    const { code, stdout } = await ops(['dlq:redrive', '--message', copy, '--force']);
    await stack.drain();

    expect(code).toBe(0);
    expect(stdout).toContain(
      '--force: deleted its recorded outcome SUCCESS and its mark as reported: the marketplace will be acted on again',
    );
    expect(stdout).toContain('1 of 1 message(s) moved to the events queue.');
    expect(mmpCalls('OPS-5').map((call) => call.route)).toEqual(['OR23', 'OR24', 'OR23', 'OR24', 'OR11']);
    expect(actionOf(event.data.action_id as string)).toMatchObject({ status: 'SUCCESS' });
    expect(await dlqDepth()).toEqual({ visible: 1, hidden: 0 });
  });
});

describe('npm run ops -- replay', () => {
  it('sends an event file to the events queue', async () => {
    shippingOrder('OPS-6');
    const event = shipmentEvent('OPS-6');
    stack.connect.registerAction(event.data.action_id as string);
    const file = join(mkdtempSync(join(tmpdir(), 'ops-')), 'event.json');
    writeFileSync(file, JSON.stringify(event));

    const { code, stdout } = await ops(['replay', '--file', file]);
    await stack.drain();

    expect(code).toBe(0);
    expect(stdout).toContain(
      `Replayed ${file}: action ${event.data.action_id} (order 2005#OPS-6) is on the events queue.`,
    );
    expect(actionOf(event.data.action_id as string)).toMatchObject({ status: 'SUCCESS' });
  });

  it('lists the dead letters the backstop archived, refuses to replay one reported FAILED, and replays it with --force', async () => {
    shippingOrder('OPS-7');
    const event = shipmentEvent('OPS-7');
    stack.connect.registerAction(event.data.action_id as string);
    await toDeadLetterQueue(JSON.stringify(event));
    await stack.drainDeadLetters();
    const { Contents = [] } = await stack.aws.s3.send(
      new ListObjectsV2Command({ Bucket: stack.bucket, Prefix: 'dead-letters/' }),
    );
    const key = Contents.map((object) => object.Key as string).find((name) =>
      name.endsWith(`action-${event.data.action_id}.json`),
    ) as string;

    const listed = await ops(['dlq:list', '--archived', '--day', new Date().toISOString().slice(0, 10)]);
    const status = await ops(['action:status', event.data.action_id as string]);
    const refused = await ops(['replay', '--archive', key]);
    const forced = await ops(['replay', '--archive', key, '--force']);
    await stack.drain();

    expect(listed.stdout).toMatch(
      new RegExp(
        `${key} {2}action ${event.data.action_id} {2}CREATE_SHIPMENT {2}order 2005#OPS-7 {2}sent \\d+s ago {2}reason: no final outcome`,
      ),
    );
    expect(status.stdout).toContain(
      'record:  COMPLETED, outcome FAILED UNEXPECTED: The connector gave up on this action',
    );
    expect(status.stdout).toContain('report:  reported final to Connect; order 2005#OPS-7 not leased');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      'already reported final to Connect (FAILED UNEXPECTED: The connector gave up on this action',
    );
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(
      'Connect keeps the status it was given (it refuses the new report as ACTION_ALREADY_FINAL)',
    );
    expect(stack.mmp.order('OPS-7')?.order_state).toBe('SHIPPED');
    expect(actionOf(event.data.action_id as string)).toMatchObject({ status: 'FAILED' });
  });

  it('says how to call it when the arguments are wrong, and where a stage cannot be read', async () => {
    const neither = await ops(['replay']);
    const stage = await execute(process.execPath, ['--import', 'tsx', 'bin/ops.ts', 'dlq:list', '--stage', 'nowhere'], {
      cwd: root,
      env: {
        ...process.env,
        ...stack.aws.env,
        ORDER_ACTIONS_DLQ_URL: '',
        AWS_ENDPOINT_URL_CLOUDFORMATION: stack.aws.env.AWS_ENDPOINT_URL_SQS,
      },
    }).catch((error: { code: number; stderr: string }) => error);

    expect(neither.code).toBe(1);
    expect(neither.stderr).toContain('Give --file or --archive.');
    expect(neither.stderr).toContain('npm run ops -- replay --file <event.json> [--force]');
    expect(stage).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Cannot read the stack mirakl-connect-connector-nowhere'),
    });
  });
});

describe('npm run ops -- reasons', () => {
  const marketplace = () => ({ MMP_API_URL: stack.env.MMP_API_URL as string, MMP_API_KEY: 'local-mmp-key' });

  it("prints each Connect reason's code, its label and where it comes from, for both types", async () => {
    const shown = await ops(['reasons'], { ...marketplace(), MMP_REFUND_REASON_CODES: '{"RETURN":"22"}' });

    expect(shown.code).toBe(0);
    const lines = shown.stdout.split('\n');
    expect(lines).toContain('CANCELATION (partial cancelations, OR30)');
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ {2}CUSTOMER_CANCELATION +→ 34 "Cancelled by the client prior to shipping" {2}matched "Cancelled by the client prior to shipping"$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ {2}AGREEMENT +→ none: reported FAILED INVALID_INPUT unless mapped in MMP_CANCELATION_REASON_CODES$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}RETURN +→ 22 "Other" {2}configured in MMP_REFUND_REASON_CODES$/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}DEFECT +→ 20 "Damaged or defective item" {2}matched/));
    expect(lines).toContain(
      '  codes this shop may use: 34 "Cancelled by the client prior to shipping", 35 "Out of stock", 37 "Unable to deliver to the address", 36 "Other"',
    );
    expect(stack.mmp.requests().map((request) => request.route)).toEqual(['RE01']);
  });

  it('reads the labels of a French operator', async () => {
    stack.mmp.configure({ operatorLanguage: 'fr' });
    const shown = await ops(['reasons'], marketplace());

    expect(shown.stdout).toMatch(/ {2}OUT_OF_STOCK +→ 15 "Rupture de stock" {2}matched/);
  });

  it('asks for the marketplace or a stage when neither is given, and for the store of a multi-store configuration', async () => {
    const bare = await ops(['reasons'], { MMP_API_URL: '' });
    expect(bare).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Set MMP_API_URL and MMP_API_KEY (or MMP_API_KEY_PARAM), or give --stage.'),
    });

    const stores = await ops(['reasons'], {
      MMP_API_URL: marketplace().MMP_API_URL,
      MMP_STORES: '{"2005":{"api_key":"local-mmp-key"}}',
    });
    expect(stores).toMatchObject({ code: 1, stderr: expect.stringContaining('give --store <channel_store_id>') });
    const store = await ops(['reasons', '--store', '2005'], {
      MMP_API_URL: marketplace().MMP_API_URL,
      MMP_STORES: '{"2005":{"api_key":"local-mmp-key"}}',
    });
    expect(store.stdout).toContain('Reasons of store 2005');
  });
});
