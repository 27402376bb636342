import { useEffect } from 'react';
import { api, ApiRequestError } from '../api/client.js';
import { LoginPage } from '../login/LoginPage.js';
import { session } from '../state/session.js';
import { useStore } from '../state/store.js';
import { EditorShell } from './EditorShell.js';

/** Signed in: the editor; signed out: the login page. */
export function App() {
  const user = useStore(session, (s) => s.user);
  useEffect(() => {
    api.me().then(
      (me) => session.set({ user: me }),
      (err: unknown) => {
        if (!(err instanceof ApiRequestError) || err.status !== 401) console.error('checking the session failed', err);
        session.set({ user: null });
      },
    );
  }, []);
  if (user === undefined) return <div className="gf-loading">Loading…</div>;
  if (user === null) return <LoginPage />;
  return <EditorShell key={user.username} />;
}
