import { describe, expect, it } from 'vitest';
import { readMessage } from '../../../lib/actions/index.js';
import { perform } from '../../../lib/actions/registry.js';
import type { DocumentArchive } from '../../../lib/archive/index.js';
import type { SalesChannel } from '../../../lib/channel/index.js';
import { vendorExample, vendorExamples } from '../../fixtures/events.js';
import { memoryIntent } from '../../support/mmp-fakes.js';

/** A channel that records the port calls an action makes, whatever the port's methods. */
const recordingChannel = () => {
  const calls: Array<{ method: string; args: unknown[] }> = [];
  const channel = new Proxy(
    {},
    {
      get:
        (_channel, method: string) =>
        async (...args: unknown[]) =>
          void calls.push({ method, args }),
    },
  );
  return { channel: channel as SalesChannel, calls };
};

/** UPLOAD_DOCUMENT is not run here: no action below touches the archive. */
const unusedArchive = new Proxy(
  {},
  { get: () => () => Promise.reject(new Error('the archive is not used here')) },
) as DocumentArchive;

/** Reads a vendor example as the processor does, runs its action, and returns the one port call made. */
const portCallOf = async (event: { type: string }) => {
  const read = readMessage(JSON.stringify(event));
  if (read.kind !== 'action') throw new Error(`not an action: ${read.kind}`);
  const { channel, calls } = recordingChannel();
  const intent = memoryIntent();
  await perform(read.action, channel, { actionId: read.actionId, intent, documents: unusedArchive });
  expect(calls).toHaveLength(1);
  return { ...(calls[0] as { method: string; args: unknown[] }), intent };
};

const example = (summary: string) => {
  const found = vendorExamples().find((candidate) => candidate.summary === summary);
  if (!found) throw new Error(`no vendor example "${summary}"`);
  return found.event;
};

describe('Connect payload → Channel port (vendor examples)', () => {
  it('ACCEPT: one decision per line', async () => {
    const { method, args } = await portCallOf(vendorExample('ACCEPT'));
    expect(method).toBe('accept');
    expect(args).toEqual([
      {
        channelOrderId: 'ORDER-12345',
        lines: [
          { channelOrderLineId: '0002_3202630-A-1', accepted: true },
          { channelOrderLineId: '0002_3202630-A-2', accepted: false },
        ],
      },
    ]);
  });

  it('CREATE_SHIPMENT: carrier, tracking and items, with the intent', async () => {
    const { method, args, intent } = await portCallOf(vendorExample('CREATE_SHIPMENT'));
    expect(method).toBe('ship');
    expect(args).toEqual([
      {
        channelOrderId: 'ORDER-12345',
        carrier: 'UPS',
        trackingNumber: '123456',
        trackingUrl: 'https://wwwapps.ups.com/WebTracking/track',
        lines: [{ channelOrderLineId: '0024_COMMERCIAL_ID-A-1', quantity: 10 }],
      },
      intent,
    ]);
  });

  it('CANCEL: amounts, taxes and reason of each line, with the intent', async () => {
    const { method, args, intent } = await portCallOf(vendorExample('CANCEL'));
    expect(method).toBe('cancel');
    expect(args).toEqual([
      {
        channelOrderId: 'ORDER-12345',
        lines: [
          {
            channelOrderLineId: '0002_3202630-A-1',
            quantity: 1,
            reason: 'CUSTOMER_CANCELATION',
            price: { amount: 15, currency: 'USD' },
            shippingPrice: { amount: 8, currency: 'USD' },
            taxes: [
              { code: 'Tax1', amount: { amount: 1, currency: 'USD' } },
              { code: 'Tax2', amount: { amount: 2, currency: 'USD' } },
            ],
            shippingTaxes: [
              { code: 'ShippingTax1', amount: { amount: 3, currency: 'USD' } },
              { code: 'ShippingTax2', amount: { amount: 4, currency: 'USD' } },
            ],
          },
        ],
      },
      intent,
    ]);
  });

  it("REFUND: the example's order_line_id is read as the line id", async () => {
    const { method, args } = await portCallOf(vendorExample('REFUND'));
    expect(method).toBe('refund');
    expect(args[0]).toMatchObject({
      channelOrderId: 'ORDER-12345',
      lines: [
        {
          channelOrderLineId: '0002_3202630-A-1',
          quantity: 1,
          reason: 'ITEM_NOT_RECEIVED',
          price: { amount: 15, currency: 'USD' },
        },
      ],
    });
  });

  it('ACCEPT_RETURN accepted: the null rejection_reason is left out', async () => {
    const { method, args } = await portCallOf(example('Accept return example'));
    expect(method).toBe('acceptReturn');
    expect(args).toEqual([
      { channelOrderId: 'ORDER-12345', channelReturnId: 'RETURN-67890', accepted: true, rejectionReason: undefined },
    ]);
  });

  it('ACCEPT_RETURN refused: with its reason', async () => {
    const { args } = await portCallOf(example('Refuse return example'));
    expect(args).toEqual([
      {
        channelOrderId: 'ORDER-12345',
        channelReturnId: 'RETURN-67890',
        accepted: false,
        rejectionReason: 'NOT_ELIGIBLE_FOR_RETURN',
      },
    ]);
  });

  it('UPDATE_RETURN_TRACKING_INFORMATION: RMA, label and tracking', async () => {
    const { method, args } = await portCallOf(vendorExample('UPDATE_RETURN_TRACKING_INFORMATION'));
    expect(method).toBe('updateReturnTracking');
    expect(args).toEqual([
      {
        channelOrderId: 'ORDER-12345',
        channelReturnId: 'RETURN-67890',
        rmaId: 'CR117B72FEF5E8391187',
        labelUrl: 'https://shipping.ups.com/returns/labels/d290f1ee-6c54-4b01-90e6-d701748f0851.pdf',
        carrier: 'FedEx',
        trackingNumber: '123456',
        trackingUrl: 'https://www.fedex.com/fedextrack/?trknbr=123456',
      },
    ]);
  });

  it.each([
    ['ACKNOWLEDGE_RETURN_RECEPTION', 'receiveReturn'],
    ['CLOSE_RETURN', 'closeReturn'],
  ] as const)('%s → %s', async (type, expected) => {
    const { method, args } = await portCallOf(vendorExample(type));
    expect(method).toBe(expected);
    expect(args).toEqual([{ channelOrderId: 'ORDER-12345', channelReturnId: 'RETURN-67890' }]);
  });
});
