import type { TrustChange } from '../api/types';

/** Trust over time for a chart: x in epoch seconds (ascending, as uPlot wants), y the trust after each change. */
export interface TrustSeries {
  times: number[];
  values: number[];
}

/**
 * The trust history as a step line: each readable change oldest first, then the current trust at `now` (epoch
 * ms) so the last step reaches the present. Entries without a time or a numeric trust are left out.
 */
export function trustSeries(history: readonly TrustChange[], current: number, now: number): TrustSeries {
  const points = history
    .flatMap((change) => {
      const at = typeof change.at === 'string' ? Date.parse(change.at) : Number.NaN;
      return Number.isNaN(at) || !isTrust(change.trust) ? [] : [{ at, trust: change.trust }];
    })
    .sort((a, b) => a.at - b.at);
  const times = points.map((point) => point.at / 1000);
  const values = points.map((point) => point.trust);
  if (isTrust(current)) {
    // A change stamped after the browser's clock (skew) must not put the present before it.
    times.push(Math.max(now / 1000, times.at(-1) ?? Number.NEGATIVE_INFINITY));
    values.push(current);
  }
  return { times, values };
}

function isTrust(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
