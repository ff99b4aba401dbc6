import { ConnectorError } from '../errors.js';

/** An outbound call that did not succeed. Never carries the request or response body. */
export class HttpError extends ConnectorError {
  override readonly name = 'HttpError';

  constructor(
    message: string,
    readonly details: {
      /** The HTTP status; undefined for a timeout or a network failure. */
      status?: number;
      /** The machine-readable error `code` of a Mirakl error body, when it has one. */
      code?: string;
      /** The `errors[].field` JSON paths of a Mirakl error body, when it names fields. */
      fields?: string[];
      /** The `error_description` of an OAuth-style error body (`{"error", "error_description"}`), clipped. */
      description?: string;
      retryAfterSeconds?: number;
      /** True when this request, on this or an earlier attempt, may have taken effect (timeout, lost response, 5xx). */
      mayHaveApplied: boolean;
    },
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }

  get retryAfterSeconds(): number | undefined {
    return this.details.retryAfterSeconds;
  }

  get status(): number | undefined {
    return this.details.status;
  }

  /** 429, 5xx, timeouts and network failures: worth trying again later. */
  get transient(): boolean {
    const { status } = this.details;
    return status === undefined || status === 429 || status >= 500;
  }
}
