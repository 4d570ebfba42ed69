import type { TrustChange, Worker } from '../api/types';

/** A trust change as `GET /api/workers/{id}` sends it: trust belongs to the account, so `workerId` names the worker that caused it. */
export interface AccountTrustChange extends TrustChange {
  workerId?: string | null;
}

/**
 * A worker as the operator's page holds it: the list's fields, and the activity fields (`online`, `activeLeases`,
 * `counters`, `earned`, `trustHistory`) once the worker was read on its own.
 */
export interface OperatorWorker extends Worker {
  capacity?: number;
  createdAt?: string;
  location?: { lat: number; lon: number } | null;
  trustHistory?: AccountTrustChange[] | null;
}

/** One line of the account's journal (`GET /api/ledger/entries`); `amount` is a signed decimal string. */
export interface LedgerLine {
  at: string;
  amount: string;
  kind: string;
  taskId: string | null;
  transferKey: string;
}
