import * as z from 'zod';

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
/** SQS queue URLs; local servers use hosts such as `sqs.eu-west-1.127.0.0.1` that stricter URL checks refuse. */
const queueUrl = z.string().trim().regex(/^https?:\/\/[^\s/]+\/\S+$/, 'must be an SQS queue URL');
const wholeNumber = { error: 'must be a positive whole number' };
const positiveInt = z.coerce.number(wholeNumber).int(wholeNumber).positive(wholeNumber);
const positiveNumber = z.coerce.number({ error: 'must be a positive number' }).positive({ error: 'must be a positive number' });
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

/** RT21's `rejection_reason_code` values. */
const MMP_RETURN_REJECTION_CODES = ['RETURN_REJECTION_NOT_ELIGIBLE', 'RETURN_REJECTION_NOT_NEEDED', 'RETURN_REJECTION_WINDOW_CLOSED'] as const;
const DEFAULT_RETURN_REJECTION_REASONS: Record<string, (typeof MMP_RETURN_REJECTION_CODES)[number]> = {
  RETURN_WINDOW_CLOSED: 'RETURN_REJECTION_WINDOW_CLOSED',
  NOT_ELIGIBLE_FOR_RETURN: 'RETURN_REJECTION_NOT_ELIGIBLE',
};

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
    /**
     * JSON maps Connect `reason` (e.g. `OUT_OF_STOCK`) → the marketplace's `reason_code` for partial
     * cancelations (OR30) and refunds (OR28), over the codes matched on the labels of the operator's reasons
     * (RE01, lib/channel/mmp/reasons/). Needed only for a reason whose label the connector does not recognise.
     */
    MMP_CANCELATION_REASON_CODES: jsonText(z.record(text, text)).default({}),
    MMP_REFUND_REASON_CODES: jsonText(z.record(text, text)).default({}),
    /**
     * JSON map Connect `rejection_reason` → MMP `rejection_reason_code` (RT21), over defaults for the reasons
     * that have an obvious match. FINAL_SALES and OTHER have none: unless mapped, refusing a return for them
     * is FAILED INVALID_INPUT.
     */
    MMP_RETURN_REJECTION_REASONS: jsonText(z.record(text, z.enum(MMP_RETURN_REJECTION_CODES)))
      .default({})
      .transform((configured) => ({ ...DEFAULT_RETURN_REJECTION_REASONS, ...configured })),
    /** The operator enabled multi-shipment (ST01): partial shipments are sent as shipments, not refused. */
    MMP_MULTI_SHIPMENT: flag.default(false),
    /**
     * JSON map Connect `document_type` → MMP `type_code` (OR74), over the adapter's defaults (CUSTOMER_INVOICE →
     * CUSTOMER_INVOICE, RETURN_LABEL → SYSTEM_RETURN_LABEL). Type codes are the operator's own (DO01 lists them).
     */
    MMP_DOCUMENT_TYPE_CODES: jsonText(z.record(text, text)).default({}),
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
  ORDER_ACTIONS_DLQ_URL: queueUrl,
  /**
   * How long an action is retried through transient failures (outage, throttling, an order not yet
   * accepted on the marketplace), from the event's first send; then it is reported FAILED.
   */
  RETRY_WINDOW_MINUTES: positiveNumber.default(240),
  /**
   * How long an action waiting for the order or the return to reach a state (a shipment before the acceptance is
   * applied, a refund before the shipment) is handed back before it tries again. Each try may read the order, and
   * MMP allows asynchronous OR11 use about once a minute per shop (seed 001).
   */
  STATE_WAIT_SECONDS: positiveInt.default(60),
  /** Records of one batch handled at the same time (actions on one order still run one after the other). */
  RECORD_CONCURRENCY: positiveInt.default(10),
  /** After a successful CREATE_SHIPMENT or UPLOAD_DOCUMENT, ask documentArchive to archive the order's marketplace documents. */
  ARCHIVE_DOCUMENTS_AFTER: flag.default(false),
  /** The document-archive queue (set by serverless.yml); needed when ARCHIVE_DOCUMENTS_AFTER is true. */
  DOCUMENT_ARCHIVE_QUEUE_URL: queueUrl.optional(),
  /** The order-refresh queue: after each report the action's order is named there (invariant 17); unset, no refresh. */
  ORDER_REFRESH_QUEUE_URL: queueUrl.optional(),
}).refine((env) => !env.ARCHIVE_DOCUMENTS_AFTER || env.DOCUMENT_ARCHIVE_QUEUE_URL !== undefined, {
  message: 'DOCUMENT_ARCHIVE_QUEUE_URL is required when ARCHIVE_DOCUMENTS_AFTER is true',
  when: () => true,
});

