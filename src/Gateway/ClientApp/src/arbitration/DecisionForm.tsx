import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../api/apiError';
import type { GstdApi } from '../api/gstdApi';
import type { DecisionRequest, Dispute, DisputeOutcome } from '../api/types';
import { FieldErrorList } from '../app/FieldErrorList';
import { errorMessage } from '../app/errorMessage';
import { parseWorkerShare } from './workerShare';

interface DecisionFormProps {
  api: GstdApi;
  disputeId: string;
  onDecided: (dispute: Dispute) => void;
}

type FieldErrors = Partial<Record<'outcome' | 'workerShare' | 'note', string[]>>;

const OUTCOMES: { value: DisputeOutcome; label: string; hint: string }[] = [
  { value: 'refund', label: 'Refund', hint: 'the client gets the escrow back' },
  { value: 'release', label: 'Release', hint: 'the worker is paid' },
  { value: 'split', label: 'Split', hint: 'the worker gets a share' },
];

const FORM_FIELDS = new Set(['outcome', 'workerShare', 'note']);

/** The admin's decision on a dispute awaiting arbitration. */
export function DecisionForm({ api, disputeId, onDecided }: DecisionFormProps) {
  const ids = { share: useId(), note: useId(), outcomeErrors: useId(), shareErrors: useId(), noteErrors: useId() };
  const [outcome, setOutcome] = useState<DisputeOutcome | null>(null);
  const [share, setShare] = useState('');
  const [note, setNote] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<{ message: string; other: string[] } | null>(null);
  const [busy, setBusy] = useState(false);

  function validate(): { ok: true; request: DecisionRequest } | { ok: false; errors: FieldErrors } {
    const errors: FieldErrors = {};
    let workerShare: number | null = null;
    if (outcome === null) {
      errors.outcome = ['Choose an outcome.'];
    } else if (outcome === 'split') {
      const parsed = parseWorkerShare(share);
      if (parsed.ok) {
        workerShare = parsed.value;
      } else {
        errors.workerShare = [parsed.error];
      }
    }
    if (note.trim() === '') {
      errors.note = ['Write a note: both parties see it with the decision.'];
    }
    if (outcome === null || Object.keys(errors).length > 0) {
      return { ok: false, errors };
    }
    // The gateway refuses a share with refund or release, so it is sent only for a split.
    return { ok: true, request: workerShare === null ? { outcome, note } : { outcome, workerShare, note } };
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = validate();
    if (!checked.ok) {
      setFieldErrors(checked.errors);
      setProblem(null);
      return;
    }
    setBusy(true);
    setFieldErrors({});
    setProblem(null);
    try {
      onDecided(await api.decideDispute(disputeId, checked.request));
    } catch (error) {
      setBusy(false);
      if (error instanceof ApiError) {
        const errors: FieldErrors = {};
        const other: string[] = [];
        for (const [field, messages] of Object.entries(error.errors)) {
          if (FORM_FIELDS.has(field)) {
            errors[field as keyof FieldErrors] = [...messages];
          } else {
            other.push(...messages.map((message) => (field === '' ? message : `${field}: ${message}`)));
          }
        }
        setFieldErrors(errors);
        setProblem({ message: error.detail ?? error.title, other });
      } else {
        setProblem({ message: errorMessage(error), other: [] });
      }
    }
  }

  return (
    <section aria-labelledby="decide-heading" className="decide">
      <h2 id="decide-heading">Decide</h2>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <fieldset aria-describedby={fieldErrors.outcome ? ids.outcomeErrors : undefined}>
          <legend>Outcome</legend>
          {OUTCOMES.map((option) => (
            <OutcomeChoice
              key={option.value}
              {...option}
              checked={outcome === option.value}
              onChoose={() => setOutcome(option.value)}
            />
          ))}
          <FieldErrorList id={ids.outcomeErrors} messages={fieldErrors.outcome} />
        </fieldset>

        {outcome === 'split' && (
          <div className="field">
            <label htmlFor={ids.share}>Worker share</label>
            <input
              id={ids.share}
              type="number"
              min={0}
              max={1}
              step={0.0001}
              inputMode="decimal"
              value={share}
              onChange={(event) => setShare(event.target.value)}
              aria-invalid={fieldErrors.workerShare !== undefined}
              aria-describedby={fieldErrors.workerShare ? ids.shareErrors : undefined}
              required
            />
            <FieldErrorList id={ids.shareErrors} messages={fieldErrors.workerShare} />
          </div>
        )}

        <div className="field">
          <label htmlFor={ids.note}>Note</label>
          <textarea
            id={ids.note}
            rows={4}
            maxLength={4000}
            value={note}
            onChange={(event) => setNote(event.target.value)}
            aria-invalid={fieldErrors.note !== undefined}
            aria-describedby={fieldErrors.note ? ids.noteErrors : undefined}
            required
          />
          <FieldErrorList id={ids.noteErrors} messages={fieldErrors.note} />
        </div>

        {problem !== null && (
          <div role="alert" className="error">
            <p>{problem.message}</p>
            {problem.other.length > 0 && (
              <ul>
                {problem.other.map((message) => (
                  <li key={message}>{message}</li>
                ))}
              </ul>
            )}
          </div>
        )}

        <button type="submit" disabled={busy}>
          Decide
        </button>
      </form>
    </section>
  );
}

function OutcomeChoice(props: { value: DisputeOutcome; label: string; hint: string; checked: boolean; onChoose: () => void }) {
  const id = useId();
  // The hint stays out of the label so the radio's accessible name is exactly "Refund", "Release" or "Split".
  return (
    <div className="choice">
      <input id={id} type="radio" name="outcome" value={props.value} checked={props.checked} onChange={props.onChoose} aria-describedby={`${id}-hint`} />
      <label htmlFor={id}>{props.label}</label>
      <span id={`${id}-hint`} className="muted">
        — {props.hint}
      </span>
    </div>
  );
}
