import { routeHref } from '../app/route';
import { useTopic } from '../live/LiveProvider';
import type { TopicEvent } from '../realtime';
import { ConnectionBadge } from './ConnectionBadge';
import { formatEarned, formatTrust } from './workerFormat';
import type { OperatorWorker } from './workerTypes';

interface WorkerListProps {
  workers: readonly OperatorWorker[];
  selectedId: string | null;
  onEvent: (workerId: string, event: TopicEvent) => void;
  onResync: (workerId: string) => void;
}

/** The operator's workers, one row each, every row following its worker's topic. */
export function WorkerList({ workers, selectedId, onEvent, onResync }: WorkerListProps) {
  return (
    <div className="table-scroll" role="region" aria-label="Your workers" tabIndex={0}>
      <table className="worker-list">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Connection</th>
            <th scope="col">Status</th>
            <th scope="col" className="number">
              Trust
            </th>
            <th scope="col" className="number">
              Active leases
            </th>
            <th scope="col" className="number">
              Earned
            </th>
          </tr>
        </thead>
        <tbody>
          {workers.map((worker) => (
            <WorkerRow key={worker.id} worker={worker} selected={worker.id === selectedId} onEvent={onEvent} onResync={onResync} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface WorkerRowProps {
  worker: OperatorWorker;
  selected: boolean;
  onEvent: (workerId: string, event: TopicEvent) => void;
  onResync: (workerId: string) => void;
}

function WorkerRow({ worker, selected, onEvent, onResync }: WorkerRowProps) {
  useTopic(
    `worker:${worker.id}`,
    (event) => onEvent(worker.id, event),
    () => onResync(worker.id),
  );
  const href = routeHref({ page: 'workers', workerId: worker.id });
  return (
    // The whole row is a pointer target; the name link is the keyboard's way in.
    <tr
      className={selected ? 'clickable selected' : 'clickable'}
      onClick={() => {
        window.location.hash = href;
      }}
    >
      <td>
        <a href={href} aria-current={selected ? 'true' : undefined}>
          {worker.name}
        </a>
      </td>
      <td>
        <ConnectionBadge online={worker.online} />
      </td>
      <td>{worker.status}</td>
      <td className="number">{formatTrust(worker.trust)}</td>
      <td className="number">{typeof worker.activeLeases === 'number' ? worker.activeLeases : '—'}</td>
      <td className="number">{formatEarned(worker.earned)}</td>
    </tr>
  );
}
