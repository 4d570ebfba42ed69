import type { Dispatch, SetStateAction } from 'react';
import { FieldErrorList } from '../app/FieldErrorList';
import { chooseInputTransport } from './submitForm';

export interface InputChoice {
  source: 'text' | 'file';
  text: string;
  file: File | null;
}

export const emptyInputChoice: InputChoice = { source: 'text', text: '', file: null };

/** The input's size in bytes as it will be sent: UTF-8 for text. */
export function inputSize(choice: InputChoice): number {
  return choice.source === 'text' ? new TextEncoder().encode(choice.text).length : (choice.file?.size ?? 0);
}

interface InputFieldProps {
  fieldId: string;
  choice: InputChoice;
  setChoice: Dispatch<SetStateAction<InputChoice>>;
  errors: readonly string[] | undefined;
  maxInlineInputBytes: number | null;
  maxBlobBytes: number | null;
}

/** The task's stdin, typed as text or taken from a file; small input goes inline, larger input as a blob. */
export function InputField({ fieldId, choice, setChoice, errors, maxInlineInputBytes, maxBlobBytes }: InputFieldProps) {
  const errorsId = `${fieldId}-errors`;
  const hintId = `${fieldId}-hint`;
  const invalid = errors !== undefined && errors.length > 0;
  const describedBy = invalid ? `${hintId} ${errorsId}` : hintId;
  const size = inputSize(choice);
  const transport = chooseInputTransport(size, maxInlineInputBytes);
  const chooseSource = (source: InputChoice['source']) => setChoice((before) => ({ ...before, source }));

  return (
    <fieldset className="task-field-group">
      <legend>Input</legend>
      <div className="task-choice">
        <input id={`${fieldId}-text`} type="radio" name="input-source" checked={choice.source === 'text'} onChange={() => chooseSource('text')} />
        <label htmlFor={`${fieldId}-text`}>Text</label>
      </div>
      <div className="task-choice">
        <input id={`${fieldId}-file`} type="radio" name="input-source" checked={choice.source === 'file'} onChange={() => chooseSource('file')} />
        <label htmlFor={`${fieldId}-file`}>File</label>
      </div>
      <div className="field">
        {choice.source === 'text' ? (
          <>
            <label htmlFor={fieldId}>Input text</label>
            <textarea
              id={fieldId}
              className="mono"
              rows={5}
              value={choice.text}
              onChange={(event) => setChoice((before) => ({ ...before, text: event.target.value }))}
              spellCheck={false}
              aria-invalid={invalid}
              aria-describedby={describedBy}
            />
          </>
        ) : (
          <>
            <label htmlFor={fieldId}>Input file</label>
            <input
              id={fieldId}
              type="file"
              onChange={(event) => {
                const file = event.target.files?.[0] ?? null;
                setChoice((before) => ({ ...before, file }));
              }}
              aria-invalid={invalid}
              aria-describedby={describedBy}
            />
          </>
        )}
        <p id={hintId} className="muted">
          Given to the module on stdin: {size.toLocaleString('en')} bytes, {transport === 'inline' ? 'sent with the task' : 'uploaded first as a blob'}.
          {sizeRule(maxInlineInputBytes, maxBlobBytes)}
        </p>
        <FieldErrorList id={errorsId} messages={errors} />
      </div>
    </fieldset>
  );
}

function sizeRule(maxInline: number | null, maxBlob: number | null): string {
  if (maxInline === null) {
    return '';
  }
  const blob = maxBlob === null ? '' : `; larger input, up to ${maxBlob.toLocaleString('en')} bytes, as a blob`;
  return ` Up to ${maxInline.toLocaleString('en')} bytes go with the task${blob}.`;
}
