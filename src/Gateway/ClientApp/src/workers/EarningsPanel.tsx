import { useId, useMemo, useState } from 'react';
import type { GstdApi } from '../api/gstdApi';
import { errorMessage } from '../app/errorMessage';
import { useResource } from '../app/useResource';
import { formatTimestamp } from '../format/formatTimestamp';
import { displayMoney } from '../format/money';
import { EARNINGS_RANGES, bucketEarnings, earningsWindow, windowEnd, type EarningsRange } from './earnings';
import { EarningsChart } from './EarningsChart';
import { MAX_LEDGER_LINES, readLedgerLines } from './workersApi';

/**
 * The account's earnings over a chosen period, from its ledger. No event announces a payout to the worker's
 * account, so the period is read when shown and again on Refresh.
 */
export function EarningsPanel({ api }: { api: GstdApi }) {
  const selectId = useId();
  const [range, setRange] = useState<EarningsRange>(EARNINGS_RANGES[0]!);
  const { resource, reload } = useResource(
    async (signal) => {
      const period = earningsWindow(Date.now(), range.bucket, range.count);
      return { period, read: await readLedgerLines(api, period.start, windowEnd(period), signal) };
    },
    [api, range],
  );
  const series = useMemo(
    () => (resource.state === 'ready' ? bucketEarnings(resource.value.read.lines, resource.value.period) : null),
    [resource],
  );

  return (
    <section className="worker-panel" aria-labelledby={`${selectId}-heading`}>
      <h3 id={`${selectId}-heading`}>Earnings</h3>
      <p className="hint">
        Payouts to this account (all its workers): the ledger does not say which worker earned a payout.
      </p>
      <div className="toolbar">
        <label htmlFor={selectId}>Period</label>
        <select
          id={selectId}
          value={range.id}
          onChange={(event) => setRange(EARNINGS_RANGES.find((r) => r.id === event.target.value) ?? range)}
        >
          {EARNINGS_RANGES.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </select>
        <button type="button" className="secondary" onClick={reload} disabled={resource.state === 'loading'}>
          Refresh
        </button>
      </div>

      {resource.state === 'loading' && <p aria-live="polite">Loading earnings…</p>}
      {resource.state === 'failed' && (
        <p role="alert" className="error">
          Could not read the ledger: {errorMessage(resource.error)}
        </p>
      )}
      {resource.state === 'ready' && series !== null && (
        <>
          <p aria-live="polite">
            Earned in this period: <strong>{displayMoney(series.total)}</strong>
          </p>
          {!resource.value.read.complete && (
            <p className="hint">
              The period has more than {MAX_LEDGER_LINES.toLocaleString('en')} ledger lines; only the most recent were read, so the
              earliest bars may be short.
            </p>
          )}
          {series.total === 0n ? (
            <p className="muted">No payouts in this period.</p>
          ) : (
            <>
              <EarningsChart series={series} bucket={range.bucket} label={`Earnings per ${range.bucket}, total ${displayMoney(series.total)}.`} />
              <details className="chart-table">
                <summary>Earnings as a table</summary>
                <div className="table-scroll" role="region" aria-label="Earnings per period" tabIndex={0}>
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{range.bucket === 'hour' ? 'Hour from' : 'Day from'}</th>
                        <th scope="col" className="number">
                          Earned
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {series.starts.map((start, index) =>
                        series.totals[index] === 0n ? null : (
                          <tr key={start}>
                            <td>{formatTimestamp(new Date(start).toISOString())}</td>
                            <td className="number">{displayMoney(series.totals[index]!)}</td>
                          </tr>
                        ),
                      )}
                    </tbody>
                  </table>
                </div>
              </details>
            </>
          )}
        </>
      )}
    </section>
  );
}
