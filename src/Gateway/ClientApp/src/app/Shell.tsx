import type { GstdApi } from '../api/gstdApi';
import type { Account } from '../api/types';
import { ArbitrationQueue } from '../arbitration/ArbitrationQueue';
import { DisputePage } from '../arbitration/DisputePage';
import { Home } from './Home';
import { routeHref, type Route } from './route';
import { useHashRoute } from './useHashRoute';

interface ShellProps {
  account: Account;
  api: GstdApi;
  onSignOut: () => void;
}

/** The header, the navigation the account's roles allow, and the current page. */
export function Shell({ account, api, onSignOut }: ShellProps) {
  const route = useHashRoute();
  const isAdmin = account.roles.includes('admin');
  const section = route.page === 'arbitration' || route.page === 'dispute' ? 'arbitration' : route.page;

  return (
    <>
      <header className="top-bar">
        <span className="brand">GSTD</span>
        <nav aria-label="Main">
          <a href={routeHref({ page: 'home' })} aria-current={section === 'home' ? 'page' : undefined}>
            Home
          </a>
          {isAdmin && (
            <a
              href={routeHref({ page: 'arbitration', status: 'AwaitingArbitration' })}
              aria-current={section === 'arbitration' ? 'page' : undefined}
            >
              Arbitration
            </a>
          )}
        </nav>
        <span className="account-name">{account.name}</span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main className="page">
        <Page route={route} account={account} api={api} isAdmin={isAdmin} />
      </main>
    </>
  );
}

function Page({ route, account, api, isAdmin }: { route: Route; account: Account; api: GstdApi; isAdmin: boolean }) {
  switch (route.page) {
    case 'home':
      return <Home account={account} />;
    case 'arbitration':
      return isAdmin ? <ArbitrationQueue api={api} status={route.status} /> : <p>Arbitration is for admins.</p>;
    case 'dispute':
      // Parties to a dispute may read it too; only admins get the decision form and the worker's history.
      return <DisputePage api={api} id={route.id} isAdmin={isAdmin} />;
    case 'not-found':
      return <p>There is no such page.</p>;
  }
}
