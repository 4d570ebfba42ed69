import { describe, expect, it } from 'vitest';
import { buildTimeline, formatTimelineTime } from './taskTimeline';
import type { TaskView } from './taskTypes';

const task: TaskView = {
  id: 't1',
  status: 'Completed',
  reason: null,
  moduleId: 'sha256:m',
  inputId: 'sha256:i',
  price: '0.5',
  fee: '0.025',
  spec: { timeoutSeconds: 30, maxFuel: 1e10, memoryLimitMb: 64, minTrust: 0, priority: 0, maxAttempts: 4, replicas: 1, reviewSeconds: 86400, queueTimeoutSeconds: 3600 },
  escrow: { state: 'Held', amount: '0.525', toWorker: null, toClient: null, toPlatform: null },
  attempts: [
    { number: 1, workerId: 'w1', workerCell: null, lease: 1, startedAt: '2026-03-01T10:00:02Z', endedAt: '2026-03-01T10:00:05Z', outcome: 'WorkerLost', error: { code: 'worker_lost', message: 'Gone.' } },
    { number: 2, workerId: 'w2', workerCell: null, lease: 2, startedAt: '2026-03-01T10:00:09Z', endedAt: null, outcome: null, error: null },
  ],
  history: [
    { status: 'Queued', at: '2026-03-01T10:00:00Z', reason: null },
    { status: 'Assigned', at: '2026-03-01T10:00:02Z', reason: null },
    { status: 'RetryWaiting', at: '2026-03-01T10:00:05Z', reason: { code: 'worker_lost', message: 'The worker went away.' } },
  ],
  nextAttemptAt: null,
  result: null,
  reviewEndsAt: null,
  disputeId: null,
  createdAt: '2026-03-01T10:00:00Z',
  updatedAt: '2026-03-01T10:00:09Z',
};

describe('buildTimeline', () => {
  it('orders submission, status changes and attempts by time, simultaneous ones in that order', () => {
    expect(buildTimeline(task, []).map((e) => [e.at.slice(17, 19), e.title, e.detail])).toEqual([
      ['00', 'Submitted', null],
      ['00', 'Queued', null],
      ['02', 'Assigned', null],
      ['02', 'Attempt 1 started', 'Worker w1, lease 1'],
      ['05', 'RetryWaiting', 'The worker went away.'],
      ['05', 'Attempt 1 ended: WorkerLost', 'worker_lost: Gone.'],
      ['09', 'Attempt 2 started', 'Worker w2, lease 2'],
    ]);
  });

  it('adds live changes of this task made after the view was read, marked live', () => {
    const heard = [
      { taskId: 't1', status: 'Running', at: '2026-03-01T10:00:09Z' },
      { taskId: 'other', status: 'Queued', at: '2026-03-01T10:00:10Z' },
      { taskId: 't1', status: 'Completed', at: '2026-03-01T10:00:12Z' },
    ];
    const live = buildTimeline(task, heard).filter((e) => e.live);
    expect(live).toEqual([{ at: '2026-03-01T10:00:12Z', title: 'Completed', detail: null, live: true }]);
  });
});

describe('formatTimelineTime', () => {
  it('shows the second, in UTC, and what it cannot read as it came', () => {
    expect(formatTimelineTime('2026-03-01T12:00:05.250+02:00')).toBe('2026-03-01 10:00:05 UTC');
    expect(formatTimelineTime('soon')).toBe('soon');
  });
});
