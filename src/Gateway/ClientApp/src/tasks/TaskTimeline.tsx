import { buildTimeline, formatTimelineTime } from './taskTimeline';
import type { TaskChange, TaskView } from './taskTypes';

/** The task's history as a list, oldest first; changes heard live are marked until the view is read again. */
export function TaskTimeline({ task, heard }: { task: TaskView; heard: readonly TaskChange[] }) {
  const entries = buildTimeline(task, heard);
  return (
    <section aria-labelledby="task-history-heading">
      <h2 id="task-history-heading">History</h2>
      <ol className="task-timeline">
        {entries.map((entry, index) => (
          <li key={`${entry.at}-${index}`}>
            <time dateTime={entry.at}>{formatTimelineTime(entry.at)}</time>{' '}
            <strong>{entry.title}</strong>
            {entry.live && <span className="muted"> (live)</span>}
            {entry.detail !== null && <span className="task-timeline-detail">{entry.detail}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
