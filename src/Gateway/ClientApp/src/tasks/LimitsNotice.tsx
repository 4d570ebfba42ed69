import type { Resource } from '../app/useResource';
import { errorMessage } from '../app/errorMessage';
import type { PlatformLimits } from './taskTypes';

/** Says when the platform's limits are loading or could not be read; the form works without them. */
export function LimitsNotice({ resource, onRetry }: { resource: Resource<PlatformLimits>; onRetry: () => void }) {
  if (resource.state === 'loading') {
    return (
      <p aria-live="polite" className="muted">
        Reading the platform’s limits…
      </p>
    );
  }
  if (resource.state === 'failed') {
    return (
      <div role="alert" className="error">
        <p>
          The platform’s limits could not be read ({errorMessage(resource.error)}). You can still submit: empty limits take their
          defaults and the gateway checks every value.
        </p>
        <button type="button" onClick={onRetry}>
          Read them again
        </button>
      </div>
    );
  }
  return null;
}
