import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/apiError';
import type { GstdApi } from '../api/gstdApi';
import { routeHref } from '../app/route';
import { useResource } from '../app/useResource';
import { bytesToBase64 } from './bytesToBase64';
import { ErrorSummary } from './ErrorSummary';
import { emptyInputChoice, InputField, inputSize, type InputChoice } from './InputField';
import { LimitFields } from './LimitFields';
import { LimitsNotice } from './LimitsNotice';
import { emptyModuleChoice, ModuleField, moduleIdOf, type ModuleChoice } from './ModuleField';
import { newIdempotencyKey } from './newIdempotencyKey';
import { PriceField } from './PriceField';
import {
  checkSubmitForm,
  chooseInputTransport,
  idempotencyKeyFor,
  LIMIT_FIELDS,
  sortProblemErrors,
  submitRequest,
  type FieldErrors,
  type SubmitField,
} from './submitForm';
import { tasksApi, type TasksApi } from './tasksApi';
import type { PlatformLimits, TaskLimitName } from './taskTypes';
import './tasks.css';

const noLimits = Object.fromEntries(LIMIT_FIELDS.map((field) => [field.name, ''])) as Record<TaskLimitName, string>;

interface Outcome {
  failure: unknown;
  fieldErrors: FieldErrors;
  other: string[];
}

const noOutcome: Outcome = { failure: null, fieldErrors: {}, other: [] };

/** The form that submits a task: module, input, price and limits; the gateway judges every value. */
export function SubmitTaskPage({ api }: { api: GstdApi }) {
  const tasks = useMemo(() => tasksApi(api), [api]);
  const limits = useResource((signal) => tasks.getLimits(signal), [tasks]);
  const known = limits.resource.state === 'ready' ? limits.resource.value : null;
  const baseId = useId();
  const fieldIdOf = (field: SubmitField) => `${baseId}-${field}`;

  const [module, setModule] = useState<ModuleChoice>(emptyModuleChoice);
  const [input, setInput] = useState<InputChoice>(emptyInputChoice);
  const [price, setPrice] = useState('');
  const [limitValues, setLimitValues] = useState<Record<TaskLimitName, string>>(noLimits);
  const [uploadingModule, setUploadingModule] = useState(false);
  const [phase, setPhase] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(noOutcome);
  const summaryRef = useRef<HTMLDivElement>(null);
  // The key of the last submission and the body it was for: the same body again reuses it (see idempotencyKeyFor).
  const submission = useRef<{ body: string; key: string } | null>(null);

  useEffect(() => {
    if (outcome !== noOutcome) {
      summaryRef.current?.focus();
    }
  }, [outcome]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = checkSubmitForm({ moduleId: moduleIdOf(module), price, limits: limitValues });
    const inputErrors = checkInput(input, known);
    if (!checked.ok || inputErrors !== null) {
      setOutcome({ failure: null, fieldErrors: { ...(checked.ok ? {} : checked.errors), ...(inputErrors === null ? {} : { input: inputErrors }) }, other: [] });
      return;
    }
    setOutcome(noOutcome);
    let stage: 'input' | 'task' = 'input';
    try {
      const inputPart = await sendInput(tasks, input, known, setPhase);
      stage = 'task';
      const request = submitRequest(checked, inputPart);
      submission.current = idempotencyKeyFor(submission.current, JSON.stringify(request), newIdempotencyKey);
      setPhase('Submitting the task…');
      const task = await tasks.submitTask(request, submission.current.key);
      window.location.hash = routeHref({ page: 'tasks', status: null, taskId: task.id });
    } catch (error) {
      const sorted: { byField: FieldErrors; other: string[] } = error instanceof ApiError ? sortProblemErrors(error.errors) : { byField: {}, other: [] };
      if (stage === 'input' && error instanceof ApiError && sorted.byField.input === undefined) {
        // A refused blob upload (too large, quota) is the input's problem, whatever the gateway named.
        sorted.byField.input = [error.detail ?? error.title];
      }
      setOutcome({ failure: error, fieldErrors: sorted.byField, other: sorted.other });
    } finally {
      setPhase(null);
    }
  }

  const busy = phase !== null;
  const { fieldErrors } = outcome;
  return (
    <section aria-labelledby="submit-heading" className="submit-task">
      <h1 id="submit-heading">Submit a task</h1>
      <LimitsNotice resource={limits.resource} onRetry={limits.reload} />
      <ErrorSummary ref={summaryRef} failure={outcome.failure} fieldErrors={fieldErrors} other={outcome.other} fieldIdOf={fieldIdOf} />
      <form onSubmit={(event) => void submit(event)} noValidate>
        <ModuleField
          tasks={tasks}
          fieldId={fieldIdOf('module')}
          choice={module}
          setChoice={setModule}
          onUploading={setUploadingModule}
          errors={fieldErrors.module}
          maxModuleBytes={known?.maxModuleBytes ?? null}
        />
        <InputField
          fieldId={fieldIdOf('input')}
          choice={input}
          setChoice={setInput}
          errors={fieldErrors.input}
          maxInlineInputBytes={known?.maxInlineInputBytes ?? null}
          maxBlobBytes={known?.maxBlobBytes ?? null}
        />
        <PriceField fieldId={fieldIdOf('price')} value={price} onChange={setPrice} errors={fieldErrors.price} limits={known} replicasText={limitValues.replicas} />
        <LimitFields
          fieldIdOf={fieldIdOf}
          values={limitValues}
          onChange={(name, value) => setLimitValues((before) => ({ ...before, [name]: value }))}
          errors={fieldErrors}
          defaults={known?.taskDefaults ?? null}
          maxima={known?.taskMaxima ?? null}
        />
        <div className="task-submit-row">
          <button type="submit" disabled={busy || uploadingModule}>
            Submit task
          </button>
          <span aria-live="polite" className="muted">
            {phase ?? (uploadingModule ? 'Waiting for the module upload…' : '')}
          </span>
        </div>
      </form>
    </section>
  );
}

/** The input's obvious problems: no file chosen, or larger than any blob may be. */
function checkInput(input: InputChoice, limits: PlatformLimits | null): string[] | null {
  if (input.source === 'file' && input.file === null) {
    return ['Choose a file, or type the input as text.'];
  }
  if (limits !== null && inputSize(input) > limits.maxBlobBytes) {
    return [`The input is larger than ${limits.maxBlobBytes.toLocaleString('en')} bytes, the most a task may take.`];
  }
  return null;
}

/** The input as the task request carries it: inline base64, or the id of a blob uploaded now. */
async function sendInput(tasks: TasksApi, input: InputChoice, limits: PlatformLimits | null, setPhase: (phase: string) => void) {
  const bytes: Blob = input.source === 'text' || input.file === null ? new Blob([new TextEncoder().encode(input.text)]) : input.file;
  setPhase('Reading the input…');
  if (chooseInputTransport(bytes.size, limits?.maxInlineInputBytes ?? null) === 'inline') {
    return { input: bytesToBase64(new Uint8Array(await bytes.arrayBuffer())) };
  }
  setPhase('Uploading the input…');
  return { inputId: (await tasks.uploadBlob(bytes)).id };
}
