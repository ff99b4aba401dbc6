import { describe, expect, it } from 'vitest';
import { createCarrierMap } from '../../../../lib/channel/mmp/carriers.js';
import type { MmpOrder } from '../../../../lib/channel/mmp/client.js';
import { shipmentBody, shipPart } from '../../../../lib/channel/mmp/partial-shipment.js';
import type { MmpShipments, MmpShipmentsClient } from '../../../../lib/channel/mmp/shipments-client.js';
import { shipOrder } from '../../../../lib/channel/mmp/shipping.js';
import { ActionFailure } from '../../../../lib/outcome.js';
import { failureOf, fakeStore, memoryIntent, mmpOrder } from '../../../support/mmp-fakes.js';

const carriers = createCarrierMap({ configured: { 'DHL Express': 'DHL' } });
const part = {
  channelOrderId: 'MKP-1',
  carrier: 'DHL Express',
  trackingNumber: 'JJD1',
  lines: [{ channelOrderLineId: 'L1', quantity: 1 }],
};

/** OR11, ST11 and ST01 in memory; `lose` applies the next ST01, then loses its response. */
const fakeMmp = (order: MmpOrder, answer: 'applied' | 'refused' = 'applied') => {
  const calls: string[] = [];
  const sent: MmpShipments[] = [];
  const shipmentIds: string[] = ['S0'];
  let lose = false;
  const shipments: MmpShipmentsClient = {
    async shipmentIds() {
      calls.push('ST11');
      return [...shipmentIds];
    },
    async createShipments(body) {
      calls.push('ST01');
      sent.push(body);
      if (answer === 'applied') shipmentIds.push(`S${shipmentIds.length}`);
      if (lose) throw new ActionFailure('UNAVAILABLE', 'MMP ST01 failed: UND_ERR_SOCKET', { transient: true });
      return answer;
    },
  };
  const mmp = {
    store: fakeStore,
    async getOrder() {
      calls.push('OR11');
      return structuredClone(order);
    },
  };
  return { mmp, shipments, calls, sent, loseNext: () => (lose = true) };
};

describe('shipmentBody (ST01)', () => {
  it('ships the items by line (a line listed twice once), with the registered carrier by code', () => {
    const lines = [...part.lines, { channelOrderLineId: 'L1', quantity: 1 }, { channelOrderLineId: 'L2', quantity: 1 }];
    expect(shipmentBody('MKP-1', 'DHL', { ...part, lines })).toEqual({
      shipments: [
        {
          order_id: 'MKP-1',
          shipment_lines: [
            { order_line_id: 'L1', quantity: 2 },
            { order_line_id: 'L2', quantity: 1 },
          ],
          tracking: { carrier_code: 'DHL', tracking_number: 'JJD1' },
          shipped: true,
        },
      ],
    });
  });

  it('sends an unregistered carrier by name and tracking URL', () => {
    const [shipment] = shipmentBody('MKP-1', undefined, {
      ...part,
      carrier: 'Transports Martin',
      trackingUrl: 'https://tm/1',
    }).shipments;
    expect(shipment?.tracking).toEqual({
      carrier_name: 'Transports Martin',
      tracking_url: 'https://tm/1',
      tracking_number: 'JJD1',
    });
  });
});

describe('shipOrder with multi-shipment', () => {
  const withParts = (fake: ReturnType<typeof fakeMmp>, intent = memoryIntent()) => ({
    client: { ...fake.mmp, updateTracking: async () => undefined, ship: async () => undefined },
    shipPart: (order: MmpOrder) =>
      shipPart({ mmp: fake.mmp, carriers, shipments: fake.shipments }, order, part, intent),
    intent,
  });

  it('ships part of the order with ST01, remembering the shipment ids first', async () => {
    const fake = fakeMmp(mmpOrder('SHIPPING'));
    const { client, shipPart: ship, intent } = withParts(fake);
    await shipOrder(client, carriers, part, ship);
    expect(fake.calls).toEqual(['OR11', 'ST11', 'ST01']);
    expect(intent.value).toEqual({ operation: 'ST01', known_ids: ['S0'] });
  });

  it('after a lost ST01 response, confirms on redelivery instead of shipping twice', async () => {
    const fake = fakeMmp(mmpOrder('SHIPPING'));
    const { client, shipPart: ship } = withParts(fake);
    fake.loseNext();
    await expect(shipOrder(client, carriers, part, ship)).rejects.toMatchObject({ transient: true });

    await shipOrder(client, carriers, part, ship);

    expect(fake.calls).toEqual(['OR11', 'ST11', 'ST01', 'OR11', 'ST11']);
  });

  it('reports shipment_errors of a 201 as INVALID_INPUT when the order is still SHIPPING', async () => {
    const fake = fakeMmp(mmpOrder('SHIPPING'), 'refused');
    const { client, shipPart: ship } = withParts(fake);
    expect(await failureOf(shipOrder(client, carriers, part, ship))).toEqual({
      code: 'INVALID_INPUT',
      transient: false,
      message:
        'MMP ST01 refused the shipment of part of order MKP-1 (shipment_errors): quantities, carrier or tracking not accepted',
    });
  });

  it('without multi-shipment, refuses a partial shipment as ACTION_NOT_SUPPORTED naming the setting', async () => {
    const fake = fakeMmp(mmpOrder('SHIPPING'));
    expect(await failureOf(shipOrder(withParts(fake).client, carriers, part))).toMatchObject({
      code: 'ACTION_NOT_SUPPORTED',
      message: expect.stringContaining('MMP_MULTI_SHIPMENT'),
    });
    expect(fake.calls).toEqual(['OR11']);
  });
});
