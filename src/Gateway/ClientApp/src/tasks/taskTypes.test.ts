import { describe, expect, it } from 'vitest';
import { readTaskChange, taskIdOf } from './taskTypes';

describe('readTaskChange', () => {
  it('reads the task and status of task.* events only', () => {
    expect(readTaskChange({ id: 'e1', kind: 'task.running', at: '2026-03-01T00:00:00Z', taskId: 't1', status: 'Running' })).toEqual({
      taskId: 't1',
      status: 'Running',
      at: '2026-03-01T00:00:00Z',
    });
    expect(readTaskChange({ id: 'e2', kind: 'balance.changed', at: 'x', taskId: 't1', available: '1' })).toBeNull();
    expect(readTaskChange({ id: 'e3', kind: 'task.queued', at: 'x', taskId: 7, status: 'Queued' })).toBeNull();
  });

  it('tells which task any account event is about', () => {
    expect(taskIdOf({ id: 'e1', kind: 'dispute.resolved', at: 'x', disputeId: 'd', taskId: 't1' })).toBe('t1');
    expect(taskIdOf({ id: 'e2', kind: 'balance.changed', at: 'x', taskId: null })).toBeNull();
  });
});