const ledgerSchema = z.object({
  /** DynamoDB table of action records and order leases (Powertools layout: key `id`, TTL `expiration`). */
  IDEMPOTENCY_TABLE: text,
});

const archiveSchema = z.object({
  /** S3 bucket of the archive: documents, and dead letters under `dead-letters/`. */
  DOCUMENTS_BUCKET: text,
  /** Local S3 servers need path-style URLs. */
  S3_FORCE_PATH_STYLE: flag.default(false),
});

const documentsSchema = z.object({
  /**
   * The largest document UPLOAD_DOCUMENT downloads and attaches; a larger one is FAILED INVALID_INPUT. Connect
   * takes documents of up to 10 MB; lower it to the marketplace's own limit if it has a smaller one.
   */
  DOCUMENT_MAX_BYTES: positiveInt.default(10 * 1024 * 1024),
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
  readSections(
    { connect: connectSchema, mmp: mmpSchema, runtime: runtimeSchema, ledger: ledgerSchema, orderActions: orderActionsSchema, archive: archiveSchema, documents: documentsSchema },
    env,
  );

/** The marketplace variables alone, for tools that read the marketplace (`npm run ops -- reasons`). */
export const readMmpConfig = (env: NodeJS.ProcessEnv = process.env) => readSections({ mmp: mmpSchema, runtime: runtimeSchema }, env);

export const readDeadLettersConfig = (env: NodeJS.ProcessEnv = process.env) =>
  readSections({ connect: connectSchema, runtime: runtimeSchema, ledger: ledgerSchema, archive: archiveSchema }, env);

export type OrderActionsConfig = ReturnType<typeof readOrderActionsConfig>;
export type ConnectConfig = OrderActionsConfig['connect'];
export type MmpConfig = OrderActionsConfig['mmp'];
export type RuntimeConfig = OrderActionsConfig['runtime'];
export type ArchiveConfig = ReturnType<typeof readDeadLettersConfig>['archive'];

const days = { error: 'must be a whole number of days, 0 or more' };
const anonymizationRulesSchema = z.object({
  /**
   * Shortest delay accepted between an update's send and its `anonymize_after`, so a typo (2026 for 2036)
   * cannot anonymize an order tomorrow: anonymization is irreversible. 0 turns the check off.
   */
  ANONYMIZATION_MIN_RETENTION_DAYS: z.coerce.number(days).int(days).nonnegative(days).default(30),
  /** How far in the future `anonymize_after` must still be when Connect is called (Connect tolerates a few minutes). */
  ANONYMIZATION_SAFETY_MARGIN_MINUTES: positiveInt.default(15),
});

const anonymizationSchema = z.object({
  /** The anonymization DLQ: invalid updates are moved there at once, with the reason; unset, they fail until the redrive moves them. */
  ANONYMIZATION_DLQ_URL: queueUrl.optional(),
});

const anonymizationProducerSchema = z.object({
  /** Where producers enqueue anonymization updates; the CLI also takes `--queue-url` or `--stage`. */
  ANONYMIZATION_QUEUE_URL: queueUrl.optional(),
});

export const readAnonymizationConfig = (env: NodeJS.ProcessEnv = process.env) =>
  readSections({ connect: connectSchema, runtime: runtimeSchema, rules: anonymizationRulesSchema, anonymization: anonymizationSchema }, env);

export const readAnonymizationProducerConfig = (env: NodeJS.ProcessEnv = process.env) =>
  readSections({ rules: anonymizationRulesSchema, producer: anonymizationProducerSchema }, env);

export type AnonymizationConfig = ReturnType<typeof readAnonymizationConfig>;
export type AnonymizationRulesConfig = AnonymizationConfig['rules'];

/** The seller-side Connect API (v2 order documents), which Channel Platform credentials may not be allowed to call. */
const connectSellerSchema = z
  .object({
    /** Connect seller API base; the v2 documents call is `{CONNECT_SELLER_API_URL}/v2/orders/{order_id}/documents`. */
    CONNECT_SELLER_API_URL: url.default('https://miraklconnect.com/api'),
    CONNECT_AUTH_URL: url.default('https://auth.mirakl.net/oauth/token'),
    CONNECT_SELLER_CLIENT_ID: text,
    CONNECT_SELLER_CLIENT_SECRET: text.optional(),
    CONNECT_SELLER_CLIENT_SECRET_PARAM: text.optional(),
    /** Sent as the token request's `audience` (the seller's company id), when set. */
    CONNECT_SELLER_AUDIENCE: text.optional(),
  })
  .superRefine(oneOf('CONNECT_SELLER_CLIENT_SECRET', 'CONNECT_SELLER_CLIENT_SECRET_PARAM'), { when: () => true });
export type ConnectSellerConfig = z.infer<typeof connectSellerSchema>;

const documentArchiveSchema = z.object({
  /** The document-archive DLQ: invalid requests, and requests for a source that is not configured, go there at once. */
  DOCUMENT_ARCHIVE_DLQ_URL: queueUrl.optional(),
  /**
   * The largest download the archive takes: one v2 ZIP (all of an order's documents of one type) or one
   * marketplace document. It is spooled to the temporary storage, which must hold it plus its largest document.
   */
  DOCUMENT_ARCHIVE_MAX_BYTES: positiveInt.default(400 * 1024 * 1024),
  /** Folder (in place of a Connect `channel_id`) of marketplace documents whose request names no channel. */
  DOCUMENT_ARCHIVE_MARKETPLACE_CHANNEL: text.default('marketplace'),
});

/** A source of the document archive: its configuration, or why it is not configured. */
export type SourceConfig<T> = { configured: true; config: T } | { configured: false; reason: string };

const sourceConfig = <T>(read: () => T, unset: boolean, what: string): SourceConfig<T> => {
  if (unset) return { configured: false, reason: `${what} are not set` };
  try {
    return { configured: true, config: read() };
  } catch (error) {
    if (error instanceof ConfigError) return { configured: false, reason: error.problems.join('; ') };
    throw error;
  }
};

/**
 * The documentArchive function: the archive is required; each source is optional and reported as not configured
 * (with the reason) when its variables are missing, so that the other source still runs.
 */
export const readDocumentArchiveConfig = (env: NodeJS.ProcessEnv = process.env) => {
  const base = readSections({ archive: archiveSchema, runtime: runtimeSchema, documentArchive: documentArchiveSchema }, env);
  const isUnset = (...names: string[]) => names.every((name) => (env[name] ?? '').trim() === '');
  return {
    ...base,
    connectSeller: sourceConfig(
      () => readSections({ seller: connectSellerSchema }, env).seller,
      isUnset('CONNECT_SELLER_CLIENT_ID', 'CONNECT_SELLER_CLIENT_SECRET', 'CONNECT_SELLER_CLIENT_SECRET_PARAM'),
      'the seller-API credentials CONNECT_SELLER_CLIENT_ID and CONNECT_SELLER_CLIENT_SECRET (or CONNECT_SELLER_CLIENT_SECRET_PARAM)',
    ),
    mmp: sourceConfig(() => readSections({ mmp: mmpSchema }, env).mmp, isUnset('MMP_API_URL'), 'the marketplace variables MMP_API_URL and MMP_API_KEY (or MMP_STORES)'),
    operations: readOperationsSourceConfig(env),
  };
};
export type DocumentArchiveConfig = ReturnType<typeof readDocumentArchiveConfig>;

const channelDocumentsSchema = z.object({
  /**
   * JSON array of the operator's order document type codes that are customer invoices (uploaded to Connect as
   * CUSTOMER_INVOICE). Unset: read from the marketplace's document types (DO01), those labelled as invoices.
   */
  MMP_INVOICE_DOCUMENT_TYPES: jsonText(z.array(text).min(1)).optional(),
});

/**
 * The document import (the marketplace's order documents → Connect), run by orderSync and orderRefresh: Connect,
 * the marketplace, the state table and the archive; DOCUMENT_ARCHIVE_MAX_BYTES bounds the largest document archived.
 */
export const readChannelDocumentsConfig = (env: NodeJS.ProcessEnv = process.env) =>
  readSections(
    {
      connect: connectSchema,
      mmp: mmpSchema,
      runtime: runtimeSchema,
      ledger: ledgerSchema,
      archive: archiveSchema,
      archiveLimit: documentArchiveSchema.pick({ DOCUMENT_ARCHIVE_MAX_BYTES: true }),
      channelDocuments: channelDocumentsSchema,
    },
    env,
  );
export type ChannelDocumentsConfig = ReturnType<typeof readChannelDocumentsConfig>;

/**
 * The import's documents (orderSync, orderRefresh): on when DOCUMENTS_BUCKET is set (the archive every document goes
 * through), else undefined and the import runs without them; once on, a bad document variable fails like any other.
 */
export const readImportDocumentsConfig = (env: NodeJS.ProcessEnv = process.env): ChannelDocumentsConfig | undefined =>
  (env.DOCUMENTS_BUCKET ?? '').trim() === '' ? undefined : readChannelDocumentsConfig(env);

const documentArchiveProducerSchema = z.object({
  /** Where producers enqueue archive requests; the CLI also takes `--queue-url` or `--stage`. */
  DOCUMENT_ARCHIVE_QUEUE_URL: queueUrl.optional(),
});

export const readDocumentArchiveProducerConfig = (env: NodeJS.ProcessEnv = process.env) => readSections({ producer: documentArchiveProducerSchema }, env).producer;

const nonNegativeInt = z.coerce.number(wholeNumber).int(wholeNumber).nonnegative({ error: 'must be a whole number, 0 or more' });

/** What orderSync and orderRefresh share: the channel in Connect, and the store served in single-store mode. */
const importSchema = z.object({
  /** The channel's id in Connect (`origin.channel_id` of every upsert), issued by Mirakl. */
  CONNECT_CHANNEL_ID: text,
  /** Single-store mode: the `channel_store_id` of the shop (`origin.channel_store_id`). */
  MMP_STORE_ID: text.optional(),
  MMP_STORES: text.optional(),
  MMP_STORES_PARAM: text.optional(),
}).refine((env) => env.MMP_STORE_ID !== undefined || env.MMP_STORES !== undefined || env.MMP_STORES_PARAM !== undefined, {
  message: 'is required in single-store mode (without MMP_STORES): it is the channel_store_id the orders are imported into',
  path: ['MMP_STORE_ID'],
  when: () => true,
}).transform(({ CONNECT_CHANNEL_ID, MMP_STORE_ID }) => ({ CONNECT_CHANNEL_ID, MMP_STORE_ID }));

const orderSyncSchema = z.object({
  /**
   * How far each window reaches back before the store's cursor: an order whose change the marketplace shows late
   * (its own latency, clocks apart) is still read. Orders changed within it are sent again, which Connect takes as
   * the same version.
   */
  ORDER_SYNC_OVERLAP_SECONDS: nonNegativeInt.default(120),
  /** A store's first run (no cursor yet) imports the orders and returns changed in this many days. */
  ORDER_SYNC_FIRST_LOOKBACK_DAYS: positiveInt.default(30),
  /** The least time between two polls of a store's orders (MMP allows a scheduled OR11 poll once a minute per shop). */
  ORDER_SYNC_MIN_INTERVAL_SECONDS: nonNegativeInt.default(60),
  /**
   * The least time between two polls of a store's returns: MMP allows RT11 every 5 minutes at most. Four, so that a
   * 5-minute schedule firing a little early still polls every run.
   */
  ORDER_SYNC_RETURNS_MIN_INTERVAL_SECONDS: nonNegativeInt.default(240),
  /** A run stops walking a store's pages with this much of the invocation left, and saves where it got. */
  ORDER_SYNC_STOP_BEFORE_DEADLINE_SECONDS: positiveInt.default(20),
  /** The order-refresh queue: an order whose documents failed transiently is named there; unset, they wait for its next change. */
  ORDER_REFRESH_QUEUE_URL: queueUrl.optional(),
});

const orderRefreshSchema = z.object({
  /** The order-refresh DLQ (set by serverless.yml): unreadable messages go there at once, with the reason. */
  ORDER_REFRESH_DLQ_URL: queueUrl.optional(),
});

export const readOrderSyncConfig = (env: NodeJS.ProcessEnv = process.env) =>
  readSections({ connect: connectSchema, mmp: mmpSchema, runtime: runtimeSchema, ledger: ledgerSchema, import: importSchema, orderSync: orderSyncSchema }, env);
export type OrderSyncConfig = ReturnType<typeof readOrderSyncConfig>;
export type ImportConfig = OrderSyncConfig['import'];

export const readOrderRefreshConfig = (env: NodeJS.ProcessEnv = process.env) =>
  readSections({ connect: connectSchema, mmp: mmpSchema, runtime: runtimeSchema, ledger: ledgerSchema, import: importSchema, orderRefresh: orderRefreshSchema }, env);
export type OrderRefreshConfig = ReturnType<typeof readOrderRefreshConfig>;

const orderRefreshProducerSchema = z.object({
  /** Where producers name orders to re-import; the CLI also takes `--queue-url` or `--stage`. */
  ORDER_REFRESH_QUEUE_URL: queueUrl.optional(),
});

export const readOrderRefreshProducerConfig = (env: NodeJS.ProcessEnv = process.env) => readSections({ producer: orderRefreshProducerSchema }, env).producer;
/** The operations API (seed 003), a source of the document archive: its base (with `/api/<version>`) and bearer token. */
const operationsSchema = z
  .object({
    OPERATIONS_API_URL: url,
    OPERATIONS_API_TOKEN: text.optional(),
    OPERATIONS_API_TOKEN_PARAM: text.optional(),
  })
  .superRefine(oneOf('OPERATIONS_API_TOKEN', 'OPERATIONS_API_TOKEN_PARAM'), { when: () => true });
export type OperationsConfig = z.infer<typeof operationsSchema>;

/**
 * Where documentArchive uploads what it archives from the operations API: the Connect channel (and its Channel
 * Platform credentials) and, in single-store mode, the store the orders belong to.
 */
const connectUploadSchema = z.object({
  CONNECT_CHANNEL_ID: text,
  /** `origin.channel_store_id` of the uploads; a request may name its own `channel_store_id` (multi-store). */
  MMP_STORE_ID: text.optional(),
});
export type ConnectUploadConfig = z.infer<typeof connectUploadSchema> & { connect: ConnectConfig };

/**
 * The operations source of documentArchive: off (with the reason) without OPERATIONS_API_URL; with
 * CONNECT_CHANNEL_ID set, what it archives is also uploaded to Connect, which then needs the Connect credentials.
 */
export const readOperationsSourceConfig = (env: NodeJS.ProcessEnv): SourceConfig<{ api: OperationsConfig; upload?: ConnectUploadConfig }> => {
  const isUnset = (name: string) => (env[name] ?? '').trim() === '';
  return sourceConfig(
    () => {
      if (isUnset('CONNECT_CHANNEL_ID')) return { api: readSections({ api: operationsSchema }, env).api };
      const { api, connect, upload } = readSections({ api: operationsSchema, connect: connectSchema, upload: connectUploadSchema }, env);
      return { api, upload: { ...upload, connect } };
    },
    isUnset('OPERATIONS_API_URL'),
    'the operations API variables OPERATIONS_API_URL and OPERATIONS_API_TOKEN (or OPERATIONS_API_TOKEN_PARAM)',
  );
};

/** The purchase-order service (seed 002) and its OAuth2 client (client credentials). */
const purchaseOrderSchema = z
  .object({
    PURCHASE_ORDER_API_URL: url,
    PURCHASE_ORDER_AUTH_URL: url,
    PURCHASE_ORDER_CLIENT_ID: text,
    PURCHASE_ORDER_CLIENT_SECRET: text.optional(),
    PURCHASE_ORDER_CLIENT_SECRET_PARAM: text.optional(),
    /** Orders read from the service at the same time by one invocation (one call per order). */
    PURCHASE_ORDER_CONCURRENCY: positiveInt.default(5),
  })
  .superRefine(oneOf('PURCHASE_ORDER_CLIENT_SECRET', 'PURCHASE_ORDER_CLIENT_SECRET_PARAM'), { when: () => true });
export type PurchaseOrderConfig = z.infer<typeof purchaseOrderSchema>;

const orderSourceSchema = z.object({
  /** Where orderRefresh reads the orders it re-imports: the marketplace (OR11) or the purchase-order service. */
  ORDER_SOURCE: z.enum(['mmp', 'purchase-order'], { error: 'must be mmp or purchase-order' }).default('mmp'),
});

/** ORDER_SOURCE, and the purchase-order service's variables, required only when it is the source. */
export const readOrderSourceConfig = (env: NodeJS.ProcessEnv = process.env): OrderSourceConfig => {
  const { source } = readSections({ source: orderSourceSchema }, env);
  if (source.ORDER_SOURCE === 'mmp') return { ORDER_SOURCE: 'mmp' };
  return { ORDER_SOURCE: 'purchase-order', purchaseOrder: readSections({ purchaseOrder: purchaseOrderSchema }, env).purchaseOrder };
};
export type OrderSourceConfig = { ORDER_SOURCE: 'mmp' } | { ORDER_SOURCE: 'purchase-order'; purchaseOrder: PurchaseOrderConfig };
