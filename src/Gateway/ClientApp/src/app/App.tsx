import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError } from '../api/apiError';
import { createGstdApi, type GstdApi } from '../api/gstdApi';
import type { Account } from '../api/types';
import { clearSession, loadApiKey, saveApiKey } from '../session/apiKeyStore';
import { LiveProvider } from '../live/LiveProvider';
import { errorMessage } from './errorMessage';
import { Shell } from './Shell';
import { SignIn } from './SignIn';

type SessionState =
  | { phase: 'restoring'; apiKey: string }
  | { phase: 'signed-out'; message: string | null }
  | { phase: 'signed-in'; apiKey: string; account: Account };

function initialState(): SessionState {
  const apiKey = loadApiKey();
  return apiKey === null ? { phase: 'signed-out', message: null } : { phase: 'restoring', apiKey };
}

/** Sign-in, or the app for the signed-in account. */
export function App() {
  const [session, setSession] = useState<SessionState>(initialState);

  const signOut = useCallback((message: string | null = null) => {
    clearSession();
    setSession({ phase: 'signed-out', message });
  }, []);

  const signedIn = useCallback((apiKey: string, account: Account) => {
    saveApiKey(apiKey);
    setSession({ phase: 'signed-in', apiKey, account });
  }, []);

  // After a reload the stored key is checked again: it may have been revoked meanwhile.
  const restoringKey = session.phase === 'restoring' ? session.apiKey : null;
  useEffect(() => {
    if (restoringKey === null) {
      return;
    }
    const controller = new AbortController();
    createGstdApi(restoringKey)
      .getMe(controller.signal)
      .then(
        (account) => setSession({ phase: 'signed-in', apiKey: restoringKey, account }),
        (error: unknown) => {
          if (controller.signal.aborted) {
            return;
          }
          const refused = error instanceof ApiError && error.status === 401;
          signOut(refused ? 'That key was not accepted.' : errorMessage(error));
        },
      );
    return () => controller.abort();
  }, [restoringKey, signOut]);

  const apiKey = session.phase === 'signed-in' ? session.apiKey : null;
  const api = useMemo<GstdApi | null>(
    () =>
      apiKey === null
        ? null
        : createGstdApi(apiKey, { onUnauthorized: () => signOut('The gateway no longer accepts your key. Sign in again.') }),
    [apiKey, signOut],
  );

  if (session.phase === 'restoring') {
    return <p className="centered">Signing in…</p>;
  }
  if (session.phase === 'signed-out' || api === null) {
    return <SignIn notice={session.phase === 'signed-out' ? session.message : null} onSignedIn={signedIn} />;
  }
  const signOutByChoice = () => {
    // The next person to sign in starts at home, not on the page the last one left open.
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    signOut();
  };
  return (
    <LiveProvider apiKey={session.apiKey}>
      <Shell account={session.account} api={api} onSignOut={signOutByChoice} />
    </LiveProvider>
  );
}
