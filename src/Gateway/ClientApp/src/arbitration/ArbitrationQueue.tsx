import { useEffect, useId, useState } from 'react';
import type { DisputeStatusFilter, GstdApi } from '../api/gstdApi';
import type { DisputeSummary } from '../api/types';
import { errorMessage } from '../app/errorMessage';
import { DISPUTE_STATUS_FILTERS, routeHref } from '../app/route';
import { useNow } from '../app/useNow';
import { formatTimestamp } from '../format/formatTimestamp';
import { relativeDeadline } from '../format/relativeDeadline';

interface QueueState {
  /** The filter the items are for, so a page that arrives after the filter changed is dropped. */
  status: DisputeStatusFilter;
  items: DisputeSummary[];
  nextCursor: string | null;
  loading: boolean;
  error: string | null;
}

const emptyQueue = (status: DisputeStatusFilter): QueueState => ({ status, items: [], nextCursor: null, loading: true, error: null });

/** The admins' list of disputes, by status, 50 at a time. */
export function ArbitrationQueue({ api, status }: { api: GstdApi; status: DisputeStatusFilter }) {
  const selectId = useId();
  const now = useNow(30_000);
  const [queue, setQueue] = useState<QueueState>(() => emptyQueue(status));

  useEffect(() => {
    const controller = new AbortController();
    setQueue(emptyQueue(status));
    api.listDisputes(status, null, controller.signal).then(
      (page) => setQueue({ status, items: page.items, nextCursor: page.nextCursor, loading: false, error: null }),
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setQueue({ ...emptyQueue(status), loading: false, error: errorMessage(error) });
        }
      },
    );
    return () => controller.abort();
  }, [api, status]);

  async function loadMore(cursor: string) {
    setQueue((q) => ({ ...q, loading: true, error: null }));
    try {
      const page = await api.listDisputes(status, cursor);
      setQueue((q) =>
        q.status === status ? { status, items: [...q.items, ...page.items], nextCursor: page.nextCursor, loading: false, error: null } : q,
      );
    } catch (error) {
      setQueue((q) => (q.status === status ? { ...q, loading: false, error: errorMessage(error) } : q));
    }
  }

  const open = (id: string) => {
    window.location.hash = routeHref({ page: 'dispute', id });
  };

  return (
    <section aria-labelledby="queue-heading">
      <h1 id="queue-heading">Arbitration</h1>
      <div className="toolbar">
        <label htmlFor={selectId}>Status</label>
        <select
          id={selectId}
          value={status}
          onChange={(event) => {
            const chosen = DISPUTE_STATUS_FILTERS.find((filter) => filter === event.target.value) ?? 'AwaitingArbitration';
            window.location.hash = routeHref({ page: 'arbitration', status: chosen });
          }}
        >
          {DISPUTE_STATUS_FILTERS.map((filter) => (
            <option key={filter} value={filter}>
              {filter}
            </option>
          ))}
        </select>
      </div>

      <table className="queue">
        <thead>
          <tr>
            <th scope="col">Dispute</th>
            <th scope="col">Task</th>
            <th scope="col">Reason</th>
            <th scope="col">Status</th>
            <th scope="col">Escrow</th>
            <th scope="col">Opened</th>
            <th scope="col">Deadline</th>
          </tr>
        </thead>
        <tbody>
          {queue.items.map((dispute) => (
            <tr key={dispute.id} className="clickable" onClick={() => open(dispute.id)}>
              <td>
                <a href={routeHref({ page: 'dispute', id: dispute.id })}>{dispute.id}</a>
              </td>
              <td className="mono">{dispute.taskId}</td>
              <td>{dispute.reason}</td>
              <td>{dispute.status}</td>
              <td className="number">{dispute.escrow} GSTD</td>
              <td>{formatTimestamp(dispute.openedAt)}</td>
              <td>
                <DeadlineCell deadline={dispute.arbitrateBy} now={now} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      {!queue.loading && queue.error === null && queue.items.length === 0 && <p>No disputes with this status.</p>}
      {queue.loading && <p aria-live="polite">Loading…</p>}
      {queue.error !== null && (
        <p role="alert" className="error">
          {queue.error}
        </p>
      )}
      {queue.nextCursor !== null && !queue.loading && (
        <button type="button" onClick={() => void loadMore(queue.nextCursor!)}>
          More
        </button>
      )}
    </section>
  );
}

function DeadlineCell({ deadline, now }: { deadline: string | null; now: number }) {
  if (deadline === null) {
    return <>—</>;
  }
  const hint = relativeDeadline(deadline, now);
  return (
    <>
      <time dateTime={deadline}>{formatTimestamp(deadline)}</time>{' '}
      <span className={hint.startsWith('overdue') ? 'hint overdue' : 'hint'}>({hint})</span>
    </>
  );
}
