import type { BucketWidth } from './spendSeries';

export type SpendRangeId = 'hour' | 'day' | 'month';

/** A choice of the spend chart: the last `count` buckets of a width, the current one included. */
export interface SpendRange {
  id: SpendRangeId;
  /** The range selector's label. */
  label: string;
  /** The range in a sentence ("in the last hour"). */
  phrase: string;
  width: BucketWidth;
  count: number;
}

export const SPEND_RANGES: readonly SpendRange[] = [
  { id: 'hour', label: 'Last hour', phrase: 'in the last hour, by minute', width: 'minute', count: 60 },
  { id: 'day', label: 'Last 24 hours', phrase: 'in the last 24 hours, by hour', width: 'hour', count: 24 },
  { id: 'month', label: 'Last 30 days', phrase: 'in the last 30 days, by day', width: 'day', count: 30 },
];

export const DEFAULT_SPEND_RANGE: SpendRange = SPEND_RANGES[1]!;
