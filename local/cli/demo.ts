import { readFileSync } from 'node:fs';
import { defaultHttpClientOptions } from '../../lib/http/index.js';
import { marketplaceOrder } from './marketplace.js';
import type { PublishedEvent } from '../simulators/connect.js';
import type { DocumentStorage } from '../simulators/document-storage.js';
import type { MmpFault, MmpOrderInput, MmpSimulator } from '../simulators/mmp.js';

const sample = (name: string): PublishedEvent =>
  JSON.parse(readFileSync(new URL(`../events/${name}.json`, import.meta.url), 'utf8')) as PublishedEvent;
const documentFile = (name: string): Buffer => readFileSync(new URL(`../events/documents/${name}`, import.meta.url));

/** What the demo acts on: the simulated marketplace, and the storage behind Connect's document links. */
export interface DemoWorld {
  mmp: MmpSimulator;
  documents: DocumentStorage;
}

export interface DemoAction {
  event: PublishedEvent;
  /** What this action shows. */
  story: string;
  /** What Connect must be told: `SUCCESS`, or `FAILED` and its error codes (`FAILED ORDER_IN_WRONG_STATE`). */
  expected: string;
  /** The order, put on the marketplace before anything is published (on the first action of an order). */
  order?: MmpOrderInput;
  /** Extra copies Connect publishes, as a redelivery would. */
  duplicates?: number;
  /** A marketplace fault on calls about its order. */
  fault?: Omit<MmpFault, 'orderId'>;
  /** Published once that action (its id) is reported as expected; actions without it are published at start. */
  after?: string;
  /** Done just before publishing (a return opened on the marketplace, a document stored); may give the event to publish. */
  prepare?: (world: DemoWorld, event: PublishedEvent) => PublishedEvent | void;
}

export const actionIdOf = (action: DemoAction): string => String(action.event.data?.action_id);

/** An event of `type` built on its vendor sample (local/events/), acting on `orderId`. */
const event = (name: string, actionId: string, orderId: string, data: Record<string, unknown>): PublishedEvent => {
  const base = sample(name);
  return {
    ...base,
    id: `01DEMO${actionId.replace(/\W/g, '').toUpperCase()}`,
    time: new Date().toISOString(),
    data: { ...base.data, action_id: actionId, channel_order_id: orderId, ...data },
  };
};

/** A whole-order CREATE_SHIPMENT of `orderId` (no `items`: every line left to ship). */
const shipment = (orderId: string, carrier: string, actionId = `demo-shipment-${orderId}`): PublishedEvent => {
  const built = event('create-shipment', actionId, orderId, {
    carrier,
    tracking_number: `TRK${orderId.replace(/\D/g, '')}`,
  });
  const { items: _lines, ...data } = built.data ?? {};
  return { ...built, data };
};

/** The sample's adjustment line (amounts, taxes) on another order line, with another reason. */
const adjustment = (name: 'cancel' | 'refund', key: 'cancelations' | 'refunds', lineId: string, reason: string) => {
  const [line] = (sample(name).data?.[key] as Array<Record<string, unknown>> | undefined) ?? [];
  return [{ ...line, channel_order_line_id: lineId, reason }];
};

/** The order whose whole life the demo publishes, one action after the other. */
export const LIFE = 'DEMO-2001';
/** The life's last UPLOAD_DOCUMENT: once it is reported, the order holds every file the connector attached. */
export const LIFE_LAST_ATTACHMENT = 'demo-life-return-label';
const RETURN_ID = '7c1f0c1e-d000-4a00-8000-000000002001';
export const RETURN_LABEL_NAME = '汉chinese字_return_label.pdf';

/** A document put in the storage now, and the event's link replaced by a link to it, signed now (900 s). */
const withDocument =
  (file: string) =>
  ({ documents }: DemoWorld, published: PublishedEvent): PublishedEvent => ({
    ...published,
    data: { ...published.data, document_download_url: documents.put({ body: documentFile(file) }) },
  });

