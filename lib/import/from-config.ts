import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createMmpImportStores } from '../channel/mmp/import-stores.js';
import type { ChannelDocumentsConfig, ConnectConfig, ImportConfig, MmpConfig, RuntimeConfig } from '../config/index.js';
import { createUpsertClient, tokensFromConfig } from '../connect/index.js';
import type { HttpSend } from '../http/index.js';
import { logger, traced } from '../observability.js';
import { channelDocumentSyncFromConfig } from './documents/index.js';
import { createImportedOrderDocuments, type ImportedOrderDocuments } from './order-documents.js';
import { createOrderSender } from './send-orders.js';
import { createImportState } from './state.js';

/** The import's parts, from a function's (or a CLI's) validated configuration. */
export const importServicesFrom = (
  config: {
    connect: ConnectConfig;
    mmp: MmpConfig;
    runtime: RuntimeConfig;
    ledger: { IDEMPOTENCY_TABLE: string };
    import: ImportConfig;
  },
  send: HttpSend,
) => {
  const upserts = createUpsertClient({
    apiUrl: config.connect.CONNECT_API_URL,
    tokens: tokensFromConfig(config.connect, config.runtime, send),
    send,
  });
  const state = createImportState({
    tableName: config.ledger.IDEMPOTENCY_TABLE,
    client: traced(new DynamoDBClient({})),
  });
  const channelId = config.import.CONNECT_CHANNEL_ID;
  const stores = createMmpImportStores({ config: config.mmp, runtime: config.runtime, send });
  const mappingFor = async (store: string) => ({
    reasonOf: await stores.reasonsFor(store),
    mediaBaseUrl: config.mmp.MMP_API_URL,
  });
  return { channelId, upserts, state, stores, orders: createOrderSender({ upserts, state, channelId, mappingFor }) };
};
export type ImportServices = ReturnType<typeof importServicesFrom>;

/** The import's documents (readImportDocumentsConfig), or undefined, said once, when DOCUMENTS_BUCKET is not set. */
export const importedDocumentsFrom = (
  config: ChannelDocumentsConfig | undefined,
  channelId: string,
  send: HttpSend,
): ImportedOrderDocuments | undefined => {
  if (!config) {
    logger.warn("DOCUMENTS_BUCKET is not set: the marketplace's order documents are not carried over to Connect");
    return undefined;
  }
  return createImportedOrderDocuments({ documents: channelDocumentSyncFromConfig(config, send), channelId });
};
