import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { discard, spool, SpoolLimitExceeded } from '../../../lib/archive/index.js';

const chunks = (bytes: Buffer, size: number) =>
  Readable.from(
    Array.from({ length: Math.ceil(bytes.length / size) }, (_, index) =>
      bytes.subarray(index * size, (index + 1) * size),
    ),
  );

describe('spool', () => {
  it('writes a stream to the temporary storage, measuring its size and SHA-256 on the way', async () => {
    const bytes = randomBytes(200_000);
    const file = await spool(chunks(bytes, 16_384), bytes.length);

    expect(file.size).toBe(bytes.length);
    expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(readFileSync(file.path).equals(bytes)).toBe(true);
    await discard(file);
    expect(existsSync(file.path)).toBe(false);
  });

  it('stops at the size limit and leaves no partial file behind', async () => {
    const before = readdirSync(tmpdir()).filter((name) => name.startsWith('document-')).length;

    await expect(spool(chunks(randomBytes(10_000), 1_000), 9_999)).rejects.toBeInstanceOf(SpoolLimitExceeded);

    expect(readdirSync(tmpdir()).filter((name) => name.startsWith('document-'))).toHaveLength(before);
  });
});
