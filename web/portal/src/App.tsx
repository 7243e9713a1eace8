import { useEffect, useMemo, useRef, useState } from 'react';
import { ApolloProvider, useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { createClient } from './apollo';
import { getToken, setToken } from './session';
import { navigate, Route, useRoute } from './router';
import { ME, LOGOUT } from './operations';
import { LoginPage, InvitationPage } from './pages/Auth';
import { CasesPage } from './pages/Cases';
import { CasePage } from './pages/Case';
import { NewCasePage } from './pages/NewCase';

export function App() {
  const [notice, setNotice] = useState<string | null>(null);
  const client = useMemo(
    () =>
      createClient(() => {
        // Session expired or revoked: back to the login page with a message, never a blank page.
        setToken(null);
        setNotice('Your session has expired. Please log in again.');
        void client.clearStore();
        navigate({ name: 'login' }, true);
      }),
    [],
  );
  return (
    <ApolloProvider client={client}>
      <Shell notice={notice} clearNotice={() => setNotice(null)} />
    </ApolloProvider>
  );
}

function Shell({ notice, clearNotice }: { notice: string | null; clearNotice: () => void }) {
  const route = useRoute();
  const loggedIn = !!getToken();
  const publicRoute = route.name === 'login' || route.name === 'invitation';
  useEffect(() => {
    if (!loggedIn && !publicRoute) navigate({ name: 'login' }, true);
  }, [loggedIn, publicRoute]);

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="bar">
        <span className="brand">TheHive Portal</span>
        {loggedIn && !publicRoute && <UserMenu />}
      </header>
      <main id="main" tabIndex={-1}>
        {publicRoute || !loggedIn ? (
          route.name === 'invitation' ? (
            <InvitationPage token={route.token} />
          ) : (
            <LoginPage notice={notice} onLoggedIn={clearNotice} />
          )
        ) : (
          <Private route={route} />
        )}
      </main>
    </>
  );
}

function Private({ route }: { route: Route }) {
  const { data, error } = useQuery(ME);
  if (error)
    return (
      <p role="alert" className="error">
        Your account could not be loaded.
      </p>
    );
  if (!data) return <p aria-busy="true">Loading…</p>;
  const me = data.me;
  switch (route.name) {
    case 'case':
      return <CasePage id={route.id} me={me} />;
    case 'new':
      return me.permissions.includes('portalCreateCase') ? <NewCasePage /> : <CasesPage me={me} />;
    default:
      return <CasesPage me={me} />;
  }
}

function UserMenu() {
  const { data } = useQuery(ME);
  const client = useApolloClient();
  const [logout] = useMutation(LOGOUT);
  return (
    <nav aria-label="Account" className="account">
      {data && <span className="who">{data.me.name}</span>}
      <button
        type="button"
        onClick={async () => {
          try {
            await logout();
          } catch {
            /* the session is dropped here either way */
          }
          setToken(null);
          await client.clearStore();
          navigate({ name: 'login' }, true);
        }}
      >
        Log out
      </button>
    </nav>
  );
}

/** Moves the focus to the page's heading when a page opens, so screen readers announce it. */
export function useFocusHeading<T extends HTMLElement>(key: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [key]);
  return ref;
}

export type Me = { id: string; login: string; name: string; permissions: string[]; maxUploadBytes: number; observableDataTypes: string[] };
