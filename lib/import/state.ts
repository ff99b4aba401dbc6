import { randomUUID } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import * as z from 'zod';

/** A window of last-update dates being walked, and how far the walk got. */
const WindowProgress = z.object({
  from: z.string(),
  to: z.string(),
  /** OR11: the offset of the next page; `totalCount` the window's size when that offset was reached. */
  offset: z.number().int().nonnegative().default(0),
  totalCount: z.number().int().nonnegative().optional(),
  /** RT11: the seek token of the next page. */
  pageToken: z.string().optional(),
});
export type WindowProgress = z.infer<typeof WindowProgress>;

/**
 * Where the import of one kind (orders or returns) of one store stands: `cursor` is the end of the last window
 * walked to the end (everything changed up to it reached Connect, or was parked, or is pending); `window` is a
 * window begun and not finished (a run that ran out of time), taken up again first.
 */
export const ImportPosition = z.object({ cursor: z.string().optional(), window: WindowProgress.optional() });
export type ImportPosition = z.infer<typeof ImportPosition>;

/** What the last run of a store said about itself, for `sync:status`. */
export interface RunSummary {
  at: string;
  /** `continues`: stopped near the deadline, or more pages left; the next run goes on from the saved position. */
  result: 'complete' | 'continues' | 'interrupted' | 'configuration-error';
  imported: number;
  parked: number;
  /** The largest import lag of the run (upsert time − MMP last_updated_date of a change), in ms. */
  lagMs?: number;
}

/** A run's summary as it goes (what the run did so far). */
export type RunTally = Omit<RunSummary, 'at'>;

export type Kind = 'orders' | 'returns';

/** A run's hold on a store's import of one kind; released with the run's summary. */
export interface StoreClaim {
  store: string;
  kind: Kind;
  token: string;
  position: ImportPosition;
}

export interface ParkedItem {
  id: string;
  reason: string;
  at: string;
}

/** Ids of the table's import items: one per store and kind, plus the parked objects. */
export const importItemId = (store: string, kind: Kind) => `import#${store}#${kind}`;
/** The stores the import has served (a string set), for `sync:status`. */
const STORES_ITEM_ID = 'import#stores';
const parkedIndexId = (store: string, kind: Kind) => `import#${store}#${kind}#parked`;
const parkedItemId = (store: string, kind: Kind, id: string) => `import#${store}#${kind}#parked#${id}`;

const s = (value: string): AttributeValue => ({ S: value });
/** A string set: DynamoDB refuses one that names a value twice. */
const ss = (values: string[]): AttributeValue => ({ SS: [...new Set(values)] });
const n = (value: number): AttributeValue => ({ N: String(value) });

/**
 * The import's state in the connector's one state table (IDEMPOTENCY_TABLE, key `id`), none of it expiring:
 *
 * - `import#<store>#orders` and `import#<store>#returns`: the position (JSON), the run lease (`lease_owner`,
 *   `lease_until`), when the store was last polled (`polled_at`) and the last run's summary. One conditional write
 *   claims a store for a run: not leased (or the lease ran out with its run's deadline), and not polled within
 *   the minimum interval (MMP allows a scheduled OR11 poll once a minute per shop). The returns item also holds
 *   the returns waiting for the next upsertReturns (`pending`, a string set) and when that call was last made
 *   (`returns_call_at`): a conditional write on it claims the one call a minute of the store.
 * - `import#<store>#<kind>#parked` (a string set of ids) and `import#<store>#<kind>#parked#<id>` (the reason):
 *   what could not be imported, kept for replay (`npm run ops -- sync:replay`).
 */
