import { readFileSync } from 'node:fs';
import { defaultHttpClientOptions } from '../lib/http/index.js';
import { marketplaceOrder } from './marketplace.js';
import type { PublishedEvent } from './simulators/connect.js';
import type { MmpFault, MmpOrderInput, MmpSimulator } from './simulators/mmp.js';

const SHIPMENT_SAMPLE = JSON.parse(readFileSync(new URL('./events/create-shipment.json', import.meta.url), 'utf8')) as PublishedEvent;

export interface DemoAction {
  event: PublishedEvent;
  /** What this action shows. */
  story: string;
  /** The state of its order on the marketplace. */
  orderState: MmpOrderInput['order_state'];
  /** Extra copies Connect publishes, as a redelivery would. */
  duplicates?: number;
  /** A marketplace fault on calls about its order. */
  fault?: Omit<MmpFault, 'orderId'>;
}

/** A whole-order CREATE_SHIPMENT of `orderId`, built on the vendor's example (local/events/create-shipment.json). */
const shipment = (orderId: string, carrier: string): PublishedEvent => {
  const { items: _lines, ...data } = SHIPMENT_SAMPLE.data ?? {};
  return {
    ...SHIPMENT_SAMPLE,
    id: `01DEMO${orderId.replace(/\W/g, '')}`,
    time: new Date().toISOString(),
    data: { ...data, action_id: `demo-shipment-${orderId}`, channel_order_id: orderId, carrier, tracking_number: `TRK${orderId.replace(/\D/g, '')}` },
  };
};

export const DEMO_ACTIONS: DemoAction[] = [
  { event: shipment('DEMO-1001', 'DHL Express'), orderState: 'SHIPPING', story: 'a carrier the marketplace knows' },
  { event: shipment('DEMO-1002', 'Transports Martin'), orderState: 'SHIPPING', story: 'an unknown carrier, sent by name' },
  { event: shipment('DEMO-1003', 'Colissimo'), orderState: 'CANCELED', story: 'order CANCELED on the marketplace' },
  {
    event: shipment('DEMO-1004', 'DHL Express'),
    orderState: 'SHIPPING',
    story: `marketplace outage: OR24 503 ×${defaultHttpClientOptions.maxAttempts}`,
    // As many 503s as the function's attempts in process: the message goes back to SQS, and its next delivery succeeds.
    fault: { route: 'OR24', status: 503, times: defaultHttpClientOptions.maxAttempts, retryAfterSeconds: 1 },
  },
  { event: shipment('DEMO-1005', 'Colissimo'), orderState: 'SHIPPING', story: 'published twice by Connect', duplicates: 1 },
];

/** The start-up scenario: its orders and faults on the marketplace, then every action published by Connect. */
export const runDemo = async (
  connect: { publish(event: PublishedEvent, options?: { duplicates?: number }): Promise<void> },
  mmp: MmpSimulator,
): Promise<void> => {
  for (const { event, orderState, fault } of DEMO_ACTIONS) {
    const orderId = String(event.data?.['channel_order_id']);
    mmp.addOrder(marketplaceOrder(orderId, orderState, [2, 1]));
    if (fault) mmp.injectFault({ ...fault, orderId });
  }
  for (const { event, duplicates } of DEMO_ACTIONS) await connect.publish(event, { duplicates });
};
