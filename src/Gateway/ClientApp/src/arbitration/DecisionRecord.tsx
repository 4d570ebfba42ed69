import type { Decision, Dispute } from '../api/types';
import { formatTimestamp } from '../format/formatTimestamp';

/** How a dispute was decided; both parties see it. */
export function DecisionRecord({ dispute, decision }: { dispute: Dispute; decision: Decision }) {
  return (
    <section aria-labelledby="decision-heading" className="decision">
      <h2 id="decision-heading">Decision</h2>
      <p>
        Outcome: <strong data-testid="dispute-outcome">{dispute.outcome ?? '—'}</strong>
        {dispute.outcome === 'split' && dispute.workerShare !== null && (
          <>
            {' '}
            — worker share <span data-testid="dispute-worker-share">{dispute.workerShare}</span> (
            {formatPercent(dispute.workerShare)})
          </>
        )}
      </p>
      <p data-testid="dispute-decision">
        Decided by {decision.by} at {formatTimestamp(decision.at)}
        {decision.note === null || decision.note === '' ? '.' : `: ${decision.note}`}
      </p>
      {decision.automatic && <p className="muted">The platform decided this automatically.</p>}
    </section>
  );
}

function formatPercent(share: number): string {
  return `${(share * 100).toLocaleString('en', { maximumFractionDigits: 2 })}%`;
}
