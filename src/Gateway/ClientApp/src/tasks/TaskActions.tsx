import { useId, useRef, useState } from 'react';
import type { Dispute } from '../api/types';
import { routeHref } from '../app/route';
import { useNow } from '../app/useNow';
import { DisputeForm } from './DisputeForm';
import { newIdempotencyKey } from './newIdempotencyKey';
import { ProblemAlert } from './ProblemAlert';
import { allowedActions, type TaskAction } from './taskActions';
import type { TasksApi } from './tasksApi';
import type { TaskView } from './taskTypes';

interface TaskActionsProps {
  tasks: TasksApi;
  task: TaskView;
  /** The view an action answered. */
  onChanged: (task: TaskView) => void;
  /** A dispute was opened: its answer is the dispute, so the task must be read again. */
  onDisputed: () => void;
}

const HINTS: Record<Exclude<TaskAction, 'dispute'>, { label: string; hint: string }> = {
  accept: { label: 'Accept result', hint: 'Pays the worker now instead of at the end of the review window; no dispute afterwards.' },
  redrive: { label: 'Run again', hint: 'Holds the escrow again, resets the attempts and queues the task.' },
  cancel: { label: 'Cancel task', hint: 'Stops the task and returns the escrow to you.' },
};

const DONE: Record<Exclude<TaskAction, 'dispute'>, string> = {
  accept: 'Accepted: the worker is being paid.',
  redrive: 'Queued again.',
  cancel: 'Cancelled: the escrow is returned to you.',
};

/** The actions the task's state allows, each disabled while it runs, with the gateway's answer when it fails. */
export function TaskActions({ tasks, task, onChanged, onDisputed }: TaskActionsProps) {
  const now = useNow(30_000);
  const hintId = useId();
  const [busy, setBusy] = useState<TaskAction | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [disputing, setDisputing] = useState(false);
  const [opened, setOpened] = useState<Dispute | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // One key per redrive intent: a retry after a lost answer must not hold the escrow twice.
  const redriveKey = useRef(newIdempotencyKey());

  const actions = allowedActions(task, now);
  if (actions.length === 0 && opened === null && failure === null && done === null) {
    return null;
  }

  async function run(action: Exclude<TaskAction, 'dispute'>) {
    setBusy(action);
    setFailure(null);
    setDone(null);
    try {
      const view =
        action === 'accept' ? await tasks.acceptTask(task.id) : action === 'cancel' ? await tasks.cancelTask(task.id) : await tasks.redriveTask(task.id, redriveKey.current);
      if (action === 'redrive') {
        redriveKey.current = newIdempotencyKey();
      }
      onChanged(view);
      setDone(DONE[action]);
      // The button just pressed may be gone in the new state: keep focus in the drawer, where the news is.
      headingRef.current?.focus();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(null);
    }
  }

  return (
    <section aria-labelledby="task-actions-heading" className="task-actions">
      <h2 id="task-actions-heading" ref={headingRef} tabIndex={-1}>
        Actions
      </h2>
      {done !== null && <p role="status">{done}</p>}
      {actions.length === 0 && <p className="muted">Nothing to do in this state.</p>}
      <div className="task-action-buttons">
        {actions.map((action) =>
          action === 'dispute' ? (
            <button key={action} type="button" className="tasks-secondary" aria-expanded={disputing} onClick={() => setDisputing((open) => !open)} disabled={busy !== null}>
              Dispute result…
            </button>
          ) : (
            <button key={action} type="button" onClick={() => void run(action)} disabled={busy !== null} aria-describedby={`${hintId}-${action}`}>
              {busy === action ? `${HINTS[action].label}…` : HINTS[action].label}
            </button>
          ),
        )}
      </div>
      <ul className="task-action-hints muted">
        {actions.map((action) =>
          action === 'dispute' ? null : (
            <li key={action} id={`${hintId}-${action}`}>
              {HINTS[action].label}: {HINTS[action].hint}
            </li>
          ),
        )}
      </ul>
      <ProblemAlert error={failure} />
      {opened !== null && (
        <p role="status">
          Dispute opened: <a href={routeHref({ page: 'dispute', id: opened.id })}>{opened.id}</a>. The escrow is frozen until it is decided.
        </p>
      )}
      {disputing && actions.includes('dispute') && (
        <DisputeForm
          tasks={tasks}
          taskId={task.id}
          onOpened={(dispute) => {
            setDisputing(false);
            setOpened(dispute);
            headingRef.current?.focus();
            onDisputed();
          }}
          onCancel={() => setDisputing(false)}
        />
      )}
    </section>
  );
}
