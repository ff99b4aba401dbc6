import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { ActionReportSchema, ConnectActionBook, type ConnectAction } from './connect-actions.js';
import {
  AnonymizationBook,
  AnonymizeAfterRequestSchema,
  AnonymizeErrorDetailSchema,
  refusalBody,
  type AnonymizeErrorDetail,
  type KnownOrder,
} from './connect-anonymize.js';
import { ChannelDocumentBook, type ChannelDocument, type ReuploadBehaviour } from './connect-channel-documents.js';
import { SellerDocuments, type ConnectDocument, type SellerCredentials } from './connect-documents.js';
import {
  ChannelOrderBook,
  ChannelOrderRulesSchema,
  DEFAULT_CHANNEL_ORDER_RULES,
  type ChannelOrderRules,
  type ConnectChannel,
  type HeldOrder,
  type HeldReturn,
} from './connect-orders.js';
import { SellerActionSchema, sellerActionEvent, type SellerAction } from './connect-seller.js';
import { FaultBook, routedFaultSchema } from './faults.js';
import {
  isJsonContent,
  matchPath,
  parseJsonBody,
  startHttpServer,
  type SimulatorCall,
  type SimulatorReply,
} from './http-server.js';
import { createSpecValidator, jsonPathOf, type SpecViolation } from './spec-validator.js';

export type { ConnectAction } from './connect-actions.js';
export type { AnonymizeErrorDetail, KnownOrder } from './connect-anonymize.js';
export type { ChannelDocument, ReuploadBehaviour } from './connect-channel-documents.js';
export type { ChannelOrderRules, ConnectChannel, HeldOrder, HeldReturn } from './connect-orders.js';
export type { SellerAction } from './connect-seller.js';

const CONNECT_SPEC = fileURLToPath(new URL('../../contracts/mirakl-connect-channel-openapi.json', import.meta.url));
const ACTION_STATUS_PATH = /^\/api\/channel-platform\/v1\/orders\/actions\/([^/]+)$/;
const API_PATHS = {
  anonymizeAfter: {
    method: 'PUT',
    path: '/api/channel-platform/v1/orders/anonymize-after',
    schema: 'UpdateAnonymizeAfterRequest',
  },
  upsertOrders: { method: 'POST', path: '/api/channel-platform/v1/orders', schema: 'UpsertOrdersRequest' },
  upsertReturns: { method: 'POST', path: '/api/channel-platform/v1/orders/returns', schema: 'UpsertReturnsRequest' },
} as const;
const CONNECT_ROUTES = ['token', 'actionStatus', 'anonymizeAfter', 'upsertOrders', 'upsertReturns'] as const;
type ConnectRoute = (typeof CONNECT_ROUTES)[number];
/** The channel and store of the local stack and the test fixtures. */
export const DEFAULT_CONNECT_CHANNEL: ConnectChannel = { channelId: '0024', storeIds: ['2005'] };
const FAULT_CODES: Partial<Record<number, string>> = {
  400: 'INVALID_INPUT',
  401: 'UNAUTHORIZED',
  404: 'DATA_NOT_FOUND',
  429: 'TOO_MANY_REQUEST',
};

export const ConnectFaultSchema = routedFaultSchema([...CONNECT_ROUTES, 'uploadDocument', 'deleteDocument']);
export type ConnectFault = z.infer<typeof ConnectFaultSchema>;

export interface ConnectSimulatorOptions {
  /** @default 0 (any free port) */
  port?: number;
  /** @default 'local-client' */
  clientId?: string;
  /** @default 'local-secret' */
  clientSecret?: string;
  /** @default 3599, as Mirakl's auth server answers */
  tokenTtlSeconds?: number;
  /** Where `publish()` sends events; without it `publish()` throws. */
  sqs?: { client: SQSClient; queueUrl: string };
  /** Told of every publish: the event and how many copies went to the queue. */
  onPublish?: (event: PublishedEvent, copies: number) => void;
  /** Told when an action gets its final status (later reports on it are refused as already final). */
  onFinalReport?: (action: ConnectAction) => void;
  /** The seller-API client of the v2 documents download. @default local-seller-client / local-seller-secret / local-seller-company */
  seller?: SellerCredentials;
  /** The channel and stores Connect knows: upserts naming others answer 404. @default channel 0024, store 2005 */
  channel?: ConnectChannel;
  /** Where Mirakl documents nothing (see `ChannelOrderRulesSchema`). @default field index on, no rejected order, 60 s between upsertReturns of a store */
  orderRules?: Partial<ChannelOrderRules>;
}

