import { HttpError } from '../../lib/http/index.js';

/** The HttpError a call rejects with; anything else fails the test. */
export const httpErrorOf = async (promise: Promise<unknown>): Promise<HttpError> => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof HttpError)) throw new Error(`expected an HttpError, got ${String(error)}`);
  return error;
};
