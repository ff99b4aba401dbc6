import { describe, expect, it } from 'vitest';
import {
  connectReasonOfLabel,
  createMarketplaceReasons,
  reasonMappings,
  unmappedReasons,
  type MarketplaceReason,
} from '../../../../lib/channel/mmp/reasons/index.js';
import { ActionFailure } from '../../../../lib/outcome.js';

const reason = (code: string, type: string, label: string, isShopRight = true): MarketplaceReason => ({
  code,
  label,
  type,
  is_shop_right: isShopRight,
});

/** RE01 of an operator with the vendor example's labels. */
const ENGLISH = [
  reason('34', 'CANCELATION', 'Cancelled by the client prior to shipping'),
  reason('35', 'CANCELATION', 'Out of stock'),
  reason('14', 'CANCELATION', 'No response from the shop', false),
  reason('1', 'INCIDENT_OPEN', 'Item not received', false),
  reason('15', 'REFUND', 'Out of stock'),
  reason('17', 'REFUND', 'Item returned'),
  reason('18', 'REFUND', 'Item not received'),
  reason('19', 'REFUND', 'Agreement found with the vendor'),
];

describe('connectReasonOfLabel', () => {
  it.each([
    ['Cancelled by the client prior to shipping', 'CUSTOMER_CANCELATION'],
    ['Customer cancellation', 'CUSTOMER_CANCELATION'],
    ['Annulée par le client avant expédition', 'CUSTOMER_CANCELATION'],
    ["ANNULATION À LA DEMANDE DE L'ACHETEUR", 'CUSTOMER_CANCELATION'],
    ['Out of stock', 'OUT_OF_STOCK'],
    ['Rupture de stock', 'OUT_OF_STOCK'],
    ['Item returned', 'RETURN'],
    ['Article retourné', 'RETURN'],
    ['Item not received', 'ITEM_NOT_RECEIVED'],
    ['Article non reçu', 'ITEM_NOT_RECEIVED'],
    ['Retour non reçu', 'ITEM_NOT_RECEIVED'],
    ['Agreement found with the vendor', 'AGREEMENT'],
    ['Accord trouvé avec le vendeur', 'AGREEMENT'],
    ['Damaged or defective item', 'DEFECT'],
    ['Produit défectueux (retourné)', 'DEFECT'],
    ['Article cassé', 'DEFECT'],
    ['Unable to deliver to the address', 'UNABLE_TO_DELIVER'],
    ['Colis impossible à livrer', 'UNABLE_TO_DELIVER'],
    ['Undeliverable parcel', 'UNABLE_TO_DELIVER'],
    ['Other', 'CHANNEL_SPECIFIC'],
    ['Autre motif', 'CHANNEL_SPECIFIC'],
  ])('reads %j as %s', (label, expected) => {
    expect(connectReasonOfLabel(label)).toBe(expected);
  });

  it.each(['No response from the shop', 'Late shipment', 'Cancelled by the shop', 'Stockholm office'])(
    'finds no reason in %j',
    (label) => {
      expect(connectReasonOfLabel(label)).toBeUndefined();
    },
  );
});

describe('reasonMappings', () => {
  it('matches every Connect reason to the first code of the type the shop may use, and says where each comes from', () => {
    const mappings = reasonMappings(
      [...ENGLISH, reason('40', 'CANCELATION', 'Rupture de stock fournisseur')],
      'CANCELATION',
      { AGREEMENT: '36' },
    );
    expect(mappings).toEqual([
      {
        type: 'CANCELATION',
        reason: 'CUSTOMER_CANCELATION',
        source: 'matched',
        code: '34',
        label: 'Cancelled by the client prior to shipping',
      },
      { type: 'CANCELATION', reason: 'OUT_OF_STOCK', source: 'matched', code: '35', label: 'Out of stock' },
      { type: 'CANCELATION', reason: 'RETURN', source: 'none' },
      { type: 'CANCELATION', reason: 'ITEM_NOT_RECEIVED', source: 'none' },
      { type: 'CANCELATION', reason: 'AGREEMENT', source: 'configured', code: '36', label: undefined },
      { type: 'CANCELATION', reason: 'DEFECT', source: 'none' },
      { type: 'CANCELATION', reason: 'UNABLE_TO_DELIVER', source: 'none' },
      { type: 'CANCELATION', reason: 'CHANNEL_SPECIFIC', source: 'none' },
    ]);
  });

  it('lets a configured code override a match, with the label the marketplace gives it', () => {
    const refunds = reasonMappings(ENGLISH, 'REFUND', { RETURN: '19' });
    expect(refunds.find((mapping) => mapping.reason === 'RETURN')).toEqual({
      type: 'REFUND',
      reason: 'RETURN',
      source: 'configured',
      code: '19',
      label: 'Agreement found with the vendor',
    });
    expect(refunds.find((mapping) => mapping.reason === 'ITEM_NOT_RECEIVED')).toMatchObject({
      source: 'matched',
      code: '18',
    });
  });
});

