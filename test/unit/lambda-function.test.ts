import { describe, expect, it } from 'vitest';
import { currentDeadline } from '../../lib/http/index.js';
import { lambdaFunction } from '../../lib/lambda-function.js';
import { lambdaContext } from '../../local/runtime/context.js';

describe('lambdaFunction', () => {
  it('builds the services once per container, on the first event', async () => {
    let built = 0;
    const handler = lambdaFunction(
      () => ({ container: (built += 1) }),
      async (event: { n: number }, services) => ({ n: event.n, container: services.container }),
    );
    expect(built).toBe(0);
    const first = await handler({ n: 1 }, lambdaContext('fn', 10_000));
    const second = await handler({ n: 2 }, lambdaContext('fn', 10_000));
    expect([first, second, built]).toEqual([{ n: 1, container: 1 }, { n: 2, container: 1 }, 1]);
  });

  it('fails the invocation when the services cannot be built, and tries again on the next event', async () => {
    let tries = 0;
    const handler = lambdaFunction(
      () => {
        tries += 1;
        if (tries === 1) throw new Error('Invalid configuration: CONNECT_CLIENT_ID is required');
        return {};
      },
      async () => 'handled',
    );
    await expect(handler({}, lambdaContext('fn', 10_000))).rejects.toThrow('CONNECT_CLIENT_ID is required');
    await expect(handler({}, lambdaContext('fn', 10_000))).resolves.toBe('handled');
  });

  it("makes the invocation's end the deadline of the calls made within it", async () => {
    const handler = lambdaFunction(
      () => ({}),
      async (_event: unknown, _services, { deadline }) => ({ given: deadline, current: currentDeadline() }),
    );
    const context = lambdaContext('fn', 60_000);
    const { given, current } = await handler({}, context);
    expect(current).toBe(given);
    expect(Number.isFinite(given)).toBe(true);
    expect(given).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(currentDeadline()).toBe(Number.POSITIVE_INFINITY);
  });
});
