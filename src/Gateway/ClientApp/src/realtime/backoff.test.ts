import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff';

describe('Backoff', () => {
  it('doubles from 0.5 s to a 30 s cap, each delay jittered within [half, whole]', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 20 }), (randoms) => {
        let i = 0;
        const backoff = new Backoff(() => randoms[i]!);
        for (; i < randoms.length; i++) {
          const whole = Math.min(500 * 2 ** i, 30_000);
          const delay = backoff.next();
          expect(delay).toBeGreaterThanOrEqual(whole / 2);
          expect(delay).toBeLessThanOrEqual(whole);
        }
      }),
    );
  });

  it('spans the jitter range: the lowest random gives half, the highest the whole delay', () => {
    const low = new Backoff(() => 0);
    const high = new Backoff(() => 0.999_999);
    const lows = Array.from({ length: 9 }, () => low.next());
    const highs = Array.from({ length: 9 }, () => high.next());
    expect(lows).toEqual([250, 500, 1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000]);
    expect(highs).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('starts over at 0.5 s after a reset', () => {
    const backoff = new Backoff(() => 0.999_999);
    backoff.next();
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(500);
    expect(backoff.next()).toBe(1_000);
  });
});
