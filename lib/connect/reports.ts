import { HttpError, type HttpSend } from '../http/index.js';
import type { Outcome } from '../outcome.js';
import type { TokenProvider } from './token.js';

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

export const createConnectClient = (options: { apiUrl: string; tokens: TokenProvider; send: HttpSend }): ConnectClient => {
  const put = async (actionId: string, outcome: Outcome) =>
    options.send({
      method: 'PUT',
      url: `${options.apiUrl}/v1/orders/actions/${encodeURIComponent(actionId)}`,
      operation: 'Connect updateActionStatus',
      // Setting a final status is idempotent on Connect's side: a repeat is refused as already final.
      repeatable: true,
      headers: { authorization: `Bearer ${await options.tokens.token()}` },
      json: outcome,
    });

  return {
    async reportActionStatus(actionId, outcome) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          await put(actionId, outcome);
          return 'reported';
        } catch (error) {
          if (!(error instanceof HttpError)) throw error;
          if (error.status === 400 && error.details.code === 'ACTION_ALREADY_FINAL') return 'already-final';
          if (error.status === 404) return error.details.mayHaveApplied ? 'already-final' : 'unknown-action';
          if (error.status === 401 && attempt === 1) {
            options.tokens.invalidate();
            continue;
          }
          throw error;
        }
      }
    },
  };
};
