import { TASK_STATUSES, type TaskStatus } from './taskTypes';

/** The statuses a `?status=A,B` filter names: known ones only, each once, in the usual order. None means all. */
export function parseStatusFilter(text: string | null): TaskStatus[] {
  const named = new Set((text ?? '').split(',').map((part) => part.trim()));
  return TASK_STATUSES.filter((status) => named.has(status));
}

/** The `status` query value of a filter; null for all statuses, so the URL stays short. */
export function formatStatusFilter(statuses: readonly TaskStatus[]): string | null {
  return statuses.length === 0 ? null : parseStatusFilter(statuses.join(',')).join(',');
}

/** Whether a task with this status belongs in a table with this filter. */
export function statusPasses(statuses: readonly string[], status: string): boolean {
  return statuses.length === 0 || statuses.includes(status);
}

/** The filter with one status added or taken away. */
export function toggleStatus(statuses: readonly TaskStatus[], status: TaskStatus): TaskStatus[] {
  return statuses.includes(status) ? statuses.filter((s) => s !== status) : parseStatusFilter([...statuses, status].join(','));
}
