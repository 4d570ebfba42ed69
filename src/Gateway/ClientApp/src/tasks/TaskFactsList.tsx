import { displayMoney } from '../format/money';
import { formatTimestamp } from '../format/formatTimestamp';
import type { TaskEscrow, TaskView } from './taskTypes';

/** What the task runs, on what terms, and where its money is. */
export function TaskFactsList({ task }: { task: TaskView }) {
  const { spec } = task;
  return (
    <section aria-labelledby="task-terms-heading">
      <h2 id="task-terms-heading">Terms</h2>
      <dl className="facts">
        <dt>Module</dt>
        <dd className="mono">{task.moduleId}</dd>
        <dt>Input</dt>
        <dd className="mono">{task.inputId}</dd>
        <dt>Price</dt>
        <dd>
          {money(task.price)}
          {spec.replicas > 1 && <> × {spec.replicas} replicas</>}
        </dd>
        <dt>Fee</dt>
        <dd>{money(task.fee)}</dd>
        <dt>Escrow</dt>
        <dd>
          <EscrowText escrow={task.escrow} />
        </dd>
        <dt>Submitted</dt>
        <dd>{formatTimestamp(task.createdAt)}</dd>
        <dt>Last change</dt>
        <dd>{formatTimestamp(task.updatedAt)}</dd>
      </dl>
      <h3>Limits</h3>
      <dl className="facts">
        <dt>Timeout</dt>
        <dd>{spec.timeoutSeconds.toLocaleString('en')} s</dd>
        <dt>Fuel</dt>
        <dd>{spec.maxFuel.toLocaleString('en')}</dd>
        <dt>Memory</dt>
        <dd>{spec.memoryLimitMb.toLocaleString('en')} MB</dd>
        <dt>Minimum trust</dt>
        <dd>{spec.minTrust}</dd>
        <dt>Priority</dt>
        <dd>{spec.priority}</dd>
        <dt>Attempts at most</dt>
        <dd>{spec.maxAttempts}</dd>
        <dt>Replicas</dt>
        <dd>{spec.replicas}</dd>
        <dt>Review window</dt>
        <dd>{spec.reviewSeconds.toLocaleString('en')} s</dd>
        <dt>Queue timeout</dt>
        <dd>{spec.queueTimeoutSeconds.toLocaleString('en')} s</dd>
      </dl>
    </section>
  );
}

function EscrowText({ escrow }: { escrow: TaskEscrow }) {
  const shares = [
    ['to the worker', escrow.toWorker],
    ['back to you', escrow.toClient],
    ['to the platform', escrow.toPlatform],
  ].filter((share): share is [string, string] => share[1] !== null);
  return (
    <>
      {money(escrow.amount)}, {escrow.state}
      {shares.length > 0 && <> ({shares.map(([who, amount]) => `${money(amount)} ${who}`).join(', ')})</>}
    </>
  );
}

/** An amount as people read it; an amount the client cannot parse is shown as it came. */
function money(amount: string): string {
  try {
    return displayMoney(amount);
  } catch {
    return `${amount} GSTD`;
  }
}
