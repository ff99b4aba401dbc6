import { describe, expect, it } from 'vitest';
import { readChannelDocumentsConfig } from '../../../lib/config/index.js';

const contract = {
  CONNECT_CLIENT_ID: 'client',
  CONNECT_CLIENT_SECRET: 'secret',
  MMP_API_URL: 'https://acme.mirakl.net',
  MMP_API_KEY: 'key',
  IDEMPOTENCY_TABLE: 'table',
  DOCUMENTS_BUCKET: 'bucket',
};

describe('readChannelDocumentsConfig', () => {
  it("starts with the contract's variables only: invoice types from DO01, the archive's 400 MB limit", () => {
    const config = readChannelDocumentsConfig(contract);
    expect(config.channelDocuments.MMP_INVOICE_DOCUMENT_TYPES).toBeUndefined();
    expect(config.archiveLimit.DOCUMENT_ARCHIVE_MAX_BYTES).toBe(400 * 1024 * 1024);
  });

  it('reads the invoice types as a JSON array, and names the variable when it is not one', () => {
    expect(
      readChannelDocumentsConfig({ ...contract, MMP_INVOICE_DOCUMENT_TYPES: '["CUSTOMER_INVOICE","B2B"]' })
        .channelDocuments.MMP_INVOICE_DOCUMENT_TYPES,
    ).toEqual(['CUSTOMER_INVOICE', 'B2B']);
    expect(() => readChannelDocumentsConfig({ ...contract, MMP_INVOICE_DOCUMENT_TYPES: 'CUSTOMER_INVOICE' })).toThrow(
      'MMP_INVOICE_DOCUMENT_TYPES must be valid JSON',
    );
    expect(() => readChannelDocumentsConfig({ ...contract, MMP_INVOICE_DOCUMENT_TYPES: '[]' })).toThrow(
      /MMP_INVOICE_DOCUMENT_TYPES/,
    );
  });
});