export interface ConnectRequest {
  method: string;
  path: string;
  status: number;
  /** The parsed JSON body, or the token form without `client_secret`. */
  body: unknown;
  /** What the connector got wrong in this request; empty when it followed the contract. */
  schemaErrors: string[];
  /** True when the call was carried out but its response was never sent. */
  dropped?: boolean;
}

/** Connect's envelope as published to the channel's queue (MIRAKL-CONTRACT.md §3.1). */
export const PublishedEventSchema = z.looseObject({
  id: z.string(),
  type: z.string(),
  time: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type PublishedEvent = z.infer<typeof PublishedEventSchema>;

export interface ConnectSimulator {
  /** Base URL, e.g. `http://127.0.0.1:1234`. */
  readonly url: string;
  /** CONNECT_API_URL: `${url}/api/channel-platform`. */
  readonly apiUrl: string;
  /** CONNECT_AUTH_URL: `${url}/oauth/token`. */
  readonly authUrl: string;
  /** Tokens issued since start or the last `reset()`. */
  readonly tokensIssued: number;
  registerAction(actionId: string): void;
  /** Makes an order known to Connect, so that anonymize-after accepts it. */
  registerOrder(channelId: string, channelOrderId: string): void;
  /** The known orders, with the anonymize-after date last set on each. */
  knownOrders(): KnownOrder[];
  /** How a refused anonymize-after call names the bad orders in `errors[].field` (default `every-order`). */
  setAnonymizeErrorDetail(detail: AnonymizeErrorDetail): void;
  actions(): ConnectAction[];
  requests(): ConnectRequest[];
  /** Registers `data.action_id`, then sends the envelope to the queue once, plus `duplicates` extra copies. */
  publish(event: PublishedEvent, options?: { duplicates?: number }): Promise<void>;
  injectFault(fault: ConnectFault): void;
  /** Puts a document on a Connect order (`<channel_id>_<channel_order_id>`), for the v2 documents download. */
  addOrderDocument(
    orderId: string,
    document: { name: string; type: string; body: Uint8Array; id?: string; updatedAt?: Date },
  ): ConnectDocument;
  /** The documents the channel uploaded (uploadOrderDocument), all or one order's, without their bytes. */
  channelDocuments(channelOrderId?: string): ChannelDocument[];
  /** The bytes Connect holds for a channel document, or undefined. */
  channelDocumentFile(channelDocumentId: string): Buffer | undefined;
  /** What an upload of a `channel_document_id` already held does (default `replace`; until `reset()`). */
  setReuploads(behaviour: ReuploadBehaviour): void;
  /** The orders pushed with upsertOrders, as last applied. */
  heldOrders(): HeldOrder[];
  /** The returns pushed with upsertReturns, as last applied. */
  heldReturns(): HeldReturn[];
  /** Changes the order rules until `reset()`. */
  configureOrders(rules: Partial<ChannelOrderRules>): void;
  /**
   * The seller accepts every line, or ships the whole order, of an order the import pushed: Connect publishes the
   * OrderActionEvent (as `publish()`) and returns it. Throws for an order Connect does not hold or whose status
   * does not allow it.
   */
  sellerAct(action: SellerAction): Promise<PublishedEvent>;
  /** Calls received per route since start or the last `reset()`, faulted ones included. */
  callCounts(): Record<ConnectRoute, number>;
  /** Clears faults, actions, channel documents, held orders and returns, order rules, recorded requests and counts; issued tokens stay valid. */
  reset(): void;
  close(): Promise<void>;
}

/** A local Mirakl Connect: OAuth token endpoint, updateActionStatus, anonymize-after, channel documents, upsertOrders and upsertReturns (connect-orders.ts), and event publishing to SQS. */
export async function startConnectSimulator(options: ConnectSimulatorOptions = {}): Promise<ConnectSimulator> {
  const clientId = options.clientId ?? 'local-client';
  const clientSecret = options.clientSecret ?? 'local-secret';
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 3599;
  const spec = createSpecValidator(CONNECT_SPEC);
  const tokenExpiries = new Map<string, number>();
  const actionBook = new ConnectActionBook();
  const anonymization = new AnonymizationBook();
  let anonymizeErrorDetail: AnonymizeErrorDetail = 'every-order';
  const faults = new FaultBook<ConnectFault>();
  const orderBook = new ChannelOrderBook(
    options.channel ?? DEFAULT_CONNECT_CHANNEL,
    {
      ...DEFAULT_CHANNEL_ORDER_RULES,
      ...(options.orderRules && ChannelOrderRulesSchema.partial().parse(options.orderRules)),
    },
    (channelId, channelOrderId) => anonymization.register(channelId, channelOrderId),
  );
  const noCalls = (): Record<ConnectRoute, number> =>
    Object.fromEntries(CONNECT_ROUTES.map((route) => [route, 0])) as Record<ConnectRoute, number>;
  let callCounts = noCalls();
  let recorded: ConnectRequest[] = [];
  let tokensIssued = 0;
  const channelDocuments = new ChannelDocumentBook(spec);
  const sellerDocuments = new SellerDocuments(
    options.seller ?? {
      clientId: 'local-seller-client',
      clientSecret: 'local-seller-secret',
      audience: 'local-seller-company',
    },
  );

  const issueToken = (call: SimulatorCall): SimulatorReply => {
    const form = new URLSearchParams(call.rawBody);
    if (sellerDocuments.isSellerTokenRequest(form)) return sellerDocuments.issueToken(form, tokenTtlSeconds);
    if (form.get('grant_type') !== 'client_credentials') {
      return connectError(400, 'INVALID_INPUT', 'grant_type must be client_credentials');
    }
    if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
      return connectError(401, 'UNAUTHORIZED', 'Invalid client credentials');
    }
    const accessToken = `sim-${randomUUID()}`;
    tokenExpiries.set(accessToken, Date.now() + tokenTtlSeconds * 1000);
    tokensIssued += 1;
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        access_token: accessToken,
        expires_in: tokenTtlSeconds,
        target_app: '',
        resource_owner: '',
      },
    };
  };

  const isAuthorized = (call: SimulatorCall): boolean => {
    const token = /^Bearer (.+)$/.exec(call.headers.authorization ?? '')?.[1];
    return token !== undefined && (tokenExpiries.get(token) ?? 0) > Date.now();
  };

  const updateActionStatus = (call: SimulatorCall, actionId: string, violations: SpecViolation[]): SimulatorReply => {
    if (!isAuthorized(call)) return connectError(401, 'UNAUTHORIZED', 'Missing, invalid or expired bearer token');
    if (violations.length > 0) {
      const errors = violations.map((v) => ({ message: v.message, field: jsonPathOf(v.pointer) }));
      return { status: 400, body: { code: 'INVALID_INPUT', message: 'Invalid action status update', errors } };
    }
    const outcome = actionBook.report(actionId, ActionReportSchema.parse(parseJsonBody(call)));
    const final = outcome === 'updated' ? actionBook.get(actionId) : undefined;
    if (final) options.onFinalReport?.(final);
    if (outcome === 'unknown') return connectError(404, 'DATA_NOT_FOUND', `Action ${actionId} not found`);
    if (outcome === 'alreadyFinal')
      return connectError(400, 'ACTION_ALREADY_FINAL', `Action ${actionId} is already final`);
    return { status: 204 };
  };

  /** Orders must be known and dates in the future (with Connect's tolerance); one bad order refuses the whole call. */
  const updateAnonymizeAfter = (call: SimulatorCall, violations: SpecViolation[]): SimulatorReply => {
    if (!isAuthorized(call)) return connectError(401, 'UNAUTHORIZED', 'Missing, invalid or expired bearer token');
    if (violations.length > 0) {
      const errors = violations.map((v) => ({ message: v.message, field: jsonPathOf(v.pointer) }));
      return { status: 400, body: { code: 'INVALID_INPUT', message: 'Invalid anonymize-after request', errors } };
    }
    const refusals = anonymization.update(AnonymizeAfterRequestSchema.parse(parseJsonBody(call)).orders);
    return refusals.length > 0 ? { status: 400, body: refusalBody(refusals, anonymizeErrorDetail) } : { status: 204 };
  };

  /** uploadOrderDocument / deleteOrderDocument, through the faults of their routes. */
  const handleChannelDocument = async (
    call: SimulatorCall,
    target: { route: 'uploadDocument' | 'deleteDocument'; id: string },
  ) => {
    const violations = channelDocuments.violations(call, target.route);
    const { reply, dropConnection } = await faults.apply(
      target.route,
      (status) => ({ code: FAULT_CODES[status] ?? 'UNAVAILABLE', message: `Simulated ${status}` }),
      async () => {
        if (!isAuthorized(call)) return connectError(401, 'UNAUTHORIZED', 'Missing, invalid or expired bearer token');
        return target.route === 'uploadDocument'
          ? channelDocuments.upload(call, target.id)
          : channelDocuments.remove(call, target.id);
      },
    );
    recorded.push({
      method: call.method,
      path: call.path,
      status: reply.status,
      body: channelDocuments.describe(call, target.route),
      schemaErrors: violations,
      ...(dropConnection && { dropped: true }),
    });
    return dropConnection ? undefined : reply;
  };

  const answer = (
    route: ConnectRoute,
    call: SimulatorCall,
    actionId: string,
    violations: SpecViolation[],
  ): SimulatorReply => {
    if (route === 'token') return issueToken(call);
    if (route === 'actionStatus') return updateActionStatus(call, actionId, violations);
    if (route === 'anonymizeAfter') return updateAnonymizeAfter(call, violations);
    if (!isAuthorized(call)) return connectError(401, 'UNAUTHORIZED', 'Missing, invalid or expired bearer token');
    return route === 'upsertOrders'
      ? orderBook.upsertOrders(parseJsonBody(call), violations)
      : orderBook.upsertReturns(parseJsonBody(call), violations);
  };

  const handleApiCall = async (call: SimulatorCall): Promise<SimulatorReply | undefined> => {
    const channelDocument = channelDocuments.routeOf(call);
    if (channelDocument) return handleChannelDocument(call, channelDocument);
    const documentsReply = sellerDocuments.handle(call);
    if (documentsReply) {
      recorded.push({
        method: call.method,
        path: call.path,
        status: documentsReply.status,
        body: Object.fromEntries(call.query),
        schemaErrors: [],
      });
      return documentsReply;
    }
    const target = apiRouteOf(call);
    if (!target) return connectError(404, 'DATA_NOT_FOUND', `No route for ${call.method} ${call.path}`);
    const { route, actionId } = target;
    callCounts[route] += 1;
    const violations = requestViolations(route, call, spec);
    const { reply, dropConnection } = await faults.apply(
      route,
      (status) => ({ code: FAULT_CODES[status] ?? 'UNAVAILABLE', message: `Simulated ${status}` }),
      () => Promise.resolve(answer(route, call, actionId, violations)),
    );
    recorded.push({
      method: call.method,
      path: call.path,
      status: reply.status,
      body: route === 'token' ? tokenFormWithoutSecret(call) : parseJsonBody(call),
      schemaErrors: violations.map((v) => `${v.pointer || '/'} ${v.message}`),
      ...(dropConnection && { dropped: true }),
    });
    return dropConnection ? undefined : reply;
  };

  const server = await startHttpServer(options.port ?? 0, (call) =>
    call.path.startsWith('/_sim/') ? handleInspection(call, simulator) : handleApiCall(call),
  );
  const simulator: ConnectSimulator = {
    url: server.url,
    apiUrl: `${server.url}/api/channel-platform`,
    authUrl: `${server.url}/oauth/token`,
    get tokensIssued() {
      return tokensIssued;
    },
    registerAction: (actionId) => actionBook.register(actionId),
    registerOrder: (channelId, channelOrderId) => anonymization.register(channelId, channelOrderId),
    knownOrders: () => anonymization.list(),
    setAnonymizeErrorDetail: (detail) => {
      anonymizeErrorDetail = AnonymizeErrorDetailSchema.parse(detail);
    },
    actions: () => actionBook.list(),
    heldOrders: () => orderBook.heldOrders(),
    heldReturns: () => orderBook.heldReturns(),
    configureOrders: (rules) => orderBook.configure(ChannelOrderRulesSchema.partial().parse(rules)),
    callCounts: () => ({ ...callCounts }),
    sellerAct: async (action) => {
      const { channel_order_id: orderId } = SellerActionSchema.parse(action);
      const held = orderBook.heldOrders().find((order) => order.body.channel_order_id === orderId);
      if (!held) throw new Error(`Connect holds no order ${orderId}`);
      const event = sellerActionEvent(held, action);
      if (typeof event === 'string') throw new Error(event);
      await simulator.publish(event);
      return event;
    },
    requests: () => structuredClone(recorded),
    publish: async (event, { duplicates = 0 } = {}) => {
      if (!options.sqs)
        throw new Error('startConnectSimulator() was given no `sqs` option, so it cannot publish events');
      const actionId = event.data?.action_id;
      if (typeof actionId === 'string') actionBook.register(actionId);
      const { client, queueUrl } = options.sqs;
      for (let copy = 0; copy <= duplicates; copy += 1) {
        await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(event) }));
      }
      options.onPublish?.(event, duplicates + 1);
    },
    injectFault: (fault) => faults.inject(ConnectFaultSchema.parse(fault)),
    addOrderDocument: (orderId, document) => sellerDocuments.add(orderId, document),
    channelDocuments: (channelOrderId) => channelDocuments.list(channelOrderId),
    channelDocumentFile: (channelDocumentId) => channelDocuments.file(channelDocumentId),
    setReuploads: (behaviour) => channelDocuments.setReuploads(behaviour),
    reset: () => {
      channelDocuments.clear();
      sellerDocuments.clear();
      faults.clear();
      actionBook.clear();
      anonymization.clear();
      orderBook.clear();
      callCounts = noCalls();
      anonymizeErrorDetail = 'every-order';
      recorded = [];
      tokensIssued = 0;
    },
    close: server.close,
  };
  return simulator;
}

