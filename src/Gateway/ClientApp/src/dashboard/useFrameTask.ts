import { useEffect, useRef, useState } from 'react';
import { createFrameTask, type FrameTask } from './frameTask';

/** A frame task for the component's life: the latest `run` is the one called, and unmounting drops a due run. */
export function useFrameTask(run: () => void): FrameTask {
  const latest = useRef(run);
  useEffect(() => {
    latest.current = run;
  });
  const [task] = useState(() => createFrameTask(() => latest.current()));
  useEffect(() => () => task.cancel(), [task]);
  return task;
}
