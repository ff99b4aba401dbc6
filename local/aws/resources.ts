import { CreateTableCommand, waitUntilTableExists, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { LocalAws } from './servers.js';
import { createResolver, type LocalNames } from '../deployable/intrinsics.js';
import { bucketsOf, queuesOf, tablesOf, type ResourceDeclaration, type Template } from '../deployable/template.js';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './region.js';

export interface LocalResource {
  kind: 'queue' | 'table' | 'bucket';
  logicalId: string;
  name: string;
  arn: string;
  /** Queues only. */
  url?: string;
  /** Queues with a redrive policy: where SQS moves a message after `maxReceiveCount` receives. */
  redrive?: { deadLetterTargetArn: string; maxReceiveCount: number };
}

/** Queue attributes that change how the local queue behaves; encryption, policies and tags do not. */
const QUEUE_ATTRIBUTES = [
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
];

/** Table properties CreateTable takes as they are; TTL, backups, encryption and protection are not reproduced. */
const TABLE_PROPERTIES = [
  'TableName',
  'AttributeDefinitions',
  'KeySchema',
  'BillingMode',
  'ProvisionedThroughput',
  'GlobalSecondaryIndexes',
  'LocalSecondaryIndexes',
] as const;

/**
 * Creates every queue (with its redrive policy), table and bucket the template declares, in fauxqs and
 * dynalite, and returns them by logical id. Names are the template's, so the functions see the same names
 * as in AWS.
 */
export const createResources = async (aws: LocalAws, template: Template): Promise<Map<string, LocalResource>> => {
  const created = new Map<string, LocalResource>();
  const { resolve, condition } = createResolver(localNames(created), template.Conditions);
  const declared = (declarations: ResourceDeclaration[]) =>
    declarations.filter((declaration) => declaration.condition === undefined || condition(declaration.condition));

  for (const { logicalId, properties } of declared(bucketsOf(template))) {
    const name = String(resolve(properties.BucketName) ?? logicalId.toLowerCase());
    await aws.s3.send(new CreateBucketCommand({ Bucket: name }));
    created.set(logicalId, { kind: 'bucket', logicalId, name, arn: `arn:aws:s3:::${name}` });
  }

  for (const { logicalId, properties } of declared(tablesOf(template))) {
    const resolved = resolve(properties) as Record<string, unknown>;
    const input = Object.fromEntries(
      TABLE_PROPERTIES.flatMap((key) => (resolved[key] === undefined ? [] : [[key, resolved[key]]])),
    );
    const name = String(input.TableName ?? logicalId);
    const billing = input.ProvisionedThroughput === undefined ? { BillingMode: 'PAY_PER_REQUEST' } : {};
    await aws.dynamodb.send(
      new CreateTableCommand({ ...billing, ...input, TableName: name } as CreateTableCommandInput),
    );
    await waitUntilTableExists({ client: aws.dynamodb, maxWaitTime: 30, minDelay: 1 }, { TableName: name });
    created.set(logicalId, {
      kind: 'table',
      logicalId,
      name,
      arn: `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:table/${name}`,
    });
  }

  // Every queue first, then the redrive policies, which name other queues by ARN.
  const queues = declared(queuesOf(template));
  for (const { logicalId, properties } of queues) {
    const fifo = properties.FifoQueue === true || properties.FifoQueue === 'true';
    const name = String(resolve(properties.QueueName) ?? `${logicalId}${fifo ? '.fifo' : ''}`);
    const attributes = Object.fromEntries(
      QUEUE_ATTRIBUTES.flatMap((key) =>
        properties[key] === undefined ? [] : [[key, String(resolve(properties[key]))]],
      ),
    );
    const { QueueUrl: url } = await aws.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    const { Attributes } = await aws.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
    );
    created.set(logicalId, { kind: 'queue', logicalId, name, arn: Attributes?.QueueArn as string, url: url as string });
  }
  for (const { logicalId, properties } of queues) {
    const queue = created.get(logicalId);
    if (properties.RedrivePolicy === undefined || !queue) continue;
    const policy = resolve(properties.RedrivePolicy) as { deadLetterTargetArn: string; maxReceiveCount: number };
    await aws.sqs.send(
      new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { RedrivePolicy: JSON.stringify(policy) } }),
    );
    queue.redrive = {
      deadLetterTargetArn: policy.deadLetterTargetArn,
      maxReceiveCount: Number(policy.maxReceiveCount),
    };
  }
  return created;
};

/** Ref and Fn::GetAtt of the resources created so far, as CloudFormation answers them. */
export const localNames = (resources: ReadonlyMap<string, LocalResource>): LocalNames => ({
  ref: (logicalId) => {
    const resource = resources.get(logicalId);
    return resource?.kind === 'queue' ? resource.url : resource?.name;
  },
  attribute: (logicalId, name) => {
    const resource = resources.get(logicalId);
    if (name === 'Arn') return resource?.arn;
    if (resource?.kind === 'queue') return { QueueName: resource.name, QueueUrl: resource.url }[name];
    if (resource?.kind === 'bucket') return { DomainName: `${resource.name}.s3.amazonaws.com` }[name];
    return undefined;
  },
});
