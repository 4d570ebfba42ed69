import { useCallback, useEffect, useState, type DependencyList } from 'react';

export type Resource<T> =
  | { state: 'loading' }
  | { state: 'ready'; value: T }
  | { state: 'failed'; error: unknown };

export interface ResourceHandle<T> {
  resource: Resource<T>;
  /** Replaces the value, e.g. with the answer of a change the user made. */
  replace: (value: T) => void;
  reload: () => void;
}

/** Loads a value when `deps` change; a load that is no longer wanted is aborted and its answer ignored. */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): ResourceHandle<T> {
  const [resource, setResource] = useState<Resource<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setResource({ state: 'loading' });
    load(controller.signal).then(
      (value) => {
        if (!controller.signal.aborted) {
          setResource({ state: 'ready', value });
        }
      },
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setResource({ state: 'failed', error });
        }
      },
    );
    return () => controller.abort();
    // `load` is a new function on every render; what it reads is listed in `deps`.
  }, [...deps, generation]);

  const replace = useCallback((value: T) => setResource({ state: 'ready', value }), []);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { resource, replace, reload };
}
