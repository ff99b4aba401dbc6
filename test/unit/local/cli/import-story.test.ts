import { describe, expect, it } from 'vitest';
import type { TrackedAction } from '../../../../local/console/action-tracker.js';
import { formatTimeline } from '../../../../local/console/import-summary.js';
import { EchoCheck, echoShown } from '../../../../local/cli/echo-check.js';
import { callsOf } from '../../../../local/console/summary.js';
import { ImportStory, type ImportedOrderStory } from '../../../../local/cli/import-story.js';
import { marketplaceOrder } from '../../../../local/cli/marketplace.js';
import type { HeldOrder, PublishedEvent, SellerAction } from '../../../../local/simulators/connect.js';
import type { MmpRequest } from '../../../../local/simulators/mmp.js';

const STORIES: ImportedOrderStory[] = [
  {
    order: marketplaceOrder('IMP-1', 'WAITING_ACCEPTANCE', [1]),
    story: 'accepted, then shipped',
    steps: [
      { when: 'AWAITING_ACCEPTANCE', seller: 'ACCEPT' },
      { when: 'AWAITING_SHIPMENT', seller: 'CREATE_SHIPMENT' },
    ],
    ends: 'SHIPPED',
  },
  {
    order: marketplaceOrder('IMP-2', 'SHIPPED', [1]),
    story: 'invoiced',
    steps: [{ when: 'SHIPPED', marketplace: 'invoice' }],
    ends: 'SHIPPED',
    documents: ['CUSTOMER_INVOICE'],
  },
];

/** The simulators' parts the story uses, as plain objects: what Connect holds is set by the test. */
const world = () => {
  const statuses = new Map<string, string>();
  const documents = new Map<string, Array<{ metadata: { type: string; filename: string } }>>();
  const placed: string[] = [];
  const invoiced: string[] = [];
  const sellerActs: SellerAction[] = [];
  const mmp = {
    addOrder: (order: { order_id: string }) => void placed.push(order.order_id),
    addDocument: (orderId: string) => void invoiced.push(orderId),
  };
  const connect = {
    heldOrders: () =>
      [...statuses].map(([id, status]) => ({ body: { channel_order_id: id, status } }) as unknown as HeldOrder),
    channelDocuments: (orderId?: string) => documents.get(orderId ?? '') ?? [],
    sellerAct: (action: SellerAction) => {
      sellerActs.push(action);
      return Promise.resolve({
        id: 'e',
        type: action.type,
        time: '',
        data: { action_id: `a-${sellerActs.length}` },
      } as PublishedEvent);
    },
  };
  const lines: string[] = [];
  const story = new ImportStory({ mmp, connect } as never, (line) => lines.push(line), { orders: STORIES });
  return { story, statuses, documents, placed, invoiced, sellerActs, lines };
};

describe('ImportStory', () => {
  it('places its orders on the marketplace at start', () => {
    const { story, placed } = world();
    story.start();
    expect(placed).toEqual(['IMP-1', 'IMP-2']);
  });

  it('has the seller act once Connect holds the order in the status a step needs, once per step', async () => {
    const { story, statuses, sellerActs, lines } = world();
    story.start();
    story.observe();
    expect(sellerActs).toEqual([]);

    statuses.set('IMP-1', 'AWAITING_ACCEPTANCE');
    story.observe();
    story.observe();
    expect(sellerActs).toEqual([{ channel_order_id: 'IMP-1', type: 'ACCEPT' }]);
    expect(lines).toEqual([
      '⇐ Connect holds IMP-1: AWAITING_ACCEPTANCE',
      '⇒ the seller accepts IMP-1 in Connect: Connect publishes ACCEPT',
    ]);

    statuses.set('IMP-1', 'AWAITING_SHIPMENT');
    story.observe();
    await Promise.resolve();
    expect(sellerActs.map((action) => action.type)).toEqual(['ACCEPT', 'CREATE_SHIPMENT']);
    expect([...story.actions().keys()]).toEqual(['a-1', 'a-2']);
    expect(formatTimeline(story.timelineOf('IMP-1'))).toMatch(
      /^AWAITING_ACCEPTANCE [\d.]+ s → seller ACCEPT → AWAITING_SHIPMENT [\d.]+ s → seller CREATE_SHIPMENT$/,
    );
  });

  it('is finished when every order ends in its status with its documents, and says what is missing until then', () => {
    const { story, statuses, documents, invoiced } = world();
    story.start();
    statuses.set('IMP-1', 'SHIPPED');
    statuses.set('IMP-2', 'SHIPPED');
    story.observe();
    expect(invoiced).toEqual(['IMP-2']);
    expect(story.finished).toBe(false);
    expect(story.surprises()).toEqual([
      'import: IMP-1 should end SHIPPED in Connect; it is SHIPPED',
      'import: IMP-2 should end SHIPPED with CUSTOMER_INVOICE in Connect; it is SHIPPED',
    ]);

    documents.set('IMP-2', [{ metadata: { type: 'CUSTOMER_INVOICE', filename: 'invoice-IMP-2.pdf' } }]);
    story.observe();
    expect(formatTimeline(story.timelineOf('IMP-2'))).toMatch(
      /→ invoice put on the marketplace → CUSTOMER_INVOICE invoice-IMP-2\.pdf [\d.]+ s$/,
    );
    expect(story.surprises()).toEqual(['import: IMP-1 should end SHIPPED in Connect; it is SHIPPED']);
  });
});

