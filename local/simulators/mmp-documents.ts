import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { zipSync } from 'fflate';
import * as z from 'zod';
import type { SimulatorCall, SimulatorReply } from './http-server.js';
import type { SpecValidator } from './spec-validator.js';

/**
 * The order documents of the simulated MMP: OR72 lists them, OR74 attaches files, with MMP's documented rules
 * (US-ASCII file names, distinct names, the allowed extensions, at most 50 documents per order) and its habit of
 * answering 200 with the refused files listed (`errors_count`). Assumptions where MMP documents nothing: a file
 * over `maxFileBytes` is refused like the others, and so is a name already on the order. Of the error codes,
 * only `valid_order_document.type` (an unknown type code) is the vendor's; the others are this simulator's.
 * DO01 lists the operator's document types; OR76 deletes a document.
 */
export const MMP_DOCUMENT_EXTENSIONS = [
  'csv',
  'doc',
  'xls',
  'xlsx',
  'ppt',
  'pdf',
  'odt',
  'ods',
  'odp',
  'txt',
  'rtf',
  'png',
  'jpg',
  'gif',
  'zpl',
  'mov',
  'mp4',
];
export const MAX_DOCUMENTS_PER_ORDER = 50;
/**
 * The operator's document types as DO01 lists them: its example (delivery slip, invoice, two shop documents), the
 * system types OR74 and RT11 name, and two of this operator's own: a second invoice type and a care guide.
 */
export const MMP_DOCUMENT_TYPE_LIST = [
  { code: 'SYSTEM_DELIVERY_BILL', label: 'Delivery slip', description: 'Delivery slip', entity: 'ORDER' },
  {
    code: 'SYSTEM_SHIPMENT_DELIVERY_BILL',
    label: 'Shipment delivery slip',
    description: 'Delivery slip of one shipment',
    entity: 'ORDER',
  },
  { code: 'SYSTEM_RETURN_LABEL', label: 'Return label', description: 'Return label', entity: 'ORDER' },
  { code: 'CUSTOMER_INVOICE', label: 'Invoice', description: 'Invoice', entity: 'ORDER' },
  {
    code: 'B2B_INVOICE',
    label: 'Facture professionnelle',
    description: 'Facture avec TVA intracommunautaire',
    entity: 'ORDER',
  },
  { code: 'CREDIT_NOTE', label: 'Credit note', description: 'Invoice correction', entity: 'ORDER' },
  { code: 'CARE_GUIDE', label: 'Care instructions', description: 'How to look after the product', entity: 'ORDER' },
  { code: 'LEGAL_DOC', label: 'Legal documents', description: 'Legal documents', entity: 'SHOP' },
  { code: 'ID_CARD', label: 'General Manager ID card', description: 'General Manager ID card', entity: 'SHOP' },
];
/** The order document types OR74 takes. */
export const MMP_DOCUMENT_TYPES = MMP_DOCUMENT_TYPE_LIST.filter((type) => type.entity === 'ORDER').map(
  (type) => type.code,
);
/** OR72 and OR73 take at most 100 order ids. */
const MAX_ORDER_IDS = 100;

export interface MmpOrderDocument {
  id: number;
  order_id: string;
  file_name: string;
  file_size: number;
  type: string;
  date_uploaded: string;
  entity?: { id: string; type: string };
  /** Not in MMP's answers: what the simulator received, for tests to compare with the source. */
  sha256: string;
}

const OrderDocumentsPart = z.object({
  order_documents: z.array(
    z.object({
      file_name: z.string(),
      type_code: z.string(),
      entity: z.object({ id: z.string(), type: z.string() }).optional(),
    }),
  ),
});
type DocumentInput = z.infer<typeof OrderDocumentsPart>['order_documents'][number];
type DocumentError = { code: string; field: string; message: string };

export class OrderDocumentBook {
  private readonly byOrder = new Map<string, MmpOrderDocument[]>();
  private nextId = 2024;
  private readonly bodies = new Map<number, Buffer>();

  /** `onStored` is told of each document kept (by OR74 or `add`). */
  constructor(
    private readonly options: {
      spec: SpecValidator;
      maxFileBytes: number;
      onStored?: (document: MmpOrderDocument) => void;
    },
  ) {}

