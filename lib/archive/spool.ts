import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';

/** A document in the function's temporary storage, with what was measured while it was written. */
export interface SpooledFile {
  path: string;
  size: number;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
}

/** The source had more than `maxBytes`: spooling stopped there and the partial file is gone. */
export class SpoolLimitExceeded extends Error {
  override readonly name = 'SpoolLimitExceeded';
  constructor(readonly maxBytes: number) {
    super(`more than ${maxBytes} bytes`);
  }
}

/**
 * Streams `source` into a new file of the temporary storage (Lambda's /tmp), hashing and counting on the way:
 * memory use stays that of a few chunks whatever the document's size. The caller removes the file (`discard`).
 */
export const spool = async (source: Readable | ReadableStream<Uint8Array>, maxBytes: number): Promise<SpooledFile> => {
  const path = join(tmpdir(), `document-${randomUUID()}`);
  const hash = createHash('sha256');
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new SpoolLimitExceeded(maxBytes));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(
      source instanceof Readable ? source : Readable.fromWeb(source),
      measure,
      createWriteStream(path, { flags: 'wx', mode: 0o600 }),
    );
  } catch (error) {
    await discard({ path });
    throw error;
  }
  return { path, size, sha256: hash.digest('hex') };
};

export const discard = async (file: Pick<SpooledFile, 'path'>): Promise<void> => rm(file.path, { force: true });
