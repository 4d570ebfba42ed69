import type { Ref } from 'react';
import { ApiError } from '../api/apiError';
import { errorMessage } from '../app/errorMessage';
import { fieldLabel, type FieldErrors, type SubmitField } from './submitForm';

interface ErrorSummaryProps {
  /** The failed call, or null when only the form's own checks failed. */
  failure: unknown;
  fieldErrors: FieldErrors;
  /** Messages about no field (e.g. the Idempotency-Key). */
  other: readonly string[];
  fieldIdOf: (field: SubmitField) => string;
  /** Focused when the summary appears, so keyboard and screen reader users start from it. */
  ref: Ref<HTMLDivElement>;
}

/**
 * Everything that stopped the submission, at the top of the form: the gateway's title and detail, then each
 * field's messages as buttons that move focus to the field (hash links would change the page's route).
 */
export function ErrorSummary({ failure, fieldErrors, other, fieldIdOf, ref }: ErrorSummaryProps) {
  const fields = Object.entries(fieldErrors) as [SubmitField, string[]][];
  if (failure === null && fields.length === 0 && other.length === 0) {
    return null;
  }
  const title = failure instanceof ApiError ? failure.title : failure === null ? 'Check the form' : errorMessage(failure);
  const detail = failure instanceof ApiError && failure.detail !== null && failure.detail !== failure.title ? failure.detail : null;
  return (
    <div ref={ref} role="alert" tabIndex={-1} className="task-error-summary">
      <h2>{title}</h2>
      {detail !== null && <p>{detail}</p>}
      {(fields.length > 0 || other.length > 0) && (
        <ul>
          {fields.flatMap(([field, messages]) =>
            messages.map((message) => (
              <li key={`${field}-${message}`}>
                <button type="button" className="task-link-button" onClick={() => document.getElementById(fieldIdOf(field))?.focus()}>
                  {fieldLabel(field)}: {message}
                </button>
              </li>
            )),
          )}
          {other.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
