import { useEffect, useMemo, useRef, type RefObject } from 'react';
import type { GstdApi } from '../api/gstdApi';
import { routeHref } from '../app/route';
import { formatStatusFilter, parseStatusFilter } from './statusFilter';
import { StatusFilter } from './StatusFilter';
import { TaskDrawer } from './TaskDrawer';
import { taskLinkId, TaskList } from './TaskList';
import { tasksApi } from './tasksApi';
import { useTaskTable } from './useTaskTable';
import './tasks.css';

interface TasksPageProps {
  api: GstdApi;
  /** The URL's comma-separated status filter; null lists every status. */
  status: string | null;
  /** The task whose drawer is open. */
  taskId: string | null;
}

/** The client's tasks, live, with a status filter, paging and a detail drawer. */
export function TasksPage({ api, status, taskId }: TasksPageProps) {
  const tasks = useMemo(() => tasksApi(api), [api]);
  const statuses = useMemo(() => parseStatusFilter(status), [status]);
  const filter = formatStatusFilter(statuses);
  const { table, loadError, loadingMore, moreError, loadMore, reload } = useTaskTable(tasks, statuses);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useFocusReturn(taskId, headingRef);

  const closeDrawer = () => {
    window.location.hash = routeHref({ page: 'tasks', status: filter, taskId: null });
  };
  const firstLoad = table.loading && table.rows.length === 0;

  return (
    <section aria-labelledby="tasks-heading" className="tasks-page">
      <div className="tasks-header">
        <h1 id="tasks-heading" ref={headingRef} tabIndex={-1}>
          Tasks
        </h1>
        <a className="tasks-button-link" href={routeHref({ page: 'submit' })}>
          Submit a task
        </a>
      </div>
      <StatusFilter
        selected={statuses}
        onChange={(next) => {
          window.location.hash = routeHref({ page: 'tasks', status: formatStatusFilter(next), taskId: null });
        }}
      />

      {table.rows.length > 0 && <TaskList rows={table.rows} filter={filter} openTaskId={taskId} />}
      <p aria-live="polite" className="muted">
        {table.loading ? (firstLoad ? 'Loading tasks…' : 'Refreshing…') : ''}
      </p>
      {!table.loading && loadError === null && table.rows.length === 0 && <EmptyTasks filtered={statuses.length > 0} />}
      {loadError !== null && (
        <div role="alert" className="error">
          <p>{loadError}</p>
          <button type="button" onClick={reload}>
            Try again
          </button>
        </div>
      )}
      {table.nextCursor !== null && !table.loading && (
        <button type="button" onClick={loadMore} disabled={loadingMore}>
          {loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
      {moreError !== null && (
        <p role="alert" className="error">
          {moreError}
        </p>
      )}

      {taskId !== null && <TaskDrawer key={taskId} tasks={tasks} taskId={taskId} onClose={closeDrawer} />}
    </section>
  );
}

function EmptyTasks({ filtered }: { filtered: boolean }) {
  return filtered ? (
    <p>No tasks with these statuses.</p>
  ) : (
    <p>
      No tasks yet — <a href={routeHref({ page: 'submit' })}>submit one</a>.
    </p>
  );
}

/** When the drawer closes, focus goes back to the row it was opened from (or the heading, if that row is gone). */
function useFocusReturn(taskId: string | null, fallback: RefObject<HTMLElement | null>) {
  const opened = useRef<string | null>(null);
  useEffect(() => {
    if (taskId !== null) {
      opened.current = taskId;
      return;
    }
    const closed = opened.current;
    opened.current = null;
    if (closed !== null) {
      (document.getElementById(taskLinkId(closed)) ?? fallback.current)?.focus();
    }
  }, [taskId, fallback]);
}
