import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { Zip, ZipPassThrough } from 'fflate';
import { matchPath, type SimulatorCall, type SimulatorReply } from './http-server.js';

/** `GET /api/v2/orders/{order_id}/documents` of the seller Connect API (MIRAKL-CONTRACT.md §5.6). */
const DOWNLOAD_PATH = /^\/api\/v2\/orders\/([^/]+)\/documents$/;
export const CONNECT_DOCUMENT_TYPES = [
  'CUSTOMER_INVOICE',
  'RETURN_LABEL',
  'DELIVERY_SLIP',
  'SHIPMENT_DELIVERY_SLIP',
  'CHANNEL_SPECIFIC',
];

export interface SellerCredentials {
  clientId: string;
  clientSecret: string;
  /** The `audience` a seller token request must name (the seller's company id). */
  audience: string;
}

export interface ConnectDocument {
  id: string;
  name: string;
  type: string;
  body: Uint8Array;
  updatedAt: Date;
}

/**
 * The seller side of the simulated Connect: its own client credentials (token requests name an `audience`), and
 * the v2 documents download, a ZIP in Mirakl's layout: original names, newest first, a name already used in the
 * ZIP suffixed ` (1)`, ` (2)`…. The ZIP is streamed (stored entries), so large ones cost no extra memory here.
 */
export class SellerDocuments {
  private readonly byOrder = new Map<string, ConnectDocument[]>();
  private readonly tokens = new Map<string, number>();

  constructor(readonly credentials: SellerCredentials) {}

  /** Whether a token request is the seller client's (it is then answered here). */
  isSellerTokenRequest(form: URLSearchParams): boolean {
    return form.get('client_id') === this.credentials.clientId;
  }

  issueToken(form: URLSearchParams, ttlSeconds: number): SimulatorReply {
    const { clientSecret, audience } = this.credentials;
    if (form.get('client_secret') !== clientSecret) return error(401, 'UNAUTHORIZED', 'Invalid client credentials');
    if (form.get('audience') !== audience)
      return error(403, 'FORBIDDEN', 'A seller token needs the audience of the seller company');
    const token = `sim-seller-${randomUUID()}`;
    this.tokens.set(token, Date.now() + ttlSeconds * 1000);
    return {
      status: 200,
      body: { token_type: 'Bearer', access_token: token, expires_in: ttlSeconds, target_app: '', resource_owner: '' },
    };
  }

  add(
    orderId: string,
    document: { name: string; type: string; body: Uint8Array; id?: string; updatedAt?: Date },
  ): ConnectDocument {
    const stored = {
      id: document.id ?? randomUUID(),
      name: document.name,
      type: document.type,
      body: document.body,
      updatedAt: document.updatedAt ?? new Date(),
    };
    this.byOrder.set(orderId, [...(this.byOrder.get(orderId) ?? []), stored]);
    return stored;
  }

  clear(): void {
    this.byOrder.clear();
  }

  /** Answers the download route; undefined for any other call. */
  handle(call: SimulatorCall): SimulatorReply | undefined {
    const orderId = call.method === 'GET' ? matchPath(DOWNLOAD_PATH, call.path)?.[0] : undefined;
    if (orderId === undefined) return undefined;
    const token = /^Bearer (.+)$/.exec(call.headers.authorization ?? '')?.[1];
    if (token === undefined || (this.tokens.get(token) ?? 0) <= Date.now()) {
      return error(
        401,
        'UNAUTHORIZED',
        'Missing, invalid or expired seller bearer token (Channel Platform tokens are not accepted)',
      );
    }
    const types = call.query.getAll('types');
    const ids = call.query.getAll('document_ids');
    if (types.length > 0 && ids.length > 0)
      return error(400, 'INVALID_INPUT', 'types and document_ids are mutually exclusive');
    if (types.some((type) => !CONNECT_DOCUMENT_TYPES.includes(type)))
      return error(400, 'INVALID_INPUT', 'Invalid document type filter');
    if (ids.length > 100) return error(400, 'INVALID_INPUT', 'At most 100 document_ids');
    const documents = (this.byOrder.get(orderId) ?? [])
      .filter(
        (document) =>
          (types.length === 0 || types.includes(document.type)) && (ids.length === 0 || ids.includes(document.id)),
      )
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
    if (documents.length === 0) return error(404, 'DATA_NOT_FOUND', `No documents for order ${orderId}`);
    return {
      status: 200,
      headers: {
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename="${orderId}_documents_${Date.now()}.zip"`,
      },
      stream: zipStream(documents),
    };
  }
}

/** The ZIP's entries in order, names made distinct Mirakl's way: `invoice.pdf`, `invoice (1).pdf`, …. */
export const zipEntryNames = (names: string[]): string[] => {
  const used = new Set<string>();
  return names.map((name) => {
    const dot = name.lastIndexOf('.');
    const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    let candidate = name;
    for (let copy = 1; used.has(candidate); copy += 1) candidate = `${stem} (${copy})${extension}`;
    used.add(candidate);
    return candidate;
  });
};

const zipStream = (documents: ConnectDocument[]): PassThrough => {
  const out = new PassThrough();
  const zip = new Zip((failure, chunk, final) => {
    if (failure) return void out.destroy(failure);
    out.write(chunk);
    if (final) out.end();
  });
  const names = zipEntryNames(documents.map((document) => document.name));
  documents.forEach((document, index) => {
    const entry = new ZipPassThrough(names[index] as string);
    entry.mtime = document.updatedAt;
    zip.add(entry);
    // In slices, so the stream's chunks stay small whatever the document's size.
    for (let offset = 0; offset < document.body.length; offset += 1024 * 1024)
      entry.push(document.body.subarray(offset, offset + 1024 * 1024));
    entry.push(new Uint8Array(0), true);
  });
  zip.end();
  return out;
};

const error = (status: number, code: string, message: string): SimulatorReply => ({ status, body: { code, message } });
