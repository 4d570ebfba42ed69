import { describe, expect, it } from 'vitest';
import { allowedActions } from './taskActions';
import { TASK_STATUSES } from './taskTypes';

const now = Date.parse('2026-03-01T12:00:00Z');
const task = (status: string, disputeId: string | null = null, reviewEndsAt: string | null = null) => ({ status, disputeId, reviewEndsAt });

describe('allowedActions', () => {
  it('offers each action only in the states API.md allows it', () => {
    const table = Object.fromEntries(TASK_STATUSES.map((status) => [status, allowedActions(task(status, null, '2026-03-02T00:00:00Z'), now)]));
    expect(table).toEqual({
      Queued: ['cancel'],
      Assigned: ['cancel'],
      Running: ['cancel'],
      Verifying: [],
      RetryWaiting: ['cancel'],
      Completed: ['accept', 'dispute'],
      Disputed: [],
      Settled: [],
      Refunded: [],
      DeadLettered: ['redrive'],
      Expired: ['redrive'],
      Cancelled: [],
    });
  });

  it('offers a dispute once, and only inside the review window', () => {
    expect(allowedActions(task('Completed', 'dsp_1', '2026-03-02T00:00:00Z'), now)).toEqual(['accept']);
    expect(allowedActions(task('Completed', null, '2026-03-01T12:00:00Z'), now)).toEqual(['accept']);
    expect(allowedActions(task('Completed', null, null), now)).toEqual(['accept', 'dispute']);
  });

  it('offers nothing for a status it does not know', () => {
    expect(allowedActions(task('Archived'), now)).toEqual([]);
  });
});
