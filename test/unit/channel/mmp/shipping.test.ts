import { describe, expect, it } from 'vitest';
import { createCarrierMap, trackingBody } from '../../../../lib/channel/mmp/carriers.js';
import type { MmpClient, MmpOrder, MmpTracking } from '../../../../lib/channel/mmp/client.js';
import { shipOrder } from '../../../../lib/channel/mmp/shipping.js';
import { HttpError } from '../../../../lib/http/index.js';
import { ActionFailure } from '../../../../lib/outcome.js';
import { literalSecret } from '../../../../lib/secrets.js';

const refusal = (operation: string, status = 400) =>
  new HttpError(`MMP ${operation} answered ${status}`, { status, mayHaveApplied: false });

/**
 * An in-memory MMP client recording the calls made, refusing as MMP does: OR23 needs SHIPPING or SHIPPED, OR24
 * SHIPPING, an unknown order is a 404; `refuse` refuses a call whatever the state (unit tests only; integration
 * tests use the simulator).
 */
const fakeMmp = (order: MmpOrder | undefined, refuse: { ship?: boolean; tracking?: boolean } = {}) => {
  const calls: string[] = [];
  const tracking: MmpTracking[] = [];
  let current = order && structuredClone(order);
  const client: Parameters<typeof shipOrder>[0] & Pick<MmpClient, 'listCarriers'> = {
    store: { channelStoreId: '2005', apiKey: literalSecret('key') },
    async getOrder() {
      calls.push('OR11');
      return current && structuredClone(current);
    },
    async updateTracking(_orderId, body) {
      calls.push('OR23');
      if (!current) throw refusal('OR23', 404);
      if (refuse.tracking || !['SHIPPING', 'SHIPPED'].includes(current.order_state)) throw refusal('OR23');
      tracking.push(body);
    },
    async ship() {
      calls.push('OR24');
      if (!current) throw refusal('OR24', 404);
      if (refuse.ship || current.order_state !== 'SHIPPING') throw refusal('OR24');
      current = { ...current, order_state: 'SHIPPED' };
    },
    async listCarriers() {
      calls.push('SH21');
      return [
        { code: 'DHL', label: 'DHL Express' },
        { code: 'UPS', label: 'UPS' },
      ];
    },
  };
  return { client, calls, tracking, setState: (state: string) => current && (current.order_state = state) };
};

const order = (
  state: string,
  lines: Array<[string, number, string?]> = [
    ['L1', 2],
    ['L2', 1],
  ],
): MmpOrder => ({
  order_id: 'MKP-1',
  order_state: state,
  order_lines: lines.map(([id, quantity, lineState]) => ({
    order_line_id: id,
    quantity,
    order_line_state: lineState ?? state,
    refunds: [],
    cancelations: [],
  })),
});

const noCarriers = createCarrierMap({ configured: {} });
const failureOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ActionFailure)) throw new Error(`expected an ActionFailure, got ${String(error)}`);
  return { code: error.code, transient: error.transient, message: error.message };
};

describe('trackingBody (OR23)', () => {
  it('sends a registered carrier by code, without its URL', () => {
    expect(
      trackingBody('DHL', { carrier: 'DHL Express', trackingNumber: 'JJD1', trackingUrl: 'https://dhl/JJD1' }),
    ).toEqual({ carrier_code: 'DHL', tracking_number: 'JJD1' });
  });

  it('sends an unregistered carrier by name and URL', () => {
    expect(
      trackingBody(undefined, { carrier: ' Transports Martin ', trackingNumber: 'TM7', trackingUrl: 'https://tm/TM7' }),
    ).toEqual({
      carrier_name: 'Transports Martin',
      carrier_url: 'https://tm/TM7',
      tracking_number: 'TM7',
    });
  });

  it('leaves out empty tracking fields', () => {
    expect(trackingBody(undefined, { carrier: 'Coursier', trackingNumber: '', trackingUrl: '' })).toEqual({
      carrier_name: 'Coursier',
      carrier_url: undefined,
      tracking_number: undefined,
    });
  });
});

