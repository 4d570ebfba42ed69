import { parseMoney } from '../format/money';
import type { LedgerLine } from './workerTypes';

/**
 * Transfer kinds that pay workers (Grains/Ledger/LedgerStore.cs): `release` at settlement and a dispute's
 * `decision`. The others (`deposit`, `hold`, `refund`) move a client's own money.
 */
export const PAYOUT_KINDS: ReadonlySet<string> = new Set(['release', 'decision']);

export type EarningsBucket = 'hour' | 'day';

export const BUCKET_MS: Readonly<Record<EarningsBucket, number>> = { hour: 3_600_000, day: 86_400_000 };

/** A journal line ready for arithmetic: its time in epoch ms and its signed amount in nano-GSTD. */
export interface JournalLine {
  at: number;
  amount: bigint;
  kind: string;
}

/** `count` consecutive UTC buckets from `start` (epoch ms, aligned to the bucket). */
export interface EarningsWindow {
  start: number;
  bucket: EarningsBucket;
  count: number;
}

export interface EarningsSeries {
  /** Each bucket's start, epoch ms. */
  starts: number[];
  /** Each bucket's earnings in nano-GSTD. */
  totals: bigint[];
  total: bigint;
}

export interface EarningsRange {
  id: string;
  label: string;
  bucket: EarningsBucket;
  count: number;
}

export const EARNINGS_RANGES: readonly EarningsRange[] = [
  { id: '24h', label: 'Last 24 hours, by hour', bucket: 'hour', count: 24 },
  { id: '7d', label: 'Last 7 days, by day', bucket: 'day', count: 7 },
  { id: '30d', label: 'Last 30 days, by day', bucket: 'day', count: 30 },
];

/** Reads a gateway line; throws when its time or amount cannot be read, so a broken answer is an error, not a wrong chart. */
export function parseLedgerLine(line: LedgerLine): JournalLine {
  const at = Date.parse(line.at);
  if (Number.isNaN(at)) {
    throw new Error(`The ledger line time "${line.at}" is not a timestamp.`);
  }
  return { at, amount: parseMoney(line.amount), kind: line.kind };
}

/** Money that came in as pay for work: a positive line of a payout kind. */
export function isEarning(line: JournalLine): boolean {
  return line.amount > 0n && PAYOUT_KINDS.has(line.kind);
}

/** The last `count` buckets, the last one holding `now`. */
export function earningsWindow(now: number, bucket: EarningsBucket, count: number): EarningsWindow {
  const size = BUCKET_MS[bucket];
  const end = Math.floor(now / size) * size + size;
  return { start: end - count * size, bucket, count };
}

/** Where the window ends (exclusive), epoch ms. */
export function windowEnd(window: EarningsWindow): number {
  return window.start + window.count * BUCKET_MS[window.bucket];
}

/** Earnings per bucket, every bucket of the window present (zero when nothing came in); lines outside it are ignored. */
export function bucketEarnings(lines: readonly JournalLine[], window: EarningsWindow): EarningsSeries {
  const size = BUCKET_MS[window.bucket];
  const starts = Array.from({ length: window.count }, (_, index) => window.start + index * size);
  const totals = starts.map(() => 0n);
  let total = 0n;
  for (const line of lines) {
    const index = Math.floor((line.at - window.start) / size);
    if (!isEarning(line) || index < 0 || index >= window.count) {
      continue;
    }
    totals[index] = totals[index]! + line.amount;
    total += line.amount;
  }
  return { starts, totals, total };
}
