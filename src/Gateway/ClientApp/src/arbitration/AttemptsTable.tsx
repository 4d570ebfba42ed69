import type { Attempt } from '../api/types';
import { formatTimestamp } from '../format/formatTimestamp';

/** Every attempt at the task: who ran it, under which lease, and how it ended. */
export function AttemptsTable({ attempts }: { attempts: Attempt[] }) {
  return (
    <section aria-labelledby="attempts-heading">
      <h2 id="attempts-heading">Attempts</h2>
      {attempts.length === 0 ? (
        <p className="muted">No attempts were recorded.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Worker</th>
              <th scope="col">Cell</th>
              <th scope="col">Lease</th>
              <th scope="col">Started</th>
              <th scope="col">Ended</th>
              <th scope="col">Outcome</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {attempts.map((attempt) => (
              <tr key={`${attempt.number}-${attempt.lease}`}>
                <td className="number">{attempt.number}</td>
                <td className="mono">{attempt.workerId}</td>
                <td>{attempt.workerCell === null ? '—' : `${attempt.workerCell.lat}°, ${attempt.workerCell.lon}°`}</td>
                <td className="number">{attempt.lease}</td>
                <td>{formatTimestamp(attempt.startedAt)}</td>
                <td>{formatTimestamp(attempt.endedAt)}</td>
                <td>{attempt.outcome ?? '—'}</td>
                <td>{attempt.error === null ? '—' : <span title={attempt.error.message}>{attempt.error.code}: {attempt.error.message}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
