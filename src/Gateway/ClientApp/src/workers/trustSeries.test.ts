import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TrustChange } from '../api/types';
import { trustSeries } from './trustSeries';

const now = Date.parse('2026-03-01T12:00:00Z');

describe('trustSeries', () => {
  it('orders the changes oldest first and ends at now with the current trust', () => {
    const series = trustSeries(
      [
        { at: '2026-03-01T11:00:00Z', event: 'succeeded', trust: 0.6 },
        { at: '2026-03-01T10:00:00Z', event: 'lost_lease', trust: 0.4 },
      ],
      0.65,
      now,
    );

    expect(series.times).toEqual([Date.parse('2026-03-01T10:00:00Z') / 1000, Date.parse('2026-03-01T11:00:00Z') / 1000, now / 1000]);
    expect(series.values).toEqual([0.4, 0.6, 0.65]);
  });

  it('leaves out changes without a time or a numeric trust', () => {
    const series = trustSeries([{ at: 'never', trust: 0.3 }, { trust: 0.2 }, { at: '2026-03-01T11:00:00Z' }], 0.5, now);
    expect(series).toEqual({ times: [now / 1000], values: [0.5] });
  });

  it('never puts the present before a change stamped ahead of the clock', () => {
    const ahead = '2026-03-01T12:00:05Z';
    const series = trustSeries([{ at: ahead, trust: 0.7 }], 0.7, now);
    expect(series.times).toEqual([Date.parse(ahead) / 1000, Date.parse(ahead) / 1000]);
  });

  it('always gives ascending times and one value per time', () => {
    const change: fc.Arbitrary<TrustChange> = fc.record({
      at: fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2027-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
      trust: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(change), fc.double({ min: 0, max: 1, noNaN: true }), (history, current) => {
        const series = trustSeries(history, current, now);
        expect(series.times).toHaveLength(history.length + 1);
        expect(series.values).toHaveLength(series.times.length);
        for (let index = 1; index < series.times.length; index++) {
          expect(series.times[index]).toBeGreaterThanOrEqual(series.times[index - 1]!);
        }
        expect(series.values.at(-1)).toBe(current);
      }),
    );
  });
});
