import type { TopicEvent } from '../realtime';
import type { AccountTrustChange, OperatorWorker } from './workerTypes';

/** Live trust changes kept per worker, so a page left open for days does not grow without end. */
export const TRUST_HISTORY_KEPT = 200;

/**
 * The worker after one event of its `worker:{id}` topic. Kinds that do not change what the page shows
 * (`dispute.*`, `task.offered`, …) and malformed events return the same object.
 */
export function applyWorkerEvent(worker: OperatorWorker, event: TopicEvent): OperatorWorker {
  switch (event.kind) {
    case 'worker.online':
      return worker.online === true ? worker : { ...worker, online: true };
    case 'worker.offline':
      return worker.online === false ? worker : { ...worker, online: false };
    case 'worker.trust_changed': {
      const trust = event['trust'];
      if (typeof trust !== 'number' || !Number.isFinite(trust)) {
        return worker;
      }
      const history = Array.isArray(worker.trustHistory) ? worker.trustHistory : [];
      return { ...worker, trust, trustHistory: [trustChangeOf(event, trust), ...history].slice(0, TRUST_HISTORY_KEPT) };
    }
    default:
      return worker;
  }
}

// Newest first, like the gateway's `trustHistory`.
function trustChangeOf(event: TopicEvent, trust: number): AccountTrustChange {
  const change: AccountTrustChange = { at: event.at, trust, taskId: stringOrNull(event['taskId']), workerId: stringOrNull(event['causedBy']) };
  const name = event['event'];
  if (typeof name === 'string') {
    change.event = name;
  }
  return change;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
