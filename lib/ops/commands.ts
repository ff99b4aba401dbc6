import { readFileSync } from 'node:fs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { shopReasonMappings } from '../channel/mmp/index.js';
import { readMmpConfig } from '../config/index.js';
import { createHttpClient } from '../http/index.js';
import { createActionHistories } from '../ledger/index.js';
import { createDeadLetterArchive } from './archive.js';
import { createDeadLetterQueue, type QueuedDeadLetter } from './dead-letter-queue.js';
import { age, describeEvent, describeHistory, describeReplay } from './describe.js';
import { describeReasonMappings } from './reasons.js';
import { createReplay } from './replay.js';
import type { OpsResources } from './resources.js';

/** What a command works with: AWS clients, the resources (found on demand), and where it writes. */
export interface OpsContext {
  sqs: SQSClient;
  s3: S3Client;
  dynamodb: DynamoDBClient;
  resource(name: keyof OpsResources): Promise<string>;
  print(line: string): void;
}

/** A command's own refusal of its arguments (the caller shows the usage). */
export class OpsArgumentError extends Error {
  override readonly name = 'OpsArgumentError';
}

const replayer = async (context: OpsContext) =>
  createReplay({
    sqs: context.sqs,
    eventsQueueUrl: await context.resource('eventsQueueUrl'),
    history: createActionHistories({ tableName: await context.resource('table'), client: context.dynamodb }),
  });

/** Every command returns its exit code: 0 when it did all it was asked. */
export const opsCommands = {
  async listDeadLetters(context: OpsContext): Promise<number> {
    const dlq = createDeadLetterQueue(context.sqs, await context.resource('deadLetterQueueUrl'));
    const { messages, inFlight } = await dlq.read();
    await dlq.release(messages);
    const busy =
      inFlight > 0 ? `, and ${inFlight} in flight (being settled by orderActionsDeadLetters, not listed)` : '';
    context.print(`${messages.length} message(s) on ${dlq.queueUrl}${busy}`);
    for (const message of messages) {
      context.print(
        `${message.messageId}  ${describeEvent(message.body)}  age ${age(message.sentAt)}  received ${message.receiveCount}x  reason: ${message.reason}`,
      );
    }
    return 0;
  },

  async listArchivedDeadLetters(context: OpsContext, day: string | undefined): Promise<number> {
    const { letters, more } = await createDeadLetterArchive(context.s3, await context.resource('bucket')).list(day);
    context.print(`${letters.length} archived dead letter(s)${more ? ' (the latest; narrow with --day)' : ''}`);
    for (const letter of letters) {
      context.print(
        `${letter.key}  ${describeEvent(letter.body)}  sent ${age(new Date(letter.sent_at))} ago  reason: ${letter.reason}`,
      );
    }
    return 0;
  },

  /** Moves DLQ messages (all, or the one named) to the events queue; what is not moved is made visible again. */
  async redriveDeadLetters(context: OpsContext, options: { messageId?: string; force: boolean }): Promise<number> {
    const dlq = createDeadLetterQueue(context.sqs, await context.resource('deadLetterQueueUrl'));
    const replay = await replayer(context);
    const { messages } = await dlq.read();
    const chosen = messages.filter(
      (message) => options.messageId === undefined || message.messageId === options.messageId,
    );
    const moved = new Set<QueuedDeadLetter>();
    try {
      for (const message of chosen) {
        const { line, done } = describeReplay(
          await replay(message.body, { force: options.force }),
          `message ${message.messageId}`,
        );
        context.print(line);
        if (done) {
          await dlq.remove(message);
          moved.add(message);
        }
      }
    } finally {
      await dlq.release(messages.filter((message) => !moved.has(message)));
    }
    if (options.messageId !== undefined && chosen.length === 0)
      throw new OpsArgumentError(`Message ${options.messageId} is not on the DLQ (or is in flight).`);
    context.print(`${moved.size} of ${chosen.length} message(s) moved to the events queue.`);
    return moved.size === chosen.length ? 0 : 1;
  },

  async replay(
    context: OpsContext,
    source: { file: string } | { archiveKey: string },
    force: boolean,
  ): Promise<number> {
    const body =
      'file' in source
        ? readEvent(source.file)
        : (await createDeadLetterArchive(context.s3, await context.resource('bucket')).read(source.archiveKey)).body;
    const { line, done } = describeReplay(
      await (await replayer(context))(body, { force }),
      'file' in source ? source.file : source.archiveKey,
    );
    context.print(line);
    return done ? 0 : 1;
  },

  /**
   * The reason mapping in force for a store's shop: the marketplace variables of `environment` (the shell's, or a
   * deployed orderActions function's), RE01 read now.
   */
  async showReasons(context: OpsContext, environment: NodeJS.ProcessEnv, store: string | undefined): Promise<number> {
    const { mmp, runtime } = readMmpConfig(environment);
    const multiStore = mmp.MMP_STORES !== undefined || mmp.MMP_STORES_PARAM !== undefined;
    if (multiStore && store === undefined)
      throw new OpsArgumentError('This configuration serves several stores: give --store <channel_store_id>.');
    const channelStoreId = store ?? mmp.MMP_STORE_ID ?? 'of this shop';
    const send = createHttpClient({ timeoutMs: runtime.HTTP_TIMEOUT_MS });
    const found = await shopReasonMappings({ config: mmp, runtime, send, channelStoreId });
    for (const line of describeReasonMappings(channelStoreId, found)) context.print(line);
    return 0;
  },

  /** `order` (`<store>#<order id>`) shows the order's lease; without it, the order that notes the action reported is searched. */
  async showActionStatus(context: OpsContext, actionId: string, order: string | undefined): Promise<number> {
    const histories = createActionHistories({ tableName: await context.resource('table'), client: context.dynamodb });
    const orderKey = order ?? (await histories.findReportingOrder(actionId));
    context.print(describeHistory(actionId, await histories.read(actionId, orderKey), orderKey));
    return 0;
  },
};

const readEvent = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new OpsArgumentError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
};
