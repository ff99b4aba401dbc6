import type { LocalStack } from '../cli/stack.js';

/** What runs where, and how to look inside: printed once the local stack is up. */
export const describeStack = (stack: LocalStack): string => {
  const queues = [...stack.resources.values()].filter((resource) => resource.kind === 'queue');
  const nameOfArn = (arn: string) => queues.find((queue) => queue.arn === arn)?.name ?? arn;
  const listOf = (kind: string) =>
    [...stack.resources.values()]
      .filter((resource) => resource.kind === kind)
      .map((resource) => resource.name)
      .join(', ') || '-';
  const endpoint = stack.aws.env.AWS_ENDPOINT_URL_SQS ?? '';
  const lines = [
    `  SQS and S3 (fauxqs)   ${endpoint}`,
    ...queues.map((queue) => {
      const redrive = queue.redrive
        ? `  → ${nameOfArn(queue.redrive.deadLetterTargetArn)} after ${queue.redrive.maxReceiveCount} receives`
        : '';
      return `      queue  ${queue.name}${redrive}`;
    }),
    `      buckets  ${listOf('bucket')}`,
    `  DynamoDB (dynalite)   ${stack.aws.env.AWS_ENDPOINT_URL_DYNAMODB ?? ''}`,
    `      tables  ${listOf('table')}`,
    `  Connect (simulated)   ${stack.connect.url}   publishes into ${stack.connectQueue.name}`,
    `  MMP (simulated)       ${stack.mmp.url}`,
    `  Documents (simulated) ${stack.documents.url}   behind Connect's document links (presigned, 900 s)`,
    ...stack.mappings.map((mapping) => {
      const fn = stack.functions.find((candidate) => candidate.spec.key === mapping.functionKey);
      const settings = [
        `batch ${mapping.batchSize}`,
        `window ${mapping.batchingWindowSeconds} s`,
        `concurrency ${mapping.maximumConcurrency}`,
        ...(mapping.reportBatchItemFailures ? ['ReportBatchItemFailures'] : []),
        `timeout ${fn?.spec.timeoutSeconds ?? '?'} s`,
      ];
      return `  λ ${mapping.functionKey}  ← ${mapping.queue.name}  (${settings.join(', ')})`;
    }),
    ...stack.schedules.map(
      (schedule) =>
        `  λ ${schedule.functionKey}  ← every ${schedule.intervalSeconds} s (template: ${schedule.expression})`,
    ),
    '',
    'Look inside:',
    `  curl -s ${stack.connect.url}/_sim/actions     # actions and the status the connector reported`,
    `  curl -s ${stack.connect.url}/_sim/requests    # every call the connector made to Connect`,
    `  curl -s ${stack.connect.url}/_sim/orders      # the orders Connect holds (imported by orderSync, orderRefresh); /_sim/returns`,
    `  curl -s ${stack.connect.url}/_sim/documents   # the marketplace's documents the import uploaded to Connect`,
    `  curl -s ${stack.mmp.url}/_sim/requests    # every call it made to the marketplace`,
    `  curl -s ${stack.mmp.url}/_sim/orders      # the marketplace's orders`,
    `  curl -s ${stack.documents.url}/_sim/downloads   # every download of a document link`,
  ];
  return lines.join('\n');
};
