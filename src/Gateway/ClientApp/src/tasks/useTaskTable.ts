import { useCallback, useEffect, useReducer, useRef, useState, type Dispatch } from 'react';
import { errorMessage } from '../app/errorMessage';
import { useTopic } from '../live/LiveProvider';
import type { TasksApi } from './tasksApi';
import { newTaskTable, reduceTaskTable, summaryOf, type TaskTable, type TaskTableAction } from './taskTable';
import { readTaskChange, type TaskStatus } from './taskTypes';

export interface TaskTableHandle {
  table: TaskTable;
  /** Why the first page could not be read, if it could not. */
  loadError: string | null;
  loadingMore: boolean;
  moreError: string | null;
  loadMore: () => void;
  reload: () => void;
}

/** The client's tasks with this filter: the first page over HTTP, then kept live by the account topic. */
export function useTaskTable(tasks: TasksApi, statuses: readonly TaskStatus[]): TaskTableHandle {
  const [table, dispatch] = useReducer(reduceTaskTable, statuses, newTaskTable);
  const [generation, setGeneration] = useState(0);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [more, setMore] = useState<{ loading: boolean; error: string | null }>({ loading: false, error: null });
  const filterKey = statuses.join(',');

  useEffect(() => {
    const controller = new AbortController();
    dispatch({ type: 'load', statuses });
    setLoadError(null);
    setMore({ loading: false, error: null });
    tasks.listTasks(statuses, null, controller.signal).then(
      (page) => {
        if (!controller.signal.aborted) {
          dispatch({ type: 'firstPage', page });
        }
      },
      (error: unknown) => {
        if (!controller.signal.aborted) {
          dispatch({ type: 'loadFailed' });
          setLoadError(errorMessage(error));
        }
      },
    );
    return () => controller.abort();
    // `statuses` is read through `filterKey`: a new array with the same statuses is the same filter.
  }, [tasks, filterKey, generation]);

  useTaskReads(tasks, table, dispatch);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  useTopic(
    'account',
    (event) => {
      const change = readTaskChange(event);
      if (change !== null) {
        dispatch({ type: 'change', change });
      }
    },
    reload,
  );

  const cursor = table.nextCursor;
  const loadMore = useCallback(() => {
    if (cursor === null) {
      return;
    }
    setMore({ loading: true, error: null });
    tasks.listTasks(statuses, cursor).then(
      (page) => {
        dispatch({ type: 'nextPage', cursor, page });
        setMore({ loading: false, error: null });
      },
      (error: unknown) => setMore({ loading: false, error: errorMessage(error) }),
    );
    // As above, `statuses` is read through `filterKey`.
  }, [tasks, filterKey, cursor]);

  return { table, loadError, loadingMore: more.loading, moreError: more.error, loadMore, reload };
}

/** Reads each task the table heard of but does not hold, once at a time, so it can be placed. */
function useTaskReads(tasks: TasksApi, table: TaskTable, dispatch: Dispatch<TaskTableAction>) {
  const reads = useRef<{ signal: AbortSignal; pending: Set<string> } | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    reads.current = { signal: controller.signal, pending: new Set() };
    return () => controller.abort();
  }, []);

  useEffect(() => {
    const session = reads.current;
    if (session === null) {
      return;
    }
    for (const taskId of table.unread.keys()) {
      if (session.pending.has(taskId)) {
        continue;
      }
      session.pending.add(taskId);
      tasks
        .getTask(taskId, session.signal)
        .then(
          (view) => {
            if (!session.signal.aborted) {
              dispatch({ type: 'read', summary: summaryOf(view) });
            }
          },
          () => {
            if (!session.signal.aborted) {
              dispatch({ type: 'readFailed', taskId });
            }
          },
        )
        .finally(() => session.pending.delete(taskId));
    }
  }, [tasks, table.unread, dispatch]);
}
