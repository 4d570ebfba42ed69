import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../app/errorMessage';
import { useTopic } from '../live/LiveProvider';
import type { TasksApi } from './tasksApi';
import { readTaskChange, taskIdOf, type TaskChange, type TaskView } from './taskTypes';

export type LiveTask =
  | { state: 'loading' }
  | { state: 'failed'; error: unknown }
  /** `rereadError`: the last re-read failed; the view shown is the one before it. */
  | { state: 'ready'; view: TaskView; rereadError: string | null };

export interface LiveTaskHandle {
  task: LiveTask;
  /** This task's changes heard since it was opened, for the timeline. */
  heard: readonly TaskChange[];
  /** Shows a view an action answered; reads still in flight are older and dropped. */
  show: (view: TaskView) => void;
  reread: () => void;
}

/** One task's view, read again whenever an account event about it arrives (or continuity was lost). */
export function useLiveTask(tasks: TasksApi, taskId: string): LiveTaskHandle {
  const [task, setTask] = useState<LiveTask>({ state: 'loading' });
  const [heard, setHeard] = useState<TaskChange[]>([]);
  const latest = useRef<AbortController | null>(null);

  const reread = useCallback(() => {
    // Only the newest read may answer: a burst of events must not end on an older view.
    latest.current?.abort();
    const controller = new AbortController();
    latest.current = controller;
    tasks.getTask(taskId, controller.signal).then(
      (view) => {
        if (!controller.signal.aborted) {
          setTask({ state: 'ready', view, rereadError: null });
        }
      },
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setTask((shown) => (shown.state === 'ready' ? { ...shown, rereadError: errorMessage(error) } : { state: 'failed', error }));
        }
      },
    );
  }, [tasks, taskId]);

  useEffect(() => {
    reread();
    return () => latest.current?.abort();
  }, [reread]);

  const show = useCallback((view: TaskView) => {
    latest.current?.abort();
    setTask({ state: 'ready', view, rereadError: null });
  }, []);

  useTopic(
    'account',
    (event) => {
      if (taskIdOf(event) !== taskId) {
        return;
      }
      const change = readTaskChange(event);
      if (change !== null) {
        setHeard((before) => [...before, change]);
      }
      reread();
    },
    reread,
  );

  return { task, heard, show, reread };
}
