import { describe, expect, it } from 'vitest';
import {
  connectDocumentType,
  connectFileName,
  invoiceTypesOf,
  planOrderDocuments,
  returnDocumentsOf,
} from '../../../../lib/import/documents/index.js';
import type { OrderDocumentEntry } from '../../../../lib/ledger/index.js';

describe('connectDocumentType', () => {
  const invoices = new Set(['CUSTOMER_INVOICE', 'B2B_INVOICE']);
  it('maps the system types, the invoice types, and keeps any other type as CHANNEL_SPECIFIC', () => {
    expect(connectDocumentType('SYSTEM_RETURN_LABEL', invoices)).toEqual({ type: 'RETURN_LABEL' });
    expect(connectDocumentType('SYSTEM_DELIVERY_BILL', invoices)).toEqual({ type: 'DELIVERY_SLIP' });
    expect(connectDocumentType('SYSTEM_SHIPMENT_DELIVERY_BILL', invoices)).toEqual({ type: 'SHIPMENT_DELIVERY_SLIP' });
    expect(connectDocumentType('B2B_INVOICE', invoices)).toEqual({ type: 'CUSTOMER_INVOICE' });
    expect(connectDocumentType('CARE_GUIDE', invoices)).toEqual({
      type: 'CHANNEL_SPECIFIC',
      channel_type: 'CARE_GUIDE',
    });
    expect(connectDocumentType('hasOwnProperty', invoices)).toEqual({
      type: 'CHANNEL_SPECIFIC',
      channel_type: 'hasOwnProperty',
    });
  });
});

describe('invoiceTypesOf (DO01)', () => {
  it("takes the order types labelled as invoices in the operators' languages, not credit notes or shop documents", () => {
    const types = invoiceTypesOf(
      [
        { code: 'SYSTEM_DELIVERY_BILL', label: 'Delivery slip', description: 'Delivery slip', entity: 'ORDER' },
        { code: 'FACT', label: 'Facture', entity: 'ORDER' },
        { code: 'RE', label: 'Rechnung', entity: 'ORDER' },
        { code: 'AVOIR', label: 'Avoir sur facture', entity: 'ORDER' },
        { code: 'CN', label: 'Credit note', description: 'Invoice correction', entity: 'ORDER' },
        { code: 'SHOP_INVOICE', label: 'Invoice of the shop', entity: 'SHOP' },
      ],
      'OPERATOR_INVOICE',
    );
    expect([...types].sort()).toEqual(['CUSTOMER_INVOICE', 'FACT', 'OPERATOR_INVOICE', 'RE']);
  });
});

describe('connectFileName', () => {
  it('keeps names Connect takes and clips longer ones before the extension', () => {
    expect(connectFileName('中国邮政_774602727890.png')).toBe('中国邮政_774602727890.png');
    const clipped = connectFileName(`${'é'.repeat(300)}.pdf`);
    expect([...clipped]).toHaveLength(255);
    expect(clipped.endsWith('é.pdf')).toBe(true);
  });
});

describe('planOrderDocuments', () => {
  const listed = (id: string, type = 'CUSTOMER_INVOICE') => ({ id, fileName: `${id}.pdf`, type });
  const state = (entries: Record<string, OrderDocumentEntry>) => ({
    documents: new Map(Object.entries(entries)),
    attached: new Set<string>(),
  });

  it('pushes what is new or may not have landed, deletes what this connector uploaded and is gone, forgets the rest', () => {
    const plan = planOrderDocuments(
      [listed('1'), listed('2'), listed('3'), listed('4', 'SYSTEM_RETURN_LABEL'), listed('5', 'SYSTEM_RETURN_LABEL')],
      state({
        '2': { status: 'uploaded', channel_document_id: 'mmp-s-2' },
        '3': { status: 'uploading', channel_document_id: 'mmp-s-3' },
        '7': { status: 'uploaded', channel_document_id: 'mmp-s-7' },
        '8': { status: 'uploading', channel_document_id: 'mmp-s-8' },
        '9': { status: 'echo', sha256: 'ab' },
        '10': { status: 'skipped', reason: 'docx' },
      }),
      (id) => (id === '5' ? 'return-5' : undefined),
    );
    expect(plan).toEqual({
      push: [
        { document: listed('1') },
        { document: listed('3'), previous: { status: 'uploading', channel_document_id: 'mmp-s-3' } },
        { document: listed('5', 'SYSTEM_RETURN_LABEL') },
      ],
      awaitingReturn: [listed('4', 'SYSTEM_RETURN_LABEL')],
      remove: [
        { documentId: '7', channelDocumentId: 'mmp-s-7' },
        { documentId: '8', channelDocumentId: 'mmp-s-8' },
      ],
      forget: ['9', '10'],
      unchanged: 1,
    });
  });
});

describe('returnDocumentsOf (RT11)', () => {
  it("ties each document RT11 lists on a return to that return's id", () => {
    const returns = [
      { id: 'f61b5db8-d8f5-4715-b05f-aa4432c0e9e2', documents: [{ id: '1337', type: 'SYSTEM_RETURN_LABEL' }] },
      { id: 'a61b5db8-d8f5-4715-b05f-aa4432c0e9e3', documents: null },
    ];
    expect([...returnDocumentsOf(returns)]).toEqual([['1337', 'f61b5db8-d8f5-4715-b05f-aa4432c0e9e2']]);
  });
});
