import type { Evidence } from '../api/types';

/** The disputed task: what ran on what, what it costs, and the worker's signed claim to the output. */
export function TaskFacts({ taskId, evidence }: { taskId: string; evidence: Evidence }) {
  const { spec, submitted } = evidence;
  return (
    <section aria-labelledby="task-heading">
      <h2 id="task-heading">Task</h2>
      <dl className="facts">
        <dt>Task</dt>
        <dd className="mono">{taskId}</dd>
        <dt>Module</dt>
        <dd className="mono">{evidence.moduleId}</dd>
        <dt>Input</dt>
        <dd className="mono">{evidence.inputId}</dd>
        <dt>Input SHA-256</dt>
        <dd className="mono">{evidence.inputSha256}</dd>
        <dt>Price</dt>
        <dd>{evidence.price} GSTD</dd>
        <dt>Fee</dt>
        <dd>{evidence.fee} GSTD</dd>
        <dt>Escrow</dt>
        <dd>{evidence.escrow} GSTD</dd>
        <dt>Limits</dt>
        <dd>
          {spec.timeoutSeconds} s, {spec.maxFuel.toLocaleString('en')} fuel, {spec.memoryLimitMb} MB; {spec.replicas} replica(s),{' '}
          {spec.maxAttempts} attempts at most, min trust {spec.minTrust}, priority {spec.priority}
        </dd>
      </dl>
      <h3>Submission proof</h3>
      <dl className="facts">
        <dt>Submitted by</dt>
        <dd className="mono">{submitted.workerId}</dd>
        <dt>Lease</dt>
        <dd>{submitted.lease}</dd>
        <dt>Signature</dt>
        <dd className="mono wrap">{submitted.signature}</dd>
        <dt>PoW nonce</dt>
        <dd className="mono">{submitted.powNonce}</dd>
      </dl>
    </section>
  );
}
