import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { createSpecValidator, type SpecViolation } from '../simulators/spec-validator.js';

const WEBHOOKS_SPEC = fileURLToPath(
  new URL('../../contracts/mirakl-connect-channel-webhooks-openapi.yaml', import.meta.url),
);

interface WebhooksSpec {
  components: { schemas: Record<string, { title?: string; oneOf?: Array<{ $ref: string }> }> };
}

/**
 * Checks an event against Mirakl's own webhooks spec before it is published: the `OrderActionEvent` envelope,
 * then `data` against the payload schema of its `type` (the spec's `oneOf` has no discriminator; each payload
 * schema's `title` names its type). Returns the problems, `<JSON pointer> <what is wrong>`; none when valid.
 */
export const createOrderActionEventValidator = () => {
  const spec = createSpecValidator(WEBHOOKS_SPEC);
  const { schemas } = (parseYaml(readFileSync(WEBHOOKS_SPEC, 'utf8')) as WebhooksSpec).components;
  const payloadSchemas = new Map(
    (schemas.ActionPayload?.oneOf ?? []).map(({ $ref }) => {
      const name = $ref.split('/').at(-1) ?? '';
      return [schemas[name]?.title ?? name, name];
    }),
  );

  const describe = (prefix: string) => (violation: SpecViolation) => {
    const pointer = `${prefix}${violation.pointer}`;
    if (violation.message.startsWith('must have required property')) return `${pointer} is required`;
    if (pointer === '/type') return `/type ${violation.message}: ${[...payloadSchemas.keys()].join(', ')}`;
    return `${pointer} ${violation.message}`;
  };

  return (event: unknown): string[] => {
    if (typeof event !== 'object' || event === null || Array.isArray(event))
      return ['/ must be a JSON object (an OrderActionEvent)'];
    const { data, ...envelope } = event as Record<string, unknown>;
    const problems = spec.violations('OrderActionEvent', envelope).map(describe(''));
    const payloadSchema = payloadSchemas.get(String(envelope.type));
    if (data === undefined) problems.push('/data is required: the payload of the action');
    else if (payloadSchema) problems.push(...spec.violations(payloadSchema, data).map(describe('/data')));
    return problems;
  };
};
