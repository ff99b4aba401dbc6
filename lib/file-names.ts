import { createHash } from 'node:crypto';

/** Letters that Unicode does not decompose into a base letter and a mark. */
const SPELLED_OUT: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'Th',
  ı: 'i',
};
const NOT_ALLOWED = /[^A-Za-z0-9._-]+/g;
const MAX_STEM_LENGTH = 100;

/**
 * A file name made of US-ASCII letters, digits, `.`, `_` and `-` only, as MMP's OR74 wants and as S3 keys
 * read best: `Facture été 2026.PDF` → `Facture_ete_2026.pdf`. Accents are transliterated (NFKD, marks dropped);
 * other characters become `_`. When a character had no ASCII form at all (`汉chinese字_return_label.pdf`), the
 * name also gets 6 hex digits of the original name's hash (`chinese_return_label-1a2b3c.pdf`), so two names
 * that differ only in such characters stay distinct. The extension is kept, lower-cased.
 */
export const asciiFileName = (original: string): string => {
  const name = original.split(/[\\/]/).pop() ?? '';
  const dot = name.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot + 1)] : [name, ''];
  const ascii = transliterate(stem);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range starts at \x00 on purpose
  const lossy = /[^\x00-\x7f]/.test(ascii);
  const safeStem =
    ascii
      .replace(NOT_ALLOWED, '_')
      .replace(/_+/g, '_')
      .replace(/^[._-]+|[._-]+$/g, '')
      .slice(0, MAX_STEM_LENGTH) || 'document';
  const safeExtension = transliterate(extension)
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
  const distinct = lossy ? `${safeStem}-${shortHash(name.normalize('NFC'), 6)}` : safeStem;
  return safeExtension ? `${distinct}.${safeExtension}` : distinct;
};

/** The lower-cased extension of a file name, without its dot; empty when it has none. */
export const extensionOf = (fileName: string): string => {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
};

/** `name.pdf` with suffix `3f2a` → `name-3f2a.pdf`. */
export const withSuffix = (fileName: string, suffix: string): string => {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? `${fileName.slice(0, dot)}-${suffix}${fileName.slice(dot)}` : `${fileName}-${suffix}`;
};

const transliterate = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range starts at \x00 on purpose
    .replace(/[^\x00-\x7f]/g, (letter) => SPELLED_OUT[letter] ?? letter);

const shortHash = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length);
