import { createHash } from 'node:crypto';
import * as z from 'zod';
import { matchPath, parseJsonBody, isJsonContent, type SimulatorCall, type SimulatorReply } from './http-server.js';
import { parseMultipart, type FormPart } from './multipart-form.js';
import type { SpecValidator } from './spec-validator.js';

/** uploadOrderDocument and deleteOrderDocument of the Channel Platform (contracts/mirakl-connect-channel-openapi.json). */
const UPLOAD_PATH = /^\/api\/channel-platform\/v1\/orders\/([^/]+)\/documents$/;
const DELETE_PATH = /^\/api\/channel-platform\/v1\/orders\/documents\/([^/]+)$/;
const DELETE_OPERATION = '/v1/orders/documents/{channel_document_id}';
const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** The formats the spec names, recognised by their first bytes as a server would (CSV: text without NUL bytes). */
const FORMATS: Record<string, (body: Buffer) => boolean> = {
  pdf: (body) => body.subarray(0, 5).toString('latin1') === '%PDF-',
  png: (body) => body.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  jpg: (body) => body.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])),
  jpeg: (body) => body.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])),
  csv: (body) => !body.includes(0),
};

const Origin = z.object({
  channel_id: z.string(),
  channel_store_id: z.string(),
  sub_channel_code: z.string().optional(),
});
const Metadata = z.object({
  channel_document_id: z.string(),
  filename: z.string(),
  type: z.string(),
  channel_type: z.string().optional(),
  entity: z.object({ id: z.string(), type: z.string() }).optional(),
});

/** A document Connect holds for the channel, by `channel_document_id`. */
export interface ChannelDocument {
  channelOrderId: string;
  origin: z.infer<typeof Origin>;
  metadata: z.infer<typeof Metadata>;
  /** The `file` part's own headers (only `metadata.filename` counts as the name). */
  part: { filename?: string; contentType?: string };
  size: number;
  sha256: string;
  /** How many uploads of this id Connect took (a re-upload replaces the document). */
  uploads: number;
}

/** What Connect does with an upload of a `channel_document_id` it already holds: undocumented (MIRAKL-SYNC.md §9.6). */
export type ReuploadBehaviour = 'replace' | 'refuse';

/**
 * The channel documents of the simulated Connect: multipart parsed as sent (each part's headers kept), the JSON
 * parts checked for `Content-Type: application/json` and against the spec's schemas, the file against the spec's
 * limits (10 MB; PDF, JPEG, PNG, CSV, recognised by their first bytes), then kept by `channel_document_id`.
 * deleteOrderDocument needs its JSON body (`{origin}`, the spec's schema) and answers 404 for an id it does not
 * hold, or holds for another channel or store. Answers follow the spec: 204, or 400 / 404 with `{code, message}`.
 */
export class ChannelDocumentBook {
  private readonly byId = new Map<string, ChannelDocument & { body: Buffer }>();
  private reuploads: ReuploadBehaviour = 'replace';

  constructor(private readonly spec: SpecValidator) {}

  /** The route a call is for, or undefined when it is not a channel documents call. */
  routeOf(call: SimulatorCall): { route: 'uploadDocument' | 'deleteDocument'; id: string } | undefined {
    const orderId = call.method === 'POST' ? matchPath(UPLOAD_PATH, call.path)?.[0] : undefined;
    if (orderId !== undefined) return { route: 'uploadDocument', id: orderId };
    const documentId = call.method === 'DELETE' ? matchPath(DELETE_PATH, call.path)?.[0] : undefined;
    return documentId === undefined ? undefined : { route: 'deleteDocument', id: documentId };
  }

  /** How the request breaks the contract, before anything is done with it. */
  violations(call: SimulatorCall, route: 'uploadDocument' | 'deleteDocument'): string[] {
    return route === 'uploadDocument' ? this.uploadViolations(call).problems : this.deleteViolations(call);
  }

  upload(call: SimulatorCall, channelOrderId: string): SimulatorReply {
    const { problems, parts } = this.uploadViolations(call);
    if (problems.length > 0) return invalid(`Invalid document upload: ${problems.join('; ')}`);
    const file = parts.get('file') as FormPart;
    const metadata = Metadata.parse(JSON.parse((parts.get('metadata') as FormPart).body.toString('utf8')));
    const origin = Origin.parse(JSON.parse((parts.get('origin') as FormPart).body.toString('utf8')));
    const held = this.byId.get(metadata.channel_document_id);
    if (held && (held.origin.channel_id !== origin.channel_id || held.channelOrderId !== channelOrderId)) {
      return invalid(
        `channel_document_id ${metadata.channel_document_id} is already used by another document of the channel`,
      );
    }
    if (held && this.reuploads === 'refuse') return invalid(`Document ${metadata.channel_document_id} already exists`);
    this.byId.set(metadata.channel_document_id, {
      channelOrderId,
      origin,
      metadata,
      part: { filename: file.filename, contentType: file.contentType },
      size: file.body.length,
      sha256: createHash('sha256').update(file.body).digest('hex'),
      uploads: (held?.uploads ?? 0) + 1,
      body: file.body,
    });
    return { status: 204 };
  }

