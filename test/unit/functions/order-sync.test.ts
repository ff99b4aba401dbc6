import { describe, expect, it } from 'vitest';
import { createOrderSyncHandler } from '../../../functions/order-sync.js';
import { lambdaContext } from '../../../local/runtime/context.js';
import { scheduledEvent } from '../../../local/lambda/scheduler.js';

describe('orderSync', () => {
  it('has nothing to poll when orders come from the purchase-order service, and needs no marketplace variable', async () => {
    const handler = createOrderSyncHandler({ ORDER_SOURCE: 'purchase-order' });
    const runs = await handler(scheduledEvent('order-sync'), lambdaContext('orderSync', 60_000));
    expect(runs).toEqual({});
  });

  it('fails loudly on a missing marketplace variable when it polls the marketplace', async () => {
    const handler = createOrderSyncHandler({ ORDER_SOURCE: 'mmp' });
    await expect(handler(scheduledEvent('order-sync'), lambdaContext('orderSync', 60_000))).rejects.toThrow(
      /MMP_API_URL/,
    );
  });
});
