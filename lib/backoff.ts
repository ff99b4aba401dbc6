/**
 * The one retry-delay policy of the connector; each caller names its own base and cap (in its own unit).
 * The delay doubles with each try from `base` up to `cap`; with `jitter`, it is drawn uniformly below that
 * ceiling ("full jitter"), so that many messages failing together do not come back together.
 */
export interface Backoff {
  base: number;
  cap: number;
  jitter: boolean;
}

/** The delay before try `attempt + 1` (attempt 1 is the first try). */
export const backoffDelay = (policy: Backoff, attempt: number): number => {
  const ceiling = Math.min(policy.cap, policy.base * 2 ** Math.max(0, attempt - 1));
  return policy.jitter ? Math.round(Math.random() * ceiling) : ceiling;
};

/**
 * How long (seconds) a message is handed back to its queue: the server's `Retry-After` when it gave one,
 * otherwise the backoff on the receive count; at least 1 s, at most the policy's cap.
 */
export const handBackSeconds = (policy: Backoff, receiveCount: number, retryAfterSeconds?: number): number =>
  Math.min(policy.cap, Math.max(1, Math.ceil(retryAfterSeconds ?? backoffDelay(policy, receiveCount))));
