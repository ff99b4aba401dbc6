import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildMmpOrder, SAMPLE_CUSTOMER } from '../../local/simulators/mmp-orders.js';

/** The personal data of the simulators' sample customer, as it may appear in any answer. */
export const PERSONAL_DATA = [
  SAMPLE_CUSTOMER.firstname,
  SAMPLE_CUSTOMER.lastname,
  SAMPLE_CUSTOMER.email,
  SAMPLE_CUSTOMER.phone,
  SAMPLE_CUSTOMER.street_1,
  SAMPLE_CUSTOMER.zip_code,
  SAMPLE_CUSTOMER.city,
];

const { firstname, lastname, email, phone, street_1: street, zip_code: zip, city } = SAMPLE_CUSTOMER;
const sentence = `${firstname} ${lastname}, ${street}, ${zip} ${city} (${email}, ${phone})`;

/** A Mirakl error body that quotes the customer everywhere it can. */
const errorBody = (status: number) => ({
  status,
  message: `Cannot process the order of ${sentence}`,
  errors: [
    { field: 'customer.email', message: `${email} is not a valid e-mail for ${firstname} ${lastname}` },
    { field: 'customer.billing_address.phone', message: `${phone} is not a valid phone` },
  ],
});

/** What the marketplace answers OR11 for an order, by the order id's prefix. */
const orderAnswers: Record<string, (orderId: string) => { status: number; type: string; body: string }> = {
  'PII-400': () => json(400, errorBody(400)),
  'PII-403': () => json(403, errorBody(403)),
  'PII-500': () => json(500, errorBody(500)),
  // Not JSON: JSON.parse quotes the start of the text in its error message.
  'PII-TEXT': () => ({ status: 200, type: 'text/plain', body: `${sentence} — order export` }),
  // JSON of the wrong shape: zod refuses it.
  'PII-ZOD': (orderId) =>
    json(200, {
      orders: [{ order_id: orderId, order_state: { label: sentence }, customer: SAMPLE_CUSTOMER, order_lines: email }],
      total_count: 1,
    }),
};

/**
 * What the marketplace answers OR23 for an order, by prefix: the connector calls it first and reads the order
 * (OR11) only on a refusal, so every hostile OR11 answer is reached through an OR23 refusal quoting the customer.
 */
const trackingAnswers: Record<string, () => { status: number; type: string; body: string }> = {
  'PII-400': () => json(400, errorBody(400)),
  'PII-403': () => json(403, errorBody(403)),
  'PII-500': () => json(500, errorBody(500)),
  'PII-TEXT': () => json(400, errorBody(400)),
  'PII-ZOD': () => json(400, errorBody(400)),
};

const json = (status: number, body: unknown) => ({ status, type: 'application/json', body: JSON.stringify(body) });

/** A shipping order as OR11 returns it, customer, billing and shipping addresses included. */
const shippingOrder = (orderId: string) =>
  json(200, {
    orders: [
      buildMmpOrder({
        order_id: orderId,
        order_state: 'SHIPPING',
        order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 1 }],
      }),
    ],
    total_count: 1,
  });

/**
 * A marketplace and a Connect Channel Platform (under `/connect`) whose answers are full of personal data:
 * OR23 and OR11 answer by order id prefix (see trackingAnswers and orderAnswers; any other order is a good SHIPPING
 * order and OR23/OR24 succeed), and Connect refuses the report of an action whose id starts with `pii-connect-400`
 * with a 400 quoting the customer.
 */
export const startPersonalDataServer = async () => {
  const server = createServer((request, response) => {
    request.resume().on('end', () => {
      const url = new URL(request.url ?? '/', 'http://marketplace');
      const orderId = url.searchParams.get('order_ids') ?? '';
      const tracked = /^\/api\/orders\/([^/]+)\/tracking$/.exec(url.pathname)?.[1];
      const refusedTracking =
        tracked && Object.entries(trackingAnswers).find(([prefix]) => tracked.startsWith(prefix))?.[1];
      const answer =
        request.method === 'GET' && url.pathname === '/api/orders'
          ? (Object.entries(orderAnswers).find(([prefix]) => orderId.startsWith(prefix))?.[1](orderId) ??
            shippingOrder(orderId))
          : refusedTracking
            ? refusedTracking()
            : url.pathname.startsWith('/connect/v1/orders/actions/pii-connect-400')
              ? json(400, {
                  code: 'INVALID_INPUT',
                  message: `The report quotes ${sentence}`,
                  errors: [{ field: 'errors[0].message', message: `${email}` }],
                })
              : { status: 204, type: 'application/json', body: '' };
      response.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    mmpUrl: url,
    connectApiUrl: `${url}/connect`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
