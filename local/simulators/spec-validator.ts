import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

/** One way a body breaks the spec: where (JSON pointer) and what (ajv's message). */
export interface SpecViolation {
  pointer: string;
  message: string;
}

export interface SpecValidator {
  /** Short messages, `<JSON pointer> <problem>`; empty when `body` matches `#/components/schemas/<schemaName>`. */
  validate(schemaName: string, body: unknown): string[];
  violations(schemaName: string, body: unknown): SpecViolation[];
  /** Against an operation's inline JSON request body schema, e.g. (`/v1/orders/documents/{channel_document_id}`, `delete`). */
  requestBodyViolations(path: string, method: string, body: unknown): SpecViolation[];
}

const SPEC_ID = 'spec.json';

/** Loads a vendor OpenAPI 3.1 file (JSON or YAML) and validates bodies against its component schemas. */
export function createSpecValidator(specFile: string): SpecValidator {
  const text = readFileSync(specFile, 'utf8');
  const spec: unknown = specFile.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
  addFormats.default(ajv);
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  for (const format of proseEnumsAndFormats(spec)) {
    if (!ajv.formats[format]) ajv.addFormat(format, true);
  }
  ajv.addSchema({ ...(spec as object), $id: SPEC_ID });

  const violations = (schemaName: string, body: unknown): SpecViolation[] => {
    const check = ajv.getSchema(`${SPEC_ID}#/components/schemas/${schemaName}`);
    if (!check) throw new Error(`${specFile} has no schema #/components/schemas/${schemaName}`);
    return check(body) ? [] : (check.errors ?? []).map(toViolation);
  };
  const requestBodyViolations = (path: string, method: string, body: unknown): SpecViolation[] => {
    const pointer = ['paths', path, method, 'requestBody', 'content', 'application/json', 'schema']
      .map((part) => encodeURIComponent(part.replace(/~/g, '~0').replace(/\//g, '~1')))
      .join('/');
    const check = ajv.getSchema(`${SPEC_ID}#/${pointer}`);
    if (!check) throw new Error(`${specFile} has no JSON request body for ${method.toUpperCase()} ${path}`);
    return check(body) ? [] : (check.errors ?? []).map(toViolation);
  };
  return {
    violations,
    requestBodyViolations,
    validate: (schemaName, body) => violations(schemaName, body).map((v) => `${v.pointer || '/'} ${v.message}`),
  };
}

function toViolation(error: ErrorObject): SpecViolation {
  const missing = error.keyword === 'required' ? `/${String(error.params.missingProperty)}` : '';
  return { pointer: `${error.instancePath}${missing}`, message: error.message ?? error.keyword };
}

/**
 * Mirakl writes most string enums only in prose ("Enum: `"A"`, `"B"`", deprecated ones in a `<details>` block),
 * and some nullable fields too (MMP: "Null before shipping", "or null if..."). Adds them as real `enum`s and
 * null types, in place, and returns every `format` the spec uses.
 */
function proseEnumsAndFormats(node: unknown, formats = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) proseEnumsAndFormats(item, formats);
  } else if (isRecord(node)) {
    if (typeof node.format === 'string') formats.add(node.format);
    if (typeof node.description === 'string' && /\bNull (before|when)\b|\bor null if\b/.test(node.description))
      allowNull(node);
    const values = proseEnum(node);
    if (values) node.enum = isNullable(node) ? [...values, null] : values;
    for (const child of Object.values(node)) proseEnumsAndFormats(child, formats);
  }
  return formats;
}

function allowNull(schema: Record<string, unknown>): void {
  if (typeof schema.$ref === 'string') {
    schema.anyOf = [{ $ref: schema.$ref }, { type: 'null' }];
    delete schema.$ref;
  } else if (typeof schema.type === 'string') {
    schema.type = [schema.type, 'null'];
  }
}

function proseEnum(schema: Record<string, unknown>): string[] | undefined {
  const { type, description } = schema;
  const isString = type === 'string' || (Array.isArray(type) && type.includes('string'));
  if (!isString || 'enum' in schema || typeof description !== 'string') return undefined;
  const lists = [...description.matchAll(/(?:Enum|Deprecated values): ((?:`"[^"`]*"`(?:, )?)+)/g)];
  if (lists.length === 0) return undefined;
  return lists.flatMap((list) => [...(list[1] ?? '').matchAll(/`"([^"`]*)"`/g)].map((value) => value[1] ?? ''));
}

function isNullable(schema: Record<string, unknown>): boolean {
  return schema.nullable === true || (Array.isArray(schema.type) && schema.type.includes('null'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** `/errors/0/code` → `errors[0].code`, the JSON path Connect puts in `errors[].field`. */
export function jsonPathOf(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join('');
}
