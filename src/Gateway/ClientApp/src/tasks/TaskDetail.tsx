import { AttemptsTable } from '../arbitration/AttemptsTable';
import { TaskActions } from './TaskActions';
import { TaskFactsList } from './TaskFactsList';
import { TaskOutput } from './TaskOutput';
import { TaskStatusLine } from './TaskStatusLine';
import { TaskTimeline } from './TaskTimeline';
import type { TasksApi } from './tasksApi';
import type { TaskChange, TaskView } from './taskTypes';

interface TaskDetailProps {
  tasks: TasksApi;
  task: TaskView;
  heard: readonly TaskChange[];
  rereadError: string | null;
  onChanged: (task: TaskView) => void;
  onReread: () => void;
}

/** Everything about one task: where it stands and what the owner can do, its result, terms, attempts and history. */
export function TaskDetail({ tasks, task, heard, rereadError, onChanged, onReread }: TaskDetailProps) {
  return (
    <>
      <TaskStatusLine task={task} />
      {rereadError !== null && (
        <div role="alert" className="error">
          <p>The task could not be read again; this may be out of date. {rereadError}</p>
          <button type="button" onClick={onReread}>
            Read again
          </button>
        </div>
      )}
      <TaskActions tasks={tasks} task={task} onChanged={onChanged} onDisputed={onReread} />
      <TaskOutput task={task} />
      <TaskFactsList task={task} />
      <div className="table-scroll">
        <AttemptsTable attempts={task.attempts} />
      </div>
      <TaskTimeline task={task} heard={heard} />
    </>
  );
}