  remove(call: SimulatorCall, channelDocumentId: string): SimulatorReply {
    const problems = this.deleteViolations(call);
    if (problems.length > 0) return invalid(`Invalid document deletion: ${problems.join('; ')}`);
    const { origin } = z.object({ origin: Origin }).parse(parseJsonBody(call));
    const held = this.byId.get(channelDocumentId);
    if (
      !held ||
      held.origin.channel_id !== origin.channel_id ||
      held.origin.channel_store_id !== origin.channel_store_id
    ) {
      return {
        status: 404,
        body: { code: 'DATA_NOT_FOUND', message: `The channel document ID ${channelDocumentId} does not exist` },
      };
    }
    this.byId.delete(channelDocumentId);
    return { status: 204 };
  }

  /** What a recorded request shows of an upload: its JSON parts and the file's size and SHA-256, never its bytes. */
  describe(call: SimulatorCall, route: 'uploadDocument' | 'deleteDocument'): unknown {
    if (route === 'deleteDocument') return parseJsonBody(call);
    const { parts } = this.uploadViolations(call);
    const json = (name: string) => parseJson(parts.get(name)?.body.toString('utf8'));
    const file = parts.get('file');
    return {
      metadata: json('metadata'),
      origin: json('origin'),
      ...(file && { file: { size: file.body.length, sha256: createHash('sha256').update(file.body).digest('hex') } }),
    };
  }

  list(channelOrderId?: string): ChannelDocument[] {
    return [...this.byId.values()]
      .filter((document) => channelOrderId === undefined || document.channelOrderId === channelOrderId)
      .map(({ body: _, ...document }) => structuredClone(document));
  }

  /** The bytes Connect holds for a document, or undefined. */
  file(channelDocumentId: string): Buffer | undefined {
    return this.byId.get(channelDocumentId)?.body;
  }

  setReuploads(behaviour: ReuploadBehaviour): void {
    this.reuploads = behaviour;
  }

  clear(): void {
    this.byId.clear();
    this.reuploads = 'replace';
  }

  private uploadViolations(call: SimulatorCall): { problems: string[]; parts: Map<string, FormPart> } {
    let all: FormPart[];
    try {
      all = parseMultipart(call.headers['content-type'] ?? '', call.rawBytes);
    } catch (error) {
      return { problems: [`malformed multipart body: ${(error as Error).message}`], parts: new Map() };
    }
    const parts = new Map(all.map((part) => [part.name, part]));
    const problems: string[] = [];
    for (const name of ['file', 'metadata', 'origin']) if (!parts.has(name)) problems.push(`/${name} is required`);
    for (const name of new Set(all.map((part) => part.name)))
      if (all.filter((part) => part.name === name).length > 1) problems.push(`/${name} is sent more than once`);
    for (const [name, schema] of [
      ['metadata', 'UploadOrderDocumentMetadata'],
      ['origin', 'DocumentOriginRequest'],
    ] as const) {
      const part = parts.get(name);
      if (!part) continue;
      if ((part.contentType ?? '').split(';')[0]?.trim() !== 'application/json')
        problems.push(`/${name} part must have Content-Type: application/json`);
      const value = parseJson(part.body.toString('utf8'));
      if (value === undefined) problems.push(`/${name} is not JSON`);
      else problems.push(...this.spec.violations(schema, value).map((v) => `/${name}${v.pointer} ${v.message}`));
    }
    const file = parts.get('file');
    const filename = Metadata.safeParse(parseJson(parts.get('metadata')?.body.toString('utf8'))).data?.filename;
    if (file) problems.push(...fileProblems(file, filename));
    return { problems, parts };
  }

  private deleteViolations(call: SimulatorCall): string[] {
    const body = parseJsonBody(call);
    if (call.rawBody === '') return ['the JSON body {origin} is required'];
    return [
      ...(isJsonContent(call) ? [] : ['content-type must be application/json']),
      ...this.spec
        .requestBodyViolations(DELETE_OPERATION, 'delete', body)
        .map((v) => `${v.pointer || '/'} ${v.message}`),
    ];
  }
}

const fileProblems = (file: FormPart, filename: string | undefined): string[] => {
  if (file.filename === undefined) return ['/file must be a file part (with a filename)'];
  if (file.body.length === 0) return ['/file is empty'];
  if (file.body.length > MAX_FILE_BYTES) return [`/file is larger than ${MAX_FILE_BYTES} bytes (10 MB)`];
  if (filename === undefined) return [];
  const extension = filename.includes('.') ? (filename.split('.').pop() ?? '').toLowerCase() : '';
  const recognise = FORMATS[extension];
  if (!recognise) return [`/metadata/filename: .${extension} is not a supported format (PDF, JPEG, PNG, CSV)`];
  return recognise(file.body) ? [] : [`/file is not a ${extension.toUpperCase()} file`];
};

const invalid = (message: string): SimulatorReply => ({ status: 400, body: { code: 'INVALID_INPUT', message } });

const parseJson = (text: string | undefined): unknown => {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
};
