import type { GstdApi } from '../api/gstdApi';
import type { Page } from '../api/types';
import { ACTIVE_STATUSES, type TaskPlacement } from './activeTasks';
import type { NetworkMap } from './networkCells';

export interface ActiveTaskList {
  /** The fields of the list items (task summaries) that the map reads. */
  tasks: TaskPlacement[];
  /** More active tasks exist than the map reads; the newest are shown. */
  truncated: boolean;
}

const PAGE_SIZE = 500;
/** Enough for any one client's active work; past it the newest are shown and the page says so. */
export const MAX_LISTED_TASKS = 2000;

export function getNetworkMap(api: GstdApi, signal: AbortSignal): Promise<NetworkMap> {
  return api.request<NetworkMap>('/api/network/map', { signal });
}

/** The client's active tasks, newest first, following the cursor up to `MAX_LISTED_TASKS`. */
export async function listActiveTasks(api: GstdApi, signal: AbortSignal): Promise<ActiveTaskList> {
  const tasks: TaskPlacement[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ status: ACTIVE_STATUSES.join(','), limit: String(PAGE_SIZE) });
    if (cursor !== null) {
      query.set('cursor', cursor);
    }
    const page: Page<TaskPlacement> = await api.request<Page<TaskPlacement>>(`/api/tasks?${query.toString()}`, { signal });
    tasks.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null && tasks.length < MAX_LISTED_TASKS);
  return { tasks: tasks.slice(0, MAX_LISTED_TASKS), truncated: cursor !== null || tasks.length > MAX_LISTED_TASKS };
}
