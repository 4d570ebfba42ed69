/** Asks for a callback before the next frame is drawn, and takes such a request back. */
export interface FrameScheduler {
  request: (callback: () => void) => number;
  cancel: (handle: number) => void;
}

export const animationFrames: FrameScheduler = {
  request: (callback) => window.requestAnimationFrame(callback),
  cancel: (handle) => window.cancelAnimationFrame(handle),
};

/**
 * Work run at most once a frame however often it is asked for, so a burst of events renders once. What the work
 * shows must be kept by the caller meanwhile (the latest balance, the sums per bucket).
 */
export interface FrameTask {
  /** Runs the work before the next frame, unless a run is already due then. */
  schedule: () => void;
  /** Runs a due run now rather than at the frame: what came before a re-read is shown before the answer. */
  flush: () => void;
  /** Forgets a due run. */
  cancel: () => void;
}

export function createFrameTask(run: () => void, frames: FrameScheduler = animationFrames): FrameTask {
  let handle: number | null = null;
  const due = () => {
    handle = null;
    run();
  };
  return {
    schedule: () => {
      handle ??= frames.request(due);
    },
    flush: () => {
      if (handle !== null) {
        frames.cancel(handle);
        due();
      }
    },
    cancel: () => {
      if (handle !== null) {
        frames.cancel(handle);
        handle = null;
      }
    },
  };
}
