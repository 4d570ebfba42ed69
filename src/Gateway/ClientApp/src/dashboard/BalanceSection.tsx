import type { Balance } from '../api/types';
import { errorMessage } from '../app/errorMessage';
import { BalanceCards } from './BalanceCards';
import { useLiveBalance, type ReadAccount } from './useLiveBalance';
import './dashboard.css';

interface BalanceSectionProps {
  readAccount: ReadAccount;
  /** The balance the account was signed in with, shown until the first read answers. */
  initial: Balance;
}

/** The live balance with its own state, so a balance event re-renders this section and not the whole dashboard. */
export function BalanceSection({ readAccount, initial }: BalanceSectionProps) {
  const { balance, error, reload } = useLiveBalance(readAccount, initial);
  return (
    <section aria-labelledby="dashboard-balance-heading">
      <h2 id="dashboard-balance-heading">Balance</h2>
      <BalanceCards balance={balance} />
      {error !== null && (
        <div role="alert" className="dashboard-balance-error">
          <p className="error">Could not refresh your balance: {errorMessage(error)}</p>
          <button type="button" onClick={reload}>
            Try again
          </button>
        </div>
      )}
    </section>
  );
}