const RegisterActionSchema = z.object({ action_id: z.string().min(1) });
const RegisterOrderSchema = z.object({ channel_id: z.string().min(1), channel_order_id: z.string().min(1) });

async function handleInspection(call: SimulatorCall, simulator: ConnectSimulator): Promise<SimulatorReply> {
  const route = `${call.method} ${call.path}`;
  const body = parseJsonBody(call);
  if (route === 'GET /_sim/actions') return { status: 200, body: simulator.actions() };
  if (route === 'GET /_sim/requests') return { status: 200, body: simulator.requests() };
  if (route === 'GET /_sim/documents')
    return { status: 200, body: simulator.channelDocuments(call.query.get('channel_order_id') ?? undefined) };
  if (route === 'POST /_sim/reset') {
    simulator.reset();
    return { status: 204 };
  }
  if (route === 'POST /_sim/faults') {
    const fault = ConnectFaultSchema.safeParse(body);
    if (!fault.success) return invalidInput(fault.error);
    simulator.injectFault(fault.data);
    return { status: 204 };
  }
  if (route === 'GET /_sim/orders') return { status: 200, body: ordersHeld(simulator) };
  if (route === 'GET /_sim/returns') return { status: 200, body: simulator.heldReturns() };
  if (route === 'GET /_sim/calls') return { status: 200, body: simulator.callCounts() };
  if (route === 'POST /_sim/seller-actions') {
    const action = SellerActionSchema.safeParse(body);
    if (!action.success) return invalidInput(action.error);
    try {
      return { status: 201, body: await simulator.sellerAct(action.data) };
    } catch (error) {
      return connectError(409, 'CONFLICT', error instanceof Error ? error.message : String(error));
    }
  }
  if (route === 'POST /_sim/order-rules') {
    const rules = ChannelOrderRulesSchema.partial().safeParse(body);
    if (!rules.success) return invalidInput(rules.error);
    simulator.configureOrders(rules.data);
    return { status: 204 };
  }
  if (route === 'POST /_sim/orders') {
    const order = RegisterOrderSchema.safeParse(body);
    if (!order.success) return invalidInput(order.error);
    simulator.registerOrder(order.data.channel_id, order.data.channel_order_id);
    return { status: 204 };
  }
  if (route === 'POST /_sim/actions') {
    const action = RegisterActionSchema.safeParse(body);
    if (!action.success) return invalidInput(action.error);
    simulator.registerAction(action.data.action_id);
    return { status: 204 };
  }
  if (route === 'POST /_sim/events') {
    const event = PublishedEventSchema.safeParse(body);
    if (!event.success) return invalidInput(event.error);
    await simulator.publish(event.data, { duplicates: Number(call.query.get('duplicates') ?? 0) });
    return { status: 204 };
  }
  return connectError(404, 'DATA_NOT_FOUND', `No route for ${route}`);
}

