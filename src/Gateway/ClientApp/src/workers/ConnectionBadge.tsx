import { connectionLabel } from './workerFormat';

/** Online or offline as a word with a coloured dot (the word carries the meaning; the dot only helps scanning). */
export function ConnectionBadge({ online }: { online: boolean | null | undefined }) {
  const label = connectionLabel(online);
  return (
    <span className={`connection-badge connection-badge-${label.toLowerCase()}`}>
      <span className="connection-badge-dot" aria-hidden="true" />
      {label}
    </span>
  );
}
