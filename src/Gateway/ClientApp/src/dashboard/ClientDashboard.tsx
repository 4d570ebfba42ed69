import type { ReactNode } from 'react';
import type { GstdApi } from '../api/gstdApi';
import type { Account } from '../api/types';
import { errorMessage } from '../app/errorMessage';
import { routeHref } from '../app/route';
import { BalanceCards } from './BalanceCards';
import { SpendChart } from './SpendChart';
import { useLiveBalance } from './useLiveBalance';
import './dashboard.css';

interface ClientDashboardProps {
  api: GstdApi;
  account: Account;
  /** The map of the network's active work, placed in its section. */
  map: ReactNode;
}

/** The client's home: balance, quick links, spending and the work running for them, all kept live. */
export function ClientDashboard({ api, account, map }: ClientDashboardProps) {
  const { balance, error, reload } = useLiveBalance(api, account.balance);

  return (
    <div className="dashboard">
      <h1>Welcome, {account.name}</h1>
      <div className="dashboard-top">
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
        <nav aria-label="Quick links" className="quick-links">
          <a href={routeHref({ page: 'tasks', status: null, taskId: null })}>Your tasks</a>
          <a href={routeHref({ page: 'submit' })}>Submit a task</a>
        </nav>
      </div>
      <section aria-labelledby="dashboard-spend-heading">
        <h2 id="dashboard-spend-heading">Spending</h2>
        <SpendChart api={api} />
      </section>
      {/* The map is a section with its own heading. */}
      {map}
    </div>
  );
}
