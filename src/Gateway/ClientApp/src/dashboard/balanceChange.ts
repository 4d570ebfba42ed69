import type { Balance } from '../api/types';
import { parseMoney } from '../format/money';
import type { TopicEvent } from '../realtime';
import { NO_SPEND, type SpendAmounts } from './spendSeries';

/** A balance in nano-GSTD. */
export interface ExactBalance {
  available: bigint;
  escrow: bigint;
}

/** A `balance.changed` event of the `account` topic, its money read exactly. */
export interface BalanceChange extends ExactBalance {
  /** When it happened, in ms since the epoch. */
  at: number;
  /** The signed change of the available balance. */
  delta: bigint;
  reason: string;
}

/** The exact balance of an API answer; null when an amount is malformed. */
export function readBalance(balance: Balance): ExactBalance | null {
  const available = moneyOrNull(balance.available);
  const escrow = moneyOrNull(balance.escrow);
  return available === null || escrow === null ? null : { available, escrow };
}

/**
 * The balance change an event carries; null for other kinds and malformed events. An event without a readable
 * time is placed at `receivedAt`.
 */
export function readBalanceChange(event: TopicEvent, receivedAt: number): BalanceChange | null {
  if (event.kind !== 'balance.changed' || typeof event.reason !== 'string') {
    return null;
  }
  const balance = typeof event.available === 'string' && typeof event.escrow === 'string'
    ? readBalance({ available: event.available, escrow: event.escrow })
    : null;
  const delta = typeof event.delta === 'string' ? moneyOrNull(event.delta) : null;
  if (balance === null || delta === null) {
    return null;
  }
  const at = Date.parse(event.at);
  return { ...balance, delta, reason: event.reason, at: Number.isNaN(at) ? receivedAt : at };
}

/**
 * What one balance change says about spend, given the escrow just before it (null when unknown).
 *
 * Money enters the client's escrow only by a hold and leaves it two ways: back to the available balance
 * (refunded) or to workers and fees (spent). So, with E the escrow that left (previous + held − new):
 * - held = −delta for a "hold" (the available balance paid into escrow);
 * - refunded = a positive delta, the money that came back (a refund, the client's part of a release or split),
 *   capped at E so that money from elsewhere (a deposit) is never counted as returned;
 * - spent = E − refunded: the escrow decrease that did not come back.
 * Working from the balances rather than the reason also counts escrow that left in transfers that published no
 * event of their own (the gateway is silent when the available balance does not move, e.g. a settlement paying
 * everything to workers): it shows in the bucket of the next event. An escrow that grew more than the hold
 * (a stale previous value) spends nothing; with no previous escrow only the hold and the return are known.
 */
export function spendOfChange(previousEscrow: bigint | null, change: BalanceChange): SpendAmounts {
  const held = change.reason === 'hold' && change.delta < 0n ? -change.delta : 0n;
  const returned = change.delta > 0n ? change.delta : 0n;
  if (previousEscrow === null) {
    return { ...NO_SPEND, held, refunded: returned };
  }
  const left = max(previousEscrow + held - change.escrow, 0n);
  const refunded = returned < left ? returned : left;
  return { held, refunded, spent: left - refunded };
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function moneyOrNull(text: string): bigint | null {
  try {
    return parseMoney(text);
  } catch {
    return null;
  }
}
