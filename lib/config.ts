import { z } from 'zod';

/**
 * The configuration contract (ARCHITECTURE.md): every environment variable, validated once at cold start.
 * Each function reads only the sections it uses; an empty variable counts as unset.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

const text = z.string().trim().min(1);
const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).transform((value) => value.replace(/\/+$/, ''));
const wholeNumber = { error: 'must be a positive whole number' };
const positiveInt = z.coerce.number(wholeNumber).int(wholeNumber).positive(wholeNumber);
const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((value) => value === 'true');
const jsonText = <T extends z.ZodType>(schema: T) =>
  z.string().transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be valid JSON' });
      return z.NEVER;
    }
  }).pipe(schema);

const oneOf = (literal: string, param: string) => (env: Record<string, unknown>, ctx: z.RefinementCtx) => {
  if (env[literal] === undefined && env[param] === undefined) {
    ctx.addIssue({ code: 'custom', path: [], message: `${literal} or ${param} is required` });
  }
};

const connectSchema = z
  .object({
    /** Channel Platform base URL. */
    CONNECT_API_URL: url.default('https://miraklconnect.com/api/channel-platform'),
    /** OAuth2 client-credentials token endpoint. */
    CONNECT_AUTH_URL: url.default('https://auth.mirakl.net/oauth/token'),
    CONNECT_CLIENT_ID: text,
    CONNECT_CLIENT_SECRET: text.optional(),
    CONNECT_CLIENT_SECRET_PARAM: text.optional(),
  })
  .superRefine(oneOf('CONNECT_CLIENT_SECRET', 'CONNECT_CLIENT_SECRET_PARAM'), { when: () => true });

/** One `MMP_STORES` entry: the marketplace shop serving a Connect `channel_store_id`. */
const storeSchema = z
  .object({
    shop_id: z.union([text, z.number().int()]).transform(String).optional(),
    api_key: text.optional(),
    api_key_param: text.optional(),
  })
  .refine((store) => (store.api_key === undefined) !== (store.api_key_param === undefined), {
    message: 'each store needs exactly one of api_key or api_key_param',
  });
export const storesSchema = z.record(text, storeSchema);
export type StoreEntry = z.infer<typeof storeSchema>;

const mmpSchema = z
  .object({
    MMP_API_URL: url,
    MMP_API_KEY: text.optional(),
    MMP_API_KEY_PARAM: text.optional(),
    /** `shop_id` query parameter, for an API key that has several shops. */
    MMP_SHOP_ID: text.optional(),
    /** Single-store mode: the `channel_store_id` served; events for another store are FAILED DATA_NOT_FOUND. */
    MMP_STORE_ID: text.optional(),
    /** Multi-store mode: JSON map `channel_store_id → {shop_id, api_key | api_key_param}`. */
    MMP_STORES: jsonText(storesSchema).optional(),
    MMP_STORES_PARAM: text.optional(),
    /** JSON map carrier name (as Connect sends it) → MMP `carrier_code`; matched case-insensitively. */
    MMP_CARRIER_CODES: jsonText(z.record(text, text)).default({}),
    /** Also match carrier names against the marketplace's carrier list (SH21, cached for an hour). */
    MMP_CARRIER_LOOKUP: flag.default(true),
  })
  .superRefine((env, ctx) => {
    const multiStore = env.MMP_STORES !== undefined || env.MMP_STORES_PARAM !== undefined;
    if (!multiStore) oneOf('MMP_API_KEY', 'MMP_API_KEY_PARAM')(env, ctx);
    if (env.MMP_STORES !== undefined && env.MMP_STORES_PARAM !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['MMP_STORES'], message: 'set MMP_STORES or MMP_STORES_PARAM, not both' });
    }
  }, { when: () => true });

const runtimeSchema = z.object({
  /** Timeout of one outbound HTTP attempt. */
  HTTP_TIMEOUT_MS: positiveInt.default(10_000),
  /** How long a secret read from SSM is cached before it is read again. */
  SECRETS_MAX_AGE_SECONDS: positiveInt.default(300),
});

const orderActionsSchema = z.object({
  /** The Connect events DLQ: unreadable messages are moved there at once, with the reason. */
  ORDER_ACTIONS_DLQ_URL: url,
  /**
   * How long an action is retried through transient failures (outage, throttling, an order not yet
   * accepted on the marketplace), from the event's first send; then it is reported FAILED.
   */
  RETRY_WINDOW_MINUTES: positiveInt.default(240),
});

type Sections = Record<string, z.ZodType>;
type Parsed<S extends Sections> = { [K in keyof S]: z.infer<S[K]> };

/** Parses every section against the same environment, so one error names every missing or bad variable. */
const readSections = <S extends Sections>(sections: S, env: NodeJS.ProcessEnv): Parsed<S> => {
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

export const readOrderActionsConfig = (env: NodeJS.ProcessEnv = process.env) =>
  readSections({ connect: connectSchema, mmp: mmpSchema, runtime: runtimeSchema, orderActions: orderActionsSchema }, env);

export type OrderActionsConfig = ReturnType<typeof readOrderActionsConfig>;
export type ConnectConfig = OrderActionsConfig['connect'];
export type MmpConfig = OrderActionsConfig['mmp'];
export type RuntimeConfig = OrderActionsConfig['runtime'];
