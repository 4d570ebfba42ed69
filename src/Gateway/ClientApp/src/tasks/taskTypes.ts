// The task API's JSON as the browser uses it (API.md, "Modules and blobs" and "Tasks").
import type { Attempt, Reason, TaskSpec } from '../api/types';
import type { TopicEvent } from '../realtime';

export const TASK_STATUSES = [
  'Queued',
  'Assigned',
  'Running',
  'Verifying',
  'RetryWaiting',
  'Completed',
  'Disputed',
  'Settled',
  'Refunded',
  'DeadLettered',
  'Expired',
  'Cancelled',
] as const;

export type TaskStatus = (typeof TASK_STATUSES)[number];

/** A list item of `GET /api/tasks`: no input or output bytes. */
export interface TaskSummary {
  id: string;
  /** A TaskStatus; kept a string so a status added to the API later still shows. */
  status: string;
  reason: Reason | null;
  moduleId: string;
  price: string;
  fee: string;
  escrowState: string;
  createdAt: string;
  updatedAt: string;
}

export interface TaskEscrow {
  /** Held, Frozen, Released, Refunded or Split. */
  state: string;
  amount: string;
  toWorker: string | null;
  toClient: string | null;
  toPlatform: string | null;
}

export interface TaskHistoryEntry {
  status: string;
  at: string;
  reason: Reason | null;
}

export interface TaskResult {
  /** Base64 of the whole output; null when the output is kept as the blob `outputId` only. */
  output: string | null;
  outputId: string;
  outputSha256: string;
  workerId: string;
}

/** `GET /api/tasks/{id}`, and the answer of every task action. */
export interface TaskView {
  id: string;
  status: string;
  reason: Reason | null;
  moduleId: string;
  inputId: string;
  price: string;
  fee: string;
  spec: TaskSpec;
  escrow: TaskEscrow;
  attempts: Attempt[];
  history: TaskHistoryEntry[];
  nextAttemptAt: string | null;
  result: TaskResult | null;
  reviewEndsAt: string | null;
  disputeId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The answer of `POST /api/modules` and `POST /api/blobs`. */
export interface StoredContent {
  id: string;
  size: number;
}

/** `GET /api/limits`. */
export interface PlatformLimits {
  feeBps: number;
  minPrice: string;
  maxPrice: string;
  maxModuleBytes: number;
  maxModuleFunctions: number;
  maxBlobBytes: number;
  maxInlineInputBytes: number;
  maxOutputBytes: number;
  taskDefaults: TaskSpec;
  taskMaxima: TaskSpec;
  maxOpenDisputes: number;
}

export type TaskLimitName = keyof TaskSpec;

/** `POST /api/tasks`: only moduleId, price and one of input/inputId are required. */
export type SubmitTaskRequest = { moduleId: string; price: string } & ({ input: string } | { inputId: string }) &
  Partial<TaskSpec>;

export type DisputeReason = 'wrong_output' | 'other';

export interface OpenDisputeRequest {
  reason: DisputeReason;
  details: string;
}

/** What every `task.*` event of the `account` topic carries. */
export interface TaskChange {
  taskId: string;
  status: string;
  at: string;
}

/** The task change an event tells of; null for events about something else. */
export function readTaskChange(event: TopicEvent): TaskChange | null {
  const { taskId, status } = event;
  if (!event.kind.startsWith('task.') || typeof taskId !== 'string' || typeof status !== 'string') {
    return null;
  }
  return { taskId, status, at: event.at };
}

/** The task an account event concerns (task.*, dispute.*, balance.changed), if any. */
export function taskIdOf(event: TopicEvent): string | null {
  return typeof event.taskId === 'string' ? event.taskId : null;
}
