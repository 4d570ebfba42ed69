import type { Page } from '../api/types';
import { statusPasses } from './statusFilter';
import type { TaskChange, TaskSummary, TaskView } from './taskTypes';

/**
 * The task table: the pages read so far, newest first, kept live by the account's task events. A task the table
 * does not hold yet that an event lets through the filter (a new submission, a redrive) is read over HTTP and
 * placed by its creation time, or left out when it belongs to a page not loaded yet.
 */
export interface TaskTable {
  statuses: readonly string[];
  rows: readonly TaskSummary[];
  nextCursor: string | null;
  /** The first page is being read: events are kept to apply on top of it, as it may predate them. */
  loading: boolean;
  buffered: readonly TaskChange[];
  /** Tasks heard of in events but not read yet, with their latest status (events are in order, so they win). */
  unread: ReadonlyMap<string, string>;
}

export type TaskTableAction =
  /** The first page is asked for: for the same filter the rows stay until it comes (a resync), else they go. */
  | { type: 'load'; statuses: readonly string[] }
  | { type: 'firstPage'; page: Page<TaskSummary> }
  /** `cursor` is the one the page was asked with: a page of a list since reloaded is dropped. */
  | { type: 'nextPage'; cursor: string; page: Page<TaskSummary> }
  /** The first page could not be read: the rows (kept live meanwhile) stay as they are. */
  | { type: 'loadFailed' }
  | { type: 'change'; change: TaskChange }
  | { type: 'read'; summary: TaskSummary }
  | { type: 'readFailed'; taskId: string };

export function newTaskTable(statuses: readonly string[]): TaskTable {
  return { statuses, rows: [], nextCursor: null, loading: true, buffered: [], unread: new Map() };
}

export function reduceTaskTable(table: TaskTable, action: TaskTableAction): TaskTable {
  switch (action.type) {
    case 'load':
      return sameStatuses(table.statuses, action.statuses) ? { ...table, loading: true, buffered: [] } : newTaskTable(action.statuses);
    case 'firstPage': {
      const loaded: TaskTable = { ...table, rows: unique(action.page.items), nextCursor: action.page.nextCursor, loading: false, buffered: [] };
      return table.buffered.reduce(applyChange, loaded);
    }
    case 'nextPage': {
      if (table.loading || table.nextCursor !== action.cursor) {
        return table;
      }
      return { ...table, rows: unique([...table.rows, ...action.page.items]), nextCursor: action.page.nextCursor };
    }
    case 'loadFailed':
      return { ...table, loading: false, buffered: [] };
    case 'change':
      return applyChange(table.loading ? { ...table, buffered: [...table.buffered, action.change] } : table, action.change);
    case 'read':
      return placeRead(table, action.summary);
    case 'readFailed':
      return { ...table, unread: without(table.unread, action.taskId) };
  }
}

/** The list item of a task, from its full view. */
export function summaryOf(view: TaskView): TaskSummary {
  const { id, status, reason, moduleId, price, fee, createdAt, updatedAt } = view;
  return { id, status, reason, moduleId, price, fee, escrowState: view.escrow.state, createdAt, updatedAt };
}

function applyChange(table: TaskTable, change: TaskChange): TaskTable {
  let next = table;
  const index = table.rows.findIndex((row) => row.id === change.taskId);
  if (index >= 0) {
    // In place: a row that leaves the filter stays until the next load rather than vanish under the pointer.
    const rows = [...table.rows];
    rows[index] = { ...rows[index]!, status: change.status, updatedAt: change.at };
    next = { ...next, rows };
  }
  // A task still being read keeps its latest status even when a reload showed it meanwhile: the reload may drop it.
  if (table.unread.has(change.taskId) || (index < 0 && statusPasses(table.statuses, change.status))) {
    next = { ...next, unread: new Map(table.unread).set(change.taskId, change.status) };
  }
  return next;
}

function placeRead(table: TaskTable, summary: TaskSummary): TaskTable {
  const heard = table.unread.get(summary.id);
  const unread = without(table.unread, summary.id);
  if (table.rows.some((row) => row.id === summary.id)) {
    return { ...table, unread };
  }
  const row = heard === undefined ? summary : { ...summary, status: heard };
  if (!statusPasses(table.statuses, row.status)) {
    // It left the filter while it was read: a fresh load would not show it either.
    return { ...table, unread };
  }
  const created = timeOf(row.createdAt);
  const before = table.rows.findIndex((other) => timeOf(other.createdAt) < created);
  if (before < 0 && table.nextCursor !== null) {
    // Older than every loaded row while more pages exist: it belongs to a page "Load more" will bring.
    return { ...table, unread };
  }
  const rows = [...table.rows];
  rows.splice(before < 0 ? rows.length : before, 0, row);
  return { ...table, rows, unread };
}

/** The rows without repeats; the first of a task wins, as it carries what live events told. */
function unique(rows: readonly TaskSummary[]): TaskSummary[] {
  const byId = new Map<string, TaskSummary>();
  for (const row of rows) {
    if (!byId.has(row.id)) {
      byId.set(row.id, row);
    }
  }
  return [...byId.values()];
}

function sameStatuses(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((status, i) => status === b[i]);
}

function without(map: ReadonlyMap<string, string>, key: string): ReadonlyMap<string, string> {
  if (!map.has(key)) {
    return map;
  }
  const copy = new Map(map);
  copy.delete(key);
  return copy;
}

function timeOf(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
}
