import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPurchaseOrderSource } from '../../../lib/channel/purchase-order/index.js';
import { readOrderSourceConfig, type RuntimeConfig } from '../../../lib/config/index.js';
import type { OrderSource } from '../../../lib/import/order-source.js';
import { startPurchaseOrderSimulator, type PurchaseOrderSimulator } from '../../../local/simulators/purchase-order.js';
import { purchaseOrderSettings } from '../../../local/simulators/settings.js';
import { captureOutput } from '../../support/output-capture.js';

let service: PurchaseOrderSimulator;
beforeAll(async () => {
  service = await startPurchaseOrderSimulator();
});
afterAll(async () => {
  await service?.close();
});
beforeEach(() => service.reset());

/** A new container's source (its own token cache), configured as orderRefresh would be. */
const newSource = (env: Record<string, string> = {}): OrderSource => {
  const config = readOrderSourceConfig({ ORDER_SOURCE: 'purchase-order', ...purchaseOrderSettings(service), ...env });
  if (config.ORDER_SOURCE !== 'purchase-order') throw new Error('expected the purchase-order source');
  return createPurchaseOrderSource({ config: config.purchaseOrder, runtime });
};
const runtime: RuntimeConfig = { HTTP_TIMEOUT_MS: 5_000, SECRETS_MAX_AGE_SECONDS: 300 };

const addOrder = (orderId: string) =>
  service.addOrder({
    order_id: orderId,
    order_state: 'SHIPPING',
    order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 2 }],
  });
const calls = (route: 'token' | 'order') => service.requests().filter((call) => call.route === route);

