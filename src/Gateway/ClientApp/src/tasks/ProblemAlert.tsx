import { ApiError } from '../api/apiError';
import { errorMessage } from '../app/errorMessage';

/** A failed call as the gateway explained it: the problem's title, then its detail. Nothing when there is none. */
export function ProblemAlert({ error }: { error: unknown }) {
  if (error === null || error === undefined) {
    return null;
  }
  if (!(error instanceof ApiError)) {
    return (
      <p role="alert" className="error">
        {errorMessage(error)}
      </p>
    );
  }
  return (
    <div role="alert" className="error task-problem">
      <p>
        <strong>{error.title}</strong>
        {error.detail !== null && error.detail !== error.title && <> {error.detail}</>}
      </p>
    </div>
  );
}
