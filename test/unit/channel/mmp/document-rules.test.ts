import { describe, expect, it } from 'vitest';
import {
  MAX_DOCUMENTS_PER_ORDER,
  mmpFileName,
  mmpTypeCode,
  planAttachment,
  type MmpListedDocument,
} from '../../../../lib/channel/mmp/document-rules.js';
import { ActionFailure } from '../../../../lib/outcome.js';

const sha256 = '3f2a9c1b'.repeat(8);
const invoice = { name: 'invoice.pdf', size: 1000, sha256, typeCode: 'CUSTOMER_INVOICE' };
const listed = (fileName: string, size = 1000, type = 'CUSTOMER_INVOICE'): MmpListedDocument => ({
  file_name: fileName,
  file_size: size,
  type,
});
const failureOf = (plan: () => unknown) => {
  try {
    plan();
  } catch (error) {
    if (error instanceof ActionFailure) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected an ActionFailure');
};

describe('mmpTypeCode', () => {
  it('maps Connect document types to MMP type codes: configured first, then the defaults, else as named', () => {
    expect(mmpTypeCode('CUSTOMER_INVOICE', {})).toEqual({ code: 'CUSTOMER_INVOICE', source: 'default' });
    expect(mmpTypeCode('RETURN_LABEL', {})).toEqual({ code: 'SYSTEM_RETURN_LABEL', source: 'default' });
    expect(mmpTypeCode('RETURN_LABEL', { RETURN_LABEL: 'RETURN_LABEL_PDF' })).toEqual({
      code: 'RETURN_LABEL_PDF',
      source: 'configured',
    });
    expect(mmpTypeCode('DELIVERY_SLIP', {})).toEqual({ code: 'DELIVERY_SLIP', source: 'as named' });
    expect(mmpTypeCode('constructor', {})).toEqual({ code: 'constructor', source: 'as named' });
  });
});

describe('mmpFileName', () => {
  it('is the ASCII name, with .jpeg spelled the way MMP takes it', () => {
    expect(mmpFileName('Étiquette retour.JPEG')).toBe('Etiquette_retour.jpg');
  });
});

describe('planAttachment', () => {
  it('uploads under the ASCII name when the order does not hold it', () => {
    expect(planAttachment([listed('other.pdf')], invoice, 'MKP-1')).toEqual({
      kind: 'upload',
      fileName: 'invoice.pdf',
    });
  });

  it('finds a document already attached (same name, size and type): a redelivery after a lost OR74 answer', () => {
    expect(planAttachment([listed('invoice.pdf')], invoice, 'MKP-1')).toEqual({
      kind: 'already-attached',
      fileName: 'invoice.pdf',
    });
  });

  it('gives a new document under a name already on the order a distinct name, and finds it again', () => {
    const corrected = { ...invoice, size: 1200 };
    expect(planAttachment([listed('invoice.pdf')], corrected, 'MKP-1')).toEqual({
      kind: 'upload',
      fileName: 'invoice-3f2a9c1b.pdf',
    });
    expect(planAttachment([listed('invoice.pdf'), listed('invoice-3f2a9c1b.pdf', 1200)], corrected, 'MKP-1')).toEqual({
      kind: 'already-attached',
      fileName: 'invoice-3f2a9c1b.pdf',
    });
  });

  it('refuses an extension MMP does not take', () => {
    expect(failureOf(() => planAttachment([], { ...invoice, name: 'label.exe' }, 'MKP-1'))).toEqual({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(
        /^Document label\.exe of order MKP-1: MMP does not take \.exe \(it takes csv, doc, .*mp4\)$/,
      ),
    });
    expect(failureOf(() => planAttachment([], { ...invoice, name: 'README' }, 'MKP-1')).message).toContain(
      'files without an extension',
    );
  });

  it('refuses a new document on an order holding its 50 documents, but still finds one already there', () => {
    const full = Array.from({ length: MAX_DOCUMENTS_PER_ORDER }, (_, index) => listed(`doc-${index}.pdf`));
    expect(failureOf(() => planAttachment(full, invoice, 'MKP-1'))).toEqual({
      code: 'INVALID_INPUT',
      message: "Document invoice.pdf of order MKP-1: the order already holds 50 documents, MMP's maximum is 50",
    });
    expect(planAttachment([...full.slice(1), listed('invoice.pdf')], invoice, 'MKP-1').kind).toBe('already-attached');
  });
});
