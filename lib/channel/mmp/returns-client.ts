import * as z from 'zod';
import type { MmpTransport } from './client.js';
import type { CallAnswer } from './course.js';

/** Only the RT11 fields the connector needs: the return address (personal data) is dropped here. */
const MmpReturn = z.object({ id: z.string(), order_id: z.string(), state: z.string() });
export type MmpReturn = z.infer<typeof MmpReturn>;

/** RT04 tracking: a registered carrier by code, or an unregistered one by name and URL. */
export interface MmpReturnTracking {
  carrier_code?: string;
  carrier_name?: string;
  tracking_number?: string;
  tracking_url?: string;
}

/** One return of an RT04 body (a patch: what is left out is kept). */
export interface MmpReturnUpdate {
  id: string;
  rma?: string;
  label_url?: string;
  tracking?: MmpReturnTracking;
}

/** One return of an RT21 body. */
export interface MmpReturnDecision {
  id: string;
  accepted: boolean;
  rejection_reason_code?: string;
}

/** The `return_errors` of a 200 answer (invariant 12); their messages are not kept. */
const ReturnsAnswer = z.object({ return_errors: z.array(z.object({ id: z.string().nullish() })).nullish() });

/** The return calls of the MMP seller API for one shop. Each changes one return, and may be repeated. */
export interface MmpReturnsClient {
  /** RT11; undefined when the marketplace does not know the return (for this shop). */
  getReturn(returnId: string): Promise<MmpReturn | undefined>;
  /** RT21: accepts or refuses a return in WAITING_ACCEPTANCE. */
  /** RT04/RT21/RT25/RT27 answer 200 even when they refuse the one return sent: 'refused' then. */
  decideReturn(decision: MmpReturnDecision): Promise<CallAnswer>;
  /** RT04: sets the RMA, label and tracking. */
  updateReturn(update: MmpReturnUpdate): Promise<CallAnswer>;
  /** RT25: the returned items arrived. */
  receiveReturn(returnId: string): Promise<CallAnswer>;
  /** RT27: the return is over. */
  closeReturn(returnId: string): Promise<CallAnswer>;
}

export const createMmpReturnsClient = (call: MmpTransport): MmpReturnsClient => {
  const change = async (operation: string, path: string, returns: unknown[]): Promise<CallAnswer> => {
    const response = await call({ operation, method: 'PUT', path, json: { returns } });
    const { return_errors: errors } = ReturnsAnswer.parse(await response.json());
    return (errors ?? []).length > 0 ? 'refused' : 'applied';
  };
  return {
    async getReturn(returnId) {
      const response = await call({
        operation: 'RT11',
        method: 'GET',
        path: '/api/returns',
        query: { return_id: returnId },
      });
      const { data } = z.object({ data: z.array(MmpReturn) }).parse(await response.json());
      return data.find((found) => found.id === returnId);
    },
    decideReturn: (decision) => change('RT21', '/api/returns/accept', [decision]),
    updateReturn: (update) => change('RT04', '/api/returns', [update]),
    receiveReturn: (returnId) => change('RT25', '/api/returns/receive', [{ id: returnId }]),
    closeReturn: (returnId) => change('RT27', '/api/returns/close', [{ id: returnId }]),
  };
};
