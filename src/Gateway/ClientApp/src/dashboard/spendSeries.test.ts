import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SPEND_RANGES } from './spendRanges';
import {
  addAllToSeries,
  addAmounts,
  addToSeries,
  bucketMs,
  bucketStart,
  MAX_BUCKETS,
  NO_SPEND,
  seriesFrom,
  seriesTotals,
  slideSeries,
  windowEnding,
  type BucketWidth,
  type SpendAmounts,
  type TimedSpend,
} from './spendSeries';

const utc = (iso: string) => Date.parse(iso);
const width = fc.constantFrom<BucketWidth>('minute', 'hour', 'day');
// 1970 to 2100, with sub-millisecond-free instants as Date.parse gives them.
const instant = fc.integer({ min: -1e12, max: 4_102_444_800_000 });
const nano = fc.bigInt({ min: 0n, max: 10n ** 15n });
const amounts = fc.record({ spent: nano, refunded: nano, held: nano });

describe('bucketStart', () => {
  it('aligns to the start of the UTC minute, hour and day', () => {
    const at = utc('2026-03-01T10:20:30.500Z');
    expect(bucketStart(at, 'minute')).toBe(utc('2026-03-01T10:20:00Z'));
    expect(bucketStart(at, 'hour')).toBe(utc('2026-03-01T10:00:00Z'));
    expect(bucketStart(at, 'day')).toBe(utc('2026-03-01T00:00:00Z'));
  });

  it('holds the instant, is a multiple of the width, and is idempotent', () => {
    fc.assert(
      fc.property(instant, width, (at, w) => {
        const start = bucketStart(at, w);
        expect(start).toBeLessThanOrEqual(at);
        expect(at).toBeLessThan(start + bucketMs(w));
        expect(start % bucketMs(w) === 0).toBe(true);
        expect(bucketStart(start, w)).toBe(start);
      }),
    );
  });
});

describe('windowEnding', () => {
  it('ends with the bucket holding now and spans `count` buckets', () => {
    fc.assert(
      fc.property(instant, width, fc.integer({ min: 1, max: MAX_BUCKETS }), (now, w, count) => {
        const { from, to } = windowEnding(now, w, count);
        expect(to - from).toBe(count * bucketMs(w));
        expect(to - bucketMs(w)).toBe(bucketStart(now, w));
      }),
    );
  });

  it('asks for no more buckets than the gateway answers', () => {
    for (const range of SPEND_RANGES) {
      expect(range.count).toBeLessThanOrEqual(MAX_BUCKETS);
    }
  });
});

describe('seriesFrom', () => {
  it('fills the buckets the answer left out with zeros and ignores buckets outside the window', () => {
    const from = utc('2026-03-01T10:00:00Z');
    const series = seriesFrom('minute', from, 3, [
      { start: utc('2026-03-01T10:01:00Z'), spent: 5n, refunded: 1n, held: 7n },
      { start: utc('2026-03-01T10:03:00Z'), spent: 9n, refunded: 9n, held: 9n },
    ]);
    expect(series.buckets).toEqual([
      { start: from, ...NO_SPEND },
      { start: utc('2026-03-01T10:01:00Z'), spent: 5n, refunded: 1n, held: 7n },
      { start: utc('2026-03-01T10:02:00Z'), ...NO_SPEND },
    ]);
  });
});

describe('slideSeries', () => {
  it('drops the oldest buckets and adds empty ones up to now, keeping the length', () => {
    const from = utc('2026-03-01T10:00:00Z');
    const series = seriesFrom('minute', from, 3, [{ start: utc('2026-03-01T10:02:00Z'), spent: 4n, refunded: 0n, held: 0n }]);
    const slid = slideSeries(series, utc('2026-03-01T10:04:10Z'));
    expect(slid.buckets.map((b) => b.start)).toEqual([
      utc('2026-03-01T10:02:00Z'),
      utc('2026-03-01T10:03:00Z'),
      utc('2026-03-01T10:04:00Z'),
    ]);
    expect(slid.buckets[0]!.spent).toBe(4n);
  });

  it('leaves a window that already holds now as it is', () => {
    const series = seriesFrom('hour', utc('2026-03-01T00:00:00Z'), 24, []);
    expect(slideSeries(series, utc('2026-03-01T23:59:59Z'))).toBe(series);
    expect(slideSeries(series, utc('2026-02-28T12:00:00Z'))).toBe(series);
  });
});

