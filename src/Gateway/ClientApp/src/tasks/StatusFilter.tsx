import { toggleStatus } from './statusFilter';
import { TASK_STATUSES, type TaskStatus } from './taskTypes';

interface StatusFilterProps {
  selected: readonly TaskStatus[];
  onChange: (statuses: TaskStatus[]) => void;
}

/** Checkboxes, shown as chips, for the statuses to list; none checked lists every status. */
export function StatusFilter({ selected, onChange }: StatusFilterProps) {
  return (
    <fieldset className="task-filter">
      <legend>Status</legend>
      <div className="task-filter-chips">
        {TASK_STATUSES.map((status) => (
          <label key={status} className="task-chip">
            <input type="checkbox" checked={selected.includes(status)} onChange={() => onChange(toggleStatus(selected, status))} />
            {status}
          </label>
        ))}
        <button type="button" className="tasks-secondary" onClick={() => onChange([])} disabled={selected.length === 0}>
          All statuses
        </button>
      </div>
    </fieldset>
  );
}
