import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Disposition } from './messages.js';
import type { QueueOperations } from './operations.js';
import { settleDispositions } from './settle.js';

/**
 * Carries a batch's dispositions out on SQS (`settleDispositions`) and answers with the records to report as
 * failures. Without a DLQ URL, dead letters fail and the queue's redrive policy ends them there.
 */
export const settleBatch = async (
  event: SQSEvent,
  services: { queue: QueueOperations; dlqUrl: string | undefined },
  dispositions: Map<string, Disposition>,
): Promise<SQSBatchResponse> => {
  const queueArn = event.Records[0]?.eventSourceARN ?? '';
  const failed = await settleDispositions(
    services.queue,
    { queueArn, dlqUrl: services.dlqUrl },
    event.Records,
    dispositions,
  );
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
};
