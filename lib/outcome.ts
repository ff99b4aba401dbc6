import { ConnectorError } from './errors.js';
import { HttpError } from './http/errors.js';

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
export class ActionFailure extends ConnectorError {
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

  /**
   * Any error as the failure of an action: an `HttpError` by its status (429 TOO_MANY_REQUEST, other transient
   * ones UNAVAILABLE, the rest UNEXPECTED); anything else (a bug, a malformed answer, an AWS outage) is UNEXPECTED
   * and transient, so it is retried within the window before it is reported.
   */
  static from(error: unknown): ActionFailure {
    if (error instanceof ActionFailure) return error;
    if (error instanceof HttpError) {
      const code =
        error.status === 429
          ? ActionErrorCode.TOO_MANY_REQUEST
          : error.transient
            ? ActionErrorCode.UNAVAILABLE
            : ActionErrorCode.UNEXPECTED;
      return new ActionFailure(code, error.message, {
        transient: error.transient,
        retryAfterSeconds: error.retryAfterSeconds,
        cause: error,
      });
    }
    const name = error instanceof Error ? error.name : 'error';
    return new ActionFailure(ActionErrorCode.UNEXPECTED, `Unexpected ${name} in the connector`, {
      transient: true,
      cause: error,
    });
  }

  toOutcome(): Outcome {
    return failed(this.code, this.message);
  }
}
