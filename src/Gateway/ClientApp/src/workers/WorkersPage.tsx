import { useState } from 'react';
import type { GstdApi } from '../api/gstdApi';
import { errorMessage } from '../app/errorMessage';
import { routeHref } from '../app/route';
import { NoWorkers } from './NoWorkers';
import { useOperatorWorkers } from './useOperatorWorkers';
import { WorkerDetail } from './WorkerDetail';
import { WorkerList } from './WorkerList';
import './workers.css';

/** The operator's view: their workers live, and the chosen one (`#/workers/{id}`) in detail. */
export function WorkersPage({ api, workerId }: { api: GstdApi; workerId: string | null }) {
  const { state, onEvent, onResync, reload } = useOperatorWorkers(api);
  const [openedOn] = useState(workerId);
  const [chosen, setChosen] = useState(false);
  if (!chosen && workerId !== openedOn) {
    // Derived during render, as React recommends: from the first change of the route on, a selection is the user's.
    setChosen(true);
  }
  const selected = state.phase === 'ready' && workerId !== null ? state.workers.find((w) => w.id === workerId) : undefined;

  return (
    <section className="workers-page" aria-labelledby="workers-heading">
      <h1 id="workers-heading">Workers</h1>
      {state.phase === 'loading' && <p aria-live="polite">Loading workers…</p>}
      {state.phase === 'failed' && (
        <div role="alert">
          <p className="error">Could not load your workers: {errorMessage(state.error)}</p>
          <button type="button" onClick={reload}>
            Try again
          </button>
        </div>
      )}
      {state.phase === 'ready' && state.workers.length === 0 && <NoWorkers onCheckAgain={reload} />}
      {state.phase === 'ready' && state.workers.length > 0 && (
        <>
          <WorkerList workers={state.workers} selectedId={workerId} onEvent={onEvent} onResync={onResync} />
          {selected !== undefined ? (
            <WorkerDetail api={api} worker={selected} chosen={chosen} />
          ) : workerId !== null ? (
            <p role="alert">
              None of your workers has the id <span className="mono">{workerId}</span>.{' '}
              <a href={routeHref({ page: 'workers', workerId: null })}>Show all workers</a>
            </p>
          ) : (
            <p className="hint">Choose a worker to see its trust over time and the account's earnings.</p>
          )}
        </>
      )}
    </section>
  );
}
