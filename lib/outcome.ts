/** Connect's `ActionError.code` values (the spec keeps them in prose; the list is open, Mirakl may add codes). */
export const ActionErrorCode = {
  INVALID_INPUT: 'INVALID_INPUT',
  DATA_NOT_FOUND: 'DATA_NOT_FOUND',
  UNEXPECTED: 'UNEXPECTED',
  UNAVAILABLE: 'UNAVAILABLE',
  TOO_MANY_REQUEST: 'TOO_MANY_REQUEST',
  ACTION_NOT_SUPPORTED: 'ACTION_NOT_SUPPORTED',
  ORDER_IN_WRONG_STATE: 'ORDER_IN_WRONG_STATE',
  RETURN_IN_WRONG_STATE: 'RETURN_IN_WRONG_STATE',
  CARRIER_NOT_SUPPORTED: 'CARRIER_NOT_SUPPORTED',
  MISSING_CARRIER: 'MISSING_CARRIER',
  WAREHOUSE_ID_NOT_FOUND: 'WAREHOUSE_ID_NOT_FOUND',
  WAREHOUSE_ID_REQUIRED: 'WAREHOUSE_ID_REQUIRED',
  OTHER: 'OTHER',
} as const;
export type ActionErrorCode = (typeof ActionErrorCode)[keyof typeof ActionErrorCode];

export interface ActionError {
  code: ActionErrorCode;
  message: string;
}

/** What we report to Connect for an action: the body of `PUT /v1/orders/actions/{action_id}`. */
export type Outcome = { status: 'SUCCESS' } | { status: 'FAILED'; errors: ActionError[] };

export const succeeded: Outcome = { status: 'SUCCESS' };
export const failed = (code: ActionErrorCode, message: string): Outcome => ({
  status: 'FAILED',
  errors: [{ code, message }],
});

/**
 * Why an action could not be carried out. A permanent failure is reported to Connect at once;
 * a transient one is handed back to SQS and becomes `FAILED` with `code` only when the retry window closes.
 * Messages carry ids and short reasons, never request or response bodies (they hold personal data).
 */
export class ActionFailure extends Error {
  override readonly name: string = 'ActionFailure';
  readonly transient: boolean;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly code: ActionErrorCode,
    message: string,
    options: { transient?: boolean; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.transient = options.transient ?? false;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  toOutcome(): Outcome {
    return failed(this.code, this.message);
  }
}
