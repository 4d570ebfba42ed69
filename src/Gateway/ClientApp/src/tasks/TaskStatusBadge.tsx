import './tasks.css';

// Colour only repeats the word it sits behind; the status is always written out.
const TONE: Record<string, 'good' | 'bad' | 'active' | undefined> = {
  Queued: 'active',
  Assigned: 'active',
  Running: 'active',
  Verifying: 'active',
  RetryWaiting: 'active',
  Completed: 'good',
  Settled: 'good',
  Disputed: 'bad',
  DeadLettered: 'bad',
  Expired: 'bad',
};

/** A task's status as a small pill. */
export function TaskStatusBadge({ status }: { status: string }) {
  return (
    <span className="task-status" data-tone={TONE[status] ?? 'neutral'}>
      {status}
    </span>
  );
}
