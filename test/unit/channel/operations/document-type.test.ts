import { describe, expect, it } from 'vitest';
import { connectDocumentType, pdfFileName } from '../../../../lib/channel/operations/index.js';

describe('operation → Connect document', () => {
  it.each([
    ['INVOICE', { type: 'CUSTOMER_INVOICE' }],
    ['DELIVERY_NOTE', { type: 'DELIVERY_SLIP' }],
    ['DELIVERY', { type: 'SHIPMENT_DELIVERY_SLIP' }],
    ['PRE_ORDER', { type: 'CHANNEL_SPECIFIC', channel_type: 'PRE_ORDER' }],
    ['toString', { type: 'CHANNEL_SPECIFIC', channel_type: 'toString' }],
  ])('%s is %o', (operationType, expected) => {
    expect(connectDocumentType(operationType)).toEqual(expected);
  });

  it('names the PDF after its link, or after the operation', () => {
    expect(
      pdfFileName({
        id: '5',
        operationType: 'INVOICE',
        pdfUrl: 'https://ops.example.com/entity1-1450169988465/orderPDF/4_marie_order_2014_12_20.pdf',
      }),
    ).toBe('4_marie_order_2014_12_20.pdf');
    expect(pdfFileName({ id: '5', operationType: 'INVOICE', pdfUrl: 'https://ops.example.com/' })).toBe(
      'INVOICE-5.pdf',
    );
  });
});
