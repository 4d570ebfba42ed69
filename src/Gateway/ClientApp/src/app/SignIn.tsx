import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../api/apiError';
import { createGstdApi } from '../api/gstdApi';
import type { Account } from '../api/types';
import { errorMessage } from './errorMessage';

interface SignInProps {
  /** Why the user is back here, e.g. a key that stopped working. */
  notice: string | null;
  onSignedIn: (apiKey: string, account: Account) => void;
}

/** Asks for an API key and checks it with `GET /api/accounts/me`. */
export function SignIn({ notice, onSignedIn }: SignInProps) {
  const keyId = useId();
  const [apiKey, setApiKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(notice);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const key = apiKey.trim();
    if (key === '') {
      setError('Enter your API key.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSignedIn(key, await createGstdApi(key).getMe());
    } catch (failure) {
      setError(failure instanceof ApiError && failure.status === 401 ? 'That key was not accepted.' : errorMessage(failure));
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <h1>GSTD</h1>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <label htmlFor={keyId}>API key</label>
        <input
          id={keyId}
          type="password"
          autoComplete="current-password"
          value={apiKey}
          onChange={(event) => setApiKey(event.target.value)}
          aria-invalid={error !== null}
          required
        />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        {error !== null && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
