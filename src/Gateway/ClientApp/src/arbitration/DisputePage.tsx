import { ApiError } from '../api/apiError';
import type { GstdApi } from '../api/gstdApi';
import type { Dispute } from '../api/types';
import { errorMessage } from '../app/errorMessage';
import { routeHref } from '../app/route';
import { useResource } from '../app/useResource';
import { AttemptsTable } from './AttemptsTable';
import { DecisionForm } from './DecisionForm';
import { DecisionRecord } from './DecisionRecord';
import { DisputeClaim } from './DisputeClaim';
import { EvidenceComparison } from './EvidenceComparison';
import { TaskFacts } from './TaskFacts';
import { WorkerHistory } from './WorkerHistory';

interface DisputePageProps {
  api: GstdApi;
  id: string;
  isAdmin: boolean;
}

/** One dispute with all its evidence, and for admins the worker's history and the decision form. */
export function DisputePage({ api, id, isAdmin }: DisputePageProps) {
  const { resource, replace } = useResource((signal) => api.getDispute(id, signal), [api, id]);

  const back = isAdmin && (
    <p>
      <a href={routeHref({ page: 'arbitration', status: 'AwaitingArbitration' })}>← Arbitration queue</a>
    </p>
  );

  if (resource.state === 'loading') {
    return (
      <>
        {back}
        <p aria-live="polite">Loading dispute {id}…</p>
      </>
    );
  }
  if (resource.state === 'failed') {
    const notFound = resource.error instanceof ApiError && resource.error.status === 404;
    return (
      <>
        {back}
        <p role="alert" className="error">
          {notFound ? `Dispute ${id} was not found.` : errorMessage(resource.error)}
        </p>
      </>
    );
  }

  const dispute = resource.value;
  const showDecided = (decided: Dispute) => {
    replace(decided);
    // The decision is shown near the top, far from the form the admin just used.
    requestAnimationFrame(() => document.getElementById('decision-heading')?.scrollIntoView({ block: 'start' }));
  };
  return (
    <article aria-labelledby="dispute-heading" className="dispute">
      {back}
      <h1 id="dispute-heading">Dispute {dispute.id}</h1>
      <p className="status-line">
        Status: <strong data-testid="dispute-status">{dispute.status}</strong>
      </p>
      <DisputeClaim dispute={dispute} />
      {dispute.decision !== null && <DecisionRecord dispute={dispute} decision={dispute.decision} />}
      <EvidenceComparison evidence={dispute.evidence} />
      <TaskFacts taskId={dispute.taskId} evidence={dispute.evidence} />
      <AttemptsTable attempts={dispute.evidence.attempts} />
      {isAdmin && <WorkerHistory api={api} workerId={dispute.workerId} refreshKey={dispute.updatedAt} />}
      {/* Last, so the admin has read the evidence on the way to it. */}
      {isAdmin && dispute.status === 'AwaitingArbitration' && (
        <DecisionForm api={api} disputeId={dispute.id} onDecided={showDecided} />
      )}
    </article>
  );
}
