import { FormEvent, useState } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { ACCEPT_INVITATION, LOGIN } from '../operations';
import { setToken } from '../session';
import { navigate } from '../router';
import { errorText } from '../format';
import { useFocusHeading } from '../App';

export function LoginPage({ notice, onLoggedIn }: { notice: string | null; onLoggedIn: () => void }) {
  const heading = useFocusHeading<HTMLHeadingElement>('login');
  const client = useApolloClient();
  const [login, { loading }] = useMutation(LOGIN);
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setError(null);
    try {
      const { data } = await login({ variables: { login: String(form.get('login')), password: String(form.get('password')) } });
      await client.clearStore();
      setToken(data!.login.token);
      onLoggedIn();
      navigate({ name: 'cases' }, true);
    } catch (err) {
      setError(errorText(err).startsWith('Your session') ? 'Wrong login or password.' : errorText(err));
    }
  }
  return (
    <section className="narrow">
      <h1 ref={heading} tabIndex={-1}>
        Log in
      </h1>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <form onSubmit={submit}>
        <label htmlFor="login">Login</label>
        <input id="login" name="login" autoComplete="username" required aria-describedby={error ? 'login-error' : undefined} />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        {error && (
          <p id="login-error" role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={loading}>
          Log in
        </button>
      </form>
    </section>
  );
}

const MIN_PASSWORD = 8;

export function InvitationPage({ token }: { token: string }) {
  const heading = useFocusHeading<HTMLHeadingElement>('invitation');
  const client = useApolloClient();
  const [accept, { loading }] = useMutation(ACCEPT_INVITATION);
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = String(form.get('password'));
    setError(null);
    if (password.length < MIN_PASSWORD) return setError(`The password needs at least ${MIN_PASSWORD} characters.`);
    if (password !== String(form.get('confirm'))) return setError('The two passwords differ.');
    try {
      const { data } = await accept({ variables: { token, password } });
      await client.clearStore();
      setToken(data!.acceptInvitation.token);
      navigate({ name: 'cases' }, true);
    } catch (err) {
      setError(
        errorText(err).startsWith('Your session')
          ? 'This invitation link is no longer valid (used, expired or unknown). Ask your contact for a new one.'
          : errorText(err),
      );
    }
  }
  return (
    <section className="narrow">
      <h1 ref={heading} tabIndex={-1}>
        Accept your invitation
      </h1>
      {!token ? (
        <p role="alert" className="error">
          This link has no invitation token. Open the link from your e-mail.
        </p>
      ) : (
        <form onSubmit={submit} noValidate>
          <p id="password-rules">Choose a password of at least {MIN_PASSWORD} characters. The link works once, for 24 hours.</p>
          <label htmlFor="password">New password</label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            aria-describedby={error ? 'password-rules invitation-error' : 'password-rules'}
            aria-invalid={!!error}
          />
          <label htmlFor="confirm">Repeat the password</label>
          <input id="confirm" name="confirm" type="password" autoComplete="new-password" required />
          {error && (
            <p id="invitation-error" role="alert" className="error">
              {error}
            </p>
          )}
          <button type="submit" disabled={loading}>
            Set password and continue
          </button>
        </form>
      )}
    </section>
  );
}
