import { describe, expect, it } from 'vitest';
import { createFollowUps } from '../../../lib/actions/follow-ups.js';
import { ActionErrorCode, ActionFailure, succeeded } from '../../../lib/outcome.js';

const target = (orderId: string) => ({
  action_id: `act-${orderId}`,
  channel_id: '0024',
  channel_store_id: '2005',
  channel_order_id: orderId,
});
const failed = new ActionFailure(ActionErrorCode.ORDER_IN_WRONG_STATE, 'canceled').toOutcome();

const queues = () => {
  const sent = { archive: [] as string[][], refresh: [] as string[][] };
  return {
    sent,
    queues: {
      archive: async (bodies: string[]) => void sent.archive.push(bodies),
      refresh: async (bodies: string[]) => void sent.refresh.push(bodies),
    },
  };
};

describe('the follow-ups of a batch', () => {
  it('leave once every record is reported or settled, in one call per queue, each order once', async () => {
    const { sent, queues: to } = queues();
    const followUps = createFollowUps(to, 3);
    const [first, second, third] = [followUps.forRecord(), followUps.forRecord(), followUps.forRecord()];
    first.reported('CREATE_SHIPMENT', target('A'), succeeded);
    second.reported('ACCEPT', target('A'), succeeded);
    first.settled();
    expect(sent.refresh).toEqual([]);
    third.settled();
    await followUps.sent();

    expect(sent.refresh).toEqual([[JSON.stringify({ channel_order_id: 'A', channel_store_id: '2005' })]]);
    expect(sent.archive.map((bodies) => bodies.map((body) => JSON.parse(body).order_id))).toEqual([['A']]);
  });

  it('refresh every reported order, archive only after a successful shipment or document upload', async () => {
    const { sent, queues: to } = queues();
    const followUps = createFollowUps(to, 3);
    followUps.forRecord().reported('CREATE_SHIPMENT', target('B'), failed);
    followUps.forRecord().reported('UPLOAD_DOCUMENT', target('C'), succeeded);
    followUps.forRecord().reported('REFUND', target('D'), succeeded);
    await followUps.sent();

    expect(sent.refresh.flat().map((body) => JSON.parse(body).channel_order_id)).toEqual(['B', 'C', 'D']);
    expect(sent.archive.flat().map((body) => JSON.parse(body).order_id)).toEqual(['C']);
  });

  it('a queue that fails is logged, not thrown: the actions are reported already', async () => {
    const followUps = createFollowUps(
      {
        refresh: async () => {
          throw new Error('1 of 1 messages not sent');
        },
      },
      1,
    );
    followUps.forRecord().reported('ACCEPT', target('E'), succeeded);
    await expect(followUps.sent()).resolves.toBeUndefined();
  });
});
