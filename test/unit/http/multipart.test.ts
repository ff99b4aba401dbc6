import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { multipartBody } from '../../../lib/http/index.js';

describe('multipartBody', () => {
  const bytes = randomBytes(300_000);
  const path = join(mkdtempSync(join(tmpdir(), 'multipart-')), 'label.pdf');
  writeFileSync(path, bytes);
  const json = JSON.stringify({ order_documents: [{ file_name: 'label.pdf', type_code: 'CUSTOMER_INVOICE' }] });
  const body = multipartBody([
    { name: 'files', filename: 'label.pdf', contentType: 'application/pdf', file: { path } },
    { name: 'order_documents', value: json, contentType: 'application/json' },
  ]);

  const read = async () => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body.stream()) chunks.push(chunk);
    return chunks;
  };

  it('is a form a multipart parser reads back: the file with its name and type, the JSON part as a field', async () => {
    const form = await new Request('http://mmp/', {
      method: 'POST',
      headers: { 'content-type': body.contentType },
      body: Buffer.concat(await read()),
    }).formData();

    const file = form.get('files');
    expect(file).toBeInstanceOf(Blob);
    expect((file as File).name).toBe('label.pdf');
    expect((file as File).type).toBe('application/pdf');
    expect(Buffer.from(await (file as File).arrayBuffer()).equals(bytes)).toBe(true);
    expect(form.get('order_documents')).toBe(json);
  });

  it('streams the file in small chunks, anew for each attempt', async () => {
    const first = await read();
    const second = await read();

    expect(Buffer.concat(second).equals(Buffer.concat(first))).toBe(true);
    expect(Math.max(...first.map((chunk) => chunk.length))).toBeLessThanOrEqual(64 * 1024);
  });
});
