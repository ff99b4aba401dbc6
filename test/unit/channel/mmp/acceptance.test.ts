import { describe, expect, it } from 'vitest';
import { acceptanceBody, acceptOrder } from '../../../../lib/channel/mmp/acceptance.js';
import type { MmpAcceptance, MmpOrder } from '../../../../lib/channel/mmp/client.js';
import { HttpError } from '../../../../lib/http/index.js';
import { failureOf, fakeStore, mmpOrder } from '../../../support/mmp-fakes.js';

const or21Refusal = (code: string) =>
  new HttpError(`MMP OR21 answered 400 ${code}`, { status: 400, code, mayHaveApplied: false });

/**
 * OR11 and OR21 in memory. OR21 refuses as MMP does (an order not WAITING_ACCEPTANCE, a line unknown or without a
 * decision); `refuse` answers OR21 with that error code instead of applying it.
 */
const fakeMmp = (order: MmpOrder, refuse?: { code: string; andThen?: (current: MmpOrder) => void }) => {
  const calls: string[] = [];
  const sent: MmpAcceptance[] = [];
  const current = structuredClone(order);
  return {
    calls,
    sent,
    client: {
      store: fakeStore,
      async getOrder() {
        calls.push('OR11');
        return structuredClone(current);
      },
      async acceptOrder(_orderId: string, decisions: MmpAcceptance) {
        calls.push('OR21');
        sent.push(decisions);
        if (refuse) {
          refuse.andThen?.(current);
          throw or21Refusal(refuse.code);
        }
        if (current.order_state !== 'WAITING_ACCEPTANCE') throw or21Refusal('ORDER_INVALID_STATE');
        const ids = decisions.order_lines.map((decision) => decision.id);
        if (ids.some((id) => !current.order_lines.some((line) => line.order_line_id === id)))
          throw or21Refusal('ORDER_LINE_NOT_FOUND');
        if (ids.length !== current.order_lines.length) throw or21Refusal('ORDER_LINE_ACCEPTANCE_DECISION_MISSING');
        for (const line of current.order_lines)
          line.order_line_state = decisions.order_lines.find((d) => d.id === line.order_line_id)?.accepted
            ? 'SHIPPING'
            : 'REFUSED';
      },
    },
  };
};

const decide = (...lines: Array<[string, boolean]>) => ({
  channelOrderId: 'MKP-1',
  lines: lines.map(([channelOrderLineId, accepted]) => ({ channelOrderLineId, accepted })),
});

describe('acceptanceBody (OR21)', () => {
  it('sends one decision per line', () => {
    expect(acceptanceBody(decide(['L1', true], ['L2', false]))).toEqual({
      order_lines: [
        { id: 'L1', accepted: true },
        { id: 'L2', accepted: false },
      ],
    });
  });

  it('refuses a line decided twice as INVALID_INPUT, before any call', async () => {
    expect(
      await failureOf((async () => acceptanceBody(decide(['L1', true], ['L1', false], ['L2', true])))()),
    ).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'ACCEPT of order MKP-1 decides line L1 more than once',
    });
  });
});

describe('acceptOrder', () => {
  it('sends the decisions without reading the order', async () => {
    const mmp = fakeMmp(mmpOrder('WAITING_ACCEPTANCE'));
    await acceptOrder(mmp.client, decide(['L1', true], ['L2', true]));
    expect(mmp.calls).toEqual(['OR21']);
  });

  it('confirms decisions already applied (a redelivery) from the refusal of OR21', async () => {
    const mmp = fakeMmp(
      mmpOrder('SHIPPING', [
        ['L1', 2, 'SHIPPING'],
        ['L2', 1, 'REFUSED'],
      ]),
    );
    await acceptOrder(mmp.client, decide(['L1', true], ['L2', false]));
    expect(mmp.calls).toEqual(['OR21', 'OR11']);
  });

  it('refuses an event that leaves a line of the order without a decision as INVALID_INPUT, and an unknown line as DATA_NOT_FOUND', async () => {
    expect(await failureOf(acceptOrder(fakeMmp(mmpOrder('WAITING_ACCEPTANCE')).client, decide(['L1', true])))).toEqual({
      code: 'INVALID_INPUT',
      transient: false,
      message: 'ACCEPT of order MKP-1 has no decision for line L2: the marketplace needs one for every line',
    });
    expect(
      await failureOf(
        acceptOrder(fakeMmp(mmpOrder('WAITING_ACCEPTANCE')).client, decide(['L1', true], ['L2', true], ['L9', true])),
      ),
    ).toMatchObject({
      code: 'DATA_NOT_FOUND',
      message: 'Order MKP-1 has no line L9 on the marketplace',
    });
  });

  it('fails an order decided otherwise with ORDER_IN_WRONG_STATE, and waits for an order still in STAGING', async () => {
    expect(
      await failureOf(acceptOrder(fakeMmp(mmpOrder('REFUSED')).client, decide(['L1', true], ['L2', true]))),
    ).toEqual({
      code: 'ORDER_IN_WRONG_STATE',
      transient: false,
      message: 'Order MKP-1 is REFUSED on the marketplace, no longer WAITING_ACCEPTANCE',
    });
    expect(
      await failureOf(acceptOrder(fakeMmp(mmpOrder('STAGING')).client, decide(['L1', true], ['L2', true]))),
    ).toMatchObject({
      code: 'ORDER_IN_WRONG_STATE',
      transient: true,
    });
  });

  it('reports partial acceptance disabled for the shop as ACTION_NOT_SUPPORTED, from its error code', async () => {
    const mmp = fakeMmp(mmpOrder('WAITING_ACCEPTANCE'), { code: 'ORDER_PARTIAL_ACCEPTANCE_DISABLED' });
    const failure = await failureOf(acceptOrder(mmp.client, decide(['L1', true], ['L2', false])));
    expect(failure).toEqual({
      code: 'ACTION_NOT_SUPPORTED',
      transient: false,
      message:
        'MMP OR21 refused to accept only some lines of order MKP-1 (400 ORDER_PARTIAL_ACCEPTANCE_DISABLED): partial acceptance is disabled for this shop',
    });
    expect(mmp.calls).toEqual(['OR21', 'OR11']);
  });

  it('classifies a refusal from the state read again: decided by then is success, moved on is ORDER_IN_WRONG_STATE', async () => {
    const applied = fakeMmp(mmpOrder('WAITING_ACCEPTANCE'), {
      code: 'ORDER_INVALID_STATE',
      andThen: (order) => {
        for (const line of order.order_lines) line.order_line_state = 'SHIPPING';
      },
    });
    await acceptOrder(applied.client, decide(['L1', true], ['L2', true]));

    const canceled = fakeMmp(mmpOrder('WAITING_ACCEPTANCE'), {
      code: 'ORDER_INVALID_STATE',
      andThen: (order) => (order.order_state = 'CANCELED'),
    });
    expect(await failureOf(acceptOrder(canceled.client, decide(['L1', true], ['L2', true])))).toMatchObject({
      code: 'ORDER_IN_WRONG_STATE',
    });
  });
});
