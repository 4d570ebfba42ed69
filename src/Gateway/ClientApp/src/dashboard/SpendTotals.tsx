import { displayMoney } from '../format/money';
import { formatTimestamp } from '../format/formatTimestamp';
import { isEmptySpend, seriesTotals, type SpendSeries } from './spendSeries';

interface SpendTotalsProps {
  series: SpendSeries;
  /** The range in a sentence ("in the last hour, by minute"). */
  phrase: string;
}

/** The chart's numbers exactly: the totals of the range, and on request each bucket that has some. */
export function SpendTotals({ series, phrase }: SpendTotalsProps) {
  const totals = seriesTotals(series);
  const active = series.buckets.filter((bucket) => !isEmptySpend(bucket)).reverse();
  return (
    <>
      <table className="spend-totals">
        <caption>Totals {phrase}</caption>
        <thead>
          <tr>
            <th scope="col" className="number">Spent</th>
            <th scope="col" className="number">Refunded</th>
            <th scope="col" className="number">Held</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td className="number" data-testid="spend-total-spent">{displayMoney(totals.spent)}</td>
            <td className="number" data-testid="spend-total-refunded">{displayMoney(totals.refunded)}</td>
            <td className="number" data-testid="spend-total-held">{displayMoney(totals.held)}</td>
          </tr>
        </tbody>
      </table>
      {active.length > 0 && (
        <details className="spend-buckets">
          <summary>Each {series.width} with money moving ({active.length})</summary>
          <div className="spend-buckets-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">From</th>
                  <th scope="col" className="number">Spent</th>
                  <th scope="col" className="number">Refunded</th>
                  <th scope="col" className="number">Held</th>
                </tr>
              </thead>
              <tbody>
                {active.map((bucket) => (
                  <tr key={bucket.start}>
                    <th scope="row">{formatTimestamp(new Date(bucket.start).toISOString())}</th>
                    <td className="number">{displayMoney(bucket.spent)}</td>
                    <td className="number">{displayMoney(bucket.refunded)}</td>
                    <td className="number">{displayMoney(bucket.held)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </>
  );
}
