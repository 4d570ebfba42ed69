import { describe, expect, it } from 'vitest';
import type { TopicEvent } from '../realtime';
import { TRUST_HISTORY_KEPT, applyWorkerEvent } from './workerEvents';
import type { OperatorWorker } from './workerTypes';

const worker: OperatorWorker = {
  id: 'wrk_a',
  name: 'rack-1',
  trust: 0.5,
  status: 'Active',
  online: false,
  trustHistory: [{ at: '2026-03-01T10:00:00Z', event: 'succeeded', taskId: 'tsk_0', workerId: 'wrk_a', trust: 0.5 }],
};

const event = (kind: string, fields: Record<string, unknown> = {}): TopicEvent => ({ id: 'e1', kind, at: '2026-03-01T11:00:00Z', ...fields });

describe('applyWorkerEvent', () => {
  it('marks the worker online and offline', () => {
    const online = applyWorkerEvent(worker, event('worker.online', { workerId: 'wrk_a' }));
    expect(online.online).toBe(true);
    expect(applyWorkerEvent(online, event('worker.offline')).online).toBe(false);
    expect(applyWorkerEvent(online, event('worker.online'))).toBe(online);
  });

  it('takes the new trust and puts the change first in the history', () => {
    const next = applyWorkerEvent(
      worker,
      event('worker.trust_changed', { workerId: 'wrk_a', trust: 0.42, event: 'lost_lease', taskId: 'tsk_1', causedBy: 'wrk_b' }),
    );

    expect(next.trust).toBe(0.42);
    expect(next.trustHistory).toEqual([
      { at: '2026-03-01T11:00:00Z', event: 'lost_lease', taskId: 'tsk_1', workerId: 'wrk_b', trust: 0.42 },
      ...worker.trustHistory!,
    ]);
    expect(worker.trust).toBe(0.5);
  });

  it('keeps a bounded history', () => {
    let next = worker;
    for (let i = 0; i < TRUST_HISTORY_KEPT + 5; i++) {
      next = applyWorkerEvent(next, event('worker.trust_changed', { trust: i / 1000 }));
    }
    expect(next.trustHistory).toHaveLength(TRUST_HISTORY_KEPT);
    expect(next.trust).toBe((TRUST_HISTORY_KEPT + 4) / 1000);
  });

  it('ignores other kinds and a trust change without a number', () => {
    expect(applyWorkerEvent(worker, event('dispute.opened', { disputeId: 'd', taskId: 't' }))).toBe(worker);
    expect(applyWorkerEvent(worker, event('worker.trust_changed', { trust: '0.9' }))).toBe(worker);
  });
});
