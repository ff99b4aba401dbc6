import { readFileSync } from 'node:fs';
import type { ConnectSimulator } from '../simulators/connect.js';
import type { MmpOrderInput, MmpSimulator } from '../simulators/mmp.js';
import type { MmpReturnInput } from '../simulators/mmp-returns.js';

/**
 * An order of `quantities.length` lines, `<orderId>-1`, `<orderId>-2`...; line ids are what Connect events name.
 * Its currency is the vendor examples' (USD), so their refund and cancelation amounts fit it.
 */
export const marketplaceOrder = (
  orderId: string,
  state: MmpOrderInput['order_state'],
  quantities: number[],
): MmpOrderInput => ({
  order_id: orderId,
  order_state: state,
  currency_iso_code: 'USD',
  order_lines: quantities.map((quantity, index) => ({
    order_line_id: `${orderId}-${index + 1}`,
    offer_sku: `SKU-${1000 + index}`,
    quantity,
  })),
});

/** The orders the samples in local/events/ act on, one per kind of action, each in a state that allows it. */
export const SAMPLE_ORDERS: MmpOrderInput[] = [
  marketplaceOrder('ORDER-TO-ACCEPT', 'WAITING_ACCEPTANCE', [1, 1]),
  marketplaceOrder('ORDER-TO-SHIP', 'SHIPPING', [10]),
  marketplaceOrder('ORDER-TO-CANCEL', 'SHIPPING', [1]),
  marketplaceOrder('ORDER-TO-REFUND', 'SHIPPED', [1]),
  marketplaceOrder('ORDER-WITH-RETURN', 'RECEIVED', [1]),
];

/** The returns the return samples act on (by `channel_return_id`), each in the state its action needs. */
export const SAMPLE_RETURNS: MmpReturnInput[] = [
  { id: '7c1f0c1e-0001-4a00-8000-000000000001', order_id: 'ORDER-WITH-RETURN', state: 'WAITING_ACCEPTANCE' },
  { id: '7c1f0c1e-0002-4a00-8000-000000000002', order_id: 'ORDER-WITH-RETURN', state: 'IN_PROGRESS' },
  { id: '7c1f0c1e-0003-4a00-8000-000000000003', order_id: 'ORDER-WITH-RETURN', state: 'IN_PROGRESS' },
  { id: '7c1f0c1e-0004-4a00-8000-000000000004', order_id: 'ORDER-WITH-RETURN', state: 'RECEIVED' },
];

export const addSampleOrders = (mmp: MmpSimulator): void => {
  for (const input of SAMPLE_ORDERS) mmp.addOrder(input);
  for (const input of SAMPLE_RETURNS) mmp.addReturn(input);
};

/** The Connect order whose documents Connect's v2 API serves locally (`npm run archive-documents -- --source connect`). */
export const SAMPLE_CONNECT_ORDER = '0024_ORDER-TO-SHIP';

/** Two documents Connect holds for that order, one with a name that is not ASCII. */
export const addSampleConnectDocuments = (connect: ConnectSimulator): void => {
  const file = (name: string) => readFileSync(new URL(`../events/documents/${name}`, import.meta.url));
  connect.addOrderDocument(SAMPLE_CONNECT_ORDER, {
    name: 'invoice-ORDER-TO-SHIP.pdf',
    type: 'CUSTOMER_INVOICE',
    body: file('invoice.pdf'),
  });
  connect.addOrderDocument(SAMPLE_CONNECT_ORDER, {
    name: 'étiquette_retour.pdf',
    type: 'RETURN_LABEL',
    body: file('return-label.pdf'),
  });
};
