import type { Intent } from '../../lib/ledger/index.js';
import type { MmpOrder } from '../../lib/channel/mmp/client.js';
import { ActionFailure } from '../../lib/outcome.js';
import { literalSecret } from '../../lib/secrets.js';

/** An action's intent kept in memory (unit tests; the ledger keeps it in DynamoDB). */
export const memoryIntent = (
  initial?: Record<string, unknown>,
): Intent & { value: Record<string, unknown> | undefined } => {
  const intent = {
    value: initial,
    async remember(value: Record<string, unknown>) {
      intent.value = structuredClone(value);
    },
    async recall<T extends Record<string, unknown>>() {
      return intent.value as T | undefined;
    },
  };
  return intent;
};

export const fakeStore = { channelStoreId: '2005', apiKey: literalSecret('key') };

type LineSpec = [id: string, quantity: number, state?: string, ids?: { refunds?: string[]; cancelations?: string[] }];

/** An OR11 order as the client returns it: lines `[id, quantity, state?, {refunds, cancelations}?]`. */
export const mmpOrder = (
  state: string,
  lines: LineSpec[] = [
    ['L1', 2],
    ['L2', 1],
  ],
): MmpOrder => ({
  order_id: 'MKP-1',
  order_state: state,
  currency_iso_code: 'EUR',
  order_lines: lines.map(([id, quantity, lineState, ids]) => ({
    order_line_id: id,
    quantity,
    order_line_state: lineState ?? state,
    refunds: ids?.refunds ?? [],
    cancelations: ids?.cancelations ?? [],
  })),
});

/** The code, transience and message of the `ActionFailure` a promise rejects with. */
export const failureOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ActionFailure)) throw new Error(`expected an ActionFailure, got ${String(error)}`);
  return { code: error.code, transient: error.transient, message: error.message };
};
