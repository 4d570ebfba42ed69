import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { GstdApi } from '../api/gstdApi';
import type { TopicEvent } from '../realtime';
import { readWorker, readWorkersWithActivity } from './workersApi';
import { workersReducer, type WorkersState } from './workersState';

export interface OperatorWorkers {
  state: WorkersState;
  /** An event of `worker:{workerId}`. */
  onEvent: (workerId: string, event: TopicEvent) => void;
  /** `worker:{workerId}` lost continuity: read that worker again. */
  onResync: (workerId: string) => void;
  reload: () => void;
}

/** The caller's workers read over HTTP once, then kept current by their topics' events (no polling). */
export function useOperatorWorkers(api: GstdApi): OperatorWorkers {
  const [state, dispatch] = useReducer(workersReducer, { phase: 'loading' });
  const [generation, setGeneration] = useState(0);
  // Aborts the re-reads of a load that was replaced or a page that was left.
  const currentLoad = useRef<AbortController | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    currentLoad.current = controller;
    dispatch({ type: 'loading' });
    readWorkersWithActivity(api, controller.signal).then(
      (workers) => {
        if (!controller.signal.aborted) {
          dispatch({ type: 'loaded', workers });
        }
      },
      (error: unknown) => {
        if (!controller.signal.aborted) {
          dispatch({ type: 'failed', error });
        }
      },
    );
    return () => controller.abort();
  }, [api, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  const onEvent = useCallback((workerId: string, event: TopicEvent) => dispatch({ type: 'event', workerId, event }), []);

  const onResync = useCallback(
    (workerId: string) => {
      const controller = currentLoad.current;
      if (controller === null) {
        return;
      }
      readWorker(api, workerId, controller.signal).then(
        (worker) => {
          if (!controller.signal.aborted) {
            dispatch({ type: 'reread', workerId, worker });
          }
        },
        () => {
          // The page cannot tell what it missed, so it reads everything again (and shows the error if that fails).
          if (!controller.signal.aborted) {
            reload();
          }
        },
      );
    },
    [api, reload],
  );

  return { state, onEvent, onResync, reload };
}
