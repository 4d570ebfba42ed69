/**
 * One request for every caller that asks in the same turn — the effects of one commit, such as the balance cards
 * and the spend chart reading the account when the dashboard opens or after a resync — instead of one each. A
 * call in a later turn starts its own request, so no caller gets an answer older than its call. Each caller's
 * promise rejects when its own signal aborts; the request is aborted once every caller sharing it has.
 */
export function shareReadsPerTurn<T>(
  read: (signal: AbortSignal) => Promise<T>,
  endOfTurn: (callback: () => void) => void = queueMicrotask,
): (signal: AbortSignal) => Promise<T> {
  let open: SharedRead<T> | null = null;
  return (signal) => {
    if (signal.aborted) {
      return Promise.reject(signal.reason);
    }
    if (open === null || open.controller.signal.aborted) {
      const controller = new AbortController();
      const started: SharedRead<T> = { controller, callers: 0, answer: read(controller.signal) };
      open = started;
      endOfTurn(() => {
        if (open === started) {
          open = null;
        }
      });
    }
    const shared = open;
    shared.callers++;
    return new Promise<T>((resolve, reject) => {
      const leave = () => {
        reject(signal.reason);
        shared.callers--;
        if (shared.callers === 0) {
          shared.controller.abort();
        }
      };
      signal.addEventListener('abort', leave, { once: true });
      shared.answer.then(
        (value) => {
          signal.removeEventListener('abort', leave);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', leave);
          reject(error);
        },
      );
    });
  };
}

interface SharedRead<T> {
  controller: AbortController;
  /** Callers still waiting for the answer. */
  callers: number;
  answer: Promise<T>;
}
