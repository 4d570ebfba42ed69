import { useCallback, useEffect, useRef, useState } from 'react';
import type { Account, Balance } from '../api/types';
import { useTopic } from '../live/LiveProvider';
import { readBalance, readBalanceChange, type ExactBalance } from './balanceChange';
import { useFrameTask } from './useFrameTask';

/** Reads the account over HTTP; the dashboard's hooks share one such read per turn (see shareReadsPerTurn). */
export type ReadAccount = (signal: AbortSignal) => Promise<Account>;

export interface LiveBalance {
  /** Null only when the gateway sent an amount that cannot be read. */
  balance: ExactBalance | null;
  /** Why the last read failed; the balance shown is then the last one known. */
  error: unknown;
  reload: () => void;
}

/**
 * The account's balance: `initial`, then re-read over HTTP, then each balance.changed event (the latest of a frame's
 * events is shown once, at the next frame); a resync re-reads.
 */
export function useLiveBalance(readAccount: ReadAccount, initial: Balance): LiveBalance {
  const [balance, setBalance] = useState(() => readBalance(initial));
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const heardWhileReading = useRef(false);
  const heard = useRef<ExactBalance | null>(null);
  const showHeard = useFrameTask(() => {
    const latest = heard.current;
    heard.current = null;
    if (latest !== null) {
      setBalance(latest);
    }
  });

  useEffect(() => {
    const controller = new AbortController();
    // What was heard before this read is shown now; the answer or a later event replaces it.
    showHeard.flush();
    heardWhileReading.current = false;
    readAccount(controller.signal).then(
      (account) => {
        if (controller.signal.aborted) {
          return;
        }
        // An event heard meanwhile is certainly recent while the answer may predate it; events that follow
        // the answer correct it anyway.
        if (!heardWhileReading.current) {
          setBalance((current) => readBalance(account.balance) ?? current);
        }
        setError(null);
      },
      (failure: unknown) => {
        if (!controller.signal.aborted) {
          setError(failure);
        }
      },
    );
    return () => controller.abort();
  }, [readAccount, generation, showHeard]);

  useTopic(
    'account',
    (event) => {
      const change = readBalanceChange(event, Date.now());
      if (change !== null) {
        heardWhileReading.current = true;
        heard.current = { available: change.available, escrow: change.escrow };
        showHeard.schedule();
      }
    },
    reload,
  );

  return { balance, error, reload };
}
