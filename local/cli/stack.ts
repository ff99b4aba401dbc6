import type { SQSRecord } from 'aws-lambda';
import { startLocalAws, type LocalAws } from '../aws/servers.js';
import { packageDeployable } from '../deployable/package.js';
import { eventSourcesOf, publishedQueuesOf, schedulesOf } from '../deployable/template.js';
import { startEventSourceMapping, type EventSourceMapping } from '../lambda/event-source-mapping.js';
import { prepareFunctions } from '../lambda/functions.js';
import { createResources, localNames, type LocalResource } from '../aws/resources.js';
import {
  buildContainerRuntime,
  startLocalFunction,
  type ContainerLog,
  type LocalFunction,
} from '../runtime/containers.js';
import type { FunctionError } from '../runtime/protocol.js';
import { listenOrExplain } from './ports.js';
import { rateIntervalMs, startSchedule, type LocalSchedule } from '../lambda/scheduler.js';
import { startDocumentStorage, type DocumentStorage } from '../simulators/document-storage.js';
import {
  startConnectSimulator,
  type ConnectAction,
  type ConnectSimulator,
  type PublishedEvent,
} from '../simulators/connect.js';
import { startMmpSimulator, type MmpSimulator } from '../simulators/mmp.js';
import { startOperationsSimulator, type OperationsSimulator } from '../simulators/operations.js';
import { startPurchaseOrderSimulator, type PurchaseOrderSimulator } from '../simulators/purchase-order.js';
import { connectSellerSettings, operationsSettings, purchaseOrderSettings } from '../simulators/settings.js';

export const LOCAL_CONNECT_CLIENT = { id: 'local-client', secret: 'local-secret' };
export const LOCAL_MMP_API_KEY = 'local-mmp-key';
/** The channel and store of the local events (local/events/*.json): where the import puts the marketplace's orders. */
export const LOCAL_CHANNEL = { channelId: 'marketplace_channel', storeId: 'main_store' };

export interface LocalPorts {
  /** fauxqs: SQS and S3. */
  sqs?: number;
  /** dynalite: DynamoDB. */
  dynamodb?: number;
  connect?: number;
  mmp?: number;
  /** The storage behind Connect's presigned document links. */
  documents?: number;
  purchaseOrder?: number;
  operations?: number;
}

/** What the local stack tells while it runs; the console turns it into the live view. */
export interface StackObserver {
  published?(event: PublishedEvent, copies: number): void;
  reported?(action: ConnectAction): void;
  invoked?(functionKey: string, records: SQSRecord[]): void;
  settled?(functionKey: string, records: SQSRecord[], handedBack: number, error?: FunctionError): void;
  log?: ContainerLog;
  warning?(message: string): void;
}

export interface LocalStackOptions {
  /** Where the deployable is packaged and unpacked; emptied first. */
  packageDir: string;
  /** Free ports when omitted. */
  ports?: LocalPorts;
  /** @default 'dev' */
  stage?: string;
  /** Set in every function's environment last, e.g. `POWERTOOLS_LOG_LEVEL`. */
  environment?: Record<string, string>;
  observer?: StackObserver;
  /** Aborts packaging (Ctrl-C while starting). */
  signal?: AbortSignal;
  /** Runs scheduled functions (orderSync) this often instead of the template's rate; 0 leaves them off. */
  scheduleIntervalSeconds?: number;
}

/** A source → function link the stack runs, for display. */
export interface RunningMapping {
  functionKey: string;
  queue: LocalResource;
  batchSize: number;
  batchingWindowSeconds: number;
  maximumConcurrency: number;
  reportBatchItemFailures: boolean;
}

/** A schedule → function link the stack runs, for display. */
export interface RunningSchedule {
  functionKey: string;
  expression: string;
  intervalSeconds: number;
}

