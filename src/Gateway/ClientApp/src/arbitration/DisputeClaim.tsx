import type { Dispute } from '../api/types';
import { useNow } from '../app/useNow';
import { formatTimestamp } from '../format/formatTimestamp';
import { relativeDeadline } from '../format/relativeDeadline';

/** What the client claims, what the automatic review said, and the dispute's deadlines. */
export function DisputeClaim({ dispute }: { dispute: Dispute }) {
  const now = useNow(30_000);
  const { reviewBy, arbitrateBy } = dispute.deadlines;
  return (
    <section aria-labelledby="claim-heading">
      <h2 id="claim-heading">Claim</h2>
      <dl className="facts">
        <dt>Task</dt>
        <dd className="mono">{dispute.taskId}</dd>
        <dt>Reason</dt>
        <dd>{dispute.reason}</dd>
        <dt>Worker</dt>
        <dd className="mono">{dispute.workerId}</dd>
        <dt>Opened</dt>
        <dd>{formatTimestamp(dispute.openedAt)}</dd>
        <dt>Review by</dt>
        <dd>{formatTimestamp(reviewBy)}</dd>
        <dt>Arbitrate by</dt>
        <dd>
          {formatTimestamp(arbitrateBy)}
          {arbitrateBy !== null && dispute.status !== 'Resolved' && <> ({relativeDeadline(arbitrateBy, now)})</>}
        </dd>
        <dt>Last change</dt>
        <dd>{formatTimestamp(dispute.updatedAt)}</dd>
      </dl>
      <h3>Client’s details</h3>
      {dispute.details === '' ? <p className="muted">The client gave no details.</p> : <p className="free-text">{dispute.details}</p>}
      <h3>Review note</h3>
      {dispute.reviewNote === null ? <p className="muted">No review note.</p> : <p className="free-text">{dispute.reviewNote}</p>}
    </section>
  );
}
