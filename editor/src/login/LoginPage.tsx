import { useState, type FormEvent } from 'react';
import { api } from '../api/client.js';
import { session } from '../state/session.js';

export function LoginPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setBusy(true);
    setError('');
    api.login(username, password).then(
      (me) => session.set({ user: me }),
      (err: unknown) => {
        setError((err as Error).message || 'Login failed');
        setBusy(false);
      },
    );
  };

  return (
    <div className="gf-login" data-testid="login-page">
      <form className="gf-login-box" onSubmit={submit}>
        <h1>
          <span className="gf-logo">◇</span> Gridflow
        </h1>
        <label>
          Username
          <input
            data-testid="login-username"
            autoComplete="username"
            autoFocus
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            data-testid="login-password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <div className="gf-login-error" data-testid="login-error" role="alert">
            {error}
          </div>
        )}
        <button type="submit" data-testid="login-submit" disabled={busy || username === '' || password === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