export interface LocalStack {
  aws: LocalAws;
  connect: ConnectSimulator;
  mmp: MmpSimulator;
  /** Where Connect's `document_download_url` links point: `put()` a document, publish its link. */
  documents: DocumentStorage;
  /** The purchase-order service (seed 002): orderRefresh reads there with ORDER_SOURCE=purchase-order. */
  purchaseOrder: PurchaseOrderSimulator;
  /** The operations API (seed 003): documentArchive's `operations` source. */
  operations: OperationsSimulator;
  resources: ReadonlyMap<string, LocalResource>;
  functions: LocalFunction[];
  mappings: RunningMapping[];
  schedules: RunningSchedule[];
  /** The queue Mirakl Connect publishes to. */
  connectQueue: LocalResource;
  stop(): Promise<void>;
}

/**
 * The whole connector on this machine, derived from the deployable: `serverless package`, then every queue,
 * table and bucket of its template in fauxqs and dynalite, the simulated Connect (publishing into the queue
 * the template opens to Mirakl) and MMP, and, for every SQS event source mapping, the function it triggers
 * running from its packaged bundle behind a poller that behaves like Lambda's.
 */
export const startLocalStack = async (options: LocalStackOptions): Promise<LocalStack> => {
  const observer = options.observer ?? {};
  const warn = (message: string) => observer.warning?.(message);
  const ports = options.ports ?? {};
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };

  try {
    const aws = await startLocalAws({ sqs: ports.sqs, dynamodb: ports.dynamodb });
    cleanups.push(() => aws.stop());
    const mmp = await listenOrExplain('mmp', ports.mmp ?? 0, () =>
      startMmpSimulator({ port: ports.mmp ?? 0, shops: [{ apiKey: LOCAL_MMP_API_KEY }] }),
    );
    cleanups.push(() => mmp.close());
    const documents = await listenOrExplain('documents', ports.documents ?? 0, () =>
      startDocumentStorage({ port: ports.documents ?? 0 }),
    );
    cleanups.push(() => documents.close());
    const purchaseOrder = await listenOrExplain('purchaseOrder', ports.purchaseOrder ?? 0, () =>
      startPurchaseOrderSimulator({ port: ports.purchaseOrder ?? 0 }),
    );
    cleanups.push(() => purchaseOrder.close());
    const operations = await listenOrExplain('operations', ports.operations ?? 0, () =>
      startOperationsSimulator({ port: ports.operations ?? 0 }),
    );
    cleanups.push(() => operations.close());

    const { dir, template } = await packageDeployable(options.packageDir, options.stage, options.signal);
    const resources = await createResources(aws, template);
    const connectQueue = theConnectQueue(publishedQueuesOf(template), resources);
    const connect = await listenOrExplain('connect', ports.connect ?? 0, () =>
      startConnectSimulator({
        port: ports.connect ?? 0,
        clientId: LOCAL_CONNECT_CLIENT.id,
        clientSecret: LOCAL_CONNECT_CLIENT.secret,
        sqs: { client: aws.sqs, queueUrl: connectQueue.url as string },
        // The import upserts into the channel and store of the local events: Connect must know them.
        channel: { channelId: LOCAL_CHANNEL.channelId, storeIds: [LOCAL_CHANNEL.storeId] },
        onPublish: (event, copies) => observer.published?.(event, copies),
        onFinalReport: (action) => observer.reported?.(action),
      }),
    );
    cleanups.push(() => connect.close());

    const settings = {
      CONNECT_API_URL: connect.apiUrl,
      CONNECT_AUTH_URL: connect.authUrl,
      CONNECT_CLIENT_ID: LOCAL_CONNECT_CLIENT.id,
      CONNECT_CLIENT_SECRET: LOCAL_CONNECT_CLIENT.secret,
      MMP_API_URL: mmp.url,
      MMP_API_KEY: LOCAL_MMP_API_KEY,
      CONNECT_CHANNEL_ID: LOCAL_CHANNEL.channelId,
      MMP_STORE_ID: LOCAL_CHANNEL.storeId,
      ...connectSellerSettings(connect),
      ...purchaseOrderSettings(purchaseOrder),
      ...operationsSettings(operations),
      // No X-Ray daemon here: the containers look like Lambda to the Tracer, which would otherwise trace.
      POWERTOOLS_TRACE_ENABLED: 'false',
      ...aws.env,
    };
    const specs = await prepareFunctions({ template, packageDir: dir, names: localNames(resources), settings, warn });
    const containerRuntime = await buildContainerRuntime(dir);
    const functions = new Map(
      specs.map(({ logicalId, ...spec }) => [
        logicalId,
        startLocalFunction(
          { ...spec, environment: { ...spec.environment, ...options.environment } },
          containerRuntime,
          observer.log,
        ),
      ]),
    );
    const pollers: Array<EventSourceMapping | LocalSchedule> = [];
    cleanups.push(async () => {
      // Pollers and schedules stop at once; killing the containers then ends the invocations under way.
      const pollersStopped = Promise.all(pollers.map((poller) => poller.stop()));
      await Promise.all([...functions.values()].map((fn) => fn.stop()));
      await pollersStopped;
    });

    const mappings: RunningMapping[] = [];
    for (const source of eventSourcesOf(template)) {
      const fn = source.functionLogicalId ? functions.get(source.functionLogicalId) : undefined;
      const queue = source.sourceLogicalId ? resources.get(source.sourceLogicalId) : undefined;
      if (!source.enabled || !fn) continue;
      if (queue?.kind !== 'queue') {
        warn(`${fn.spec.key}: event source ${source.logicalId} is not one of the template's queues: not run locally`);
        continue;
      }
      const mapping = {
        functionKey: fn.spec.key,
        queue,
        batchSize: source.batchSize,
        batchingWindowSeconds: source.batchingWindowSeconds,
        maximumConcurrency: source.maximumConcurrency ?? 5,
        reportBatchItemFailures: source.reportBatchItemFailures,
      };
      mappings.push(mapping);
      pollers.push(
        startEventSourceMapping({
          ...mapping,
          sqs: aws.sqs,
          queue: { url: queue.url as string, arn: queue.arn },
          invoke: (event) => fn.invoke(event),
          listener: {
            invoked: (records) => observer.invoked?.(fn.spec.key, records),
            settled: (records, handedBack, failure) =>
              observer.settled?.(fn.spec.key, records, handedBack, failure?.error),
            pollingFailed: (error) => warn(`${fn.spec.key}: polling ${queue.name} failed: ${String(error)}`),
          },
        }),
      );
    }

    const schedules: RunningSchedule[] = [];
    for (const rule of schedulesOf(template)) {
      const interval =
        options.scheduleIntervalSeconds === undefined
          ? rateIntervalMs(rule.expression)
          : options.scheduleIntervalSeconds * 1000;
      for (const fn of rule.functionLogicalIds.flatMap((id) => functions.get(id) ?? [])) {
        if (!rule.enabled || interval === 0) continue;
        if (interval === undefined) {
          warn(`${fn.spec.key}: schedule ${rule.expression} is not run locally (rate expressions only)`);
          continue;
        }
        schedules.push({ functionKey: fn.spec.key, expression: rule.expression, intervalSeconds: interval / 1000 });
        pollers.push(
          startSchedule({
            ruleName: rule.logicalId,
            intervalMs: interval,
            invoke: (event) => fn.invoke(event),
            invoked: (result) => {
              if (!result.ok)
                warn(`${fn.spec.key}: scheduled run failed: ${result.error.errorType}: ${result.error.errorMessage}`);
            },
          }),
        );
      }
    }

    return {
      aws,
      connect,
      mmp,
      documents,
      purchaseOrder,
      operations,
      resources,
      functions: [...functions.values()],
      mappings,
      schedules,
      connectQueue,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};

const theConnectQueue = (logicalIds: string[], resources: ReadonlyMap<string, LocalResource>): LocalResource => {
  const queues = logicalIds.flatMap((logicalId) => resources.get(logicalId) ?? []);
  const [queue, ...others] = queues;
  if (!queue || others.length > 0) {
    throw new Error(
      `The template should open exactly one queue to Mirakl Connect (a queue policy allowing sqs:SendMessage to its principal); found ${queues.length}`,
    );
  }
  return queue;
};
