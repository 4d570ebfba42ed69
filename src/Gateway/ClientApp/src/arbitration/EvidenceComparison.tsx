import type { Evidence, Reexecution } from '../api/types';
import { formatTimestamp } from '../format/formatTimestamp';
import { OutputEvidence } from './OutputEvidence';

/** The worker's submitted output next to each re-execution the platform ran, so they can be compared. */
export function EvidenceComparison({ evidence }: { evidence: Evidence }) {
  const { submitted, reexecutions } = evidence;
  return (
    <section aria-labelledby="evidence-heading">
      <h2 id="evidence-heading">Evidence</h2>
      <div className="evidence-grid">
        <OutputEvidence heading="Submitted output" size={submitted.size} preview={submitted.preview}>
          <dl className="facts">
            <dt>Output</dt>
            <dd className="mono">{submitted.outputId}</dd>
            <dt>SHA-256</dt>
            <dd className="mono">{submitted.outputSha256}</dd>
            <dt>Size</dt>
            <dd>{submitted.size.toLocaleString('en')} bytes</dd>
          </dl>
        </OutputEvidence>
        {reexecutions.length === 0 ? (
          <p className="output muted">No re-execution (the claim is not about the output)</p>
        ) : (
          reexecutions.map((run) => (
            <OutputEvidence key={run.number} heading={`Re-execution ${run.number}`} size={run.size} preview={run.preview}>
              <ReexecutionFacts run={run} />
            </OutputEvidence>
          ))
        )}
      </div>
    </section>
  );
}

function ReexecutionFacts({ run }: { run: Reexecution }) {
  return (
    <>
      <HashVerdict run={run} />
      <dl className="facts">
        <dt>Ran at</dt>
        <dd>{formatTimestamp(run.at)}</dd>
        <dt>Outcome</dt>
        <dd>{run.outcome}</dd>
        <dt>SHA-256</dt>
        <dd className="mono">{run.outputSha256 ?? '—'}</dd>
        <dt>Size</dt>
        <dd>{run.size.toLocaleString('en')} bytes</dd>
        <dt>Fuel</dt>
        <dd>{run.fuelUsed.toLocaleString('en')}</dd>
        <dt>Duration</dt>
        <dd>{run.durationMs.toLocaleString('en')} ms</dd>
        {run.detail !== null && (
          <>
            <dt>Detail</dt>
            <dd>{run.detail}</dd>
          </>
        )}
      </dl>
    </>
  );
}

function HashVerdict({ run }: { run: Reexecution }) {
  if (run.outputSha256 === null) {
    return <p className="verdict differs">No output to compare ({run.outcome}).</p>;
  }
  return run.matchesSubmitted ? (
    <p className="verdict matches">✓ Hash matches the submitted output.</p>
  ) : (
    <p className="verdict differs">✗ Hash differs from the submitted output.</p>
  );
}