/** Every order Connect knows (upserted, or registered for anonymize-after), with the last body upserted, if any. */
function ordersHeld(simulator: ConnectSimulator) {
  const held = new Map(
    simulator.heldOrders().map((order) => [JSON.stringify([order.channel_id, order.body.channel_order_id]), order]),
  );
  return simulator.knownOrders().map((known) => {
    const order = held.get(JSON.stringify([known.channel_id, known.channel_order_id]));
    return order
      ? {
          ...known,
          channel_store_id: order.channel_store_id,
          channel_updated_at: order.channel_updated_at,
          applied: order.applied,
          ignored_as_stale: order.ignoredAsStale,
          order: order.body,
        }
      : known;
  });
}

function apiRouteOf(call: SimulatorCall): { route: ConnectRoute; actionId: string } | undefined {
  if (call.method === 'POST' && call.path === '/oauth/token') return { route: 'token', actionId: '' };
  const actionId = call.method === 'PUT' ? matchPath(ACTION_STATUS_PATH, call.path)?.[0] : undefined;
  if (actionId !== undefined) return { route: 'actionStatus', actionId };
  const route = (Object.keys(API_PATHS) as Array<keyof typeof API_PATHS>).find(
    (name) => API_PATHS[name].method === call.method && API_PATHS[name].path === call.path,
  );
  return route && { route, actionId: '' };
}

