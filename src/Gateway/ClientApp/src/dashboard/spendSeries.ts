// The spend chart's buckets: a fixed-length, contiguous run of UTC buckets, oldest first, with exact nano amounts.

export type BucketWidth = 'minute' | 'hour' | 'day';

/** The most buckets the gateway answers in one request (a day of minutes). */
export const MAX_BUCKETS = 1440;

const BUCKET_MS: Record<BucketWidth, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export interface SpendAmounts {
  spent: bigint;
  refunded: bigint;
  held: bigint;
}

export interface SpendBucket extends SpendAmounts {
  /** The bucket's first instant, in ms since the epoch; a multiple of its width. */
  start: number;
}

export interface SpendSeries {
  width: BucketWidth;
  /** Contiguous and ascending; the length stays the same as the window slides. */
  buckets: readonly SpendBucket[];
}

export const NO_SPEND: SpendAmounts = { spent: 0n, refunded: 0n, held: 0n };

export function bucketMs(width: BucketWidth): number {
  return BUCKET_MS[width];
}

/**
 * The start of the UTC bucket holding `ms`. Epoch milliseconds have no leap seconds and UTC has no daylight
 * saving, so every minute, hour and day bucket is a multiple of its length from the epoch.
 */
export function bucketStart(ms: number, width: BucketWidth): number {
  const length = BUCKET_MS[width];
  return ms - (((ms % length) + length) % length);
}

/** The `count` buckets ending with the one holding `now`: [from, to) for the request. */
export function windowEnding(now: number, width: BucketWidth, count: number): { from: number; to: number } {
  const to = bucketStart(now, width) + BUCKET_MS[width];
  return { from: to - count * BUCKET_MS[width], to };
}

export function addAmounts(a: SpendAmounts, b: SpendAmounts): SpendAmounts {
  return { spent: a.spent + b.spent, refunded: a.refunded + b.refunded, held: a.held + b.held };
}

/** `count` buckets from `from`, holding what `known` says (the server may leave out empty buckets) and zeros elsewhere. */
export function seriesFrom(width: BucketWidth, from: number, count: number, known: readonly SpendBucket[]): SpendSeries {
  const first = bucketStart(from, width);
  const length = BUCKET_MS[width];
  const buckets: SpendBucket[] = Array.from({ length: count }, (_, i) => ({ start: first + i * length, ...NO_SPEND }));
  for (const bucket of known) {
    const index = (bucketStart(bucket.start, width) - first) / length;
    const target = buckets[index];
    if (target !== undefined) {
      buckets[index] = { ...addAmounts(target, bucket), start: target.start };
    }
  }
  return { width, buckets };
}

/**
 * Moves the window forward so its last bucket is the one holding `now`: the oldest buckets drop off and empty
 * ones are added. A window already there (or ahead, after a clock step back) is returned as it is.
 */
export function slideSeries(series: SpendSeries, now: number): SpendSeries {
  const last = series.buckets[series.buckets.length - 1];
  const target = bucketStart(now, series.width);
  if (last === undefined || target <= last.start) {
    return series;
  }
  const count = series.buckets.length;
  const from = target - (count - 1) * BUCKET_MS[series.width];
  return seriesFrom(series.width, from, count, series.buckets);
}

/**
 * Adds amounts to the bucket holding `at`, sliding the window first when `at` is past its last bucket; amounts
 * older than the window are outside the chart and are left out.
 */
export function addToSeries(series: SpendSeries, at: number, amounts: SpendAmounts): SpendSeries {
  const slid = slideSeries(series, at);
  const first = slid.buckets[0];
  if (first === undefined) {
    return slid;
  }
  const index = (bucketStart(at, slid.width) - first.start) / BUCKET_MS[slid.width];
  const target = slid.buckets[index];
  if (target === undefined) {
    return slid;
  }
  const buckets = slid.buckets.slice();
  buckets[index] = { ...addAmounts(target, amounts), start: target.start };
  return { width: slid.width, buckets };
}

/** Amounts that happened at a time, in ms since the epoch. */
export interface TimedSpend {
  at: number;
  amounts: SpendAmounts;
}

/**
 * The series `addToSeries` gives after adding each entry in turn, with one slide and one copy of the buckets for all
 * of them. The order does not matter: the window ends at the latest time either way, and an entry counts when its
 * bucket is still inside that final window.
 */
export function addAllToSeries(series: SpendSeries, entries: readonly TimedSpend[]): SpendSeries {
  if (entries.length === 0) {
    return series;
  }
  const slid = slideSeries(series, entries.reduce((latest, entry) => Math.max(latest, entry.at), -Infinity));
  const first = slid.buckets[0];
  if (first === undefined) {
    return slid;
  }
  let buckets: SpendBucket[] | null = null;
  for (const { at, amounts } of entries) {
    const index = (bucketStart(at, slid.width) - first.start) / BUCKET_MS[slid.width];
    const target = (buckets ?? slid.buckets)[index];
    if (target !== undefined) {
      buckets ??= slid.buckets.slice();
      buckets[index] = { ...addAmounts(target, amounts), start: target.start };
    }
  }
  return buckets === null ? slid : { width: slid.width, buckets };
}

export function seriesTotals(series: SpendSeries): SpendAmounts {
  return series.buckets.reduce<SpendAmounts>((sum, bucket) => addAmounts(sum, bucket), NO_SPEND);
}

export function isEmptySpend(amounts: SpendAmounts): boolean {
  return amounts.spent === 0n && amounts.refunded === 0n && amounts.held === 0n;
}
