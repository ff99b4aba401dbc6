import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import dynalite from 'dynalite';
import { startFauxqs } from 'fauxqs';
import { listenOrExplain } from '../cli/ports.js';
import { LOCAL_REGION } from './region.js';

/** The AWS side of the connector, on this machine: fauxqs (SQS + S3) and dynalite (DynamoDB), over HTTP. */
export interface LocalAws {
  /** The standard SDK variables pointing every client at the local servers. */
  env: Record<string, string>;
  sqs: SQSClient;
  s3: S3Client;
  dynamodb: DynamoDBClient;
  stop(): Promise<void>;
}

/**
 * Starts both servers on 127.0.0.1, on free ports or the given ones (a port in use is a PortInUseError),
 * and returns clients and environment for them.
 */
export const startLocalAws = async (ports: { sqs?: number; dynamodb?: number } = {}): Promise<LocalAws> => {
  const sqsPort = ports.sqs ?? 0;
  const fauxqs = await listenOrExplain('sqs', sqsPort, () =>
    startFauxqs({ port: sqsPort, host: '127.0.0.1', logger: false, defaultRegion: LOCAL_REGION }),
  );
  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const dynamodbPort = ports.dynamodb ?? 0;
  try {
    await listenOrExplain(
      'dynamodb',
      dynamodbPort,
      () =>
        new Promise<void>((resolve, reject) => dynamo.once('error', reject).listen(dynamodbPort, '127.0.0.1', resolve)),
    );
  } catch (error) {
    await fauxqs.stop();
    throw error;
  }
  const sqsEndpoint = `http://127.0.0.1:${fauxqs.port}`;
  const dynamodbEndpoint = `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`;
  const env = {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_SQS: sqsEndpoint,
    AWS_ENDPOINT_URL_S3: sqsEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const sqs = new SQSClient({ region: LOCAL_REGION, endpoint: sqsEndpoint, credentials, useQueueUrlAsEndpoint: false });
  const s3 = new S3Client({ region: LOCAL_REGION, endpoint: sqsEndpoint, credentials, forcePathStyle: true });
  const dynamodb = new DynamoDBClient({ region: LOCAL_REGION, endpoint: dynamodbEndpoint, credentials });
  return {
    env,
    sqs,
    s3,
    dynamodb,
    async stop() {
      sqs.destroy();
      s3.destroy();
      dynamodb.destroy();
      await fauxqs.stop();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
    },
  };
};

export interface QueuePair {
  queueUrl: string;
  queueArn: string;
  dlqUrl: string;
}

/** A queue with its dead-letter queue and redrive policy, as serverless.yml declares them. */
export const createQueueWithDlq = async (
  sqs: SQSClient,
  name: string,
  options: { maxReceiveCount: number; visibilityTimeoutSeconds: number },
): Promise<QueuePair> => {
  const { QueueUrl: dlqUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
  );
  const { QueueUrl: queueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(options.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: Attributes?.QueueArn,
          maxReceiveCount: options.maxReceiveCount,
        }),
      },
    }),
  );
  const queue = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  return { queueUrl: queueUrl as string, queueArn: queue.Attributes?.QueueArn as string, dlqUrl: dlqUrl as string };
};

/** The idempotency table in Powertools' default layout (partition key `id`). */
export const createIdempotencyTable = async (dynamodb: DynamoDBClient, tableName: string): Promise<void> => {
  await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30, minDelay: 1 }, { TableName: tableName });
};
