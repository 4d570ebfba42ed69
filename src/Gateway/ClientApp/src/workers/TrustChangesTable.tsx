import { formatTimestamp } from '../format/formatTimestamp';
import { formatTrust } from './workerFormat';
import type { AccountTrustChange } from './workerTypes';

/** The trust changes behind the chart, newest first, as text. */
export function TrustChangesTable({ changes }: { changes: readonly AccountTrustChange[] }) {
  return (
    <details className="chart-table">
      <summary>Trust changes as a table ({changes.length})</summary>
      <div className="table-scroll" role="region" aria-label="Trust changes" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Event</th>
              <th scope="col">Caused by</th>
              <th scope="col">Task</th>
              <th scope="col" className="number">
                Trust after
              </th>
            </tr>
          </thead>
          <tbody>
            {changes.map((change, index) => (
              <tr key={index}>
                <td>{formatTimestamp(typeof change.at === 'string' ? change.at : null)}</td>
                <td>{change.event ?? '—'}</td>
                <td className="mono">{change.workerId ?? '—'}</td>
                <td className="mono">{change.taskId ?? '—'}</td>
                <td className="number">{formatTrust(change.trust)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
