/**
 * The connector's one error family. Every failure says whether trying again later may help (and when), and keeps
 * the error that caused it as `cause`. `HttpError` is an outbound call that failed; `ActionFailure` (outcome.ts)
 * is why an action could not be carried out, with Connect's error code chosen.
 */
export abstract class ConnectorError extends Error {
  abstract readonly transient: boolean;
  abstract readonly retryAfterSeconds: number | undefined;
}