const request = (route: string, query: Record<string, string> = {}, status = 200) =>
  ({ route, method: 'GET', path: '/api/x', query, body: null, status, schemaErrors: [] }) as unknown as MmpRequest;
const tracked = (type: string): TrackedAction => ({
  actionId: 'a',
  type,
  orderId: 'O-1',
  subjects: ['O-1'],
  callsBefore: 0,
  copies: 1,
  deliveries: 1,
  publishedAt: 0,
  status: 'SUCCESS',
  errorCodes: [],
});

describe("an action's calls to the marketplace in the summary", () => {
  it("leave out the import's reads of orders and documents", () => {
    const calls = [
      request('OR72', { order_ids: 'O-1,O-2' }),
      request('OR11', { order_ids: 'O-1' }),
      request('OR11', { order_ids: 'O-1', order_tax_mode: 'TAX_EXCLUDED' }),
      request('OR73', { order_ids: 'O-1', document_ids: '7' }),
      request('OR72', { order_ids: 'O-1' }),
      request('OR23', { order_ids: 'O-1' }),
    ];
    expect(callsOf(tracked('CREATE_SHIPMENT'), [], calls)).toBe('OR11 · OR23');
  });

  it("keep an UPLOAD_DOCUMENT's own listings, not one of the import just before it", () => {
    const listing = request('OR72', { order_ids: 'O-1' });
    expect(callsOf(tracked('UPLOAD_DOCUMENT'), [], [listing, listing, request('OR74', { order_ids: 'O-1' })])).toBe(
      'OR72 · OR74',
    );
    const redelivered = [
      listing,
      request('OR74', { order_ids: 'O-1' }, 503),
      listing,
      request('OR74', { order_ids: 'O-1' }),
    ];
    expect(callsOf(tracked('UPLOAD_DOCUMENT'), [], redelivered)).toBe('OR72 · OR74 503 · OR72 · OR74');
  });
});

describe('EchoCheck', () => {
  const refresh = (orderId: string, sentAt: number) =>
    ({ body: JSON.stringify({ channel_order_id: orderId }), attributes: { SentTimestamp: String(sentAt) } }) as never;
  const attached = [
    { file_name: 'invoice.pdf', sha256: 'aa' },
    { file_name: 'label.pdf', sha256: 'bb' },
  ];
  const mmp = (requests: MmpRequest[]) => ({ documents: () => attached, requests: () => requests }) as never;

  it('is checked by a refresh of the order sent after its last attachment was reported, not by an earlier one or another order', () => {
    const check = new EchoCheck('O-1', 'label-action');
    check.orderRefreshed([refresh('O-1', 500)]);
    check.reported('other-action', 900, 3);
    check.reported('label-action', 1000, 5);
    check.orderRefreshed([refresh('O-1', 999), refresh('O-2', 1200)]);
    expect(check.checked).toBe(false);
    check.orderRefreshed([refresh('O-1', 1000)]);
    expect(check.checked).toBe(true);
  });

  it('finds the files Connect holds with the same bytes, and whether the import listed them after the attachment', () => {
    const check = new EchoCheck('O-1', 'label-action');
    check.reported('label-action', 1000, 1);
    const before = [request('OR72', { order_ids: 'O-1' })];
    const listed = [...before, request('OR72', { order_ids: 'O-2,O-1' })];

    const none = { channelDocuments: () => [] } as never;
    expect(check.verdict(mmp(before), none)).toEqual({
      orderId: 'O-1',
      attached: ['invoice.pdf', 'label.pdf'],
      readBack: false,
      echoed: [],
    });
    expect(echoShown(check.verdict(mmp(before), none))).toBe(false);
    expect(echoShown(check.verdict(mmp(listed), none))).toBe(true);
    const echo = check.verdict(mmp(listed), { channelDocuments: () => [{ sha256: 'bb' }] } as never);
    expect(echo.echoed).toEqual(['label.pdf']);
    expect(echoShown(echo)).toBe(false);
  });
});
