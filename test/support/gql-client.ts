export interface Actor {
  token?: string;
  /** X-Organisation; omitted → the user's default organisation. */
  organisation?: string;
}

export interface GqlError {
  message: string;
  extensions?: { code?: string; [k: string]: unknown };
  path?: Array<string | number>;
}

export interface GqlResponse<T = any> {
  status: number;
  data?: T | null;
  errors?: GqlError[];
  headers: Headers;
}

/** Real HTTP requests to the real server, as any outside client would make them. */
export class GqlClient {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(
    query: string,
    variables: Record<string, unknown> = {},
    actor: Actor = {},
    endpoint: 'internal' | 'portal' = 'internal',
  ): Promise<GqlResponse<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (actor.token) headers.authorization = `Bearer ${actor.token}`;
    if (actor.organisation !== undefined) headers['x-organisation'] = actor.organisation;
    const res = await fetch(`${this.baseUrl}${endpoint === 'internal' ? '/graphql' : '/portal/graphql'}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: GqlError[] };
    return { status: res.status, data: body.data, errors: body.errors, headers: res.headers };
  }

  /** The data of a request that must succeed; fails the test with the errors otherwise. */
  async ok<T = any>(query: string, variables: Record<string, unknown> = {}, actor: Actor = {}, endpoint: 'internal' | 'portal' = 'internal'): Promise<T> {
    const res = await this.request<T>(query, variables, actor, endpoint);
    if (res.errors?.length || !res.data) throw new Error(`expected success, got ${res.status} ${JSON.stringify(res.errors)}`);
    return res.data;
  }

  /** The error code of a request that must fail (the first error's code). */
  async code(
    query: string,
    variables: Record<string, unknown> = {},
    actor: Actor = {},
    endpoint: 'internal' | 'portal' = 'internal',
  ): Promise<string | undefined> {
    const res = await this.request(query, variables, actor, endpoint);
    return res.errors?.[0]?.extensions?.code;
  }

  async login(login: string, password: string, endpoint: 'internal' | 'portal' = 'internal'): Promise<string> {
    const data = await this.ok<{ login: { token: string } }>(
      'mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }',
      { l: login, p: password },
      {},
      endpoint,
    );
    return data.login.token;
  }
}
