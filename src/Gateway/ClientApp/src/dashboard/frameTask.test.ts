import { describe, expect, it } from 'vitest';
import { createFrameTask, type FrameScheduler } from './frameTask';

/** Frames that come only when the test draws one. */
function fakeFrames(): FrameScheduler & { draw: () => void; requested: () => number } {
  let next = 1;
  const callbacks = new Map<number, () => void>();
  return {
    request: (callback) => {
      callbacks.set(next, callback);
      return next++;
    },
    cancel: (handle) => {
      callbacks.delete(handle);
    },
    draw: () => {
      const due = [...callbacks.values()];
      callbacks.clear();
      due.forEach((callback) => callback());
    },
    requested: () => callbacks.size,
  };
}

describe('createFrameTask', () => {
  it('runs once at the next frame however often it was scheduled', () => {
    const frames = fakeFrames();
    let runs = 0;
    const task = createFrameTask(() => runs++, frames);

    task.schedule();
    task.schedule();
    task.schedule();
    expect(runs).toBe(0);
    expect(frames.requested()).toBe(1);

    frames.draw();
    expect(runs).toBe(1);
    frames.draw();
    expect(runs).toBe(1);
  });

  it('asks for another frame when scheduled again after a run, also from within the run', () => {
    const frames = fakeFrames();
    let runs = 0;
    const task = createFrameTask(() => {
      runs++;
      if (runs === 1) {
        task.schedule();
      }
    }, frames);

    task.schedule();
    frames.draw();
    frames.draw();
    expect(runs).toBe(2);
    expect(frames.requested()).toBe(0);
  });

  it('runs a due run at once on flush, and nothing when none is due', () => {
    const frames = fakeFrames();
    let runs = 0;
    const task = createFrameTask(() => runs++, frames);

    task.flush();
    expect(runs).toBe(0);

    task.schedule();
    task.flush();
    expect(runs).toBe(1);
    expect(frames.requested()).toBe(0);
    frames.draw();
    expect(runs).toBe(1);
  });

  it('forgets a due run on cancel and can be scheduled again', () => {
    const frames = fakeFrames();
    let runs = 0;
    const task = createFrameTask(() => runs++, frames);

    task.schedule();
    task.cancel();
    frames.draw();
    expect(runs).toBe(0);

    task.schedule();
    frames.draw();
    expect(runs).toBe(1);
  });
});