  /** OR72: `{order_documents: [...]}` for the orders asked that the shop `owns`, as the spec describes them. */
  list(orderIds: string[], owns: (orderId: string) => boolean): SimulatorReply {
    if (orderIds.length > MAX_ORDER_IDS) return invalid(`order_ids: at most ${MAX_ORDER_IDS} order ids`);
    const documents = orderIds
      .filter(owns)
      .flatMap((orderId) => this.documents(orderId))
      .map(({ sha256: _, entity: __, ...listed }) => listed);
    return { status: 200, body: { order_documents: documents, total_count: documents.length } };
  }

  /**
   * OR73: one document id gives the raw file; anything else a ZIP laid out `<order_id>/<file>`. The files are
   * the bytes received (kept since OR74 or `add`).
   */
  download(orderIds: string[], documentIds: string[]): SimulatorReply {
    const chosen = orderIds
      .flatMap((orderId) => this.byOrder.get(orderId) ?? [])
      .filter((document) => documentIds.length === 0 || documentIds.includes(String(document.id)));
    if (chosen.length === 0) return { status: 404, body: { status: 404, message: 'No documents found' } };
    if (documentIds.length === 1 && chosen[0]) {
      const [document] = chosen;
      return {
        status: 200,
        headers: {
          'content-type': 'application/octet-stream',
          'content-disposition': `attachment; filename="${document.file_name}"`,
        },
        stream: Readable.from([this.bodies.get(document.id) ?? Buffer.alloc(0)]),
      };
    }
    const files = Object.fromEntries(
      chosen.map((document) => [
        `${document.order_id}/${document.file_name}`,
        this.bodies.get(document.id) ?? new Uint8Array(0),
      ]),
    );
    return {
      status: 200,
      headers: {
        'content-type': 'application/octet-stream',
        'content-disposition': `attachment; filename="documents-${Date.now()}.zip"`,
      },
      stream: Readable.from([Buffer.from(zipSync(files, { level: 0 }))]),
    };
  }

  /** DO01: the operator's document types, of the entities asked (`ORDER`, `SHOP`; all when unsaid). */
  types(entities: string[]): SimulatorReply {
    const documents = MMP_DOCUMENT_TYPE_LIST.filter((type) => entities.length === 0 || entities.includes(type.entity));
    return { status: 200, body: { documents } };
  }

  /** OR76 on an order the shop owns: 204, or 404 for a document it does not hold. */
  remove(documentId: string, owns: (orderId: string) => boolean): SimulatorReply {
    const document = [...this.byOrder.values()].flat().find((candidate) => String(candidate.id) === documentId);
    if (!document || !owns(document.order_id))
      return { status: 404, body: { status: 404, message: `Document ${documentId} not found` } };
    this.byOrder.set(
      document.order_id,
      (this.byOrder.get(document.order_id) ?? []).filter((candidate) => candidate.id !== document.id),
    );
    this.bodies.delete(document.id);
    return { status: 204 };
  }

  /** The order holding a document, if any. */
  orderOf(documentId: string): string | undefined {
    return [...this.byOrder.values()].flat().find((candidate) => String(candidate.id) === documentId)?.order_id;
  }

  /** What an order holds, with the SHA-256 of each file as received. */
  documents(orderId: string): MmpOrderDocument[] {
    return structuredClone(this.byOrder.get(orderId) ?? []);
  }

  /** Puts a document on an order directly, as if it had been uploaded earlier. */
  add(
    orderId: string,
    document: { file_name: string; type: string; body: Uint8Array; entity?: { id: string; type: string } },
  ): MmpOrderDocument {
    return this.store(
      orderId,
      { file_name: document.file_name, type_code: document.type, ...(document.entity && { entity: document.entity }) },
      Buffer.from(document.body),
    );
  }

