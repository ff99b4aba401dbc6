import { Readable } from 'node:stream';
import * as z from 'zod';
import { FaultBook, routedFaultSchema } from './faults.js';
import { matchPath, parseJsonBody, startHttpServer, type SimulatorCall, type SimulatorReply } from './http-server.js';
import { samplePdf } from './sample-pdf.js';

/** The API's base path: OPERATIONS_API_URL is `<server>/api/v1.0`. */
const API_BASE = '/api/v1.0';
const BY_ID_PATH = /^\/api\/v1\.0\/orders\/([^/]*)$/;
const BY_REFERENCE_PATH = /^\/api\/v1\.0\/orders\/reference\/([^/]*)$/;
const PDF_PATH = /^\/[^/]+\/orderPDF\/[^/]+\.pdf$/;
const ORGANIZATION = 'entity1';

/** Operations the API shows (seed 003): order, pre-order, invoice, delivery note or delivery. */
export const OPERATION_TYPES = ['ORDER', 'PRE_ORDER', 'INVOICE', 'DELIVERY_NOTE', 'DELIVERY'] as const;

export const OperationInputSchema = z.object({
  /** @default the next id */
  id: z.number().int().positive().optional(),
  /** One of OPERATION_TYPES, or another type the API may add. */
  operationType: z.string().min(1).default('INVOICE'),
  reference: z.string().min(1),
  status: z.string().default('PAID'),
  total: z.number().nonnegative().default(1572),
  currency: z.string().length(3).default('EUR'),
  /** The PDF's bytes, base64 (over HTTP); a generated invoice-like page when omitted. */
  pdfBase64: z.base64().optional(),
  /** The operation has no PDF (`pdfUrl: null`). */
  withoutPdf: z.boolean().default(false),
});
export type OperationInput = z.input<typeof OperationInputSchema> & { pdf?: Uint8Array };

export const OperationsFaultSchema = routedFaultSchema(['operation', 'pdf']);
export type OperationsFault = z.infer<typeof OperationsFaultSchema>;

/** An operation as the API shows it (the seed's success output). */
export type Operation = ReturnType<typeof operationBody>;

export interface OperationsRequest {
  route: OperationsFault['route'];
  path: string;
  status: number;
}

export interface OperationsSimulator {
  /** The server's base URL; OPERATIONS_API_URL is `apiUrl`. */
  readonly url: string;
  readonly apiUrl: string;
  readonly token: string;
  /** Adds an operation and its PDF; returns what `GET /orders/{id}` answers. */
  addOperation(input: OperationInput): Operation;
  /** The PDF of an operation, as served. */
  pdfOf(operationId: number): Buffer | undefined;
  injectFault(fault: OperationsFault): void;
  requests(): OperationsRequest[];
  reset(): void;
  close(): Promise<void>;
}

/**
 * The operations API (seed 003): `GET /api/v1.0/orders/{id}` and `/orders/reference/{reference}` behind a bearer
 * token, answering the seed's operation, or its `{"error", "error_description"}` failures: 400 invalid_param_type for
 * an id that is not a number, 404 not_found. Each operation's `pdfUrl` points at this server, which serves the PDF
 * (with the same token, streamed with its length).
 */
export async function startOperationsSimulator(
  options: { port?: number; token?: string } = {},
): Promise<OperationsSimulator> {
  const token = options.token ?? 'local-operations-token';
  const operations = new Map<number, { operation: Operation; pdf: Buffer | undefined }>();
  const faults = new FaultBook<OperationsFault>();
  let recorded: OperationsRequest[] = [];
  let nextId = 1;

  const lookUp = (call: SimulatorCall): SimulatorReply => {
    const byReference = matchPath(BY_REFERENCE_PATH, call.path)?.[0];
    if (byReference !== undefined) {
      const found = [...operations.values()].find((entry) => entry.operation.reference === byReference);
      return found ? { status: 200, body: found.operation } : notFound('reference', byReference);
    }
    const id = matchPath(BY_ID_PATH, call.path)?.[0] ?? '';
    if (!/^\d{1,18}$/.test(id))
      return apiError(
        400,
        'invalid_param_type',
        'The type of parameter id you provided is not valid for this request.',
      );
    const found = operations.get(Number(id));
    return found ? { status: 200, body: found.operation } : notFound('id', id);
  };

  const download = (call: SimulatorCall): SimulatorReply => {
    const found = [...operations.values()].find(
      (entry) => entry.operation.pdfUrl !== null && new URL(entry.operation.pdfUrl).pathname === call.path,
    );
    if (!found?.pdf) return apiError(404, 'not_found', 'The document you requested does not exist.');
    return {
      status: 200,
      headers: { 'content-type': 'application/pdf', 'content-length': String(found.pdf.length) },
      stream: streamOf(found.pdf),
    };
  };

  const handle = async (call: SimulatorCall): Promise<SimulatorReply | undefined> => {
    if (call.path.startsWith('/_sim/')) return handleInspection(call, simulator);
    const route =
      call.method !== 'GET'
        ? undefined
        : call.path.startsWith(`${API_BASE}/orders/`)
          ? 'operation'
          : PDF_PATH.test(call.path)
            ? 'pdf'
            : undefined;
    if (route === undefined) return apiError(404, 'not_found', `No route for ${call.method} ${call.path}`);
    const { reply, dropConnection } = await faults.apply(
      route,
      (status) => ({
        error: status === 503 ? 'service_unavailable' : 'server_error',
        error_description: `Simulated ${status}`,
      }),
      async () => {
        if (call.headers.authorization !== `Bearer ${token}`)
          return apiError(401, 'invalid_token', 'The access token provided is invalid.');
        return route === 'operation' ? lookUp(call) : download(call);
      },
    );
    recorded.push({ route, path: call.path, status: reply.status });
    return dropConnection ? undefined : reply;
  };

  const server = await startHttpServer(options.port ?? 0, handle);
  const simulator: OperationsSimulator = {
    url: server.url,
    apiUrl: `${server.url}${API_BASE}`,
    token,
    addOperation: (input) => {
      const parsed = OperationInputSchema.parse(input);
      const id = parsed.id ?? nextId;
      nextId = Math.max(nextId, id + 1);
      const operation = operationBody(server.url, { ...parsed, id });
      const pdf = parsed.withoutPdf
        ? undefined
        : Buffer.from(
            input.pdf ??
              (parsed.pdfBase64
                ? Buffer.from(parsed.pdfBase64, 'base64')
                : samplePdf([
                    `${parsed.operationType} ${parsed.reference}`,
                    `Total ${parsed.total} ${parsed.currency}`,
                  ])),
          );
      operations.set(id, { operation, pdf });
      return structuredClone(operation);
    },
    pdfOf: (operationId) => operations.get(operationId)?.pdf,
    injectFault: (fault) => faults.inject(OperationsFaultSchema.parse(fault)),
    requests: () => structuredClone(recorded),
    reset: () => {
      operations.clear();
      faults.clear();
      recorded = [];
      nextId = 1;
    },
    close: server.close,
  };
  return simulator;
}

