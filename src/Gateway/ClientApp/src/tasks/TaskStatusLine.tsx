import { routeHref } from '../app/route';
import { useNow } from '../app/useNow';
import { formatTimestamp } from '../format/formatTimestamp';
import { relativeDeadline } from '../format/relativeDeadline';
import { TaskStatusBadge } from './TaskStatusBadge';
import type { TaskView } from './taskTypes';

/** The status, why the task is in it, and the next moment that matters (a retry, the end of the review window). */
export function TaskStatusLine({ task }: { task: TaskView }) {
  const now = useNow(30_000);
  return (
    <div className="task-status-line">
      <p>
        Status: <TaskStatusBadge status={task.status} />
        {task.reason !== null && <span className="muted"> — {task.reason.message}</span>}
      </p>
      {task.status === 'RetryWaiting' && task.nextAttemptAt !== null && (
        <p>
          Next attempt <time dateTime={task.nextAttemptAt}>{formatTimestamp(task.nextAttemptAt)}</time> ({retryHint(task.nextAttemptAt, now)})
        </p>
      )}
      {task.status === 'Completed' && task.reviewEndsAt !== null && (
        <p>
          Review window ends <time dateTime={task.reviewEndsAt}>{formatTimestamp(task.reviewEndsAt)}</time> (
          {relativeDeadline(task.reviewEndsAt, now)}); the worker is paid then unless you accept sooner or dispute.
        </p>
      )}
      {task.disputeId !== null && (
        <p>
          Disputed: <a href={routeHref({ page: 'dispute', id: task.disputeId })}>dispute {task.disputeId}</a>
        </p>
      )}
    </div>
  );
}

/** "in 3 min" until the retry is due; after that the platform may pick it up at any moment. */
function retryHint(at: string, now: number): string {
  const hint = relativeDeadline(at, now);
  return hint.startsWith('overdue') ? 'due now' : hint;
}
