import { HttpError } from '../../http/index.js';

/**
 * A marketplace refusal: a 4xx answer, so the call was not applied. Outages and key problems reach the
 * adapters as transient `ActionFailure`s already (see client.ts).
 */
export const isRefusal = (error: unknown): error is HttpError => error instanceof HttpError && !error.transient;

/** `400 ORDER_INVALID_STATE`: the status and the marketplace's error code, never its message (personal data). */
export const describeRefusal = (error: unknown): string =>
  error instanceof HttpError ? `${error.status}${error.details.code ? ` ${error.details.code}` : ''}` : 'error';