/** The seed's success output for one operation; the customer is a business (`Marie's Jewelry` in the seed). */
const operationBody = (base: string, input: z.output<typeof OperationInputSchema> & { id: number }) => {
  const created = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const href = (kind: string, id: number) => `/api/v1.0/${kind}/${id}`;
  return {
    id: input.id,
    operationType: input.operationType,
    reference: input.reference,
    status: input.status,
    latitude: 48.866,
    longitude: 2.333,
    checkInDate: null,
    total: input.total,
    totalExclTax: input.total,
    totalDiscounted: input.total,
    discount: null,
    taxAmount: null,
    shippingFee: 7,
    paymentDate: created,
    paymentTypeId: 8,
    paymentType: { id: 8, reference: 'CHEQUE', name: 'Cheque', href: href('paymentTypes', 8) },
    advanceAmount: null,
    orderPayments: [
      { id: input.id, reference: `${input.id}_8_${input.reference}`, href: href('orderPayments', input.id) },
    ],
    dueDate: null,
    customerReference: 'C0959',
    customer: { id: 5, reference: 'C0959', reference2: null, name: "Marie's Jewelry", href: href('customers', 5) },
    currency: input.currency,
    exchangeRate: 1,
    employeeReference: 'emp-04',
    user: { id: 4, reference: 'emp-04', href: href('users', 4) },
    deliveryStatus: 'DELIVERED',
    deliveryDate: created,
    deliveryComment: null,
    deliveryCountry: 'FR',
    deliveryCity: 'Paris',
    deliveryPostalCode: null,
    deliveryAddress: null,
    orderLines: [{ id: input.id, href: href('orderDetails', input.id) }],
    pdfUrl: input.withoutPdf
      ? null
      : `${base}/${ORGANIZATION}-${Date.now()}/orderPDF/${input.id}_${encodeURIComponent(input.reference)}.pdf`,
    organization: ORGANIZATION,
    dateCreated: created,
    lastUpdated: created,
    deliveredBy: { id: 5, reference: 'emp-06', href: href('users', 5) },
    desiredDeliveryDate: created,
    deliveredOn: created,
    assignmentDate: created,
  };
};

/** `POST /_sim/operations`, `POST /_sim/faults`, `GET /_sim/requests`, `POST /_sim/reset`, for runs by hand. */
function handleInspection(call: SimulatorCall, simulator: OperationsSimulator): SimulatorReply {
  const route = `${call.method} ${call.path}`;
  const body = parseJsonBody(call);
  if (route === 'GET /_sim/requests') return { status: 200, body: simulator.requests() };
  if (route === 'POST /_sim/reset') {
    simulator.reset();
    return { status: 204 };
  }
  if (route === 'POST /_sim/operations') {
    const input = OperationInputSchema.safeParse(body);
    if (!input.success) return { status: 400, body: { message: z.prettifyError(input.error) } };
    return { status: 201, body: simulator.addOperation(input.data) };
  }
  if (route === 'POST /_sim/faults') {
    const fault = OperationsFaultSchema.safeParse(body);
    if (!fault.success) return { status: 400, body: { message: z.prettifyError(fault.error) } };
    simulator.injectFault(fault.data);
    return { status: 204 };
  }
  return { status: 404, body: { message: `No route for ${route}` } };
}

const notFound = (by: 'id' | 'reference', value: string) =>
  apiError(404, 'not_found', `The order with the ${by} ${value} doesn't exist.`);

const apiError = (status: number, error: string, description: string): SimulatorReply => ({
  status,
  body: { error, error_description: description },
});

/** The PDF in 64 KB chunks, so a large one is streamed as the real server would. */
const streamOf = (bytes: Buffer) => {
  const chunks = Array.from({ length: Math.ceil(bytes.length / 65_536) }, (_, index) =>
    bytes.subarray(index * 65_536, (index + 1) * 65_536),
  );
  return Readable.from(chunks);
};
