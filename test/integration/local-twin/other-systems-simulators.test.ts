import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOperationsSimulator, type OperationsSimulator } from '../../../local/simulators/operations.js';
import { startPurchaseOrderSimulator, type PurchaseOrderSimulator } from '../../../local/simulators/purchase-order.js';

let purchaseOrders: PurchaseOrderSimulator;
let operations: OperationsSimulator;
beforeAll(async () => {
  purchaseOrders = await startPurchaseOrderSimulator({ tokenTtlSeconds: 60 });
  operations = await startOperationsSimulator();
});
afterAll(async () => {
  await purchaseOrders?.close();
  await operations?.close();
});

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields),
});
const tokenOf = async () => {
  const response = await fetch(
    purchaseOrders.authUrl,
    form({
      grant_type: 'client_credentials',
      client_id: purchaseOrders.clientId,
      client_secret: purchaseOrders.clientSecret,
    }),
  );
  return ((await response.json()) as { access_token: string }).access_token;
};

describe('the simulated purchase-order service', () => {
  it('issues client-credentials tokens, and refuses other grants, other clients and JSON bodies the OAuth2 way', async () => {
    const issued = await fetch(
      purchaseOrders.authUrl,
      form({
        grant_type: 'client_credentials',
        client_id: purchaseOrders.clientId,
        client_secret: purchaseOrders.clientSecret,
      }),
    );
    expect(issued.status).toBe(200);
    expect(await issued.json()).toMatchObject({
      token_type: 'Bearer',
      expires_in: 60,
      access_token: expect.any(String),
    });
    const refusals = await Promise.all([
      fetch(
        purchaseOrders.authUrl,
        form({
          grant_type: 'password',
          client_id: purchaseOrders.clientId,
          client_secret: purchaseOrders.clientSecret,
        }),
      ),
      fetch(
        purchaseOrders.authUrl,
        form({ grant_type: 'client_credentials', client_id: purchaseOrders.clientId, client_secret: 'nope' }),
      ),
      fetch(purchaseOrders.authUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials' }),
      }),
    ]);
    expect(
      await Promise.all(
        refusals.map(async (response) => [response.status, ((await response.json()) as { error: string }).error]),
      ),
    ).toEqual([
      [400, 'unsupported_grant_type'],
      [401, 'invalid_client'],
      [400, 'invalid_request'],
    ]);
  });

  it("answers each of the seed's statuses with its message: 200, 400, 401, 404, and 503 on demand", async () => {
    purchaseOrders.addOrder({
      order_id: 'SIM-PO-1',
      order_lines: [{ order_line_id: 'SIM-PO-1-1', offer_sku: 'SKU', quantity: 1 }],
    });
    const token = await tokenOf();
    const get = (id: string, bearer = token) =>
      fetch(`${purchaseOrders.url}/purchase-order/${encodeURIComponent(id)}`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
    purchaseOrders.injectFault({ route: 'order', status: 503, times: 1, orderId: 'SIM-PO-1' });
    const answers = [
      await get('SIM-PO-1'),
      await get('SIM-PO-1'),
      await get('no such id!'),
      await get('SIM-PO-1', 'forged'),
      await get('SIM-PO-2'),
    ];
    const bodies = (await Promise.all(answers.map((response) => response.json()))) as Array<{
      message?: string;
      order_id?: string;
    }>;
    expect(answers.map((response) => response.status)).toEqual([503, 200, 400, 401, 404]);
    expect(bodies.map((body) => body.message ?? body.order_id)).toEqual([
      'Mirakl is unavailable. We retried 5 times every 5 seconds. Please try again later',
      'SIM-PO-1',
      'Invalid ID supplied',
      'Unauthorized',
      'Order not found',
    ]);
    purchaseOrders.revokeTokens();
    expect((await get('SIM-PO-1')).status).toBe(401);
  });
});

describe('the simulated operations API', () => {
  it("answers the seed's operation by id and by reference, and serves its PDF behind the token", async () => {
    const operation = operations.addOperation({ operationType: 'DELIVERY', reference: 'marie_order_2014_12_20' });
    const auth = { headers: { authorization: `Bearer ${operations.token}` } };
    const byId = await fetch(`${operations.apiUrl}/orders/${operation.id}`, auth);
    const byReference = await fetch(`${operations.apiUrl}/orders/reference/marie_order_2014_12_20`, auth);
    expect(await byId.json()).toEqual(operation);
    expect(await byReference.json()).toMatchObject({
      id: operation.id,
      operationType: 'DELIVERY',
      organization: 'entity1',
      customer: { reference: 'C0959' },
    });
    const pdf = await fetch(operation.pdfUrl as string, auth);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 8)
        .toString('latin1'),
    ).toBe('%PDF-1.4');
    expect((await fetch(operation.pdfUrl as string)).status).toBe(401);
  });

  it("refuses with the seed's error bodies: 400 invalid_param_type, 404 not_found, and 401 without the token", async () => {
    const auth = { headers: { authorization: `Bearer ${operations.token}` } };
    const answers = await Promise.all([
      fetch(`${operations.apiUrl}/orders/abc`, auth),
      fetch(`${operations.apiUrl}/orders/7065`, auth),
      fetch(`${operations.apiUrl}/orders/7065`),
    ]);
    expect(await Promise.all(answers.map(async (response) => [response.status, await response.json()]))).toEqual([
      [
        400,
        {
          error: 'invalid_param_type',
          error_description: 'The type of parameter id you provided is not valid for this request.',
        },
      ],
      [404, { error: 'not_found', error_description: "The order with the id 7065 doesn't exist." }],
      [401, { error: 'invalid_token', error_description: 'The access token provided is invalid.' }],
    ]);
  });
});
