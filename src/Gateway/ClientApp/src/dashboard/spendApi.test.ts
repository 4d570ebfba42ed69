import { describe, expect, it } from 'vitest';
import type { ApiRequest, GstdApi } from '../api/gstdApi';
import { getSpend, readSpendBuckets } from './spendApi';

describe('getSpend', () => {
  it('asks for the UTC range and bucket and reads the money exactly', async () => {
    const calls: string[] = [];
    const api = {
      request: <T,>(path: string, _request?: ApiRequest): Promise<T> => {
        calls.push(path);
        return Promise.resolve([{ start: '2026-03-01T10:00:00+00:00', spent: '0.3', refunded: '0', held: '1.000000001' }] as T);
      },
    } as GstdApi;

    const buckets = await getSpend(api, { from: Date.parse('2026-03-01T10:00:00Z'), to: Date.parse('2026-03-01T11:00:00Z'), bucket: 'minute' });

    expect(calls).toEqual(['/api/analytics/spend?from=2026-03-01T10%3A00%3A00.000Z&to=2026-03-01T11%3A00%3A00.000Z&bucket=minute']);
    expect(buckets).toEqual([{ start: Date.parse('2026-03-01T10:00:00Z'), spent: 300_000_000n, refunded: 0n, held: 1_000_000_001n }]);
  });
});

describe('readSpendBuckets', () => {
  it('refuses an answer of another shape', () => {
    expect(() => readSpendBuckets({ items: [] })).toThrow();
    expect(() => readSpendBuckets([null])).toThrow();
    expect(() => readSpendBuckets([{ start: 'later', spent: '0', refunded: '0', held: '0' }])).toThrow();
    expect(() => readSpendBuckets([{ start: '2026-03-01T10:00:00Z', spent: 0, refunded: '0', held: '0' }])).toThrow();
  });
});
