// The gateway's JSON as the browser uses it (API.md is the contract). Money is a decimal string, times are ISO 8601.

export interface Balance {
  available: string;
  escrow: string;
}

export interface Account {
  id: string;
  name: string;
  roles: string[];
  workerRole: string | null;
  balance: Balance;
}

export type DisputeStatus = 'Open' | 'AutoReviewing' | 'AwaitingArbitration' | 'Resolved';
export type DisputeOutcome = 'refund' | 'release' | 'split';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface DisputeSummary {
  id: string;
  taskId: string;
  workerId: string;
  reason: string;
  status: DisputeStatus;
  outcome: DisputeOutcome | null;
  workerShare: number | null;
  escrow: string;
  arbitrateBy: string | null;
  openedAt: string;
  updatedAt: string;
}

export interface TaskSpec {
  timeoutSeconds: number;
  maxFuel: number;
  memoryLimitMb: number;
  minTrust: number;
  priority: number;
  maxAttempts: number;
  replicas: number;
  reviewSeconds: number;
  queueTimeoutSeconds: number;
}

export interface SubmittedOutput {
  outputId: string;
  outputSha256: string;
  size: number;
  /** Base64 of the first 64 KiB at most. */
  preview: string;
  workerId: string;
  lease: number;
  signature: string;
  powNonce: string;
}

/** A location rounded to whole degrees. */
export interface Cell {
  lat: number;
  lon: number;
}

/** Why something failed: a stable code and a sentence. */
export interface Reason {
  code: string;
  message: string;
}

export interface Attempt {
  number: number;
  workerId: string;
  workerCell: Cell | null;
  lease: number;
  startedAt: string | null;
  endedAt: string | null;
  outcome: string | null;
  error: Reason | null;
}

export interface Reexecution {
  number: number;
  at: string;
  outcome: string;
  outputSha256: string | null;
  size: number;
  /** Base64 of the first 64 KiB at most. */
  preview: string;
  fuelUsed: number;
  durationMs: number;
  detail: string | null;
  matchesSubmitted: boolean;
}

export interface Evidence {
  moduleId: string;
  inputId: string;
  inputSha256: string;
  spec: TaskSpec;
  price: string;
  fee: string;
  escrow: string;
  submitted: SubmittedOutput;
  attempts: Attempt[];
  reexecutions: Reexecution[];
}

export interface Decision {
  /** An admin's account id, or "platform". */
  by: string;
  at: string;
  note: string | null;
  automatic: boolean;
}

export interface Dispute {
  id: string;
  taskId: string;
  reason: string;
  details: string;
  status: DisputeStatus;
  outcome: DisputeOutcome | null;
  workerShare: number | null;
  workerId: string;
  evidence: Evidence;
  reviewNote: string | null;
  deadlines: { reviewBy: string | null; arbitrateBy: string | null };
  decision: Decision | null;
  openedAt: string;
  updatedAt: string;
}

export interface TrustChange {
  at?: string;
  event?: string;
  taskId?: string | null;
  trust?: number;
}

/** A worker; everything past the first fields is present only in some answers, so it is all optional. */
export interface Worker {
  id: string;
  name: string;
  trust: number;
  status: string;
  capabilities?: string[];
  online?: boolean | null;
  activeLeases?: number | null;
  counters?: { completed?: number; settled?: number } | null;
  earned?: string | null;
  trustHistory?: TrustChange[] | null;
}

export interface DecisionRequest {
  outcome: DisputeOutcome;
  workerShare?: number;
  note: string;
}
