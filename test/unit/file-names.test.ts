import { describe, expect, it } from 'vitest';
import { asciiFileName, extensionOf, withSuffix } from '../../lib/file-names.js';

describe('asciiFileName', () => {
  it('keeps a name that is already plain ASCII', () => {
    expect(asciiFileName('invoice_MKP-000123-A.pdf')).toBe('invoice_MKP-000123-A.pdf');
  });

  it('transliterates accents and spelled-out letters, replaces the rest, keeps the extension (lower-cased)', () => {
    expect(asciiFileName('Facture été 2026.PDF')).toBe('Facture_ete_2026.pdf');
    expect(asciiFileName('Straße Ærø (copie).pdf')).toBe('Strasse_AEro_copie.pdf');
    expect(asciiFileName('ﬁchier Ａ.pdf')).toBe('fichier_A.pdf');
  });

  it('turns the vendor example into an ASCII name that keeps its readable part and a hash of the original', () => {
    const name = asciiFileName('汉chinese字_return_label.pdf');
    expect(name).toMatch(/^chinese_return_label-[0-9a-f]{6}\.pdf$/);
    expect(asciiFileName('汉chinese字_return_label.pdf')).toBe(name);
  });

  it('keeps names distinct that differ only in characters with no ASCII form', () => {
    expect(asciiFileName('汉chinese字_return_label.pdf')).not.toBe(asciiFileName('字chinese汉_return_label.pdf'));
  });

  it('never returns a path, a hidden file or an empty name, and bounds the length', () => {
    expect(asciiFileName('../../etc/passwd')).toBe('passwd');
    expect(asciiFileName('C:\\docs\\label.pdf')).toBe('label.pdf');
    expect(asciiFileName('汉字.pdf')).toMatch(/^document-[0-9a-f]{6}\.pdf$/);
    expect(asciiFileName(`${'x'.repeat(300)}.pdf`)).toBe(`${'x'.repeat(100)}.pdf`);
  });
});

describe('extensionOf and withSuffix', () => {
  it('read and extend a file name around its extension', () => {
    expect(extensionOf('label.Final.PDF')).toBe('pdf');
    expect(extensionOf('README')).toBe('');
    expect(withSuffix('invoice.pdf', '3f2a')).toBe('invoice-3f2a.pdf');
    expect(withSuffix('README', '3f2a')).toBe('README-3f2a');
  });
});