/** One order's whole life, each step published once the previous one is reported. */
const orderLife = (): DemoAction[] => {
  const steps: Array<Omit<DemoAction, 'after' | 'expected'>> = [
    {
      story: 'accept every line',
      order: marketplaceOrder(LIFE, 'WAITING_ACCEPTANCE', [2, 1, 1]),
      event: event('accept', 'demo-life-accept', LIFE, {
        order_lines: [1, 2, 3].map((line) => ({ accepted: true, channel_order_line_id: `${LIFE}-${line}` })),
      }),
    },
    {
      story: 'cancel one line of three (reason 34, matched on its label)',
      event: event('cancel', 'demo-life-cancel', LIFE, {
        cancelations: adjustment('cancel', 'cancelations', `${LIFE}-3`, 'CUSTOMER_CANCELATION'),
      }),
    },
    { story: 'ship what is left', event: shipment(LIFE, 'UPS', 'demo-life-shipment') },
    {
      story: 'invoice archived in S3, attached',
      event: event('upload-document', 'demo-life-invoice', LIFE, {
        document_download_url: 'http://127.0.0.1/replaced-by-a-fresh-link.pdf',
        document_name: `invoice-${LIFE}.pdf`,
        document_type: 'CUSTOMER_INVOICE',
        document_entity_id: undefined,
        document_entity_type: undefined,
      }),
      prepare: withDocument('invoice.pdf'),
    },
    {
      story: 'refund a shipped line (reason 18, matched on its label)',
      event: event('refund', 'demo-life-refund', LIFE, {
        refunds: adjustment('refund', 'refunds', `${LIFE}-2`, 'ITEM_NOT_RECEIVED'),
      }),
    },
    {
      story: 'accept the return the customer opened',
      event: event('accept-return', 'demo-life-accept-return', LIFE, { channel_return_id: RETURN_ID }),
      prepare: ({ mmp }) =>
        void mmp.addReturn({
          id: RETURN_ID,
          order_id: LIFE,
          return_lines: [{ order_line_id: `${LIFE}-1`, quantity: 1 }],
        }),
    },
    {
      story: 'return label, non-ASCII name',
      event: event('upload-document', LIFE_LAST_ATTACHMENT, LIFE, {
        document_download_url: 'http://127.0.0.1/replaced-by-a-fresh-link.pdf',
        document_entity_id: RETURN_ID,
        document_name: RETURN_LABEL_NAME,
      }),
      prepare: withDocument('return-label.pdf'),
    },
    {
      story: 'return tracking',
      event: event('update-return-tracking-information', 'demo-life-return-tracking', LIFE, {
        channel_return_id: RETURN_ID,
      }),
    },
    {
      story: 'return received',
      event: event('acknowledge-return-reception', 'demo-life-return-reception', LIFE, {
        channel_return_id: RETURN_ID,
      }),
    },
    {
      story: 'return closed',
      event: event('close-return', 'demo-life-close-return', LIFE, { channel_return_id: RETURN_ID }),
    },
  ];
  return steps.map((step, index) => ({
    ...step,
    expected: 'SUCCESS',
    ...(index > 0 && { after: actionIdOf(steps[index - 1] as DemoAction) }),
  }));
};

