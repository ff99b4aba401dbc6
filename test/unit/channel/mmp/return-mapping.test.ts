import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MmpImportedReturnSchema } from '../../../../lib/channel/mmp/imported-order.js';
import { toConnectReturn } from '../../../../lib/channel/mmp/order-mapping.js';
import {
  ConnectReturnSchema,
  describeInvalidBody,
  UpsertReturnsRequestSchema,
} from '../../../../lib/connect/channel-orders.js';
import { createSpecValidator } from '../../../../local/simulators/spec-validator.js';
import { mmpReturn, vendorRt11Returns } from '../../../fixtures/mmp-orders.js';

const connectSpec = createSpecValidator(
  fileURLToPath(new URL('../../../../contracts/mirakl-connect-channel-openapi.json', import.meta.url)),
);
const origin = { channel_id: '0024', channel_store_id: '2005' };
const upsertViolations = (returns: unknown[]) => connectSpec.validate('UpsertReturnsRequest', { origin, returns });

describe('toConnectReturn: the vendor RT11 examples', () => {
  it('maps a return waiting for acceptance, lines taking the return reason when they have none', () => {
    expect(toConnectReturn(mmpReturn())).toEqual({
      channel_return_id: 'f61b5db8-d8f5-4715-b05f-aa4432c0e9e2',
      channel_order_id: 'ORDER-1-A',
      created_at: '2023-02-27T16:14:52Z',
      channel_updated_at: '2023-02-27T16:14:52Z',
      status: 'REQUEST_INITIATED',
      return_lines: [
        { channel_order_line_id: 'ORDER-1-A-1', quantity: 2, reason: 'UNWANTED_ITEM' },
        { channel_order_line_id: 'ORDER-1-A-2', quantity: 3, reason: 'UNWANTED_ITEM' },
      ],
      rma_id: 'RETURN_RMA',
      method: 'RETURN_METHOD_BY_MAIL',
      tracking: {
        carrier_name: 'UPS',
        tracking_number: '35H8O95K',
        tracking_url: 'https://wwwapps.ups.com/WebTracking/track?track=yes&trackNums=35H8O95K',
      },
      address: {
        street: '30, Prince Street',
        street_additional_info: '1st floor',
        city: 'New York',
        state: 'Manhattan',
        zip_code: 'NY 10012',
        country_iso_code: 'USA',
      },
    });
  });

  it('maps a refused return with its rejection reason, its label and no tracking', () => {
    const mapped = toConnectReturn(mmpReturn({}, 1));
    expect(mapped).toMatchObject({
      channel_return_id: '2dc4f7d7-da59-4588-bec7-ce62daab2f93',
      channel_updated_at: '2023-02-27T16:37:19Z',
      status: 'REQUEST_DECLINED',
      rejection_reason: 'NOT_ELIGIBLE_FOR_RETURN',
      label_url: 'https://www.label-url.com',
      return_lines: [{ channel_order_line_id: 'ORDER-2-A-1', quantity: 1, reason: 'WRONG_ITEM' }],
    });
    expect(mapped).not.toHaveProperty('tracking');
    expect(mapped).not.toHaveProperty('rma_id');
  });
});

