import { ApiError } from '../api/apiError';
import type { GstdApi } from '../api/gstdApi';
import type { TrustChange, Worker } from '../api/types';
import { errorMessage } from '../app/errorMessage';
import { useResource } from '../app/useResource';
import { formatTimestamp } from '../format/formatTimestamp';

const SHOWN_TRUST_CHANGES = 10;

interface WorkerHistoryProps {
  api: GstdApi;
  workerId: string;
  /** Changes when the dispute does, since a decision can change the worker's trust. */
  refreshKey: string;
}

/**
 * The worker's standing: trust and its recent changes. The worker view grows over time, so every field past
 * the basics is treated as optional and of unknown type.
 */
export function WorkerHistory({ api, workerId, refreshKey }: WorkerHistoryProps) {
  const { resource } = useResource((signal) => api.getWorker(workerId, signal), [api, workerId, refreshKey]);

  return (
    <section aria-labelledby="worker-heading">
      <h2 id="worker-heading">Worker</h2>
      {resource.state === 'loading' && <p aria-live="polite">Loading worker…</p>}
      {resource.state === 'failed' && (
        <p className="error">
          {resource.error instanceof ApiError && resource.error.status === 404 ? 'worker not found' : errorMessage(resource.error)}
        </p>
      )}
      {resource.state === 'ready' && <WorkerFacts worker={resource.value} />}
    </section>
  );
}

function WorkerFacts({ worker }: { worker: Worker }) {
  const counters = isRecord(worker.counters) ? worker.counters : null;
  const history = Array.isArray(worker.trustHistory) ? worker.trustHistory.filter(isRecord) : [];
  return (
    <>
      <dl className="facts">
        <dt>Name</dt>
        <dd data-testid="worker-name">{text(worker.name)}</dd>
        <dt>Id</dt>
        <dd className="mono">{text(worker.id)}</dd>
        <dt>Trust</dt>
        <dd data-testid="worker-trust">{text(worker.trust)}</dd>
        <dt>Status</dt>
        <dd>
          {text(worker.status)}
          {typeof worker.online === 'boolean' && (worker.online ? ', online' : ', offline')}
        </dd>
        {counters !== null && (
          <>
            <dt>Results</dt>
            <dd>
              {text(counters.completed)} verified, {text(counters.settled)} settled
            </dd>
          </>
        )}
        {typeof worker.earned === 'string' && (
          <>
            <dt>Earned</dt>
            <dd>{worker.earned} GSTD</dd>
          </>
        )}
      </dl>
      {history.length > 0 && (
        <>
          <h3>Recent trust changes</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">Task</th>
                <th scope="col">Trust after</th>
              </tr>
            </thead>
            <tbody>
              {newestFirst(history)
                .slice(0, SHOWN_TRUST_CHANGES)
                .map((change, index) => (
                  <tr key={index}>
                    <td>{typeof change.at === 'string' ? formatTimestamp(change.at) : '—'}</td>
                    <td>{text(change.event)}</td>
                    <td className="mono">{text(change.taskId)}</td>
                    <td className="number">{text(change.trust)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}

function newestFirst(changes: TrustChange[]): TrustChange[] {
  const time = (change: TrustChange) => (typeof change.at === 'string' ? Date.parse(change.at) || 0 : 0);
  return [...changes].sort((a, b) => time(b) - time(a));
}

// React refuses to render objects, so anything unexpected is shown as a dash instead of breaking the page.
function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '—';
}

function isRecord<T>(value: T): value is T & object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