export const DEMO_ACTIONS: DemoAction[] = [
  {
    event: shipment('DEMO-1001', 'DHL Express'),
    order: marketplaceOrder('DEMO-1001', 'SHIPPING', [2, 1]),
    expected: 'SUCCESS',
    story: 'a carrier the marketplace knows',
  },
  {
    event: shipment('DEMO-1002', 'Transports Martin'),
    order: marketplaceOrder('DEMO-1002', 'SHIPPING', [2, 1]),
    expected: 'SUCCESS',
    story: 'an unknown carrier, sent by name',
  },
  {
    event: shipment('DEMO-1003', 'Colissimo'),
    order: marketplaceOrder('DEMO-1003', 'CANCELED', [2, 1]),
    expected: 'FAILED ORDER_IN_WRONG_STATE',
    story: 'order CANCELED on the marketplace',
  },
  {
    event: shipment('DEMO-1004', 'DHL Express'),
    order: marketplaceOrder('DEMO-1004', 'SHIPPING', [2, 1]),
    expected: 'SUCCESS',
    story: `marketplace outage: OR24 503 ×${defaultHttpClientOptions.maxAttempts}`,
    // As many 503s as the function's attempts in process: the message goes back to SQS, and its next delivery succeeds.
    fault: { route: 'OR24', status: 503, times: defaultHttpClientOptions.maxAttempts, retryAfterSeconds: 1 },
  },
  {
    event: shipment('DEMO-1005', 'Colissimo'),
    order: marketplaceOrder('DEMO-1005', 'SHIPPING', [2, 1]),
    expected: 'SUCCESS',
    story: 'published twice by Connect',
    duplicates: 1,
  },
  ...orderLife(),
];

type Publisher = { publish(event: PublishedEvent, options?: { duplicates?: number }): Promise<void> };

/**
 * The start-up scenario: its orders and faults on the marketplace, the actions without prerequisite published at
 * once, each other one when the action it follows is reported as expected (a step that goes wrong stops its chain).
 */
export class Demo {
  private readonly outcomes = new Map<string, string>();
  /** Not published because an action before them did not end as expected. */
  private readonly blocked = new Set<string>();

  constructor(
    private readonly world: DemoWorld,
    private readonly connect: Publisher,
    private readonly onError: (message: string) => void,
    readonly actions: DemoAction[] = DEMO_ACTIONS,
  ) {}

  get actionIds(): string[] {
    return this.actions.map(actionIdOf);
  }

  async start(): Promise<void> {
    for (const { event, order, fault } of this.actions) {
      if (order) this.world.mmp.addOrder(order);
      if (fault) this.world.mmp.injectFault({ ...fault, orderId: String(event.data?.channel_order_id) });
    }
    for (const action of this.actions.filter((candidate) => candidate.after === undefined)) await this.publish(action);
  }

  /** An action's final report: its followers are published, or blocked when it did not end as expected. */
  reported(actionId: string, outcome: string): void {
    const action = this.actions.find((candidate) => actionIdOf(candidate) === actionId);
    if (!action || this.outcomes.has(actionId)) return;
    this.outcomes.set(actionId, outcome);
    for (const next of this.actions.filter((candidate) => candidate.after === actionId)) {
      if (outcome === action.expected) void this.publish(next);
      else this.block(next);
    }
  }

  /** Every action reported, or blocked by one before it. */
  get finished(): boolean {
    return this.actions.every(
      (action) => this.outcomes.has(actionIdOf(action)) || this.blocked.has(actionIdOf(action)),
    );
  }

  /** What went otherwise than expected, one line each; empty when the demo went as planned. */
  surprises(): string[] {
    return this.actions.flatMap((action) => {
      const actionId = actionIdOf(action);
      const outcome = this.outcomes.get(actionId);
      if (outcome === action.expected) return [];
      const what = `${String(action.event.type)} ${String(action.event.data?.channel_order_id)} (${actionId})`;
      if (this.blocked.has(actionId)) return [`${what}: not published, as ${action.after} did not end as expected`];
      return [`${what}: expected ${action.expected}, ${outcome === undefined ? 'still pending' : `got ${outcome}`}`];
    });
  }

  private block(action: DemoAction): void {
    this.blocked.add(actionIdOf(action));
    for (const next of this.actions.filter((candidate) => candidate.after === actionIdOf(action))) this.block(next);
  }

  private async publish(action: DemoAction): Promise<void> {
    try {
      const published = action.prepare?.(this.world, action.event) ?? action.event;
      await this.connect.publish(published, { duplicates: action.duplicates });
    } catch (error) {
      this.onError(`demo: ${actionIdOf(action)} was not published: ${(error as Error).message}`);
      this.block(action);
    }
  }
}
