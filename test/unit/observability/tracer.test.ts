import { describe, expect, it } from 'vitest';
import { traced, tracer } from '../../../lib/observability.js';

describe('the tracer outside Lambda (tests, the local stack, the CLIs)', () => {
  it('is not loaded: the X-Ray SDK and its async hooks stay out of the process, and clients are left as they are', () => {
    expect(process.env.AWS_EXECUTION_ENV).toBeUndefined();
    expect(tracer).toBeUndefined();
    const client = { send: () => undefined };
    expect(traced(client)).toBe(client);
  });
});
