import type { TopicEvent } from '../realtime';
import { applyWorkerEvent } from './workerEvents';
import type { OperatorWorker } from './workerTypes';

export type WorkersState =
  | { phase: 'loading' }
  | { phase: 'failed'; error: unknown }
  | { phase: 'ready'; workers: OperatorWorker[] };

export type WorkersAction =
  | { type: 'loading' }
  | { type: 'loaded'; workers: OperatorWorker[] }
  | { type: 'failed'; error: unknown }
  /** An event of the worker's topic. */
  | { type: 'event'; workerId: string; event: TopicEvent }
  /** The worker read again after its topic lost continuity; null when it no longer exists. */
  | { type: 'reread'; workerId: string; worker: OperatorWorker | null };

/** The operator's workers as the page shows them: the HTTP read, then live events and re-reads applied to it. */
export function workersReducer(state: WorkersState, action: WorkersAction): WorkersState {
  switch (action.type) {
    case 'loading':
      return { phase: 'loading' };
    case 'loaded':
      return { phase: 'ready', workers: action.workers };
    case 'failed':
      return { phase: 'failed', error: action.error };
    case 'event':
      return updateWorker(state, action.workerId, (worker) => applyWorkerEvent(worker, action.event));
    case 'reread':
      return updateWorker(state, action.workerId, () => action.worker);
  }
}

// Before the list is loaded there is nothing to update: the load reads the current state anyway.
function updateWorker(state: WorkersState, workerId: string, update: (worker: OperatorWorker) => OperatorWorker | null): WorkersState {
  if (state.phase !== 'ready') {
    return state;
  }
  let changed = false;
  const workers = state.workers.flatMap((worker) => {
    if (worker.id !== workerId) {
      return [worker];
    }
    const next = update(worker);
    changed ||= next !== worker;
    return next === null ? [] : [next];
  });
  return changed ? { phase: 'ready', workers } : state;
}
