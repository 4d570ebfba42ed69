import type { TaskChange, TaskView } from './taskTypes';

export interface TimelineEntry {
  at: string;
  title: string;
  detail: string | null;
  /** Heard live and not yet in a re-read view. */
  live: boolean;
}

/**
 * What happened to the task, oldest first: its submission, each status change of its history, each attempt's
 * start and end, then the changes heard live since the view was read (a re-read view holds them in its history).
 */
export function buildTimeline(task: TaskView, heard: readonly TaskChange[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [{ at: task.createdAt, title: 'Submitted', detail: null, live: false }];
  for (const change of task.history) {
    entries.push({ at: change.at, title: change.status, detail: change.reason?.message ?? null, live: false });
  }
  for (const attempt of task.attempts) {
    if (attempt.startedAt !== null) {
      entries.push({ at: attempt.startedAt, title: `Attempt ${attempt.number} started`, detail: `Worker ${attempt.workerId}, lease ${attempt.lease}`, live: false });
    }
    if (attempt.endedAt !== null) {
      const error = attempt.error === null ? null : `${attempt.error.code}: ${attempt.error.message}`;
      entries.push({ at: attempt.endedAt, title: `Attempt ${attempt.number} ended: ${attempt.outcome ?? 'unknown'}`, detail: error, live: false });
    }
  }
  const readAt = timeOf(task.updatedAt);
  for (const change of heard) {
    if (change.taskId === task.id && timeOf(change.at) > readAt) {
      entries.push({ at: change.at, title: change.status, detail: null, live: true });
    }
  }
  // Simultaneous entries keep the order above: submission, status, attempts, live.
  return entries
    .map((entry, index) => ({ entry, index, time: timeOf(entry.at) }))
    .sort((a, b) => a.time - b.time || a.index - b.index)
    .map(({ entry }) => entry);
}

/** A timeline time to the second, in UTC like every other time of the app: tasks move within seconds. */
export function formatTimelineTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    return iso;
  }
  const text = new Date(ms).toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 19)} UTC`;
}

function timeOf(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
}
