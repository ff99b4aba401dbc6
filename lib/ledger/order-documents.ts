import {
  BatchGetItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import * as z from 'zod';

/**
 * What became of one marketplace document of an order in Connect:
 * - `uploading`: about to be uploaded (written first: the upload may land even when its answer is lost);
 * - `uploaded`: Connect holds it as `channel_document_id`;
 * - `echo`: the connector attached it itself for an UPLOAD_DOCUMENT: never uploaded back (invariant 18);
 * - `skipped`: archived but not uploaded (`reason`: a format or size Connect does not take).
 */
export const OrderDocumentEntry = z.object({
  status: z.enum(['uploading', 'uploaded', 'echo', 'skipped']),
  channel_document_id: z.string().optional(),
  sha256: z.string().optional(),
  reason: z.string().optional(),
});
export type OrderDocumentEntry = z.infer<typeof OrderDocumentEntry>;

export interface OrderDocumentsState {
  /** By the marketplace's document id. */
  documents: Map<string, OrderDocumentEntry>;
  /** SHA-256 of the files the connector attached to the order on the marketplace (UPLOAD_DOCUMENT). */
  attached: Set<string>;
}

export interface OrderDocumentLedger {
  /** The state of each order (an order never seen has an empty one). */
  read(channelStoreId: string, orderIds: string[]): Promise<Map<string, OrderDocumentsState>>;
  record(channelStoreId: string, orderId: string, documentId: string, entry: OrderDocumentEntry): Promise<void>;
  forget(channelStoreId: string, orderId: string, documentId: string): Promise<void>;
  /** Notes a file the connector attaches to the order on the marketplace, before it does (see OR74 in lib/channel/mmp). */
  rememberAttached(channelStoreId: string, orderId: string, sha256: string): Promise<void>;
  /** A value kept for a while under `name` (the operator's document types), or undefined once expired. */
  cached(name: string): Promise<string | undefined>;
  cache(name: string, value: string, lifetimeSeconds: number): Promise<void>;
}

/** As long as an order may still change on the marketplace; every write extends it. */
export const ORDER_DOCUMENTS_LIFETIME_SECONDS = 2 * 365 * 24 * 60 * 60;
/** BatchGetItem's limit. */
const MAX_KEYS_PER_READ = 100;
const DOCUMENT_ATTRIBUTE = 'doc#';

/** The id of an order's document item in the idempotency table. */
export const orderDocumentsItemId = (channelStoreId: string, orderId: string) =>
  `order-documents#${channelStoreId}#${orderId}`;

/**
 * One item per order in the idempotency table (`order-documents#<store>#<order id>`): one attribute per
 * marketplace document (`doc#<id>`, so concurrent runs on one order each write their own), and the set of files
 * the connector attached itself (`attached`).
 */
export const createOrderDocumentLedger = (options: {
  tableName: string;
  client: DynamoDBClient;
  now?: () => number;
}): OrderDocumentLedger => {
  const { tableName, client } = options;
  const now = options.now ?? Date.now;
  const key = (channelStoreId: string, orderId: string) => ({
    id: { S: orderDocumentsItemId(channelStoreId, orderId) },
  });
  const expiration = () => ({ N: String(Math.floor(now() / 1000) + ORDER_DOCUMENTS_LIFETIME_SECONDS) });

  const stateOf = (item: Record<string, AttributeValue> | undefined): OrderDocumentsState => ({
    documents: new Map(
      Object.entries(item ?? {}).flatMap(([name, value]) =>
        name.startsWith(DOCUMENT_ATTRIBUTE) && value.S
          ? [[name.slice(DOCUMENT_ATTRIBUTE.length), OrderDocumentEntry.parse(JSON.parse(value.S))] as const]
          : [],
      ),
    ),
    attached: new Set(item?.attached?.SS ?? []),
  });

  /** One update of an order's item, which also pushes its expiry back. */
  const updateOrder = async (
    channelStoreId: string,
    orderId: string,
    update: { set?: string; remove?: string; add?: string },
    attributes: { names?: Record<string, string>; values?: Record<string, AttributeValue> },
  ): Promise<void> => {
    const set = [update.set, 'expiration = :expiration'].filter(Boolean).join(', ');
    const clauses = [update.remove && `REMOVE ${update.remove}`, update.add && `ADD ${update.add}`, `SET ${set}`];
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: key(channelStoreId, orderId),
        UpdateExpression: clauses.filter(Boolean).join(' '),
        ExpressionAttributeNames: attributes.names,
        ExpressionAttributeValues: { ...attributes.values, ':expiration': expiration() },
      }),
    );
  };

  const readBatch = async (
    keys: Array<Record<string, AttributeValue>>,
  ): Promise<Array<Record<string, AttributeValue>>> => {
    const items: Array<Record<string, AttributeValue>> = [];
    let pending: Array<Record<string, AttributeValue>> = keys;
    while (pending.length > 0) {
      const answer = await client.send(
        new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      items.push(...(answer.Responses?.[tableName] ?? []));
      pending = answer.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
    return items;
  };

  return {
    async read(channelStoreId, orderIds) {
      const unique = [...new Set(orderIds)];
      const items = new Map<string, Record<string, AttributeValue>>();
      for (let start = 0; start < unique.length; start += MAX_KEYS_PER_READ) {
        for (const item of await readBatch(
          unique.slice(start, start + MAX_KEYS_PER_READ).map((orderId) => key(channelStoreId, orderId)),
        )) {
          if (item.id?.S) items.set(item.id.S, item);
        }
      }
      return new Map(
        unique.map((orderId) => [orderId, stateOf(items.get(orderDocumentsItemId(channelStoreId, orderId)))]),
      );
    },

    record: (channelStoreId, orderId, documentId, entry) =>
      updateOrder(
        channelStoreId,
        orderId,
        { set: '#document = :entry' },
        {
          names: { '#document': `${DOCUMENT_ATTRIBUTE}${documentId}` },
          values: { ':entry': { S: JSON.stringify(OrderDocumentEntry.parse(entry)) } },
        },
      ),

    forget: (channelStoreId, orderId, documentId) =>
      updateOrder(
        channelStoreId,
        orderId,
        { remove: '#document' },
        { names: { '#document': `${DOCUMENT_ATTRIBUTE}${documentId}` } },
      ),

    rememberAttached: (channelStoreId, orderId, sha256) =>
      updateOrder(channelStoreId, orderId, { add: 'attached :sha256' }, { values: { ':sha256': { SS: [sha256] } } }),

    async cached(name) {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: { id: { S: `cache#${name}` } }, ConsistentRead: true }),
      );
      const expires = Number(Item?.expiration?.N ?? 0);
      // dynalite (and DynamoDB, for up to days) keeps expired items: the expiry is checked here.
      return expires * 1000 > now() ? Item?.value?.S : undefined;
    },

    async cache(name, value, lifetimeSeconds) {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            id: { S: `cache#${name}` },
            value: { S: value },
            expiration: { N: String(Math.floor(now() / 1000) + lifetimeSeconds) },
          },
        }),
      );
    },
  };
};
