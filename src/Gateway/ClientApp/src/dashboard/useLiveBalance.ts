import { useCallback, useEffect, useRef, useState } from 'react';
import type { GstdApi } from '../api/gstdApi';
import type { Balance } from '../api/types';
import { useTopic } from '../live/LiveProvider';
import { readBalance, readBalanceChange, type ExactBalance } from './balanceChange';

export interface LiveBalance {
  /** Null only when the gateway sent an amount that cannot be read. */
  balance: ExactBalance | null;
  /** Why the last read failed; the balance shown is then the last one known. */
  error: unknown;
  reload: () => void;
}

/** The account's balance: `initial`, then re-read over HTTP, then each balance.changed event; a resync re-reads. */
export function useLiveBalance(api: GstdApi, initial: Balance): LiveBalance {
  const [balance, setBalance] = useState(() => readBalance(initial));
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const heardWhileReading = useRef(false);

  useEffect(() => {
    const controller = new AbortController();
    heardWhileReading.current = false;
    api.getMe(controller.signal).then(
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
  }, [api, generation]);

  useTopic(
    'account',
    (event) => {
      const change = readBalanceChange(event, Date.now());
      if (change !== null) {
        heardWhileReading.current = true;
        setBalance({ available: change.available, escrow: change.escrow });
      }
    },
    reload,
  );

  return { balance, error, reload };
}
