import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buildContainerRuntime,
  startLocalFunction,
  type FunctionSpec,
  type LocalFunction,
} from '../../../local/runtime/containers.js';

/** Handlers as a bundle would export them, one file each. */
const HANDLERS = {
  'report.mjs': `export const handler = async (event, context) => ({
    who: process.env.WHO ?? null,
    parentOnly: process.env.PARENT_ONLY ?? null,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    handler: process.env._HANDLER,
    pid: process.pid,
    remainingMs: context.getRemainingTimeInMillis(),
    event,
  });`,
  'slow.mjs': `export const handler = async (event) => { await new Promise((r) => setTimeout(r, event.ms)); return { pid: process.pid }; };`,
  'fails.mjs': `export const handler = async () => { throw new TypeError('boom'); };`,
  'broken.mjs': `throw new Error('bad init');`,
};

let dir: string;
let runtime: string;
const functions: LocalFunction[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'containers-'));
  for (const [file, source] of Object.entries(HANDLERS)) await writeFile(join(dir, file), source);
  runtime = await buildContainerRuntime(dir);
  process.env.PARENT_ONLY = 'leaked';
});
afterEach(async () => {
  await Promise.all(functions.splice(0).map((fn) => fn.stop()));
});
afterAll(async () => {
  delete process.env.PARENT_ONLY;
  await rm(dir, { recursive: true, force: true });
});

const start = (handler: string, overrides: Partial<FunctionSpec> = {}) => {
  const fn = startLocalFunction(
    {
      key: 'fn',
      name: 'local-fn',
      taskRoot: dir,
      handler,
      runtime: 'nodejs22.x',
      timeoutSeconds: 5,
      memoryMb: 256,
      environment: {},
      ...overrides,
    },
    runtime,
  );
  functions.push(fn);
  return fn;
};

const payloadOf = async (fn: LocalFunction, event: unknown = {}) => {
  const result = await fn.invoke(event);
  if (!result.ok) throw new Error(`${result.error.errorType}: ${result.error.errorMessage}`);
  return result.payload as Record<string, unknown>;
};

describe('local Lambda containers', () => {
  it('runs each function in its own process with its own environment, as Lambda sets it', async () => {
    const first = start('report.handler', { name: 'first', environment: { WHO: 'first' } });
    const second = start('report.handler', { name: 'second', environment: { WHO: 'second' } });

    const [one, two] = await Promise.all([payloadOf(first, { n: 1 }), payloadOf(second)]);

    expect(one).toMatchObject({
      who: 'first',
      parentOnly: null,
      functionName: 'first',
      handler: 'report.handler',
      event: { n: 1 },
    });
    expect(two).toMatchObject({ who: 'second', functionName: 'second' });
    expect(one.pid).not.toBe(two.pid);
    expect(one.remainingMs).toBeLessThanOrEqual(5000);
    expect(one.remainingMs).toBeGreaterThan(3000);
  });

  it('reuses a warm container, and starts another for a concurrent invocation', async () => {
    const fn = start('slow.handler');

    const first = await payloadOf(fn, { ms: 1 });
    const again = await payloadOf(fn, { ms: 1 });
    const together = await Promise.all([payloadOf(fn, { ms: 300 }), payloadOf(fn, { ms: 300 })]);

    expect(again.pid).toBe(first.pid);
    expect(new Set(together.map((payload) => payload.pid)).size).toBe(2);
    expect(fn.coldStarts).toBe(2);
  });

  it('reports what the handler threw as a function error, and keeps the container', async () => {
    const fn = start('fails.handler');

    expect(await fn.invoke({})).toEqual({
      ok: false,
      error: expect.objectContaining({ errorType: 'TypeError', errorMessage: 'boom' }),
    });
    await fn.invoke({});

    expect(fn.coldStarts).toBe(1);
  });

  it('kills a container past the function timeout; the next invocation starts a new one', async () => {
    const fn = start('slow.handler', { timeoutSeconds: 1 });

    const timedOut = await fn.invoke({ ms: 5000 });
    const next = await payloadOf(fn, { ms: 1 });

    expect(timedOut).toEqual({
      ok: false,
      error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' },
    });
    expect(next.pid).toBeDefined();
    expect(fn.coldStarts).toBe(2);
  });

  it('fails the invocation when the module cannot be loaded', async () => {
    expect(await start('broken.handler').invoke({})).toEqual({
      ok: false,
      error: expect.objectContaining({ errorMessage: 'bad init' }),
    });
    expect(await start('missing.handler').invoke({})).toEqual({
      ok: false,
      error: expect.objectContaining({ errorType: 'Runtime.ImportModuleError' }),
    });
    expect(await start('report.nothing').invoke({})).toEqual({
      ok: false,
      error: expect.objectContaining({ errorType: 'Runtime.HandlerNotFound' }),
    });
  });
});
