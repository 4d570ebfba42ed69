import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../api/apiError';
import type { Dispute } from '../api/types';
import { FieldErrorList } from '../app/FieldErrorList';
import { ProblemAlert } from './ProblemAlert';
import type { TasksApi } from './tasksApi';
import type { DisputeReason } from './taskTypes';

interface DisputeFormProps {
  tasks: TasksApi;
  taskId: string;
  onOpened: (dispute: Dispute) => void;
  onCancel: () => void;
}

const REASONS: { value: DisputeReason; label: string; hint: string }[] = [
  { value: 'wrong_output', label: 'Wrong output', hint: 'the platform re-runs the task and compares the outputs' },
  { value: 'other', label: 'Other', hint: 'an arbitrator reads your details and decides' },
];

// The gateway keeps at most this much of the details.
const MAX_DETAILS = 4000;

/** The client's claim against a completed task's result. */
export function DisputeForm({ tasks, taskId, onOpened, onCancel }: DisputeFormProps) {
  const ids = { details: useId(), reasonErrors: useId(), detailsErrors: useId() };
  const [reason, setReason] = useState<DisputeReason>('wrong_output');
  const [details, setDetails] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const fieldErrors = failure instanceof ApiError ? failure.errors : {};

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      onOpened(await tasks.openDispute(taskId, { reason, details }));
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  }

  return (
    <form className="task-dispute-form" onSubmit={(event) => void submit(event)} noValidate aria-label="Dispute the result">
      <fieldset aria-describedby={fieldErrors.reason ? ids.reasonErrors : undefined}>
        <legend>Reason</legend>
        {REASONS.map((option) => (
          <ReasonChoice key={option.value} {...option} checked={reason === option.value} onChoose={() => setReason(option.value)} />
        ))}
        <FieldErrorList id={ids.reasonErrors} messages={fieldErrors.reason} />
      </fieldset>
      <div className="field">
        <label htmlFor={ids.details}>Details</label>
        <textarea
          id={ids.details}
          rows={4}
          maxLength={MAX_DETAILS}
          value={details}
          onChange={(event) => setDetails(event.target.value)}
          aria-invalid={fieldErrors.details !== undefined}
          aria-describedby={fieldErrors.details ? ids.detailsErrors : undefined}
        />
        <FieldErrorList id={ids.detailsErrors} messages={fieldErrors.details} />
      </div>
      <ProblemAlert error={failure} />
      <div className="task-action-buttons">
        <button type="submit" disabled={busy}>
          {busy ? 'Opening dispute…' : 'Open dispute'}
        </button>
        <button type="button" className="tasks-secondary" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ReasonChoice(props: { value: DisputeReason; label: string; hint: string; checked: boolean; onChoose: () => void }) {
  const id = useId();
  return (
    <div className="task-choice">
      <input id={id} type="radio" name="dispute-reason" value={props.value} checked={props.checked} onChange={props.onChoose} aria-describedby={`${id}-hint`} />
      <label htmlFor={id}>{props.label}</label>
      <span id={`${id}-hint`} className="muted">
        — {props.hint}
      </span>
    </div>
  );
}
