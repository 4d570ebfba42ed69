import type { ConnectionState } from '../realtime';
import { useConnectionState } from './LiveProvider';
import './live.css';

const labels: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  unauthorized: 'Not authorized for live updates',
  stopped: 'Offline',
};

/** Shows whether live updates are flowing; announced to screen readers when it changes. */
export function ConnectionIndicator() {
  const state = useConnectionState();
  return (
    <span className={`connection connection-${state}`} role="status" aria-live="polite" data-state={state}>
      <span className="connection-dot" aria-hidden="true" />
      {labels[state]}
    </span>
  );
}
