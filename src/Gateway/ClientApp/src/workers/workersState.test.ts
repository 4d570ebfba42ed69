import { describe, expect, it } from 'vitest';
import type { TopicEvent } from '../realtime';
import { workersReducer, type WorkersState } from './workersState';
import type { OperatorWorker } from './workerTypes';

const a: OperatorWorker = { id: 'wrk_a', name: 'a', trust: 0.5, status: 'Active', online: true };
const b: OperatorWorker = { id: 'wrk_b', name: 'b', trust: 0.5, status: 'Active', online: true };
const ready: WorkersState = { phase: 'ready', workers: [a, b] };
const offline: TopicEvent = { id: 'e', kind: 'worker.offline', at: '2026-03-01T11:00:00Z' };

describe('workersReducer', () => {
  it('applies an event to its worker only', () => {
    const next = workersReducer(ready, { type: 'event', workerId: 'wrk_b', event: offline });
    expect(next).toEqual({ phase: 'ready', workers: [a, { ...b, online: false }] });
  });

  it('keeps the same state for events that change nothing or arrive before the list', () => {
    expect(workersReducer(ready, { type: 'event', workerId: 'wrk_x', event: offline })).toBe(ready);
    const loading: WorkersState = { phase: 'loading' };
    expect(workersReducer(loading, { type: 'event', workerId: 'wrk_a', event: offline })).toBe(loading);
  });

  it('replaces a re-read worker and drops one that is gone', () => {
    const reread = { ...a, trust: 0.9 };
    expect(workersReducer(ready, { type: 'reread', workerId: 'wrk_a', worker: reread })).toEqual({ phase: 'ready', workers: [reread, b] });
    expect(workersReducer(ready, { type: 'reread', workerId: 'wrk_a', worker: null })).toEqual({ phase: 'ready', workers: [b] });
  });
});
