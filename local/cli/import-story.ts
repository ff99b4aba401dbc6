import { readFileSync } from 'node:fs';
import { marketplaceOrder } from './marketplace.js';
import type { ConnectSimulator, PublishedEvent } from '../simulators/connect.js';
import type { MmpOrderInput, MmpSimulator } from '../simulators/mmp.js';
import type { OperationsSimulator } from '../simulators/operations.js';

/**
 * What happens once Connect holds an order in a status: the seller acts in Connect, the operator puts the invoice on
 * the marketplace, or the invoice made in the operations API (seed 003) is asked for by a document-archive request.
 */
export type ImportStep =
  | { when: string; seller: 'ACCEPT' | 'CREATE_SHIPMENT' }
  | { when: string; marketplace: 'invoice' }
  | { when: string; operations: 'invoice' };

export interface ImportedOrderStory {
  order: MmpOrderInput;
  /** What this order shows. */
  story: string;
  /** Taken one after the other, each once Connect holds the order in its `when` status. */
  steps: ImportStep[];
  /** The status Connect holds once every step is done. */
  ends: string;
  /** Connect types of the channel documents Connect must then hold for it. */
  documents?: string[];
}

/** The orders placed on the marketplace at start, each in the state its story starts from. */
export const IMPORTED_ORDERS: ImportedOrderStory[] = [
  {
    order: marketplaceOrder('IMPORT-3001', 'WAITING_ACCEPTANCE', [1, 2]),
    story: 'awaiting acceptance: the seller accepts it in Connect, then ships it',
    steps: [
      { when: 'AWAITING_ACCEPTANCE', seller: 'ACCEPT' },
      { when: 'AWAITING_SHIPMENT', seller: 'CREATE_SHIPMENT' },
    ],
    ends: 'SHIPPED',
  },
  {
    order: marketplaceOrder('IMPORT-3002', 'SHIPPING', [3]),
    story: 'accepted already: the seller ships it in Connect, then the operator puts its invoice on the marketplace',
    steps: [
      { when: 'AWAITING_SHIPMENT', seller: 'CREATE_SHIPMENT' },
      { when: 'SHIPPED', marketplace: 'invoice' },
    ],
    ends: 'SHIPPED',
    documents: ['CUSTOMER_INVOICE'],
  },
  {
    order: marketplaceOrder('IMPORT-3003', 'RECEIVED', [1]),
    story:
      'delivered already: imported as it is; its invoice, made in the operations API, archived and uploaded to Connect',
    steps: [{ when: 'DELIVERED', operations: 'invoice' }],
    ends: 'DELIVERED',
    documents: ['CUSTOMER_INVOICE'],
  },
];

/** One thing that happened to an imported order, `at` ms after the orders were placed. */
export type TimelineEntry =
  | { at: number; kind: 'status'; status: string }
  | { at: number; kind: 'seller'; action: string }
  | { at: number; kind: 'operator'; what: string }
  | { at: number; kind: 'document'; type: string; filename: string };

const invoiceFile = readFileSync(new URL('../events/documents/invoice.pdf', import.meta.url));

type Seller = Pick<ConnectSimulator, 'heldOrders' | 'channelDocuments' | 'sellerAct'>;
/** What the story does outside Connect and the marketplace: the operations API, and the document-archive queue. */
export interface OperationsWorld {
  operations: Pick<OperationsSimulator, 'addOperation'>;
  requestArchive(request: { source: 'operations'; reference: string }): Promise<void>;
}

/**
 * The import's side of the demo: orders placed on the marketplace, imported into Connect by the connector; the seller
 * acting in Connect on each once Connect holds it in the status a step needs (Connect publishes the action, the
 * connector carries it out and refreshes the order); an invoice put on the marketplace once an order is shipped.
 * `observe()` reads what Connect holds; each order's timeline records what it saw and did.
 */
export class ImportStory {
  private readonly timelines = new Map<string, TimelineEntry[]>();
  private readonly stepsTaken = new Map<string, number>();
  private readonly problems: string[] = [];
  private readonly sellerActions = new Map<string, string>();
  private startedAt = Date.now();

  readonly orders: ImportedOrderStory[];
  /** Orders whose Connect statuses are followed too, without steps of their own: order id → what it is. */
  readonly followed: ReadonlyMap<string, string>;
  private readonly mmp: Pick<MmpSimulator, 'addOrder' | 'addDocument'>;
  private readonly connect: Seller;
  private readonly operations: OperationsWorld;

  constructor(
    world: { mmp: Pick<MmpSimulator, 'addOrder' | 'addDocument'>; connect: Seller } & OperationsWorld,
    private readonly print: (line: string) => void,
    options: { orders?: ImportedOrderStory[]; followed?: ReadonlyMap<string, string> } = {},
  ) {
    this.mmp = world.mmp;
    this.connect = world.connect;
    this.operations = world;
    this.orders = options.orders ?? IMPORTED_ORDERS;
    this.followed = options.followed ?? new Map();
  }

  /** Places the orders on the marketplace. */
  start(): void {
    this.startedAt = Date.now();
    for (const { order } of this.orders) this.mmp.addOrder(order);
  }

