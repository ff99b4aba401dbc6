import { describe, expect, it } from 'vitest';
import { backoffDelay, handBackSeconds } from '../../lib/backoff.js';

const steady = { base: 30, cap: 900, jitter: false };
const jittered = { base: 5, cap: 900, jitter: true };

describe('backoffDelay', () => {
  it('doubles from the base with each try, up to the cap', () => {
    expect([1, 2, 3, 5, 6, 50].map((attempt) => backoffDelay(steady, attempt))).toEqual([30, 60, 120, 480, 900, 900]);
  });

  it('with jitter, stays between 0 and the ceiling of the try', () => {
    for (let draw = 0; draw < 200; draw += 1) {
      const delay = backoffDelay(jittered, 4);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(40);
    }
  });
});

describe('handBackSeconds', () => {
  it("takes the server's Retry-After over the backoff, rounded up, at least 1 s, at most the cap", () => {
    expect(handBackSeconds(steady, 6, 7.2)).toBe(8);
    expect(handBackSeconds(steady, 6, 0)).toBe(1);
    expect(handBackSeconds(steady, 1, 7200)).toBe(900);
  });

  it('never hands back for less than a second, even when the jitter draws 0', () => {
    for (let draw = 0; draw < 200; draw += 1) expect(handBackSeconds(jittered, 1)).toBeGreaterThanOrEqual(1);
  });
});
