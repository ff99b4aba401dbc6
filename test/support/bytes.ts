import { createHash, randomBytes } from 'node:crypto';

/** The hex SHA-256 of some bytes, as the archive and the simulators name documents. */
export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** A PDF-looking document of `size` bytes: the PDF header, then random bytes. */
export const pdfBytes = (size: number): Buffer => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);
