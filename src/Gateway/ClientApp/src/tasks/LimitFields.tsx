import type { TaskSpec } from '../api/types';
import { FieldErrorList } from '../app/FieldErrorList';
import { LIMIT_FIELDS, type FieldErrors, type LimitField } from './submitForm';
import type { TaskLimitName } from './taskTypes';

interface LimitFieldsProps {
  fieldIdOf: (name: TaskLimitName) => string;
  values: Readonly<Record<TaskLimitName, string>>;
  onChange: (name: TaskLimitName, value: string) => void;
  errors: FieldErrors;
  /** From GET /api/limits; null while unknown. */
  defaults: TaskSpec | null;
  maxima: TaskSpec | null;
}

/** The task's optional limits; an empty field takes the platform's default. */
export function LimitFields({ fieldIdOf, values, onChange, errors, defaults, maxima }: LimitFieldsProps) {
  return (
    <fieldset className="task-field-group">
      <legend>Limits</legend>
      <p className="muted">Leave a field empty for the platform’s default.</p>
      <div className="task-limit-grid">
        {LIMIT_FIELDS.map((field) => (
          <LimitInput
            key={field.name}
            field={field}
            id={fieldIdOf(field.name)}
            value={values[field.name]}
            onChange={(value) => onChange(field.name, value)}
            errors={errors[field.name]}
            fallback={defaults?.[field.name] ?? null}
            max={maxima?.[field.name] ?? null}
          />
        ))}
      </div>
    </fieldset>
  );
}

interface LimitInputProps {
  field: LimitField;
  id: string;
  value: string;
  onChange: (value: string) => void;
  errors: readonly string[] | undefined;
  fallback: number | null;
  max: number | null;
}

function LimitInput({ field, id, value, onChange, errors, fallback, max }: LimitInputProps) {
  const invalid = errors !== undefined && errors.length > 0;
  const hintId = `${id}-hint`;
  const errorsId = `${id}-errors`;
  return (
    <div className="field">
      <label htmlFor={id}>{field.label}</label>
      {/* Text, not type=number: a browser empties a number field it cannot parse, and a typo would pass as "default". */}
      <input
        id={id}
        inputMode={field.integer ? 'numeric' : 'decimal'}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        placeholder={fallback === null ? undefined : String(fallback)}
        autoComplete="off"
        aria-invalid={invalid}
        aria-describedby={invalid ? `${hintId} ${errorsId}` : hintId}
      />
      <span id={hintId} className="muted task-limit-hint">
        {rangeText(field, fallback, max)}
      </span>
      <FieldErrorList id={errorsId} messages={errors} />
    </div>
  );
}

function rangeText(field: LimitField, fallback: number | null, max: number | null): string {
  const range = max === null ? `from ${field.min.toLocaleString('en')}` : `${field.min.toLocaleString('en')} to ${max.toLocaleString('en')}`;
  return fallback === null ? range : `${range}; default ${fallback.toLocaleString('en')}`;
}