describe('createMarketplaceReasons', () => {
  const counting = (list: () => Promise<MarketplaceReason[]>, now = () => 0) => {
    const reads = { count: 0 };
    const reasons = createMarketplaceReasons({
      configured: { CANCELATION: { OUT_OF_STOCK: '99' }, REFUND: {} },
      listReasons: () => ((reads.count += 1), list()),
      now,
    });
    return { reads, reasons };
  };

  it('uses a configured code without reading RE01, and reads RE01 once for the others', async () => {
    const { reads, reasons } = counting(async () => ENGLISH);
    expect(await reasons.codeFor('CANCELATION', 'OUT_OF_STOCK')).toBe('99');
    expect(reads.count).toBe(0);
    expect(
      await Promise.all([
        reasons.codeFor('CANCELATION', 'CUSTOMER_CANCELATION'),
        reasons.codeFor('REFUND', 'RETURN'),
        reasons.codeFor('REFUND', 'DEFECT'),
      ]),
    ).toEqual(['34', '17', undefined]);
    expect(reads.count).toBe(1);
    expect(await reasons.onOffer('CANCELATION')).toEqual([ENGLISH[0], ENGLISH[1]]);
  });

  it('reads RE01 again an hour later', async () => {
    let clock = 0;
    const { reads, reasons } = counting(
      async () => ENGLISH,
      () => clock,
    );
    await reasons.codeFor('REFUND', 'RETURN');
    clock = 59 * 60_000;
    await reasons.codeFor('REFUND', 'RETURN');
    expect(reads.count).toBe(1);
    clock = 61 * 60_000;
    await reasons.codeFor('REFUND', 'RETURN');
    expect(reads.count).toBe(2);
  });

  it('passes a failed read on (a transient one stays transient) and reads again next time', async () => {
    let fail = true;
    const { reads, reasons } = counting(async () => {
      if (fail) throw new ActionFailure('UNAVAILABLE', 'MMP RE01 failed: 503', { transient: true });
      return ENGLISH;
    });
    await expect(reasons.codeFor('REFUND', 'RETURN')).rejects.toMatchObject({ transient: true, code: 'UNAVAILABLE' });
    fail = false;
    expect(await reasons.codeFor('REFUND', 'RETURN')).toBe('17');
    expect(reads.count).toBe(2);
  });

  it("gives the Connect reason of a marketplace code: configured, else its label (the operator's own too), else CHANNEL_SPECIFIC", async () => {
    const { reasons } = counting(async () => ENGLISH);
    expect(await reasons.connectReasonOf('CANCELATION', '99')).toBe('OUT_OF_STOCK');
    expect(await reasons.connectReasonOf('CANCELATION', '34')).toBe('CUSTOMER_CANCELATION');
    expect(await reasons.connectReasonOf('REFUND', '18')).toBe('ITEM_NOT_RECEIVED');
    expect(await reasons.connectReasonOf('CANCELATION', '14')).toBe('CHANNEL_SPECIFIC');
    expect(await reasons.connectReasonOf('REFUND', '34')).toBe('CHANNEL_SPECIFIC');
    expect(await reasons.connectReasonOf('REFUND', 'UNKNOWN')).toBe('CHANNEL_SPECIFIC');
  });

  it('gives the same answers as a plain function, for a pure mapping', async () => {
    const { reads, reasons } = counting(async () => ENGLISH);
    const reasonOf = await reasons.connectReasonReader();
    expect([
      reasonOf('REFUND', '17'),
      reasonOf('CANCELATION', '99'),
      reasonOf('REFUND', null),
      reasonOf('REFUND', 'UNKNOWN'),
    ]).toEqual(['RETURN', 'OUT_OF_STOCK', 'CHANNEL_SPECIFIC', 'CHANNEL_SPECIFIC']);
    expect(reads.count).toBe(1);
  });

  it('lists the mapping of both types', async () => {
    const { reasons } = counting(async () => ENGLISH);
    const mappings = await reasons.mappings();
    expect(mappings).toHaveLength(16);
    expect(
      mappings
        .filter((mapping) => mapping.source !== 'none')
        .map(({ type, reason, source, code }) => `${type} ${reason} ${source} ${code}`),
    ).toEqual([
      'CANCELATION CUSTOMER_CANCELATION matched 34',
      'CANCELATION OUT_OF_STOCK configured 99',
      'REFUND OUT_OF_STOCK matched 15',
      'REFUND RETURN matched 17',
      'REFUND ITEM_NOT_RECEIVED matched 18',
      'REFUND AGREEMENT matched 19',
    ]);
  });
});

describe('unmappedReasons', () => {
  it('says when the marketplace offers no code at all', () => {
    expect(unmappedReasons('MKP-1', 'REFUND', ['DEFECT', 'RETURN'], []).message).toBe(
      "Reason DEFECT, RETURN of order MKP-1 matches none of the marketplace's REFUND reasons (the marketplace lists none): map it in MMP_REFUND_REASON_CODES",
    );
  });
});