function requestViolations(
  route: ConnectRoute,
  call: SimulatorCall,
  spec: ReturnType<typeof createSpecValidator>,
): SpecViolation[] {
  if (route === 'token') return tokenRequestViolations(call);
  if (route === 'actionStatus') return actionStatusViolations(call, spec);
  return [
    ...(isJsonContent(call) ? [] : [{ pointer: '', message: 'content-type must be application/json' }]),
    ...spec.violations(API_PATHS[route].schema, parseJsonBody(call)),
  ];
}

function tokenRequestViolations(call: SimulatorCall): SpecViolation[] {
  const form = new URLSearchParams(call.rawBody);
  const contentType = call.headers['content-type'] ?? '';
  return [
    ...(contentType.startsWith('application/x-www-form-urlencoded')
      ? []
      : [{ pointer: '', message: 'content-type must be application/x-www-form-urlencoded' }]),
    ...['grant_type', 'client_id', 'client_secret']
      .filter((field) => !form.get(field))
      .map((field) => ({ pointer: `/${field}`, message: 'is required' })),
  ];
}

function actionStatusViolations(call: SimulatorCall, spec: ReturnType<typeof createSpecValidator>): SpecViolation[] {
  const body = parseJsonBody(call);
  const failedWithoutErrors =
    isRecord(body) && body.status === 'FAILED' && !(Array.isArray(body.errors) && body.errors.length > 0);
  return [
    ...(isJsonContent(call) ? [] : [{ pointer: '', message: 'content-type must be application/json' }]),
    ...spec.violations('UpdateActionRequest', body),
    ...(failedWithoutErrors ? [{ pointer: '/errors', message: 'is required when status is FAILED' }] : []),
  ];
}

function tokenFormWithoutSecret(call: SimulatorCall): Record<string, string> {
  const form = Object.fromEntries(new URLSearchParams(call.rawBody));
  delete form.client_secret;
  return form;
}

function connectError(status: number, code: string, message: string): SimulatorReply {
  return { status, body: { code, message } };
}

function invalidInput(error: z.ZodError): SimulatorReply {
  return connectError(400, 'INVALID_INPUT', z.prettifyError(error));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
