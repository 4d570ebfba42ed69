import { useCallback, useEffect, useRef, useState } from 'react';
import type { GstdApi } from '../api/gstdApi';
import { useTopic } from '../live/LiveProvider';
import { readBalance, readBalanceChange, spendOfChange } from './balanceChange';
import { getSpend } from './spendApi';
import type { SpendRange } from './spendRanges';
import {
  addAllToSeries,
  addAmounts,
  bucketMs,
  bucketStart,
  NO_SPEND,
  seriesFrom,
  slideSeries,
  windowEnding,
  type SpendAmounts,
  type SpendSeries,
} from './spendSeries';
import { useFrameTask } from './useFrameTask';
import type { ReadAccount } from './useLiveBalance';

export interface LiveSpend {
  /** The range's buckets; null until the first read of the range. */
  series: SpendSeries | null;
  loading: boolean;
  error: unknown;
  reload: () => void;
}

/**
 * The spend of a range: read over HTTP, then kept current from the account's balance.changed events (merged into
 * the series once a frame, so a burst redraws the chart once), with a new empty bucket at each bucket boundary.
 * A resync reads it again.
 */
export function useLiveSpend(api: GstdApi, range: SpendRange, readAccount: ReadAccount): LiveSpend {
  const [series, setSeries] = useState<SpendSeries | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  // The escrow just before the next event, to tell how much of an escrow decrease was spent.
  const lastEscrow = useRef<bigint | null>(null);
  const reading = useRef(false);
  const escrowSeenWhileReading = useRef<bigint | null>(null);
  const shownRange = useRef<SpendRange | null>(null);
  // Spend heard and not merged yet, summed per bucket start (bounded even while a hidden tab draws no frames).
  const unmerged = useRef(new Map<number, SpendAmounts>());
  const mergeHeard = useFrameTask(() => {
    const entries = [...unmerged.current].map(([at, amounts]) => ({ at, amounts }));
    unmerged.current = new Map();
    setSeries((current) => (current === null ? current : addAllToSeries(current, entries)));
  });

  useEffect(() => {
    const controller = new AbortController();
    // Spend heard before this read goes into the series shown now; the answer replaces it.
    mergeHeard.flush();
    if (shownRange.current !== range) {
      // Another range's buckets would be drawn as this one's; a resync keeps showing the old ones meanwhile.
      setSeries(null);
      shownRange.current = range;
    }
    setLoading(true);
    setError(null);
    reading.current = true;
    escrowSeenWhileReading.current = null;
    const { from, to } = windowEnding(Date.now(), range.width, range.count);
    Promise.all([getSpend(api, { from, to, bucket: range.width }, controller.signal), readAccount(controller.signal)]).then(
      ([buckets, account]) => {
        if (controller.signal.aborted) {
          return;
        }
        // Events that came during the read are taken as part of it (the answer is at least that recent); their
        // escrow wins over the account's, which may have been read before them.
        lastEscrow.current = escrowSeenWhileReading.current ?? readBalance(account.balance)?.escrow ?? null;
        reading.current = false;
        setSeries(slideSeries(seriesFrom(range.width, from, range.count, buckets), Date.now()));
        setLoading(false);
      },
      (failure: unknown) => {
        if (!controller.signal.aborted) {
          reading.current = false;
          // The stale series goes on from the latest escrow known, so the escrow skipped meanwhile is not spent.
          lastEscrow.current = escrowSeenWhileReading.current ?? lastEscrow.current;
          setError(failure);
          setLoading(false);
        }
      },
    );
    return () => controller.abort();
  }, [api, range, generation, readAccount, mergeHeard]);

  useTopic(
    'account',
    (event) => {
      const change = readBalanceChange(event, Date.now());
      if (change === null) {
        return;
      }
      if (reading.current) {
        escrowSeenWhileReading.current = change.escrow;
        return;
      }
      const amounts = spendOfChange(lastEscrow.current, change);
      lastEscrow.current = change.escrow;
      const start = bucketStart(change.at, range.width);
      unmerged.current.set(start, addAmounts(unmerged.current.get(start) ?? NO_SPEND, amounts));
      mergeHeard.schedule();
    },
    reload,
  );

  // The window slides as time passes, with or without events: a timer to each bucket boundary (no network).
  const hasSeries = series !== null;
  useEffect(() => {
    if (!hasSeries) {
      return;
    }
    let timer = 0;
    const armForNextBucket = () => {
      const now = Date.now();
      // A little past the boundary, so the new bucket is the one holding the time the timer fires at.
      const wait = bucketStart(now, range.width) + bucketMs(range.width) - now + 50;
      timer = window.setTimeout(() => {
        setSeries((current) => (current === null ? current : slideSeries(current, Date.now())));
        armForNextBucket();
      }, wait);
    };
    armForNextBucket();
    return () => window.clearTimeout(timer);
  }, [hasSeries, range.width]);

  return { series, loading, error, reload };
}