describe('createCarrierMap', () => {
  it('maps configured names first, case-insensitively', async () => {
    const carriers = createCarrierMap({
      configured: { 'DHL Express': 'DHL_EXPRESS_FR' },
      listCarriers: async () => [{ code: 'DHL', label: 'DHL Express' }],
    });
    expect(await carriers.codeFor('dhl express')).toBe('DHL_EXPRESS_FR');
  });

  it("then matches the marketplace's carriers on label or code, reading the list once", async () => {
    let reads = 0;
    const carriers = createCarrierMap({
      configured: {},
      listCarriers: async () => ((reads += 1), [{ code: 'COLISSIMO', label: 'Colissimo' }]),
    });
    expect(await carriers.codeFor('COLISSIMO')).toBe('COLISSIMO');
    expect(await carriers.codeFor('colissimo ')).toBe('COLISSIMO');
    expect(await carriers.codeFor('Transports Martin')).toBeUndefined();
    expect(reads).toBe(1);
  });

  it('treats every carrier as unregistered while the list cannot be read, and tries again a minute later', async () => {
    let now = 0;
    let reads = 0;
    const carriers = createCarrierMap({
      configured: {},
      now: () => now,
      listCarriers: async () => {
        reads += 1;
        if (reads === 1) throw new Error('MMP SH21 answered 503');
        return [{ code: 'UPS', label: 'UPS' }];
      },
    });
    expect(await carriers.codeFor('UPS')).toBeUndefined();
    now = 30_000;
    expect(await carriers.codeFor('UPS')).toBeUndefined();
    now = 61_000;
    expect(await carriers.codeFor('UPS')).toBe('UPS');
    expect(reads).toBe(2);
  });
});

