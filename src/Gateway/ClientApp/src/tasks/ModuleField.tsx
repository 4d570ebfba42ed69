import { useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { errorMessage } from '../app/errorMessage';
import { FieldErrorList } from '../app/FieldErrorList';
import type { TasksApi } from './tasksApi';

export type ModuleSource = 'upload' | 'existing';

export interface ModuleChoice {
  source: ModuleSource;
  /** The id the upload answered, or null before one succeeded. */
  uploadedId: string | null;
  typedId: string;
}

export const emptyModuleChoice: ModuleChoice = { source: 'upload', uploadedId: null, typedId: '' };

/** The module id a choice stands for; empty when there is none yet. */
export const moduleIdOf = (choice: ModuleChoice) => (choice.source === 'upload' ? (choice.uploadedId ?? '') : choice.typedId);

type Upload = { state: 'idle' } | { state: 'uploading'; name: string } | { state: 'done'; name: string; size: number } | { state: 'failed'; message: string };

interface ModuleFieldProps {
  tasks: TasksApi;
  /** The id of the control that takes focus for this field (the file or the id input). */
  fieldId: string;
  choice: ModuleChoice;
  setChoice: Dispatch<SetStateAction<ModuleChoice>>;
  /** Whether an upload is running, so the form waits for its id. */
  onUploading: (uploading: boolean) => void;
  errors: readonly string[] | undefined;
  maxModuleBytes: number | null;
}

/** A .wasm file uploaded as soon as it is chosen (so its problems show at once), or the id of one uploaded before. */
export function ModuleField({ tasks, fieldId, choice, setChoice, onUploading, errors, maxModuleBytes }: ModuleFieldProps) {
  const [upload, setUpload] = useState<Upload>({ state: 'idle' });
  // Only the last chosen file's upload may set the id.
  const latestUpload = useRef(0);
  const errorsId = `${fieldId}-errors`;
  const hintId = `${fieldId}-hint`;
  const shownErrors = upload.state === 'failed' && choice.source === 'upload' ? [upload.message, ...(errors ?? [])] : errors;
  const invalid = shownErrors !== undefined && shownErrors.length > 0;
  const describedBy = invalid ? `${hintId} ${errorsId}` : hintId;

  async function uploadFile(file: File | undefined) {
    const attempt = ++latestUpload.current;
    setChoice((before) => ({ ...before, uploadedId: null }));
    if (file === undefined) {
      setUpload({ state: 'idle' });
      return;
    }
    setUpload({ state: 'uploading', name: file.name });
    onUploading(true);
    try {
      const stored = await tasks.uploadModule(file);
      if (attempt === latestUpload.current) {
        setUpload({ state: 'done', name: file.name, size: stored.size });
        setChoice((before) => ({ ...before, uploadedId: stored.id }));
      }
    } catch (error) {
      if (attempt === latestUpload.current) {
        setUpload({ state: 'failed', message: errorMessage(error) });
      }
    } finally {
      if (attempt === latestUpload.current) {
        onUploading(false);
      }
    }
  }

  const chooseSource = (source: ModuleSource) => setChoice((before) => ({ ...before, source }));
  return (
    <fieldset className="task-field-group">
      <legend>Module</legend>
      <div className="task-choice">
        <input id={`${fieldId}-upload`} type="radio" name="module-source" checked={choice.source === 'upload'} onChange={() => chooseSource('upload')} />
        <label htmlFor={`${fieldId}-upload`}>Upload a .wasm file</label>
      </div>
      <div className="task-choice">
        <input id={`${fieldId}-existing`} type="radio" name="module-source" checked={choice.source === 'existing'} onChange={() => chooseSource('existing')} />
        <label htmlFor={`${fieldId}-existing`}>Use a module uploaded before</label>
      </div>
      {choice.source === 'upload' ? (
        <div className="field">
          <label htmlFor={fieldId}>Module file</label>
          <input
            id={fieldId}
            type="file"
            accept=".wasm,application/wasm"
            onChange={(event) => void uploadFile(event.target.files?.[0])}
            aria-invalid={invalid}
            aria-describedby={describedBy}
          />
          <p id={hintId} className="muted">
            A WASI command module: input on stdin, output on stdout
            {maxModuleBytes !== null && <>, at most {maxModuleBytes.toLocaleString('en')} bytes</>}. It is uploaded when you choose it.
          </p>
        </div>
      ) : (
        <div className="field">
          <label htmlFor={fieldId}>Module id</label>
          <input
            id={fieldId}
            className="mono task-wide-input"
            value={choice.typedId}
            onChange={(event) => setChoice((before) => ({ ...before, typedId: event.target.value }))}
            placeholder="sha256:…"
            spellCheck={false}
            autoComplete="off"
            aria-invalid={invalid}
            aria-describedby={describedBy}
          />
          <p id={hintId} className="muted">
            The id an earlier upload answered.
          </p>
        </div>
      )}
      <p aria-live="polite" className="muted">
        {choice.source === 'upload' && <UploadProgress upload={upload} uploadedId={choice.uploadedId} />}
      </p>
      <FieldErrorList id={errorsId} messages={shownErrors} />
    </fieldset>
  );
}

function UploadProgress({ upload, uploadedId }: { upload: Upload; uploadedId: string | null }) {
  if (upload.state === 'uploading') {
    return <>Uploading {upload.name}…</>;
  }
  if (upload.state === 'done' && uploadedId !== null) {
    return (
      <>
        Uploaded {upload.name} ({upload.size.toLocaleString('en')} bytes) as <span className="mono">{uploadedId}</span>
      </>
    );
  }
  return null;
}
