import { HttpError, type HttpSend } from '../http/index.js';
import type { Outcome } from '../outcome.js';
import { withToken, type TokenProvider } from './token.js';

/**
 * How Connect took a report:
 * - `reported`: 204, the action is now final;
 * - `already-final`: 400 ACTION_ALREADY_FINAL, or a 404 after an earlier attempt of this call may have landed;
 * - `unknown-action`: 404 on a first report: the action expired or never existed. Nothing more can be done,
 *   but it is logged loudly and counted, since it also hides a misrouted event or a slow channel.
 */
export type ReportResult = 'reported' | 'already-final' | 'unknown-action';

export interface ConnectClient {
  reportActionStatus(actionId: string, outcome: Outcome): Promise<ReportResult>;
}

export const createConnectClient = (options: {
  apiUrl: string;
  tokens: TokenProvider;
  send: HttpSend;
}): ConnectClient => ({
  async reportActionStatus(actionId, outcome) {
    try {
      await withToken(options.tokens, (authorization) =>
        options.send({
          method: 'PUT',
          url: `${options.apiUrl}/v1/orders/actions/${encodeURIComponent(actionId)}`,
          operation: 'Connect updateActionStatus',
          // Setting a final status is idempotent on Connect's side: a repeat is refused as already final.
          repeatable: true,
          headers: { authorization },
          json: outcome,
        }),
      );
      return 'reported';
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      if (error.status === 400 && error.details.code === 'ACTION_ALREADY_FINAL') return 'already-final';
      if (error.status === 404) return error.details.mayHaveApplied ? 'already-final' : 'unknown-action';
      throw error;
    }
  },
});
