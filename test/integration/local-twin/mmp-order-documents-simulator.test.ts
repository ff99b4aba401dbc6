import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMmpSimulator, type MmpSimulator } from '../../../local/simulators/mmp.js';
import { sha256 } from '../../support/bytes.js';

const RETURN_ID = 'f61b5db8-d8f5-4715-b05f-aa4432c0e9e2';

describe('simulated MMP: the order documents the document import reads (DO01, OR72, OR73, OR76, RT11 documents[])', () => {
  let mmp: MmpSimulator;
  const call = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${mmp.url}${path}`, { ...init, headers: { authorization: 'local-mmp-key' } });
    return {
      status: response.status,
      body:
        response.status === 204
          ? undefined
          : response.headers.get('content-type')?.includes('json')
            ? await response.json()
            : Buffer.from(await response.arrayBuffer()),
    };
  };
  beforeAll(async () => {
    mmp = await startMmpSimulator();
  });
  afterAll(() => mmp.close());
  beforeEach(() => {
    mmp.reset();
    mmp.addOrder({
      order_id: 'ORDER-1-A',
      order_state: 'SHIPPED',
      order_lines: [{ order_line_id: 'ORDER-1-A-1', offer_sku: 'SKU-1', quantity: 1 }],
    });
  });

  it("lists the operator's order document types with their labels (DO01)", async () => {
    const answer = await call('/api/documents?entities=ORDER');
    expect(answer.status).toBe(200);
    const codes = (answer.body as { documents: Array<{ code: string; entity: string }> }).documents.map(
      (type) => `${type.code}/${type.entity}`,
    );
    expect(codes).toContain('CUSTOMER_INVOICE/ORDER');
    expect(codes).toContain('B2B_INVOICE/ORDER');
    expect(codes.filter((code) => code.endsWith('/SHOP'))).toEqual([]);
  });

  it('lists, serves and deletes documents (a deletion changes the order); RT11 names the documents of a return', async () => {
    mmp.addReturn({ id: RETURN_ID, order_id: 'ORDER-1-A', state: 'IN_PROGRESS' });
    const body = randomBytes(2000);
    const label = mmp.addDocument('ORDER-1-A', {
      file_name: 'label.pdf',
      type: 'SYSTEM_RETURN_LABEL',
      body,
      entity: { id: RETURN_ID, type: 'RETURN' },
    });
    const invoice = mmp.addDocument('ORDER-1-A', {
      file_name: 'invoice.pdf',
      type: 'CUSTOMER_INVOICE',
      body: randomBytes(10),
    });

    const listed = await call('/api/orders/documents?order_ids=ORDER-1-A,OTHER');
    expect(
      (listed.body as { order_documents: Array<{ id: number }> }).order_documents.map((document) => document.id),
    ).toEqual([label.id, invoice.id]);
    const raw = await call(`/api/orders/documents/download?order_ids=ORDER-1-A&document_ids=${label.id}`);
    expect(sha256(raw.body as Buffer)).toBe(sha256(body));
    const returns = await call(`/api/returns?return_id=${RETURN_ID}`);
    expect((returns.body as { data: Array<{ documents: unknown }> }).data[0]?.documents).toEqual([
      { id: label.id, type: 'SYSTEM_RETURN_LABEL' },
    ]);

    const before = mmp.order('ORDER-1-A')?.last_updated_date;
    expect((await call(`/api/orders/documents/${invoice.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(mmp.order('ORDER-1-A')?.last_updated_date).not.toBe(before);
    expect((await call(`/api/orders/documents/${invoice.id}`, { method: 'DELETE' })).status).toBe(404);
    expect(mmp.documents('ORDER-1-A').map((document) => document.id)).toEqual([label.id]);
    expect(mmp.removeDocument(label.id)).toBe(true);
    expect(mmp.removeDocument(label.id)).toBe(false);
  });

  it('refuses more than 100 order ids on OR72', async () => {
    const ids = Array.from({ length: 101 }, (_, index) => `ORDER-${index}`).join(',');
    expect((await call(`/api/orders/documents?order_ids=${ids}`)).status).toBe(400);
  });
});
