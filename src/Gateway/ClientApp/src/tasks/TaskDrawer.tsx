import { useEffect, useId, useRef, type MouseEvent } from 'react';
import { ApiError } from '../api/apiError';
import { errorMessage } from '../app/errorMessage';
import { TaskDetail } from './TaskDetail';
import type { TasksApi } from './tasksApi';
import { useLiveTask } from './useLiveTask';
import './tasks.css';

interface TaskDrawerProps {
  tasks: TasksApi;
  taskId: string;
  /** Asks to close: the page takes the task out of the URL, which unmounts the drawer. */
  onClose: () => void;
}

/**
 * One task in a side drawer over the table. It is a modal dialog (`showModal`): the table behind is inert, focus
 * moves into it and stays there, and Esc closes it. Key it by task id so each task starts from its own state.
 */
export function TaskDrawer({ tasks, taskId, onClose }: TaskDrawerProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  const live = useLiveTask(tasks, taskId);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog !== null && !dialog.open) {
      dialog.showModal();
    }
    // No close() on unmount: leaving the DOM ends the modal, and a late close event must not reach the next drawer.
  }, []);

  // A press and release on the backdrop land on the dialog itself (its content fills it edge to edge); a text
  // selection dragged out of the content must not close it.
  const pressedOnBackdrop = useRef(false);
  const closeOnBackdrop = (event: MouseEvent<HTMLDialogElement>) => {
    if (event.target === event.currentTarget && pressedOnBackdrop.current) {
      onClose();
    }
  };

  return (
    <dialog
      ref={dialogRef}
      className="task-drawer"
      aria-labelledby={headingId}
      onCancel={(event) => {
        // The route closes the drawer, so the browser must not close it on its own.
        event.preventDefault();
        onClose();
      }}
      // Browsers may close without a cancelable cancel event (Esc pressed twice): follow them.
      onClose={(event) => {
        if (event.currentTarget.isConnected) {
          onClose();
        }
      }}
      onMouseDown={(event) => {
        pressedOnBackdrop.current = event.target === event.currentTarget;
      }}
      onClick={closeOnBackdrop}
    >
      <div className="task-drawer-content">
        <div className="task-drawer-header">
          <h1 id={headingId} className="mono">
            Task {taskId}
          </h1>
          <button type="button" className="tasks-secondary" onClick={onClose}>
            Close
          </button>
        </div>
        {live.task.state === 'loading' && <p aria-live="polite">Loading task…</p>}
        {live.task.state === 'failed' && (
          <div role="alert" className="error">
            <p>{live.task.error instanceof ApiError && live.task.error.status === 404 ? 'This task was not found.' : errorMessage(live.task.error)}</p>
            <button type="button" onClick={live.reread}>
              Try again
            </button>
          </div>
        )}
        {live.task.state === 'ready' && (
          <TaskDetail tasks={tasks} task={live.task.view} heard={live.heard} rereadError={live.task.rereadError} onChanged={live.show} onReread={live.reread} />
        )}
      </div>
    </dialog>
  );
}
