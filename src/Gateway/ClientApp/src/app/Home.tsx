import type { Account } from '../api/types';

/** The home of an account that is neither a client nor a worker operator (an admin): who is signed in. */
export function Home({ account }: { account: Account }) {
  return (
    <section aria-labelledby="home-heading">
      <h1 id="home-heading">Welcome, {account.name}</h1>
      <dl className="facts">
        <dt>Account</dt>
        <dd>{account.id}</dd>
        <dt>Roles</dt>
        <dd>{account.roles.join(', ') || '—'}</dd>
        <dt>Available</dt>
        <dd>{account.balance.available} GSTD</dd>
        <dt>In escrow</dt>
        <dd>{account.balance.escrow} GSTD</dd>
      </dl>
    </section>
  );
}
