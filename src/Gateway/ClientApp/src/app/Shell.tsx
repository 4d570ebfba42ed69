import type { GstdApi } from '../api/gstdApi';
import type { Account } from '../api/types';
import { ArbitrationQueue } from '../arbitration/ArbitrationQueue';
import { DisputePage } from '../arbitration/DisputePage';
import { ClientDashboard } from '../dashboard/ClientDashboard';
import { ConnectionIndicator } from '../live/ConnectionIndicator';
import { ActiveTaskMap } from '../map/ActiveTaskMap';
import { SubmitTaskPage } from '../tasks/SubmitTaskPage';
import { TasksPage } from '../tasks/TasksPage';
import { ThemeToggle } from '../theme/ThemeToggle';
import { WorkersPage } from '../workers/WorkersPage';
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
  const roles = rolesOf(account);
  const section = sectionOf(route);
  // An operator's home is its workers page: one link for it, current on either address.
  const operatorHome = roles.worker && !roles.client;
  const current = operatorHome && section === 'home' ? 'workers' : section;
  const link = (target: Route, name: Section, label: string) => (
    <a href={routeHref(target)} aria-current={current === name ? 'page' : undefined}>
      {label}
    </a>
  );

  return (
    <>
      <header className="top-bar">
        <span className="brand">GSTD</span>
        <nav aria-label="Main">
          {!operatorHome && link({ page: 'home' }, 'home', roles.client ? 'Dashboard' : 'Home')}
          {roles.client && link({ page: 'tasks', status: null, taskId: null }, 'tasks', 'Tasks')}
          {roles.client && link({ page: 'submit' }, 'submit', 'Submit')}
          {roles.worker && link({ page: 'workers', workerId: null }, 'workers', 'Workers')}
          {roles.admin && link({ page: 'arbitration', status: 'AwaitingArbitration' }, 'arbitration', 'Arbitration')}
        </nav>
        <ConnectionIndicator />
        <ThemeToggle />
        <span className="account-name">{account.name}</span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main className="page">
        <Page route={route} account={account} api={api} roles={roles} />
      </main>
    </>
  );
}

type Section = 'home' | 'tasks' | 'submit' | 'workers' | 'arbitration' | 'not-found';

interface Roles {
  client: boolean;
  worker: boolean;
  admin: boolean;
}

function rolesOf(account: Account): Roles {
  return { client: account.roles.includes('client'), worker: account.roles.includes('worker'), admin: account.roles.includes('admin') };
}

function sectionOf(route: Route): Section {
  return route.page === 'dispute' ? 'arbitration' : route.page;
}

function Page({ route, account, api, roles }: { route: Route; account: Account; api: GstdApi; roles: Roles }) {
  switch (route.page) {
    case 'home':
      if (roles.client) {
        return <ClientDashboard api={api} account={account} map={<ActiveTaskMap api={api} />} />;
      }
      return roles.worker ? <WorkersPage api={api} workerId={null} /> : <Home account={account} />;
    case 'tasks':
      return roles.client ? <TasksPage api={api} status={route.status} taskId={route.taskId} /> : <p>Tasks are for client accounts.</p>;
    case 'submit':
      return roles.client ? <SubmitTaskPage api={api} /> : <p>Submitting tasks is for client accounts.</p>;
    case 'workers':
      return roles.worker ? <WorkersPage api={api} workerId={route.workerId} /> : <p>Workers are for worker operators.</p>;
    case 'arbitration':
      return roles.admin ? <ArbitrationQueue api={api} status={route.status} /> : <p>Arbitration is for admins.</p>;
    case 'dispute':
      // Parties to a dispute may read it too; only admins get the decision form and the worker's history.
      return <DisputePage api={api} id={route.id} isAdmin={roles.admin} />;
    case 'not-found':
      return <p>There is no such page.</p>;
  }
}
