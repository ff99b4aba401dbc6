import * as z from 'zod';
import { HttpError, type HttpSend } from '../http/index.js';
import { withToken, type TokenProvider } from './token.js';

const id = z.string().trim().min(1);

/** One item of `PUT /v1/orders/anonymize-after` (`UpdateAnonymizeAfterRequestItem`, MIRAKL-CONTRACT.md §5.3). */
export const AnonymizeAfterOrder = z.object({
  channel_id: id,
  channel_order_id: id,
  sub_channel_code: id.optional(),
  anonymize_after: z.string(),
});
export type AnonymizeAfterOrder = z.infer<typeof AnonymizeAfterOrder>;

/** Connect takes 1 to 100 orders per call, all or nothing. */
export const MAX_ORDERS_PER_CALL = 100;

/**
 * How Connect took a call:
 * - `applied`: 204, every order of the call has its new date;
 * - `rejected`: 400, none has: `fields` are the `errors[].field` JSON paths Connect named (e.g. `orders[3].channel_order_id`),
 *   empty when it named none.
 * Any other answer (429 and 5xx once retried, 403, a timeout) is thrown as an `HttpError`.
 */
export type AnonymizeAfterResult =
  | { kind: 'applied' }
  | { kind: 'rejected'; code: string | undefined; fields: string[] };

export interface AnonymizeAfterClient {
  updateAnonymizeAfter(orders: AnonymizeAfterOrder[]): Promise<AnonymizeAfterResult>;
}

export const createAnonymizeAfterClient = (options: {
  apiUrl: string;
  tokens: TokenProvider;
  send: HttpSend;
}): AnonymizeAfterClient => ({
  async updateAnonymizeAfter(orders) {
    try {
      await withToken(options.tokens, (authorization) =>
        options.send({
          method: 'PUT',
          url: `${options.apiUrl}/v1/orders/anonymize-after`,
          operation: 'Connect updateAnonymizeAfterDate',
          // Setting the same date again changes nothing: safe to repeat after a timeout or a lost response.
          repeatable: true,
          headers: { authorization },
          json: { orders },
        }),
      );
      return { kind: 'applied' };
    } catch (error) {
      if (error instanceof HttpError && error.status === 400)
        return { kind: 'rejected', code: error.details.code, fields: error.details.fields ?? [] };
      throw error;
    }
  },
});