describe('toConnectReturn: states and reasons (MIRAKL-SYNC.md §6.4)', () => {
  it.each([
    ['WAITING_ACCEPTANCE', 'REQUEST_INITIATED'],
    ['IN_PROGRESS', 'OPENED'],
    ['REFUSED', 'REQUEST_DECLINED'],
    ['RECEIVED', 'RECEIVED'],
    ['CLOSED', 'CLOSED'],
    ['CANCELED', 'CLOSED'],
    ['NO_RECEPTION', 'CHANNEL_SPECIFIC'],
    ['SOMETHING_NEW', 'CHANNEL_SPECIFIC'],
  ])('%s → %s', (state, status) => {
    expect(toConnectReturn(mmpReturn({ state })).status).toBe(status);
  });

  it.each([
    ['RETURN_REJECTION_NOT_ELIGIBLE', 'NOT_ELIGIBLE_FOR_RETURN'],
    ['RETURN_REJECTION_WINDOW_CLOSED', 'RETURN_WINDOW_CLOSED'],
    ['RETURN_REJECTION_NOT_NEEDED', 'OTHER'],
    ['RETURN_REJECTION_SOMETHING_NEW', 'OTHER'],
  ])('rejection %s → %s', (rejection_reason_code, rejection) => {
    expect(toConnectReturn(mmpReturn({ state: 'REFUSED', rejection_reason_code })).rejection_reason).toBe(rejection);
  });

  it.each([
    ['RETURN_BROKEN_ITEM', 'DAMAGED_ITEM'],
    ['RETURN_DAMAGED_PACKAGING', 'DAMAGED_ITEM'],
    ['RETURN_DEFECTIVE_ON_ARRIVAL', 'DEFECTIVE_ITEM'],
    ['RETURN_WARRANTY', 'DEFECTIVE_ITEM'],
    ['RETURN_MISSING_ITEM', 'MISSING_ITEM'],
    ['RETURN_DPD_WRONG_SIZE', 'WRONG_ITEM'],
    ['RETURN_INACCURATE_ITEM_DESCRIPTION', 'WRONG_ITEM'],
    ['RETURN_PDNT_TOO_SMALL', 'UNWANTED_ITEM'],
    ['RETURN_OTHER', 'OTHER'],
    ['RETURN_SOMETHING_NEW', 'OTHER'],
  ])('line reason %s → %s, over the return reason', (reason_code, reason) => {
    const return_lines = [{ order_line_id: 'ORDER-1-A-1', quantity: 1, reason_code }];
    expect(
      toConnectReturn(mmpReturn({ return_lines, reason_code: 'RETURN_CHANGED_MIND' })).return_lines[0]?.reason,
    ).toBe(reason);
  });

  it('reads the tracking carrier under the spec names too, the name before the code', () => {
    const tracking = { carrier_code: 'DHL', carrier_name: 'DHL Express', tracking_number: 'T1', tracking_url: null };
    expect(toConnectReturn(mmpReturn({ tracking })).tracking).toEqual({
      carrier_name: 'DHL Express',
      tracking_number: 'T1',
    });
  });
});

describe("every mapped return matches Mirakl's spec", () => {
  it('as an UpsertReturnsRequest, for the vendor validator and for ours', () => {
    const returns = [
      ...vendorRt11Returns().map((data) => toConnectReturn(MmpImportedReturnSchema.parse(data))),
      ...['IN_PROGRESS', 'RECEIVED', 'CLOSED', 'CANCELED', 'NO_RECEPTION', 'SOMETHING_NEW'].map((state) =>
        toConnectReturn(mmpReturn({ state })),
      ),
      toConnectReturn(mmpReturn({ return_address: null, tracking: null, rma: null })),
    ];
    expect(upsertViolations(returns)).toEqual([]);
    expect(UpsertReturnsRequestSchema.safeParse({ origin, returns }).success).toBe(true);
  });
});

describe('ConnectReturnSchema rejects what Connect would', () => {
  it('names each broken field by its path', () => {
    const mapped = structuredClone(toConnectReturn(mmpReturn()));
    const body = {
      ...mapped,
      status: 'LOST',
      return_lines: [{ channel_order_line_id: 'ORDER-1-A-1', quantity: 1.5, reason: 'BORING' }],
      address: { city: 'New York', country_iso_code: 'USA' },
    };
    const result = ConnectReturnSchema.safeParse(body);
    expect(result.success).toBe(false);
    const described = describeInvalidBody(result.error!);
    for (const path of ['status', 'return_lines[0].quantity', 'return_lines[0].reason', 'address.street'])
      expect(described).toContain(path);

    expect(upsertViolations([body])).toEqual(
      expect.arrayContaining([
        expect.stringContaining('/returns/0/status'),
        expect.stringContaining('/returns/0/return_lines/0/quantity'),
        expect.stringContaining('/returns/0/return_lines/0/reason'),
        expect.stringContaining('/returns/0/address/street'),
      ]),
    );
  });

  it('rejects a return with no line and an address country that is not alpha-3 (the spec says so only as a format name)', () => {
    const mapped = toConnectReturn(
      mmpReturn({ return_address: { street1: 'Rue 1', city: 'Paris', country_iso_code: 'FR' } }),
    );
    const described = describeInvalidBody(ConnectReturnSchema.safeParse({ ...mapped, return_lines: [] }).error!);
    expect(described).toContain('return_lines');
    expect(described).toContain('address.country_iso_code');
  });
});

describe('MmpImportedReturnSchema', () => {
  it('rejects a return without its order, naming the field', () => {
    const { order_id: _dropped, ...data } = vendorRt11Returns()[0] as Record<string, unknown>;
    const result = MmpImportedReturnSchema.safeParse(data);
    expect(result.success).toBe(false);
    expect(describeInvalidBody(result.error!)).toContain('order_id');
  });
});
