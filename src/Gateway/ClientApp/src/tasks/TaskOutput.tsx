import { OutputEvidence } from '../arbitration/OutputEvidence';
import { outputPreview } from './outputPreview';
import type { TaskView } from './taskTypes';

/** The task's accepted output as escaped text and hex, or where it is kept when it is not inline. */
export function TaskOutput({ task }: { task: TaskView }) {
  const { result } = task;
  return (
    <section aria-labelledby="task-output-heading">
      <h2 id="task-output-heading">Result</h2>
      {result === null ? (
        <p className="muted">No result yet.</p>
      ) : result.output === null ? (
        <>
          <ResultFacts outputId={result.outputId} outputSha256={result.outputSha256} workerId={result.workerId} />
          <p className="muted">The output is too large to show here; it is stored as the blob above.</p>
        </>
      ) : (
        <OutputEvidence heading="Output" {...outputPreview(result.output)}>
          <ResultFacts outputId={result.outputId} outputSha256={result.outputSha256} workerId={result.workerId} />
        </OutputEvidence>
      )}
    </section>
  );
}

function ResultFacts({ outputId, outputSha256, workerId }: { outputId: string; outputSha256: string; workerId: string }) {
  return (
    <dl className="facts">
      <dt>Output</dt>
      <dd className="mono">{outputId}</dd>
      <dt>SHA-256</dt>
      <dd className="mono">{outputSha256}</dd>
      <dt>Worker</dt>
      <dd className="mono">{workerId}</dd>
    </dl>
  );
}