  /** Records what changed in Connect since the last look, and takes the steps Connect's statuses now allow. */
  observe(now = Date.now()): void {
    const held = new Map(
      this.connect.heldOrders().map((order) => [order.body.channel_order_id, String(order.body.status)]),
    );
    for (const orderId of [...this.orders.map(({ order }) => order.order_id), ...this.followed.keys()]) {
      const status = held.get(orderId);
      const last = this.timelineOf(orderId).findLast((entry) => entry.kind === 'status');
      if (status !== undefined && (last?.kind !== 'status' || last.status !== status)) {
        this.record(orderId, { at: now - this.startedAt, kind: 'status', status });
        if (this.orders.some(({ order }) => order.order_id === orderId))
          this.print(`⇐ Connect holds ${orderId}: ${status}`);
      }
    }
    for (const story of this.orders) {
      this.takeNextStep(story, held.get(story.order.order_id), now);
      this.recordDocuments(story, now);
    }
  }

  /** Every order in its final status with its documents, or a step that could not be taken. */
  get finished(): boolean {
    return this.problems.length > 0 || this.orders.every((story) => this.isDone(story));
  }

  /** The seller's actions published so far: action id → what it shows. */
  actions(): ReadonlyMap<string, string> {
    return this.sellerActions;
  }

  timelineOf(orderId: string): TimelineEntry[] {
    return this.timelines.get(orderId) ?? [];
  }

  /** What went otherwise than planned, one line each. */
  surprises(): string[] {
    const unfinished = this.orders
      .filter((story) => !this.isDone(story))
      .map((story) => {
        const status = this.timelineOf(story.order.order_id).findLast((entry) => entry.kind === 'status');
        return `import: ${story.order.order_id} should end ${story.ends}${story.documents ? ` with ${story.documents.join(', ')}` : ''} in Connect; it is ${status?.kind === 'status' ? status.status : 'not there'}`;
      });
    return [...this.problems, ...unfinished];
  }

  private isDone(story: ImportedOrderStory): boolean {
    const timeline = this.timelineOf(story.order.order_id);
    const status = timeline.findLast((entry) => entry.kind === 'status');
    const documents = new Set(timeline.flatMap((entry) => (entry.kind === 'document' ? [entry.type] : [])));
    return (
      (this.stepsTaken.get(story.order.order_id) ?? 0) === story.steps.length &&
      status?.kind === 'status' &&
      status.status === story.ends &&
      (story.documents ?? []).every((type) => documents.has(type))
    );
  }

  private takeNextStep(story: ImportedOrderStory, status: string | undefined, now: number): void {
    const orderId = story.order.order_id;
    const taken = this.stepsTaken.get(orderId) ?? 0;
    const step = story.steps[taken];
    if (!step || status !== step.when) return;
    this.stepsTaken.set(orderId, taken + 1);
    if ('marketplace' in step) {
      this.mmp.addDocument(orderId, {
        file_name: `invoice-${orderId}.pdf`,
        type: 'CUSTOMER_INVOICE',
        body: invoiceFile,
      });
      this.record(orderId, { at: now - this.startedAt, kind: 'operator', what: 'invoice put on the marketplace' });
      this.print(`⇒ the operator puts invoice-${orderId}.pdf on the marketplace (order ${orderId})`);
      return;
    }
    if ('operations' in step) {
      this.operations.operations.addOperation({ operationType: 'INVOICE', reference: orderId });
      this.record(orderId, {
        at: now - this.startedAt,
        kind: 'operator',
        what: 'invoice made in the operations API, archive asked',
      });
      this.print(
        `⇒ the operations API has the invoice of ${orderId}: {"source": "operations", "reference": "${orderId}"} on the document-archive queue`,
      );
      void this.operations
        .requestArchive({ source: 'operations', reference: orderId })
        .catch((error: unknown) =>
          this.problems.push(
            `import: the archive of ${orderId}'s operations invoice was not asked: ${(error as Error).message}`,
          ),
        );
      return;
    }
    this.print(
      `⇒ the seller ${step.seller === 'ACCEPT' ? 'accepts' : 'ships'} ${orderId} in Connect: Connect publishes ${step.seller}`,
    );
    this.record(orderId, { at: now - this.startedAt, kind: 'seller', action: step.seller });
    void this.connect.sellerAct({ channel_order_id: orderId, type: step.seller }).then(
      (event: PublishedEvent) =>
        void this.sellerActions.set(
          String(event.data?.action_id),
          `seller in Connect, once Connect held it ${step.when}`,
        ),
      (error: unknown) =>
        this.problems.push(
          `import: the seller could not ${step.seller} ${orderId} in Connect: ${(error as Error).message}`,
        ),
    );
  }

  private recordDocuments(story: ImportedOrderStory, now: number): void {
    const orderId = story.order.order_id;
    const known = new Set(
      this.timelineOf(orderId).flatMap((entry) => (entry.kind === 'document' ? [entry.filename] : [])),
    );
    for (const { metadata } of this.connect.channelDocuments(orderId)) {
      if (known.has(metadata.filename)) continue;
      this.record(orderId, {
        at: now - this.startedAt,
        kind: 'document',
        type: metadata.type,
        filename: metadata.filename,
      });
      this.print(`⇐ Connect holds ${metadata.type} ${metadata.filename} on ${orderId}`);
    }
  }

  private record(orderId: string, entry: TimelineEntry): void {
    this.timelines.set(orderId, [...this.timelineOf(orderId), entry]);
  }
}