export const createImportState = (options: { tableName: string; client: DynamoDBClient; now?: () => number }) => {
  const now = options.now ?? Date.now;
  const { client, tableName: TableName } = options;
  const key = (id: string) => ({ id: s(id) });
  const update = (
    id: string,
    expression: string,
    values: Record<string, AttributeValue>,
    condition?: string,
    names?: Record<string, string>,
  ) =>
    client.send(
      new UpdateItemCommand({
        TableName,
        Key: key(id),
        UpdateExpression: expression,
        ExpressionAttributeValues: values,
        ...(condition && { ConditionExpression: condition }),
        ...(names && { ExpressionAttributeNames: names }),
      }),
    );
  const get = async (id: string) =>
    (await client.send(new GetItemCommand({ TableName, Key: key(id), ConsistentRead: true }))).Item;
  const positionOf = (item: Record<string, AttributeValue> | undefined): ImportPosition =>
    item?.position?.S ? ImportPosition.parse(JSON.parse(item.position.S)) : {};

  return {
    /** Claims a store's import of one kind until `until` (epoch ms); undefined when another run holds it or it was polled too recently. */
    async claim(store: string, kind: Kind, until: number, minIntervalMs: number): Promise<StoreClaim | undefined> {
      const token = randomUUID();
      try {
        const { Attributes } = await client.send(
          new UpdateItemCommand({
            TableName,
            Key: key(importItemId(store, kind)),
            UpdateExpression: 'SET lease_owner = :token, lease_until = :until, polled_at = :now',
            ConditionExpression:
              '(attribute_not_exists(lease_until) OR lease_until < :now) AND (attribute_not_exists(polled_at) OR polled_at <= :earliest)',
            ExpressionAttributeValues: {
              ':token': s(token),
              ':until': n(until),
              ':now': n(now()),
              ':earliest': n(now() - minIntervalMs),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return { store, kind, token, position: positionOf(Attributes) };
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return undefined;
        throw error;
      }
    },

    /** Saves how far the run got; refused (false) when the claim was lost, so a late run never moves a cursor back. */
    async save(claim: StoreClaim, position: ImportPosition): Promise<boolean> {
      try {
        await update(
          importItemId(claim.store, claim.kind),
          'SET #position = :position',
          { ':position': s(JSON.stringify(position)), ':token': s(claim.token) },
          'lease_owner = :token',
          {
            '#position': 'position',
          },
        );
        claim.position = position;
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    /** Ends the run: the lease is given back and its summary kept. */
    async release(claim: StoreClaim, summary: RunSummary): Promise<void> {
      try {
        await update(
          importItemId(claim.store, claim.kind),
          'REMOVE lease_owner, lease_until SET last_run = :summary',
          { ':summary': s(JSON.stringify(summary)), ':token': s(claim.token) },
          'lease_owner = :token',
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },

    /** The position and the last run of a store (for `sync:status`). */
    async read(
      store: string,
      kind: Kind,
    ): Promise<{ position: ImportPosition; lastRun?: RunSummary; leasedUntil?: number; pending: string[] }> {
      const item = await get(importItemId(store, kind));
      return {
        position: positionOf(item),
        ...(item?.last_run?.S && { lastRun: JSON.parse(item.last_run.S) as RunSummary }),
        ...(item?.lease_until?.N && { leasedUntil: Number(item.lease_until.N) }),
        pending: item?.pending?.SS ?? [],
      };
    },

    /** Notes the stores a run serves, so `sync:status` lists them without being configured. */
    async registerStores(stores: string[]): Promise<void> {
      if (stores.length > 0) await update(STORES_ITEM_ID, 'ADD stores :stores', { ':stores': ss(stores) });
    },

    async knownStores(): Promise<string[]> {
      return ((await get(STORES_ITEM_ID))?.stores?.SS ?? []).sort();
    },

    /** Claims the store's one upsertReturns call of the minute (across concurrent invocations). */
    async claimReturnsCall(store: string, minIntervalMs: number): Promise<boolean> {
      try {
        await update(
          importItemId(store, 'returns'),
          'SET returns_call_at = :now',
          { ':now': n(now()), ':earliest': n(now() - minIntervalMs) },
          'attribute_not_exists(returns_call_at) OR returns_call_at <= :earliest',
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    /**
     * Returns waiting for the store's next upsertReturns; `retried` are those Connect refused once already, whose
     * order was upserted since: a second refusal parks them.
     */
    async pendingReturns(store: string): Promise<{ pending: string[]; retried: string[] }> {
      const item = await get(importItemId(store, 'returns'));
      return { pending: item?.pending?.SS ?? [], retried: item?.retried?.SS ?? [] };
    },

    async addPendingReturns(store: string, returnIds: string[], retried: string[] = []): Promise<void> {
      if (returnIds.length === 0) return;
      const sets = retried.length > 0 ? 'ADD pending :ids, retried :retried' : 'ADD pending :ids';
      await update(importItemId(store, 'returns'), sets, {
        ':ids': ss(returnIds),
        ...(retried.length > 0 && { ':retried': ss(retried) }),
      });
    },

    async removePendingReturns(store: string, returnIds: string[]): Promise<void> {
      if (returnIds.length === 0) return;
      await update(importItemId(store, 'returns'), 'DELETE pending :ids, retried :ids', { ':ids': ss(returnIds) });
    },

    /** Parks an order or a return with the reason (ids and field paths only), for replay. */
    async park(store: string, kind: Kind, id: string, reason: string): Promise<void> {
      await client.send(
        new PutItemCommand({
          TableName,
          Item: {
            ...key(parkedItemId(store, kind, id)),
            reason: s(reason),
            parked_at: s(new Date(now()).toISOString()),
          },
        }),
      );
      await update(parkedIndexId(store, kind), 'ADD ids :ids', { ':ids': ss([id]) });
    },

    /** Takes objects off the parked list once they reached Connect. */
    async unpark(store: string, kind: Kind, ids: string[]): Promise<void> {
      if (ids.length === 0) return;
      await update(parkedIndexId(store, kind), 'DELETE ids :ids', { ':ids': ss(ids) });
      for (const id of new Set(ids))
        await client.send(new DeleteItemCommand({ TableName, Key: key(parkedItemId(store, kind, id)) }));
    },

    async parkedIds(store: string, kind: Kind): Promise<string[]> {
      return (await get(parkedIndexId(store, kind)))?.ids?.SS ?? [];
    },

    async parked(store: string, kind: Kind): Promise<ParkedItem[]> {
      const ids = (await get(parkedIndexId(store, kind)))?.ids?.SS ?? [];
      const items: ParkedItem[] = [];
      for (const id of ids) {
        const item = await get(parkedItemId(store, kind, id));
        items.push({ id, reason: item?.reason?.S ?? '(reason not recorded)', at: item?.parked_at?.S ?? '' });
      }
      return items;
    },
  };
};
export type ImportState = ReturnType<typeof createImportState>;
