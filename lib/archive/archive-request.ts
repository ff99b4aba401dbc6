import * as z from 'zod';

/** The document types of Connect's v2 documents download (`types` query parameter). */
export const CONNECT_DOCUMENT_TYPES = [
  'CUSTOMER_INVOICE',
  'RETURN_LABEL',
  'DELIVERY_SLIP',
  'SHIPMENT_DELIVERY_SLIP',
  'CHANNEL_SPECIFIC',
] as const;
/** Connect takes at most 100 `document_ids` per call; OR72 at most 100 order ids. */
const MAX_DOCUMENT_IDS = 100;

const id = z.string().trim().min(1).max(200);

/**
 * A message of the document-archive queue (ARCHITECTURE.md): which order's documents to archive, from where.
 * `types` and `document_ids` narrow it (mutually exclusive, as in Connect's call). For `marketplace`,
 * `channel_store_id` picks the shop (default: the single store), and `channel_id` the archive folder the
 * documents share with UPLOAD_DOCUMENT's (`documents/<channel_id>/<order_id>/`).
 */
const OrderDocumentsRequest = z
  .object({
    source: z.enum(['connect', 'marketplace']),
    order_id: id,
    types: z.array(id).min(1).optional(),
    document_ids: z
      .array(z.union([id, z.number().int().nonnegative().transform(String)]))
      .min(1)
      .max(MAX_DOCUMENT_IDS)
      .optional(),
    channel_store_id: id.optional(),
    channel_id: id.optional(),
  })
  .refine((request) => request.types === undefined || request.document_ids === undefined, {
    message: 'types and document_ids are mutually exclusive',
  })
  .refine(
    (request) =>
      request.source === 'marketplace' ||
      request.types === undefined ||
      request.types.every((type) => (CONNECT_DOCUMENT_TYPES as readonly string[]).includes(type)),
    {
      message: `must be among ${CONNECT_DOCUMENT_TYPES.join(', ')}`,
      path: ['types'],
    },
  );
export type OrderDocumentsRequest = z.infer<typeof OrderDocumentsRequest>;

/**
 * An operation of the operations API (seed 003), by its id (`order_id`) or its `reference`: its PDF is archived
 * and, with CONNECT_CHANNEL_ID set, uploaded to Connect on the order whose channel_order_id is the reference, in the
 * store `channel_store_id` (default MMP_STORE_ID).
 */
const OperationRequest = z
  .object({
    source: z.literal('operations'),
    order_id: z.union([id, z.number().int().nonnegative().transform(String)]).optional(),
    reference: id.optional(),
    channel_store_id: id.optional(),
  })
  .refine((request) => (request.order_id === undefined) !== (request.reference === undefined), {
    message: 'needs exactly one of order_id and reference',
  });
export type OperationRequest = z.infer<typeof OperationRequest>;

export const ArchiveRequest = z.discriminatedUnion('source', [OrderDocumentsRequest, OperationRequest]);
export type ArchiveRequest = z.infer<typeof ArchiveRequest>;

/** The request in a message body, or why it is not one (the reason names fields, never values). */
export const readArchiveRequest = (
  body: string,
): { ok: true; request: ArchiveRequest } | { ok: false; reason: string } => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'the message is not JSON' };
  }
  const parsed = ArchiveRequest.safeParse(json);
  if (parsed.success) return { ok: true, request: parsed.data };
  return {
    ok: false,
    reason: `invalid archive request: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(message)'} ${issue.message}`).join('; ')}`,
  };
};

/**
 * Connect's order id looks like `<channel_id>_<channel_order_id>` in every vendor example (not stated as a rule):
 * split there for the archive folder, so v2 documents sit with UPLOAD_DOCUMENT's; otherwise the folder is `connect`.
 */
export const connectOrderFolder = (orderId: string): { channelId: string; channelOrderId: string } => {
  const split = /^([^_]+)_(.+)$/.exec(orderId);
  return split
    ? { channelId: split[1] as string, channelOrderId: split[2] as string }
    : { channelId: 'connect', channelOrderId: orderId };
};
