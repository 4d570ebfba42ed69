import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import type { TopicEvent } from '../realtime';
import { useTopic } from '../live/LiveProvider';

/** `loading` until the first answer; a reload after a resync keeps the state shown (`reloading`). */
export type LivePhase = 'loading' | 'ready' | 'reloading' | 'failed';

export interface LiveStateOptions<S, U> {
  topic: string;
  initial: S;
  /** Reads the state over HTTP, as one update (applied before the events that arrived meanwhile). */
  load: (signal: AbortSignal) => Promise<U>;
  /** The update an event makes, or null for events that do not concern this state. */
  fromEvent: (event: TopicEvent) => U | null;
  reduce: (state: S, updates: readonly U[]) => S;
}

export interface LiveState<S, U> {
  state: S;
  phase: LivePhase;
  error: unknown;
  reload: () => void;
  /** Adds an update of the caller's own (e.g. from a timer), applied with the next frame's batch. */
  apply: (update: U) => void;
}

/**
 * State read over HTTP, then kept live from a topic: events that arrive during a (re)load are held and applied
 * after it in order, a resync reloads, and updates are applied at most once an animation frame so a burst of
 * events renders once.
 */
export function useLiveState<S, U>(options: LiveStateOptions<S, U>, deps: DependencyList): LiveState<S, U> {
  const [state, setState] = useState(options.initial);
  const [phase, setPhase] = useState<LivePhase>('loading');
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  const latest = useRef(options);
  const held = useRef<U[] | null>([]);
  const pending = useRef<U[]>([]);
  const frame = useRef<number | null>(null);
  const loadedOnce = useRef(false);

  useEffect(() => {
    latest.current = options;
  });

  const flush = useCallback(() => {
    frame.current = null;
    const batch = pending.current;
    pending.current = [];
    if (batch.length > 0) {
      setState((current) => latest.current.reduce(current, batch));
    }
  }, []);

  const apply = useCallback(
    (update: U) => {
      pending.current.push(update);
      frame.current ??= requestAnimationFrame(flush);
    },
    [flush],
  );

  useEffect(
    () => () => {
      if (frame.current !== null) {
        cancelAnimationFrame(frame.current);
      }
    },
    [],
  );

  useEffect(() => {
    const controller = new AbortController();
    held.current ??= [];
    setPhase(loadedOnce.current ? 'reloading' : 'loading');
    latest.current.load(controller.signal).then(
      (snapshot) => {
        if (controller.signal.aborted) {
          return;
        }
        const meanwhile = held.current ?? [];
        held.current = null;
        loadedOnce.current = true;
        setState((current) => latest.current.reduce(current, [snapshot, ...meanwhile]));
        setPhase('ready');
        setError(null);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) {
          return;
        }
        // Events apply to what is shown until the user retries.
        const meanwhile = held.current ?? [];
        held.current = null;
        meanwhile.forEach(apply);
        setPhase('failed');
        setError(failure);
      },
    );
    return () => controller.abort();
    // `load` is read through `latest`; what it depends on is listed in `deps`.
  }, [...deps, generation, apply]);

  const reload = useCallback(() => {
    // Hold from the resync on, not from when the reload effect runs, so every later event lands on the reloaded state.
    held.current ??= [];
    setGeneration((g) => g + 1);
  }, []);

  useTopic(
    options.topic,
    (event) => {
      const update = latest.current.fromEvent(event);
      if (update === null) {
        return;
      }
      if (held.current !== null) {
        held.current.push(update);
      } else {
        apply(update);
      }
    },
    reload,
  );

  return { state, phase, error, reload, apply };
}
