import { useState } from 'react';
import type { GstdApi } from '../api/gstdApi';
import { errorMessage } from '../app/errorMessage';
import { displayMoney } from '../format/money';
import { SpendPlot } from './SpendPlot';
import { DEFAULT_SPEND_RANGE, SPEND_RANGES, type SpendRange } from './spendRanges';
import { isEmptySpend, seriesTotals } from './spendSeries';
import { SpendTotals } from './SpendTotals';
import type { ReadAccount } from './useLiveBalance';
import { useLiveSpend } from './useLiveSpend';
import './dashboard.css';

interface SpendChartProps {
  api: GstdApi;
  /** The account read shared with the balance: the chart needs the escrow at the time of its spend read. */
  readAccount: ReadAccount;
}

/** The client's spending over a chosen range, live: a chart of spent, refunded and held money, and its totals. */
export function SpendChart({ api, readAccount }: SpendChartProps) {
  const [range, setRange] = useState<SpendRange>(DEFAULT_SPEND_RANGE);
  const { series, loading, error, reload } = useLiveSpend(api, range, readAccount);
  const totals = series === null ? null : seriesTotals(series);

  return (
    <div className="spend-chart" aria-busy={loading}>
      <fieldset className="spend-ranges">
        <legend>Range</legend>
        {SPEND_RANGES.map((choice) => (
          <label key={choice.id} className="spend-range">
            <input
              type="radio"
              name="spend-range"
              value={choice.id}
              checked={choice.id === range.id}
              onChange={() => setRange(choice)}
            />
            {choice.label}
          </label>
        ))}
      </fieldset>
      {error !== null && (
        <div role="alert" className="spend-error">
          <p className="error">Could not read your spending: {errorMessage(error)}</p>
          <button type="button" onClick={reload}>
            Try again
          </button>
        </div>
      )}
      {series === null || totals === null ? (
        loading && <p className="spend-placeholder muted">Loading your spending…</p>
      ) : (
        <>
          <p className="spend-status muted" role="status">
            {loading ? 'Updating…' : isEmptySpend(totals) ? `No money was held, spent or refunded ${range.phrase}. New tasks show here as they run.` : ''}
          </p>
          <SpendPlot
            series={series}
            label={`Chart of spending ${range.phrase}, in UTC: ${displayMoney(totals.spent)} spent, ${displayMoney(totals.refunded)} refunded, ${displayMoney(totals.held)} held. The table below has the numbers.`}
          />
          <SpendTotals series={series} phrase={range.phrase} />
        </>
      )}
    </div>
  );
}
