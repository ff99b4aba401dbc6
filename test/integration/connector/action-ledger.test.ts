import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActionLedger, type ActionLedger, type Claim, type Hold } from '../../../lib/ledger/index.js';
import { createIdempotencyTable, startLocalAws, type LocalAws } from '../../../local/aws/servers.js';

/** The action ledger on dynalite: the two writes of an action, and what each kind of copy meets. */
let aws: LocalAws;
let ledger: ActionLedger;
let now = 1_000_000;
const TABLE = 'ledger-test';

beforeAll(async () => {
  aws = await startLocalAws();
  await createIdempotencyTable(aws.dynamodb, TABLE);
  ledger = createActionLedger({ tableName: TABLE, client: aws.dynamodb, now: () => now });
});
afterAll(async () => aws?.stop());

let orders = 0;
const newOrder = () => `2005#LEDGER-${(orders += 1)}`;
const held = (claim: Claim): Hold => {
  if (claim.kind !== 'claimed') throw new Error(`expected a claim, got ${claim.kind}`);
  return claim.hold;
};
const item = async (orderKey: string) =>
  (
    await aws.dynamodb.send(
      new GetItemCommand({ TableName: TABLE, Key: { id: { S: `order#${orderKey}` } }, ConsistentRead: true }),
    )
  ).Item;

describe('createActionLedger', () => {
  it('claims, then records, frees and marks reported: a copy stops at its claim and leaves the order free', async () => {
    const order = newOrder();
    const hold = held(await ledger.claim(order, 'a1', now + 60_000));
    await ledger.release(hold, { outcome: { status: 'SUCCESS' }, reported: true });

    expect(await ledger.claim(order, 'a1', now + 60_000)).toEqual({ kind: 'already-reported' });
    const written = await item(order);
    expect(written).toMatchObject({
      reported: { SS: ['a1'] },
      'outcome#a1': { S: '{"status":"SUCCESS"}' },
      expiration: { N: expect.any(String) },
    });
    expect(written?.lease_owner).toBeUndefined();
    expect(await ledger.claim(order, 'a2', now + 60_000)).toMatchObject({ kind: 'claimed' });
  });

  it('keeps a second action on the order out while the first holds it, and lets it in once freed', async () => {
    const order = newOrder();
    const hold = held(await ledger.claim(order, 'b1', now + 60_000));
    expect(await ledger.claim(order, 'b2', now + 60_000)).toEqual({ kind: 'busy' });
    expect(await ledger.claim(order, 'b1', now + 60_000)).toEqual({ kind: 'busy' });

    await ledger.release(hold, { outcome: { status: 'SUCCESS' }, reported: true });

    expect(await ledger.claim(order, 'b2', now + 60_000)).toMatchObject({ kind: 'claimed' });
  });

  it('hands the outcome recorded before a failed report to the next claim, unreported', async () => {
    const order = newOrder();
    const outcome = {
      status: 'FAILED' as const,
      errors: [{ code: 'ORDER_IN_WRONG_STATE' as const, message: 'Order LEDGER is CLOSED' }],
    };
    await ledger.release(held(await ledger.claim(order, 'c1', now + 60_000)), { outcome, reported: false });

    expect(await ledger.claim(order, 'c1', now + 60_000)).toMatchObject({ kind: 'claimed', recorded: outcome });
  });

  it('frees the order unrecorded after a transient failure, so the next claim acts again', async () => {
    const order = newOrder();
    await ledger.release(held(await ledger.claim(order, 'd1', now + 60_000)), { reported: false });

    const again = await ledger.claim(order, 'd1', now + 60_000);
    expect(again.kind === 'claimed' && again.recorded).toBe(undefined);
  });

  it("lets a redelivery take over a crashed holder's order at its deadline, and ignores the late release of the old holder", async () => {
    const order = newOrder();
    const crashed = held(await ledger.claim(order, 'e1', now + 6_000));
    now += 6_001;
    const takeover = held(await ledger.claim(order, 'e1', now + 60_000));

    await ledger.release(crashed, { reported: false });
    expect(await ledger.claim(order, 'e2', now + 60_000)).toEqual({ kind: 'busy' });
    await ledger.release(takeover, { outcome: { status: 'SUCCESS' }, reported: true });
    expect(await ledger.claim(order, 'e1', now + 60_000)).toEqual({ kind: 'already-reported' });
  });
});
