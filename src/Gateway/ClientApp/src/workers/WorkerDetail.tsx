import { useEffect, useRef } from 'react';
import type { GstdApi } from '../api/gstdApi';
import { formatTimestamp } from '../format/formatTimestamp';
import { ConnectionBadge } from './ConnectionBadge';
import { EarningsPanel } from './EarningsPanel';
import { TrustChangesTable } from './TrustChangesTable';
import { TrustChart } from './TrustChart';
import { formatEarned, formatTrust } from './workerFormat';
import type { OperatorWorker } from './workerTypes';

interface WorkerDetailProps {
  api: GstdApi;
  worker: OperatorWorker;
  /** True when the user chose this worker in the list (not when the page opened on it). */
  chosen: boolean;
}

/** One worker: its registration and activity, the account's trust over time and its earnings. */
export function WorkerDetail({ api, worker, chosen }: WorkerDetailProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  // A worker chosen in the list takes keyboard and screen reader users to what they chose (below the list).
  useEffect(() => {
    if (chosen) {
      heading.current?.focus();
    }
  }, [worker.id, chosen]);
  const history = Array.isArray(worker.trustHistory) ? worker.trustHistory : [];

  return (
    <section className="worker-detail" aria-labelledby="worker-detail-heading">
      <h2 id="worker-detail-heading" ref={heading} tabIndex={-1}>
        {worker.name}
      </h2>
      <WorkerFacts worker={worker} />
      <div className="worker-charts">
        <section className="worker-panel" aria-labelledby="worker-trust-heading">
          <h3 id="worker-trust-heading">Trust over time</h3>
          <p className="hint">Trust belongs to the account, so all its workers share it; these are its recent changes.</p>
          <TrustChart history={history} trust={worker.trust} />
          {history.length > 0 ? <TrustChangesTable changes={history} /> : <p className="muted">No trust changes yet.</p>}
        </section>
        <EarningsPanel api={api} />
      </div>
    </section>
  );
}

function WorkerFacts({ worker }: { worker: OperatorWorker }) {
  return (
    <dl className="facts">
      <dt>Id</dt>
      <dd className="mono">{worker.id}</dd>
      <dt>Connection</dt>
      <dd aria-live="polite">
        <ConnectionBadge online={worker.online} />
      </dd>
      <dt>Status</dt>
      <dd>{worker.status}</dd>
      <dt>Trust</dt>
      <dd>{formatTrust(worker.trust)}</dd>
      <dt>Active leases</dt>
      <dd>
        {typeof worker.activeLeases === 'number' ? worker.activeLeases : '—'}
        {typeof worker.capacity === 'number' && ` of ${worker.capacity} slots`}
      </dd>
      <dt>Results</dt>
      <dd>
        {worker.counters ? `${worker.counters.completed ?? '—'} verified, ${worker.counters.settled ?? '—'} paid` : '—'}
      </dd>
      <dt>Earned</dt>
      <dd>{formatEarned(worker.earned)} (this worker, all time)</dd>
      <dt>Registered</dt>
      <dd>{formatTimestamp(worker.createdAt ?? null)}</dd>
      <dt>Location</dt>
      <dd>{worker.location ? `${worker.location.lat}°, ${worker.location.lon}°` : 'not given'}</dd>
      <dt>Capabilities</dt>
      <dd>{worker.capabilities?.join(', ') || '—'}</dd>
    </dl>
  );
}
