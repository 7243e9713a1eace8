import { ApolloClient, ApolloLink, InMemoryCache, CombinedGraphQLErrors, ServerError } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import UploadHttpLink from 'apollo-upload-client/UploadHttpLink.mjs';
import { getToken } from './session';

export type UploadProgress = (loaded: number, total: number) => void;

/**
 * fetch, except when the operation passes `fetchOptions.onUploadProgress`: then XMLHttpRequest,
 * the only browser API that reports upload progress.
 */
function fetchWithProgress(input: RequestInfo | URL, init?: RequestInit & { onUploadProgress?: UploadProgress }): Promise<Response> {
  const onUploadProgress = init?.onUploadProgress;
  if (!onUploadProgress) return fetch(input, init);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(init.method ?? 'POST', String(input));
    new Headers(init.headers).forEach((value, name) => xhr.setRequestHeader(name, value));
    xhr.upload.onprogress = (e) => onUploadProgress(e.loaded, e.total);
    xhr.onload = () =>
      resolve(new Response(xhr.responseText, { status: xhr.status, headers: { 'content-type': xhr.getResponseHeader('content-type') ?? 'application/json' } }));
    xhr.onerror = () => reject(new TypeError('Network error'));
    xhr.onabort = () => reject(new DOMException('Aborted', 'AbortError'));
    init.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(init.body as XMLHttpRequestBodyInit);
  });
}

/** Called once when the server no longer accepts the session (expired, logged out elsewhere). */
export function createClient(onUnauthenticated: () => void) {
  const auth = new SetContextLink((prev) => {
    const token = getToken();
    return { headers: { ...prev.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } };
  });
  const errors = new ErrorLink(({ error, operation }) => {
    const unauthenticated =
      (CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) ||
      (ServerError.is(error) && error.statusCode === 401);
    // A wrong password or a spent invitation token is UNAUTHENTICATED too: that is the form's error, not an expiry.
    if (unauthenticated && getToken() && !['Login', 'AcceptInvitation'].includes(operation.operationName ?? '')) onUnauthenticated();
  });
  const http = new UploadHttpLink({
    uri: '/portal/graphql',
    // CSRF protection for multipart requests (the server refuses them without it).
    headers: { 'apollo-require-preflight': 'true' },
    fetch: fetchWithProgress as typeof fetch,
  });
  return new ApolloClient({
    link: ApolloLink.from([errors, auth, http]),
    cache: new InMemoryCache(),
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
  });
}
