import { useEffect } from 'react';
import type { GstdApi } from '../api/gstdApi';
import { nextExpiry, reduceActiveTasks, taskPlacementOf, type ActiveTasks, type TrackerAction } from './activeTasks';
import { listActiveTasks, type ActiveTaskList } from './mapApi';
import { useLiveState, type LiveState } from './useLiveState';

export interface ActiveTaskState {
  tasks: ActiveTasks;
  /** The client has more active tasks than the map read. */
  truncated: boolean;
}

type ActiveTaskUpdate = TrackerAction | { type: 'list'; list: ActiveTaskList };

const initial: ActiveTaskState = { tasks: new Map(), truncated: false };

/**
 * The client's active tasks and the cells of their workers: the list over HTTP, then task.* events from the
 * 'account' topic. Both carry the worker's cell, so no task is read on its own.
 */
export function useActiveTasks(api: GstdApi): LiveState<ActiveTaskState, ActiveTaskUpdate> {
  const live = useLiveState<ActiveTaskState, ActiveTaskUpdate>(
    {
      topic: 'account',
      initial,
      load: async (signal) => ({ type: 'list', list: await listActiveTasks(api, signal) }),
      fromEvent: (event) => {
        const task = taskPlacementOf(event);
        return task === null ? null : { type: 'event', task };
      },
      reduce: (state, updates) => reduceState(state, updates, Date.now()),
    },
    [api],
  );
  const { state, apply } = live;

  // Completed tasks fade out and then leave: one timer for the next to go, not a poll.
  useEffect(() => {
    const at = nextExpiry(state.tasks);
    if (at === null) {
      return;
    }
    const timer = window.setTimeout(() => apply({ type: 'expire' }), Math.max(0, at - Date.now()));
    return () => window.clearTimeout(timer);
  }, [state.tasks, apply]);

  return live;
}

function reduceState(state: ActiveTaskState, updates: readonly ActiveTaskUpdate[], now: number): ActiveTaskState {
  let truncated = state.truncated;
  const actions: TrackerAction[] = [];
  for (const update of updates) {
    if (update.type === 'list') {
      truncated = update.list.truncated;
      actions.push({ type: 'snapshot', tasks: update.list.tasks });
    } else {
      actions.push(update);
    }
  }
  const tasks = reduceActiveTasks(state.tasks, actions, now);
  return tasks === state.tasks && truncated === state.truncated ? state : { tasks, truncated };
}