describe('shipOrder (OR23, OR24; OR11 on a refusal or for items)', () => {
  it('sets the tracking, then ships, without reading the order', async () => {
    const mmp = fakeMmp(order('SHIPPING'));
    const carriers = createCarrierMap({ configured: {}, listCarriers: () => mmp.client.listCarriers() });
    await shipOrder(mmp.client, carriers, { channelOrderId: 'MKP-1', carrier: 'DHL Express', trackingNumber: 'JJD1' });
    expect(mmp.calls).toEqual(['SH21', 'OR23', 'OR24']);
    expect(mmp.tracking).toEqual([{ carrier_code: 'DHL', tracking_number: 'JJD1' }]);
  });

  it('confirms an order already shipped from the refusal of OR24 (a redelivery)', async () => {
    const mmp = fakeMmp(order('SHIPPED'));
    await shipOrder(mmp.client, noCarriers, { channelOrderId: 'MKP-1', carrier: 'UPS' });
    expect(mmp.calls).toEqual(['OR23', 'OR24', 'OR11']);
  });

  it('confirms an order already shipped without calling OR23/OR24 when the items made it read first', async () => {
    const mmp = fakeMmp(order('SHIPPED'));
    await shipOrder(mmp.client, noCarriers, {
      channelOrderId: 'MKP-1',
      carrier: 'UPS',
      lines: [{ channelOrderLineId: 'L1', quantity: 2 }],
    });
    expect(mmp.calls).toEqual(['OR11']);
  });

  it('ships when items cover every open line in full', async () => {
    const mmp = fakeMmp(
      order('SHIPPING', [
        ['L1', 2],
        ['L2', 1],
        ['L3', 4, 'CANCELED'],
      ]),
    );
    const lines = [
      { channelOrderLineId: 'L1', quantity: 1 },
      { channelOrderLineId: 'L1', quantity: 1 },
      { channelOrderLineId: 'L2', quantity: 1 },
    ];
    await shipOrder(mmp.client, noCarriers, { channelOrderId: 'MKP-1', carrier: 'UPS', lines });
    expect(mmp.calls).toEqual(['OR11', 'OR23', 'OR24']);
  });

  it('refuses a partial shipment as ACTION_NOT_SUPPORTED, before any change', async () => {
    const mmp = fakeMmp(order('SHIPPING'));
    const failure = await failureOf(
      shipOrder(mmp.client, noCarriers, {
        channelOrderId: 'MKP-1',
        carrier: 'UPS',
        lines: [{ channelOrderLineId: 'L1', quantity: 2 }],
      }),
    );
    expect(failure).toMatchObject({ code: 'ACTION_NOT_SUPPORTED', transient: false });
    expect(mmp.calls).toEqual(['OR11']);
  });

  it('reports a line the order does not have as DATA_NOT_FOUND', async () => {
    const mmp = fakeMmp(order('SHIPPING'));
    const failure = await failureOf(
      shipOrder(mmp.client, noCarriers, {
        channelOrderId: 'MKP-1',
        carrier: 'UPS',
        lines: [{ channelOrderLineId: 'L9', quantity: 1 }],
      }),
    );
    expect(failure).toEqual({
      code: 'DATA_NOT_FOUND',
      transient: false,
      message: 'Order MKP-1 has no line L9 on the marketplace',
    });
  });

  it('reports an unknown order as DATA_NOT_FOUND', async () => {
    const failure = await failureOf(
      shipOrder(fakeMmp(undefined).client, noCarriers, { channelOrderId: 'MKP-1', carrier: 'UPS' }),
    );
    expect(failure).toEqual({
      code: 'DATA_NOT_FOUND',
      transient: false,
      message: 'Order MKP-1 not found on the marketplace (MMP OR23, store 2005)',
    });
  });

  it.each([
    ['CANCELED', false],
    ['REFUSED', false],
    ['CLOSED', false],
    ['WAITING_ACCEPTANCE', true],
    ['WAITING_DEBIT_PAYMENT', true],
  ])('fails an order in state %s with ORDER_IN_WRONG_STATE (transient: %s)', async (state, transient) => {
    const mmp = fakeMmp(order(state));
    const failure = await failureOf(shipOrder(mmp.client, noCarriers, { channelOrderId: 'MKP-1', carrier: 'UPS' }));
    expect(failure).toMatchObject({ code: 'ORDER_IN_WRONG_STATE', transient });
    expect(mmp.calls).toEqual(['OR23', 'OR11']);
  });

  it('turns an OR24 refusal into success when the order turns out shipped', async () => {
    const mmp = fakeMmp(order('SHIPPING'), { ship: true });
    const shipping = shipOrder(mmp.client, noCarriers, { channelOrderId: 'MKP-1', carrier: 'UPS' });
    mmp.setState('SHIPPED');
    await shipping;
    expect(mmp.calls).toEqual(['OR23', 'OR24', 'OR11']);
  });

  it('reports an OR24 refusal of an order still SHIPPING as UNEXPECTED, naming the refusal', async () => {
    const mmp = fakeMmp(order('SHIPPING'), { ship: true });
    const failure = await failureOf(shipOrder(mmp.client, noCarriers, { channelOrderId: 'MKP-1', carrier: 'UPS' }));
    expect(failure).toEqual({
      code: 'UNEXPECTED',
      transient: false,
      message: 'MMP OR24 refused to ship order MKP-1 in state SHIPPING (400)',
    });
  });

  it('reports an unregistered carrier refused by OR23 as CARRIER_NOT_SUPPORTED', async () => {
    const mmp = fakeMmp(order('SHIPPING'), { tracking: true });
    const failure = await failureOf(
      shipOrder(mmp.client, noCarriers, { channelOrderId: 'MKP-1', carrier: 'Pigeon Post' }),
    );
    expect(failure).toMatchObject({
      code: 'CARRIER_NOT_SUPPORTED',
      message: expect.stringContaining("Carrier 'Pigeon Post'"),
    });
    expect(mmp.calls).toEqual(['OR23', 'OR11']);
  });
});
