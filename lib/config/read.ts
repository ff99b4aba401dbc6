import * as z from 'zod';

/** How every function's configuration is read: value types, one pass over all sections, errors naming variables. */

/** A configuration a function cannot start with: every problem, each naming its variable (never its value). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

export const text = z.string().trim().min(1);

export const url = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .transform((value) => value.replace(/\/+$/, ''));

/** SQS queue URLs; local servers use hosts such as `sqs.eu-west-1.127.0.0.1` that stricter URL checks refuse. */
export const queueUrl = z
  .string()
  .trim()
  .regex(/^https?:\/\/[^\s/]+\/\S+$/, 'must be an SQS queue URL');

const wholeNumber = { error: 'must be a positive whole number' };

export const positiveInt = z.coerce.number(wholeNumber).int(wholeNumber).positive(wholeNumber);

export const positiveNumber = z.coerce
  .number({ error: 'must be a positive number' })
  .positive({ error: 'must be a positive number' });

export const flag = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .transform((value) => value === 'true');

export const jsonText = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((value, ctx) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);

export const oneOf = (literal: string, param: string) => (env: Record<string, unknown>, ctx: z.RefinementCtx) => {
  if (env[literal] === undefined && env[param] === undefined) {
    ctx.addIssue({ code: 'custom', path: [], message: `${literal} or ${param} is required` });
  }
};

type Sections = Record<string, z.ZodType>;

type Parsed<S extends Sections> = { [K in keyof S]: z.infer<S[K]> };

/** Parses every section against the same environment, so one error names every missing or bad variable. */
export const readSections = <S extends Sections>(sections: S, env: NodeJS.ProcessEnv): Parsed<S> => {
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(sections)) {
    const result = schema.safeParse(set);
    if (result.success) config[name] = result.data;
    else problems.push(...result.error.issues.map((issue) => describeIssue(issue, set)));
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as Parsed<S>;
};

/** Names the variable and the problem, never the value (it may be a secret). */
const describeIssue = (issue: z.core.$ZodIssue, set: Record<string, unknown>): string => {
  const [variable = '', ...rest] = issue.path.map(String);
  if (variable === '') return issue.message;
  if (!(variable in set) && issue.code === 'invalid_type') return `${variable} is required`;
  const where = rest.length > 0 ? ` (at ${rest.join('.')})` : '';
  return `${variable}${where} ${issue.message}`;
};

/** A source of the document archive: its configuration, or why it is not configured. */
export type SourceConfig<T> = { configured: true; config: T } | { configured: false; reason: string };

export const sourceConfig = <T>(read: () => T, unset: boolean, what: string): SourceConfig<T> => {
  if (unset) return { configured: false, reason: `${what} are not set` };
  try {
    return { configured: true, config: read() };
  } catch (error) {
    if (error instanceof ConfigError) return { configured: false, reason: error.problems.join('; ') };
    throw error;
  }
};

export const nonNegativeInt = z.coerce
  .number(wholeNumber)
  .int(wholeNumber)
  .nonnegative({ error: 'must be a whole number, 0 or more' });

/**
 * Zod runs an object's refinements only when all its fields parsed; `always` runs them regardless, so that one
 * ConfigError names every problem at once (a missing secret and a malformed URL together).
 */
export const always = { when: () => true };
