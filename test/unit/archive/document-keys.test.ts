import { describe, expect, it } from 'vitest';
import { contentDisposition, documentKeys, documentMetadata, type DocumentOrigin } from '../../../lib/archive/index.js';

const origin: DocumentOrigin = {
  actionId: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
  eventId: '01JZ8K7C3D4E5F6G7H8J9K0M1N',
  channelId: '0024',
  channelOrderId: 'MKP-000123-A',
  documentType: 'CUSTOMER_INVOICE',
  documentName: 'Facture été.pdf',
};
const sha256 = 'ab'.repeat(32);

describe('documentKeys', () => {
  it('files a document by channel, order and type, under its ASCII name, with a variant for a name already taken', () => {
    expect(documentKeys(origin, sha256)).toEqual([
      'documents/0024/MKP-000123-A/CUSTOMER_INVOICE/Facture_ete.pdf',
      'documents/0024/MKP-000123-A/CUSTOMER_INVOICE/Facture_ete-abababababab.pdf',
    ]);
  });

  it('keeps ids that are not safe in a key to one path segment each', () => {
    const [key] = documentKeys(
      { ...origin, channelId: '..', channelOrderId: 'A/B C', documentName: '汉字.pdf' },
      sha256,
    );
    expect(key).toMatch(/^documents\/__\/A_B_C\/CUSTOMER_INVOICE\/document-[0-9a-f]{6}\.pdf$/);
  });
});

describe('documentMetadata', () => {
  it('holds where the document came from and what it is, in ASCII', () => {
    const metadata = documentMetadata(
      { ...origin, documentName: '汉chinese字_return_label.pdf' },
      { contentType: 'application/pdf', size: 1234, sha256 },
    );
    expect(metadata).toEqual({
      'action-id': origin.actionId,
      'event-id': origin.eventId,
      'document-type': 'CUSTOMER_INVOICE',
      'original-name': '%E6%B1%89chinese%E5%AD%97_return_label.pdf',
      'content-type': 'application%2Fpdf',
      size: '1234',
      sha256,
    });
    expect(Object.values(metadata).every((value) => /^[\x20-\x7e]*$/.test(value))).toBe(true);
    expect(
      documentMetadata({ ...origin, eventId: undefined }, { contentType: 'x', size: 1, sha256 }),
    ).not.toHaveProperty('event-id');
  });
});

describe('contentDisposition', () => {
  it('gives the ASCII name and the original one', () => {
    expect(contentDisposition("l'été.pdf")).toBe(
      `attachment; filename="l_ete.pdf"; filename*=UTF-8''l%27%C3%A9t%C3%A9.pdf`,
    );
  });
});
