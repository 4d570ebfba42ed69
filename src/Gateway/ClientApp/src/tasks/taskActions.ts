import type { TaskView } from './taskTypes';

export type TaskAction = 'cancel' | 'accept' | 'dispute' | 'redrive';

// API.md: cancel before completion; accept and dispute a Completed task (dispute once, inside the review window);
// redrive a DeadLettered or Expired one.
const CANCELLABLE = new Set(['Queued', 'RetryWaiting', 'Assigned', 'Running']);
const REDRIVABLE = new Set(['DeadLettered', 'Expired']);

/** The actions the owner may take on the task now, in the order they are offered. */
export function allowedActions(task: Pick<TaskView, 'status' | 'disputeId' | 'reviewEndsAt'>, nowMs: number): TaskAction[] {
  const actions: TaskAction[] = [];
  if (task.status === 'Completed') {
    actions.push('accept');
    const reviewEnds = task.reviewEndsAt === null ? Number.POSITIVE_INFINITY : Date.parse(task.reviewEndsAt);
    if (task.disputeId === null && !(nowMs >= reviewEnds)) {
      actions.push('dispute');
    }
  }
  if (REDRIVABLE.has(task.status)) {
    actions.push('redrive');
  }
  if (CANCELLABLE.has(task.status)) {
    actions.push('cancel');
  }
  return actions;
}
