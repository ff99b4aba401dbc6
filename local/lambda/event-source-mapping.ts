import { setTimeout as sleep } from 'node:timers/promises';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { deleteMessages, receiveRequest, toSqsRecord } from './invoke.js';
import type { InvocationResult } from '../runtime/containers.js';

export interface EventSourceMappingOptions {
  sqs: SQSClient;
  queue: { url: string; arn: string };
  invoke: (event: SQSEvent) => Promise<InvocationResult>;
  /** @default 10 */
  batchSize?: number;
  /** How long to gather records before invoking, once the first one arrived. @default 0 */
  batchingWindowSeconds?: number;
  /** FunctionResponseTypes includes ReportBatchItemFailures. @default false */
  reportBatchItemFailures?: boolean;
  /** Concurrent invocations (ScalingConfig.MaximumConcurrency). @default 5 */
  maximumConcurrency?: number;
  listener?: EventSourceMappingListener;
}

export interface EventSourceMappingListener {
  /** A batch was handed to the function. */
  invoked?(records: SQSRecord[]): void;
  /** The invocation ended: `handedBack` records were left on the queue (all of them on a function error). */
  settled?(records: SQSRecord[], handedBack: number, error?: InvocationResult & { ok: false }): void;
  /** Polling failed (e.g. the queue is gone); the poller waits a second and goes on. */
  pollingFailed?(error: unknown): void;
}

export interface EventSourceMapping {
  /** Stops receiving; resolves once the invocations under way have ended. */
  stop(): Promise<void>;
}

const LONG_POLL_SECONDS = 20;
const WINDOW_POLL_MS = 50;

/**
 * Lambda's SQS event source mapping: `maximumConcurrency` pollers, each long-polling the queue, gathering up to
 * `batchSize` records within the batching window and invoking the function with them. Records are deleted
 * when the invocation succeeds, except those the function reports in `batchItemFailures` (ReportBatchItemFailures):
 * those, and every record of a failed invocation, stay in flight until their visibility timeout ends (or the
 * function changed it), then come back, and SQS moves them to the DLQ after `maxReceiveCount` receives.
 */
export const startEventSourceMapping = (options: EventSourceMappingOptions): EventSourceMapping => {
  const batchSize = options.batchSize ?? 10;
  const windowMs = (options.batchingWindowSeconds ?? 0) * 1000;
  const stopping = new AbortController();
  const { signal } = stopping;
  const { sqs, queue, listener = {} } = options;

  const receive = async (maxMessages: number, waitTimeSeconds: number): Promise<Message[]> => {
    const { Messages = [] } = await sqs.send(receiveRequest(queue.url, Math.min(10, maxMessages), waitTimeSeconds), {
      abortSignal: signal,
    });
    return Messages;
  };

  const gatherBatch = async (): Promise<Message[]> => {
    const batch = await receive(batchSize, LONG_POLL_SECONDS);
    const windowEnds = Date.now() + windowMs;
    while (batch.length > 0 && batch.length < batchSize && Date.now() < windowEnds && !signal.aborted) {
      const more = await receive(batchSize - batch.length, 0);
      batch.push(...more);
      if (more.length === 0) await sleep(Math.min(WINDOW_POLL_MS, windowEnds - Date.now()));
    }
    return batch;
  };

  const invokeAndSettle = async (messages: Message[]) => {
    const records = messages.map((message) => toSqsRecord(message, queue.arn));
    listener.invoked?.(records);
    const result = await options.invoke({ Records: records });
    const handedBack = handedBackIds(records, result, options.reportBatchItemFailures ?? false);
    const done = records.filter((record) => !handedBack.has(record.messageId)).map((record) => record.receiptHandle);
    await deleteMessages(sqs, queue.url, done);
    listener.settled?.(records, handedBack.size, result.ok ? undefined : result);
  };

  const poll = async () => {
    while (!signal.aborted) {
      try {
        const messages = await gatherBatch();
        if (messages.length > 0) await invokeAndSettle(messages);
      } catch (error) {
        if (signal.aborted) return;
        listener.pollingFailed?.(error);
        await sleep(1000, undefined, { signal }).catch(() => undefined);
      }
    }
  };

  const pollers = Array.from({ length: options.maximumConcurrency ?? 5 }, poll);
  return {
    async stop() {
      stopping.abort();
      await Promise.all(pollers);
    },
  };
};

/**
 * The records that go back to the queue, as Lambda decides: all of them when the invocation failed; with
 * ReportBatchItemFailures, those listed, or all of them when the list names a record that is not in the batch.
 */
const handedBackIds = (records: SQSRecord[], result: InvocationResult, reportsItemFailures: boolean): Set<string> => {
  const all = new Set(records.map((record) => record.messageId));
  if (!result.ok) return all;
  if (!reportsItemFailures) return new Set();
  const failures = (result.payload as Partial<SQSBatchResponse> | null)?.batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return all;
  const ids = failures.map((failure: { itemIdentifier?: unknown } | null) => failure?.itemIdentifier);
  return ids.every((id): id is string => typeof id === 'string' && all.has(id)) ? new Set(ids) : all;
};
