import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startImportStack, STORE, type ImportStack } from '../../support/import-stack.js';

const execute = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));

let stack: ImportStack;
beforeAll(async () => {
  stack = await startImportStack();
});
afterAll(async () => stack?.stop());
beforeEach(async () => stack.reset());

/** Runs a CLI of bin/ as a user would, with the stack's settings; never throws on a non-zero exit. */
const run = async (script: string, args: string[], env: Record<string, string> = {}) => {
  try {
    const { stdout, stderr } = await execute(process.execPath, ['--import', 'tsx', `bin/${script}.ts`, ...args], {
      cwd: root,
      env: { ...process.env, ...stack.env, POWERTOOLS_LOG_LEVEL: 'SILENT', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

const place = (orderId: string, daysAgo: number) => {
  const stamp = new Date(Date.now() - daysAgo * 86_400_000).toISOString();
  stack.mmp.addOrder({
    order_id: orderId,
    order_state: 'SHIPPED',
    shopId: STORE,
    created_date: stamp,
    last_updated_date: stamp,
    order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 1 }],
  });
};

const heldIds = () =>
  stack.connect
    .heldOrders()
    .map((order) => order.body.channel_order_id)
    .sort();

describe('npm run import-orders: a past period imported into Connect', () => {
  const period = () => [
    '--since',
    new Date(Date.now() - 90.5 * 86_400_000).toISOString(),
    '--until',
    new Date(Date.now() - 0.5 * 86_400_000).toISOString(),
  ];

  it("imports every order changed in the period through MMP's export, with a summary, and leaves the cursors alone", async () => {
    for (let day = 1; day <= 120; day += 1) place(`OLD-${day}`, day);

    const { code, stdout } = await run('import-orders', [...period(), '--poll-seconds', '2']);

    expect(code).toBe(0);
    expect(heldIds()).toHaveLength(90);
    expect(heldIds()).not.toContain('OLD-91');
    expect(stack.mmp.requests().map((request) => request.route)).toEqual(
      expect.arrayContaining(['OR13', 'OR14', 'OR15']),
    );
    expect(
      stack.mmp
        .requests()
        .filter((request) => request.route === 'OR13')
        .map((request) => request.schemaErrors),
    ).toEqual([[]]);
    expect(stdout).toMatch(/store 2005: export \S+ completed, 1 file\(s\)/);
    expect(stdout).toContain('store 2005: 90 orders read (export file 1 of 1), 90 imported, 0 parked');
    expect(stdout).toContain('Done: 90 orders read, 90 imported, 0 parked.');
    expect((await stack.state.read(STORE, 'orders')).position).toEqual({});
    expect(
      stack.connect
        .requests()
        .filter((request) => request.path.endsWith('/v1/orders'))
        .map((request) => request.status),
    ).toEqual([204]);
  });

  it('walks OR11 instead with --walk, 100 orders a page, with the progress against the total', async () => {
    for (let day = 1; day <= 120; day += 1) place(`OLD-${day}`, day);

    const { code, stdout } = await run('import-orders', [...period(), '--walk']);

    expect(code).toBe(0);
    expect(heldIds()).toHaveLength(90);
    expect(heldIds()).not.toContain('OLD-91');
    expect(stdout).toContain('store 2005: 90 of 90 (100%) orders read, 90 imported, 0 parked');
    expect(stdout).toContain('Done: 90 orders read, 90 imported, 0 parked.');
    expect((await stack.state.read(STORE, 'orders')).position).toEqual({});
    expect(
      stack.connect
        .requests()
        .filter((request) => request.path.endsWith('/v1/orders'))
        .map((request) => request.status),
    ).toEqual([204]);
  });

  it('refuses a store it does not serve, and a period that ends before it starts', async () => {
    expect((await run('import-orders', ['--since', '2026-01-01', '--store', 'elsewhere'])).stderr).toContain(
      'Store elsewhere is not served by this configuration (2005)',
    );
    expect((await run('import-orders', ['--since', '2026-02-01', '--until', '2026-01-01'])).stderr).toContain(
      '--since must be before --until.',
    );
  });
});

describe('npm run ops -- sync:status and sync:replay', () => {
  it('shows each store: cursor, last run, parked orders with their reason; replays them through the order-refresh queue', async () => {
    place('KEEP-1', 1);
    place('STUCK-1', 1);
    stack.connect.configureOrders({ rejectedOrderIds: ['STUCK-1'] });
    await stack.sync();

    const status = await run('ops', ['sync:status', '--table', stack.table]);

    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/store 2005\n {2}orders {3}cursor \S+ \(\d+s behind\)/);
    expect(status.stdout).toContain('last run');
    expect(status.stdout).toContain('complete, 1 imported, 1 parked');
    expect(status.stdout).toMatch(
      /parked {3}1 order\(s\), 0 return\(s\)\n {11}order STUCK-1 {2}parked \S+ {2}Connect refused it: /,
    );

    stack.connect.configureOrders({ rejectedOrderIds: [] });
    const replay = await run('ops', [
      'sync:replay',
      '--table',
      stack.table,
      '--refresh-queue-url',
      stack.refreshQueue.queueUrl,
    ]);
    expect(replay.stdout).toContain(
      'store 2005: 1 parked order(s) named on the order-refresh queue, 0 parked return(s) back in the pending set',
    );
    await stack.refresh();

    expect(heldIds()).toEqual(['KEEP-1', 'STUCK-1']);
    expect((await run('ops', ['sync:status', '--table', stack.table])).stdout).toContain(
      'parked   0 order(s), 0 return(s)',
    );
  });
});