describe('the purchase-order service as the order source (seed 002)', () => {
  it('200: reads the named orders, Mirakl-shaped, with a bearer token from the client-credentials endpoint', async () => {
    const sent = addOrder('PO-1001-A');
    addOrder('PO-1002-A');
    const { orders, failures } = await newSource().readOrders('store-1', ['PO-1001-A', 'PO-1002-A']);
    expect(failures).toEqual([]);
    expect(orders.map((order) => order.order_id).sort()).toEqual(['PO-1001-A', 'PO-1002-A']);
    const first = orders.find((order) => order.order_id === 'PO-1001-A');
    expect(first).toMatchObject({
      order_state: 'SHIPPING',
      last_updated_date: sent.last_updated_date,
      order_lines: [{ order_line_id: 'PO-1001-A-1', quantity: 2 }],
    });
    expect(
      calls('order')
        .map((call) => `${call.path} ${call.status}`)
        .sort(),
    ).toEqual(['/purchase-order/PO-1001-A 200', '/purchase-order/PO-1002-A 200']);
    expect(calls('token')).toHaveLength(1);
  });

  it('keeps its token across records: one token request for many reads of a warm container', async () => {
    addOrder('PO-2001-A');
    const source = newSource();
    await source.readOrders('store-1', ['PO-2001-A']);
    await source.readOrders('store-1', ['PO-2001-A']);
    await source.readOrders('store-1', ['PO-2001-A']);
    expect(calls('order').map((call) => call.status)).toEqual([200, 200, 200]);
    expect(calls('token').map((call) => call.status)).toEqual([200]);
  });

  it('400: an invalid id is dead-lettered with the reason, read once', async () => {
    const { orders, failures } = await newSource().readOrders('store-1', ['bad id!']);
    expect(orders).toEqual([]);
    expect(failures).toEqual([
      {
        orderId: 'bad id!',
        outcome: 'dead-letter',
        reason: 'the purchase-order service answered 400 (invalid id) for order bad id!',
      },
    ]);
    expect(calls('order').map((call) => call.status)).toEqual([400]);
  });

  it('404: an unknown order is dead-lettered with the reason, the others are read', async () => {
    addOrder('PO-3001-A');
    const { orders, failures } = await newSource().readOrders('store-1', ['PO-3001-A', 'PO-MISSING']);
    expect(orders.map((order) => order.order_id)).toEqual(['PO-3001-A']);
    expect(failures).toEqual([
      {
        orderId: 'PO-MISSING',
        outcome: 'dead-letter',
        reason: 'the purchase-order service answered 404 (not found) for order PO-MISSING',
      },
    ]);
  });

  it('503: handed back for a minute or more, after one call (the service already retried 5 × 5 s)', async () => {
    addOrder('PO-4001-A');
    service.injectFault({ route: 'order', status: 503, times: 5 });
    const { orders, failures } = await newSource().readOrders('store-1', ['PO-4001-A']);
    expect(orders).toEqual([]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      orderId: 'PO-4001-A',
      outcome: 'retry',
      reason: expect.stringMatching(/answered 503/),
    });
    expect(failures[0]?.retryAfterSeconds).toBeGreaterThanOrEqual(60);
    expect(calls('order').map((call) => call.status)).toEqual([503]);
  });

  it('503 with a longer Retry-After: waits that long', async () => {
    addOrder('PO-4002-A');
    service.injectFault({ route: 'order', status: 503, times: 1, retryAfterSeconds: 180 });
    const { failures } = await newSource().readOrders('store-1', ['PO-4002-A']);
    expect(failures[0]).toMatchObject({ outcome: 'retry', retryAfterSeconds: 180 });
  });

  it('401: renews the token once and reads the order', async () => {
    addOrder('PO-5001-A');
    const source = newSource();
    await source.readOrders('store-1', ['PO-5001-A']);
    service.revokeTokens();
    const { orders, failures } = await source.readOrders('store-1', ['PO-5001-A']);
    expect(failures).toEqual([]);
    expect(orders.map((order) => order.order_id)).toEqual(['PO-5001-A']);
    expect(calls('order').map((call) => call.status)).toEqual([200, 401, 200]);
    expect(calls('token')).toHaveLength(2);
  });

  it('401 after a renewal: a configuration error, logged naming the variables and counted for the alarm', async () => {
    addOrder('PO-6001-A');
    service.injectFault({ route: 'order', status: 401, times: 2 });
    // Logs and metrics are off in tests, and Powertools reads that when its modules load: they are loaded afresh.
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'WARN');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    vi.resetModules();
    const fresh = await import('../../../lib/channel/purchase-order/index.js');
    const { metrics, publishMetrics } = await import('../../../lib/observability.js');
    const config = readOrderSourceConfig({ ORDER_SOURCE: 'purchase-order', ...purchaseOrderSettings(service) });
    const output = captureOutput();
    let failures: Awaited<ReturnType<ReturnType<typeof fresh.createPurchaseOrderSource>['readOrders']>>['failures'];
    try {
      if (config.ORDER_SOURCE !== 'purchase-order') throw new Error('expected the purchase-order source');
      ({ failures } = await fresh
        .createPurchaseOrderSource({ config: config.purchaseOrder, runtime })
        .readOrders('store-1', ['PO-6001-A']));
      publishMetrics();
      metrics.publishStoredMetrics();
    } finally {
      output.stop();
      vi.unstubAllEnvs();
    }
    expect(failures).toEqual([
      {
        orderId: 'PO-6001-A',
        outcome: 'retry',
        retryAfterSeconds: 300,
        reason: expect.stringMatching(/refused the connector's credentials/),
      },
    ]);
    expect(calls('order').map((call) => call.status)).toEqual([401, 401]);
    expect(calls('token')).toHaveLength(2);
    const lines = output.json();
    const error = lines.find((line) => line.level === 'ERROR');
    expect(error).toMatchObject({
      order_id: 'PO-6001-A',
      message: expect.stringMatching(/PURCHASE_ORDER_CLIENT_ID and PURCHASE_ORDER_CLIENT_SECRET/),
    });
    const emf = lines.filter((line) => '_aws' in line);
    expect(emf.map((line) => line.OrderSourceConfigurationErrors).filter(Boolean)).toEqual([1]);
    expect(emf.find((line) => line.code === 'unauthorized')).toMatchObject({ OrderSourceReadFailures: 1 });
  });

  it('a client secret the token endpoint refuses is the same configuration error, and the order is not asked for', async () => {
    addOrder('PO-6002-A');
    const { failures } = await newSource({ PURCHASE_ORDER_CLIENT_SECRET: 'wrong' }).readOrders('store-1', [
      'PO-6002-A',
    ]);
    expect(failures).toEqual([
      {
        orderId: 'PO-6002-A',
        outcome: 'retry',
        retryAfterSeconds: 300,
        reason: expect.stringMatching(/token endpoint answered 401/),
      },
    ]);
    expect(calls('order')).toEqual([]);
  });

  it('reads concurrently, never more at once than PURCHASE_ORDER_CONCURRENCY', async () => {
    const ids = Array.from({ length: 8 }, (_, index) => `PO-70${index}-A`);
    ids.forEach(addOrder);
    service.injectFault({ route: 'order', latencyMs: 50, times: 8 });
    const { orders } = await newSource({ PURCHASE_ORDER_CONCURRENCY: '3' }).readOrders('store-1', ids);
    expect(orders).toHaveLength(8);
    expect(service.peakConcurrentReads()).toBeGreaterThan(1);
    expect(service.peakConcurrentReads()).toBeLessThanOrEqual(3);
  });
});
