import type { TaskView } from './taskTypes';

/** A task view for tests, with any field overridden. */
export function testTask(overrides: Partial<TaskView> = {}): TaskView {
  return {
    id: 'tsk_1',
    status: 'Completed',
    reason: null,
    moduleId: 'sha256:aa',
    inputId: 'sha256:bb',
    price: '0.5',
    fee: '0.025',
    spec: { timeoutSeconds: 30, maxFuel: 10_000_000_000, memoryLimitMb: 64, minTrust: 0, priority: 0, maxAttempts: 4, replicas: 1, reviewSeconds: 86_400, queueTimeoutSeconds: 3_600 },
    escrow: { state: 'Held', amount: '0.525', toWorker: null, toClient: null, toPlatform: null },
    attempts: [],
    history: [{ status: 'Queued', at: '2026-03-01T10:00:00Z', reason: null }],
    nextAttemptAt: null,
    result: null,
    reviewEndsAt: null,
    disputeId: null,
    createdAt: '2026-03-01T10:00:00Z',
    updatedAt: '2026-03-01T10:00:00Z',
    ...overrides,
  };
}
