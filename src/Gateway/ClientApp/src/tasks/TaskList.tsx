import type { MouseEvent } from 'react';
import { routeHref } from '../app/route';
import { formatTimestamp } from '../format/formatTimestamp';
import { TaskStatusBadge } from './TaskStatusBadge';
import type { TaskSummary } from './taskTypes';

interface TaskListProps {
  rows: readonly TaskSummary[];
  /** The `status` of the URL, kept in the links so closing the drawer returns to the same filter. */
  filter: string | null;
  openTaskId: string | null;
}

/** The id of a row's link, which takes focus back when the task's drawer closes. */
export const taskLinkId = (taskId: string) => `task-link-${taskId}`;

/**
 * One row per task, newest first. Each row opens the task's drawer: its first cell is a link (one tab stop a row,
 * announced as a link, Enter opens it) and a click anywhere on the row does the same.
 */
export function TaskList({ rows, filter, openTaskId }: TaskListProps) {
  const hrefOf = (taskId: string) => routeHref({ page: 'tasks', status: filter, taskId });
  const openRow = (event: MouseEvent<HTMLTableRowElement>, taskId: string) => {
    if (!(event.target instanceof Element && event.target.closest('a') !== null)) {
      window.location.hash = hrefOf(taskId);
    }
  };
  return (
    <div className="table-scroll">
      <table className="task-table">
        <thead>
          <tr>
            <th scope="col">Task</th>
            <th scope="col">Status</th>
            <th scope="col">Module</th>
            <th scope="col" className="number">
              Price
            </th>
            <th scope="col">Submitted</th>
            <th scope="col">Last change</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} className="clickable" aria-current={row.id === openTaskId ? 'true' : undefined} onClick={(event) => openRow(event, row.id)}>
              <td className="mono">
                <a id={taskLinkId(row.id)} href={hrefOf(row.id)}>
                  {row.id}
                </a>
              </td>
              <td>
                <TaskStatusBadge status={row.status} />
              </td>
              <td className="mono task-module" title={row.moduleId}>
                {row.moduleId}
              </td>
              <td className="number">{row.price} GSTD</td>
              <td>
                <time dateTime={row.createdAt}>{formatTimestamp(row.createdAt)}</time>
              </td>
              <td>
                <time dateTime={row.updatedAt}>{formatTimestamp(row.updatedAt)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
