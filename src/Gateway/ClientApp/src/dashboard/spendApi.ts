import type { GstdApi } from '../api/gstdApi';
import { parseMoney } from '../format/money';
import type { BucketWidth, SpendBucket } from './spendSeries';

export interface SpendQuery {
  /** ms since the epoch, inclusive. */
  from: number;
  /** ms since the epoch, exclusive. */
  to: number;
  bucket: BucketWidth;
}

/** GET /api/analytics/spend: the client's held, spent and refunded money per UTC bucket of [from, to). */
export async function getSpend(api: GstdApi, query: SpendQuery, signal?: AbortSignal): Promise<SpendBucket[]> {
  const params = new URLSearchParams({
    from: new Date(query.from).toISOString(),
    to: new Date(query.to).toISOString(),
    bucket: query.bucket,
  });
  const body = await api.request<unknown>(`/api/analytics/spend?${params.toString()}`, signal === undefined ? {} : { signal });
  return readSpendBuckets(body);
}

/** The buckets of the endpoint's bare array; throws on an answer of another shape. */
export function readSpendBuckets(body: unknown): SpendBucket[] {
  if (!Array.isArray(body)) {
    throw new Error('The spend analytics answer is not a list of buckets.');
  }
  return body.map((item: unknown) => {
    if (typeof item !== 'object' || item === null) {
      throw new Error('The spend analytics answer holds something that is not a bucket.');
    }
    const { start, spent, refunded, held } = item as Record<string, unknown>;
    const at = typeof start === 'string' ? Date.parse(start) : Number.NaN;
    if (Number.isNaN(at) || typeof spent !== 'string' || typeof refunded !== 'string' || typeof held !== 'string') {
      throw new Error('The spend analytics answer holds a bucket without a start time or amounts.');
    }
    return { start: at, spent: parseMoney(spent), refunded: parseMoney(refunded), held: parseMoney(held) };
  });
}
