import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BUCKET_MS,
  PAYOUT_KINDS,
  bucketEarnings,
  earningsWindow,
  isEarning,
  parseLedgerLine,
  windowEnd,
  type EarningsBucket,
  type JournalLine,
} from './earnings';

const hour = BUCKET_MS.hour;
const start = Date.parse('2026-03-01T00:00:00Z');

const line = (at: string, amount: bigint, kind = 'release'): JournalLine => ({ at: Date.parse(at), amount, kind });

describe('parseLedgerLine', () => {
  it('reads the time and the signed amount exactly', () => {
    expect(parseLedgerLine({ at: '2026-03-01T10:00:00Z', amount: '-0.000000001', kind: 'hold', taskId: 't', transferKey: 'k' })).toEqual({
      at: Date.parse('2026-03-01T10:00:00Z'),
      amount: -1n,
      kind: 'hold',
    });
  });

  it('refuses an unreadable time or amount', () => {
    expect(() => parseLedgerLine({ at: 'soon', amount: '1', kind: 'release', taskId: null, transferKey: 'k' })).toThrow();
    expect(() => parseLedgerLine({ at: '2026-03-01T10:00:00Z', amount: '1e3', kind: 'release', taskId: null, transferKey: 'k' })).toThrow();
  });
});

describe('isEarning', () => {
  it('counts positive payouts only', () => {
    expect(isEarning(line('2026-03-01T00:00:00Z', 5n, 'release'))).toBe(true);
    expect(isEarning(line('2026-03-01T00:00:00Z', 5n, 'decision'))).toBe(true);
    expect(isEarning(line('2026-03-01T00:00:00Z', 5n, 'deposit'))).toBe(false);
    expect(isEarning(line('2026-03-01T00:00:00Z', 5n, 'refund'))).toBe(false);
    expect(isEarning(line('2026-03-01T00:00:00Z', -5n, 'release'))).toBe(false);
    expect(isEarning(line('2026-03-01T00:00:00Z', 0n, 'release'))).toBe(false);
  });
});

describe('earningsWindow', () => {
  it('ends with the bucket holding now, aligned to UTC', () => {
    const window = earningsWindow(Date.parse('2026-03-02T10:30:00Z'), 'hour', 24);
    expect(new Date(window.start).toISOString()).toBe('2026-03-01T11:00:00.000Z');
    expect(new Date(windowEnd(window)).toISOString()).toBe('2026-03-02T11:00:00.000Z');

    const days = earningsWindow(Date.parse('2026-03-02T10:30:00Z'), 'day', 7);
    expect(new Date(days.start).toISOString()).toBe('2026-02-24T00:00:00.000Z');
  });
});

describe('bucketEarnings', () => {
  it('puts each earning in the bucket that holds its time and keeps empty buckets', () => {
    const series = bucketEarnings(
      [
        line('2026-03-01T00:00:00Z', 1n),
        line('2026-03-01T00:59:59.999Z', 2n, 'decision'),
        line('2026-03-01T02:00:00Z', 4n),
        line('2026-03-01T02:10:00Z', -8n, 'hold'),
        line('2026-03-01T03:00:00Z', 16n),
      ],
      { start, bucket: 'hour', count: 3 },
    );

    expect(series.starts).toEqual([start, start + hour, start + 2 * hour]);
    expect(series.totals).toEqual([3n, 0n, 4n]);
    expect(series.total).toBe(7n);
  });

  it('adds amounts beyond float precision exactly', () => {
    const big = 9_007_199_254_740_993n;
    const series = bucketEarnings([line('2026-03-01T00:00:00Z', big), line('2026-03-01T00:01:00Z', 1n)], { start, bucket: 'hour', count: 1 });
    expect(series.totals).toEqual([big + 1n]);
  });

  it('bucket totals sum to the positive payout lines of the window, each in its own bucket, for any lines', () => {
    const bucketArbitrary = fc.constantFrom<EarningsBucket>('hour', 'day');
    // Offsets are fractions of the window, reaching past both ends so lines outside it are drawn too.
    const drawnLine = fc.record({
      offset: fc.double({ min: -0.5, max: 1.5, noNaN: true }),
      amount: fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
      kind: fc.constantFrom('release', 'decision', 'deposit', 'hold', 'refund'),
    });
    fc.assert(
      fc.property(bucketArbitrary, fc.integer({ min: 1, max: 48 }), fc.array(drawnLine), (bucket, count, drawn) => {
        const window = { start, bucket, count };
        const span = count * BUCKET_MS[bucket];
        const lines = drawn.map((d) => ({ at: start + Math.floor(d.offset * span), amount: d.amount, kind: d.kind }));
        const series = bucketEarnings(lines, window);

        const inWindow = lines.filter((l) => l.at >= start && l.at < start + span);
        const expected = inWindow.filter((l) => l.amount > 0n && PAYOUT_KINDS.has(l.kind)).reduce((sum, l) => sum + l.amount, 0n);
        expect(series.totals).toHaveLength(count);
        expect(series.totals.reduce((sum, t) => sum + t, 0n)).toBe(expected);
        expect(series.total).toBe(expected);
        series.totals.forEach((total, index) => {
          const from = start + index * BUCKET_MS[bucket];
          const own = inWindow.filter((l) => l.at >= from && l.at < from + BUCKET_MS[bucket] && l.amount > 0n && PAYOUT_KINDS.has(l.kind));
          expect(total).toBe(own.reduce((sum, l) => sum + l.amount, 0n));
        });
      }),
    );
  });
});