/** A window of buckets and events around it: before it, in it and past its end. */
const scenario = fc
  .record({ w: width, count: fc.integer({ min: 1, max: 40 }), now: instant })
  .chain(({ w, count, now }) => {
    const span = count * bucketMs(w);
    const event = fc.record({ at: fc.integer({ min: now - 2 * span, max: now + 3 * span }), amounts });
    return fc.record({ w: fc.constant(w), count: fc.constant(count), now: fc.constant(now), events: fc.array(event, { maxLength: 30 }) });
  });

describe('addToSeries', () => {
  it('merging events one by one equals bucketing them all at once in the final window', () => {
    fc.assert(
      fc.property(scenario, ({ w, count, now, events }) => {
        const start = windowEnding(now, w, count);
        const merged = events.reduce((series, e) => addToSeries(series, e.at, e.amounts), seriesFrom(w, start.from, count, []));

        const end = Math.max(now, ...events.map((e) => e.at));
        const final = windowEnding(end, w, count);
        const atOnce = seriesFrom(w, final.from, count, events.map((e) => ({ start: e.at, ...e.amounts })));
        expect(merged).toEqual(atOnce);
      }),
    );
  });

  it('conserves the totals of the events inside the window, exactly', () => {
    fc.assert(
      fc.property(scenario, ({ w, count, now, events }) => {
        const { from, to } = windowEnding(now, w, count);
        const inside: TimedSpend[] = events.filter((e) => e.at >= from && e.at < to);
        const series = inside.reduce((s, e) => addToSeries(s, e.at, e.amounts), seriesFrom(w, from, count, []));
        expect(series.buckets.length).toBe(count);
        expect(seriesTotals(series)).toEqual(inside.reduce((sum, e) => addAmounts(sum, e.amounts), NO_SPEND));
      }),
    );
  });

  it('keeps the window contiguous and aligned whatever arrives', () => {
    fc.assert(
      fc.property(scenario, ({ w, count, now, events }) => {
        const start = windowEnding(now, w, count);
        const series = events.reduce((s, e) => addToSeries(s, e.at, e.amounts), seriesFrom(w, start.from, count, []));
        series.buckets.forEach((bucket, i) => {
          expect(bucketStart(bucket.start, w)).toBe(bucket.start);
          expect(bucket.start).toBe(series.buckets[0]!.start + i * bucketMs(w));
        });
      }),
    );
  });
});

describe('addAllToSeries', () => {
  it('equals adding the entries one by one, in any order', () => {
    fc.assert(
      fc.property(scenario, ({ w, count, now, events }) => {
        const start = seriesFrom(w, windowEnding(now, w, count).from, count, []);
        const oneByOne = events.reduce((series, e) => addToSeries(series, e.at, e.amounts), start);
        expect(addAllToSeries(start, events)).toEqual(oneByOne);
        expect(addAllToSeries(start, [...events].reverse())).toEqual(oneByOne);
      }),
    );
  });

  it('equals adding the sums per bucket, so a burst can be kept as one entry per bucket', () => {
    fc.assert(
      fc.property(scenario, ({ w, count, now, events }) => {
        const start = seriesFrom(w, windowEnding(now, w, count).from, count, []);
        const perBucket = new Map<number, SpendAmounts>();
        for (const e of events) {
          const key = bucketStart(e.at, w);
          perBucket.set(key, addAmounts(perBucket.get(key) ?? NO_SPEND, e.amounts));
        }
        const summed = [...perBucket].map(([at, sum]) => ({ at, amounts: sum }));
        expect(addAllToSeries(start, summed)).toEqual(addAllToSeries(start, events));
      }),
    );
  });

  it('returns the same series when nothing lands in it', () => {
    const series = seriesFrom('hour', utc('2026-03-01T00:00:00Z'), 24, []);
    expect(addAllToSeries(series, [])).toBe(series);
    expect(addAllToSeries(series, [{ at: utc('2026-02-27T00:00:00Z'), amounts: { ...NO_SPEND, spent: 1n } }])).toBe(series);
  });
});
