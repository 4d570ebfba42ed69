import { useMemo, type ReactNode } from 'react';
import type { GstdApi } from '../api/gstdApi';
import type { Account } from '../api/types';
import { routeHref } from '../app/route';
import { BalanceSection } from './BalanceSection';
import { shareReadsPerTurn } from './sharedRead';
import { SpendChart } from './SpendChart';
import './dashboard.css';

interface ClientDashboardProps {
  api: GstdApi;
  account: Account;
  /** The map of the network's active work, placed in its section. */
  map: ReactNode;
}

/**
 * The client's home: balance, quick links, spending and the work running for them, all kept live. Each part holds
 * its own live state, so an event re-renders only the part it concerns.
 */
export function ClientDashboard({ api, account, map }: ClientDashboardProps) {
  // The balance and the chart's escrow both come from GET /api/accounts/me: read once when both ask together.
  const readAccount = useMemo(() => shareReadsPerTurn((signal) => api.getMe(signal)), [api]);

  return (
    <div className="dashboard">
      <h1>Welcome, {account.name}</h1>
      <div className="dashboard-top">
        <BalanceSection readAccount={readAccount} initial={account.balance} />
        <nav aria-label="Quick links" className="quick-links">
          <a href={routeHref({ page: 'tasks', status: null, taskId: null })}>Your tasks</a>
          <a href={routeHref({ page: 'submit' })}>Submit a task</a>
        </nav>
      </div>
      <section aria-labelledby="dashboard-spend-heading">
        <h2 id="dashboard-spend-heading">Spending</h2>
        <SpendChart api={api} readAccount={readAccount} />
      </section>
      {/* The map is a section with its own heading. */}
      {map}
    </div>
  );
}