  /** OR74 on an order the shop owns: `files` parts and an `order_documents` JSON part. */
  async upload(call: SimulatorCall, orderId: string): Promise<SimulatorReply> {
    const contentType = call.headers['content-type'] ?? '';
    if (!contentType.startsWith('multipart/form-data')) return invalid('OR74 takes multipart/form-data');
    let form: FormData;
    try {
      form = await new Request('http://mmp/', {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: call.rawBytes,
      }).formData();
    } catch {
      return invalid('Malformed multipart body');
    }
    const part = form.get('order_documents');
    const json = parseJson(typeof part === 'string' ? part : await part?.text());
    const violations = this.options.spec.validate('OR74_Request_MultipartFormData_OrderDocuments', json);
    if (part === null || violations.length > 0)
      return invalid(`Invalid order_documents part: ${violations.join('; ') || 'missing'}`);
    const inputs = OrderDocumentsPart.parse(json).order_documents;
    const files = form.getAll('files').flatMap((entry) => (typeof entry === 'string' ? [] : [entry]));
    if (files.length === 0) return invalid('No files part');
    const names = files.map((file) => file.name);
    if (new Set(names).size !== names.length) return invalid('Documents filenames must be distinct');
    const undescribed = names.filter((name) => !inputs.some((input) => input.file_name === name));
    if (undescribed.length > 0) return invalid(`Files without an order_documents entry: ${undescribed.join(', ')}`);

    const refused: Array<{ input: DocumentInput; errors: DocumentError[] }> = [];
    for (const input of inputs) {
      const file = files.find((candidate) => candidate.name === input.file_name);
      const body = file ? Buffer.from(await file.arrayBuffer()) : undefined;
      const errors = this.errorsOf(orderId, input, body);
      if (errors.length > 0 || !body) refused.push({ input, errors });
      else this.store(orderId, input, body);
    }
    return { status: 200, body: { errors_count: refused.length, order_documents: refused } };
  }

  clear(): void {
    this.byOrder.clear();
    this.bodies.clear();
  }

  private errorsOf(orderId: string, input: DocumentInput, body: Buffer | undefined): DocumentError[] {
    const errors: DocumentError[] = [];
    const refuse = (code: string, field: string, message: string) => errors.push({ code, field, message });
    const held = this.byOrder.get(orderId) ?? [];
    const extension = input.file_name.includes('.') ? (input.file_name.split('.').pop() ?? '').toLowerCase() : '';
    if (!body) refuse('valid_order_document.file', 'files', `No file named ${input.file_name}`);
    if (!/^[\x20-\x7e]+$/.test(input.file_name))
      refuse('valid_order_document.file_name', 'file_name', 'The file name must contain only US-ASCII characters');
    if (!MMP_DOCUMENT_EXTENSIONS.includes(extension))
      refuse('valid_order_document.extension', 'file_name', `Files of type ${extension || '(none)'} are not supported`);
    if (held.some((document) => document.file_name === input.file_name))
      refuse('valid_order_document.file_name', 'file_name', 'The order already has a document with this name');
    if (!MMP_DOCUMENT_TYPES.includes(input.type_code))
      refuse('valid_order_document.type', 'type_code', "Unable to retrieve document's type from the given code");
    if (body && body.length > this.options.maxFileBytes)
      refuse('valid_order_document.size', 'files', `The file is larger than ${this.options.maxFileBytes} bytes`);
    if (held.length >= MAX_DOCUMENTS_PER_ORDER)
      refuse(
        'valid_order_document.max_documents',
        'order_id',
        `An order can have a maximum of ${MAX_DOCUMENTS_PER_ORDER} documents`,
      );
    return errors;
  }

  private store(orderId: string, input: DocumentInput, body: Buffer): MmpOrderDocument {
    const document: MmpOrderDocument = {
      id: (this.nextId += 1),
      order_id: orderId,
      file_name: input.file_name,
      file_size: body.length,
      type: input.type_code,
      date_uploaded: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ...(input.entity && { entity: input.entity }),
      sha256: createHash('sha256').update(body).digest('hex'),
    };
    this.byOrder.set(orderId, [...(this.byOrder.get(orderId) ?? []), document]);
    this.bodies.set(document.id, body);
    this.options.onStored?.(document);
    return structuredClone(document);
  }
}

const invalid = (message: string): SimulatorReply => ({ status: 400, body: { status: 400, message } });

const parseJson = (text: string | undefined): unknown => {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
};
