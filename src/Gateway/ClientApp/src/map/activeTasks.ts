import type { Cell } from '../api/types';
import type { TopicEvent } from '../realtime';

/** How the map shows a task; statuses past these (settled, refunded, failed, …) leave the map. */
export type MapTaskState = 'queued' | 'retrying' | 'assigned' | 'running' | 'verifying' | 'completed';

export interface TrackedTask {
  id: string;
  state: MapTaskState;
  /** The cell of the latest attempt's worker; null while no worker holds the task or the worker has no location. */
  cell: Cell | null;
  /** When a completed task started fading out (ms since epoch); null otherwise. */
  completedAt: number | null;
  /**
   * Its dot appeared through an event, so it fades in; dots of the list the map opens with are simply there, rather
   * than hundreds fading in at once.
   */
  placedLive: boolean;
}

export type ActiveTasks = ReadonlyMap<string, TrackedTask>;

/** A task as the list and the task.* events tell it: its status and the cell of its worker. */
export interface TaskPlacement {
  id: string;
  status: string;
  workerCell: Cell | null;
}

export type TrackerAction =
  /** The task list answered: it replaces what was known. */
  | { type: 'snapshot'; tasks: readonly TaskPlacement[] }
  | { type: 'event'; task: TaskPlacement }
  | { type: 'expire' };

/** How long a completed task stays on the map, fading out. */
export const COMPLETED_FADE_MS = 4000;

/** The statuses the task list is asked for: every one before a result exists. */
export const ACTIVE_STATUSES = ['Queued', 'Assigned', 'Running', 'Verifying', 'RetryWaiting'] as const;

const stateByStatus: Readonly<Record<string, MapTaskState>> = {
  Queued: 'queued',
  RetryWaiting: 'retrying',
  Assigned: 'assigned',
  Running: 'running',
  Verifying: 'verifying',
  Completed: 'completed',
};

export function mapStateOf(status: string): MapTaskState | null {
  return Object.hasOwn(stateByStatus, status) ? (stateByStatus[status] ?? null) : null;
}

/** A worker holds (or just held) the task, so it has a place on the map. */
export function hasWorker(state: MapTaskState): boolean {
  return state === 'assigned' || state === 'running' || state === 'verifying' || state === 'completed';
}

/** The task a task.* event speaks of, or null for other events; a missing or malformed cell counts as none. */
export function taskPlacementOf(event: TopicEvent): TaskPlacement | null {
  const { taskId, status } = event;
  return event.kind.startsWith('task.') && typeof taskId === 'string' && typeof status === 'string'
    ? { id: taskId, status, workerCell: cellOf(event['workerCell']) }
    : null;
}

/**
 * Applies a batch of actions at once (one copy of the map per batch, not per event). Returns the same map when
 * nothing changed, so memoised layers keep their output.
 */
export function reduceActiveTasks(tasks: ActiveTasks, actions: readonly TrackerAction[], now: number): ActiveTasks {
  let working: Map<string, TrackedTask> | null = null;
  const edit = (): Map<string, TrackedTask> => (working ??= new Map(tasks));
  for (const action of actions) {
    const current: ActiveTasks = working ?? tasks;
    switch (action.type) {
      case 'snapshot':
        working = fromSnapshot(action.tasks);
        break;
      case 'event':
        applyEvent(current, edit, action.task, now);
        break;
      case 'expire':
        for (const task of current.values()) {
          if (task.completedAt !== null && task.completedAt + COMPLETED_FADE_MS <= now) {
            edit().delete(task.id);
          }
        }
        break;
    }
  }
  return working ?? tasks;
}

/** When the next completed task should leave the map, or null when none is fading. */
export function nextExpiry(tasks: ActiveTasks): number | null {
  let next: number | null = null;
  for (const task of tasks.values()) {
    if (task.completedAt !== null) {
      const at = task.completedAt + COMPLETED_FADE_MS;
      next = next === null ? at : Math.min(next, at);
    }
  }
  return next;
}

function fromSnapshot(tasks: readonly TaskPlacement[]): Map<string, TrackedTask> {
  const next = new Map<string, TrackedTask>();
  for (const { id, status, workerCell } of tasks) {
    const state = mapStateOf(status);
    if (state !== null && state !== 'completed') {
      next.set(id, { id, state, cell: hasWorker(state) ? workerCell : null, completedAt: null, placedLive: false });
    }
  }
  return next;
}

function applyEvent(current: ActiveTasks, edit: () => Map<string, TrackedTask>, task: TaskPlacement, now: number): void {
  const state = mapStateOf(task.status);
  const before = current.get(task.id);
  const cell = state !== null && hasWorker(state) ? task.workerCell : null;
  if (state === null || (state === 'completed' && cell === null)) {
    // Finished, failed or cancelled; a completed task with no place has nothing to fade out.
    if (before !== undefined) {
      edit().delete(task.id);
    }
    return;
  }
  // A repeated completion keeps its fade going rather than restarting it.
  const completedAt = state !== 'completed' ? null : before?.completedAt ?? now;
  // A dot that stays keeps how it appeared; one that appears now (a task gaining a cell) fades in.
  const placedLive = before?.cell != null && cell !== null ? before.placedLive : true;
  const next: TrackedTask = { id: task.id, state, cell, completedAt, placedLive };
  if (before === undefined || !sameTask(before, next)) {
    edit().set(task.id, next);
  }
}

function cellOf(value: unknown): Cell | null {
  if (typeof value !== 'object' || value === null) {
    return null;
  }
  const { lat, lon } = value as Record<string, unknown>;
  return typeof lat === 'number' && Number.isFinite(lat) && typeof lon === 'number' && Number.isFinite(lon)
    ? { lat, lon }
    : null;
}

function sameTask(a: TrackedTask, b: TrackedTask): boolean {
  return (
    a.state === b.state &&
    a.completedAt === b.completedAt &&
    a.cell?.lat === b.cell?.lat &&
    a.cell?.lon === b.cell?.lon
  );
}
