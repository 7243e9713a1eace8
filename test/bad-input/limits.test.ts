import { subscribe } from '../support/ws-client';
import { useWorld } from '../support/use-world';

const { server, world } = useWorld();
const gql = () => server.client;

const auditCount = async () => (await server.sql('SELECT count(*)::int AS n FROM audit'))[0].n;

async function raw(body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${world.soc.analyst.token}`, ...headers },
    body,
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    json: (() => {
      try {
        return JSON.parse(text);
      } catch {
        return undefined;
      }
    })(),
  };
}

function expectRefused(res: { status: number; text: string; json?: any }) {
  expect(res.status).toBeLessThan(500);
  expect(res.json?.errors?.[0]?.extensions?.code).toEqual(expect.any(String));
  expect(res.json.errors[0].extensions.code).not.toBe('INTERNAL_SERVER_ERROR');
  expect(res.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|stacktrace/);
}

const bombs: Array<[string, string]> = [
  ['depth', `{ organisations { ${'links { '.repeat(14)} name ${'} '.repeat(14)} } }`],
  // Fragments are flattened for the depth count (clients nest them freely): their fields still count.
  [
    'depth through fragments',
    `{ organisations { ...F0 } } ${Array.from({ length: 14 }, (_, i) => `fragment F${i} on Organisation { links { ${i < 13 ? `...F${i + 1}` : 'name'} } }`).join(' ')}`,
  ],
  ['aliases', `{ ${Array.from({ length: 200 }, (_, i) => `a${i}: me { login }`).join(' ')} }`],
  ['directives', `{ me ${'@include(if: true) '.repeat(200)} { login } }`],
  ['tokens', `{ me { ${'login '.repeat(6000)} } }`],
];

describe('query bombs are refused before execution (HTTP)', () => {
  it.each(bombs)('%s bomb', async (_name, query) => {
    const before = await auditCount();
    const res = await raw(JSON.stringify({ query }));
    expectRefused(res);
    expect(res.json.data ?? null).toBeNull();
    expect(await auditCount()).toBe(before);
  });

  it('a mutation inside a bomb writes nothing', async () => {
    const query = `mutation { ${Array.from({ length: 100 }, (_, i) => `m${i}: createApiKey(login: "analyst@soc.test")`).join(' ')} }`;
    const before = (await server.sql('SELECT count(*)::int AS n FROM credential'))[0].n;
    expectRefused(await raw(JSON.stringify({ query })));
    expect((await server.sql('SELECT count(*)::int AS n FROM credential'))[0].n).toBe(before);
  });

  it('batched HTTP requests are refused', async () => {
    const res = await raw(JSON.stringify([{ query: '{ me { login } }' }, { query: '{ me { login } }' }]));
    expect(res.status).toBe(400);
  });
});

describe('query bombs are refused on WebSocket too', () => {
  it.each(bombs.filter(([n]) => n !== 'tokens'))('%s bomb over graphql-ws', async (_name, query) => {
    const sub = await subscribe(
      server.url,
      query.replace(/^\{/, 'subscription { liveFeed { id } ').replace(/^subscription \{ liveFeed \{ id \} (.*)\}$/s, 'subscription { liveFeed { id } $1}'),
      world.soc['org-admin'],
    );
    // A deep/aliased subscription document: the server must answer errors, not a stream.
    await new Promise((r) => setTimeout(r, 200));
    await sub.close();
    expect(sub.received).toEqual([]);
  });

  it('a token bomb over graphql-ws is refused by the parser, as over HTTP', async () => {
    // Valid apart from its size (the same field repeated merges): without the token limit it would run.
    const query = `subscription { liveFeed { ${'id '.repeat(6000)}} }`;
    const sub = await subscribe(server.url, query, world.soc['org-admin']);
    const errors = await sub.waitForError();
    await sub.close();
    expect(sub.received).toEqual([]);
    expect(errors.map((e) => (e as { message?: string }).message).join(' ')).toMatch(/5000 tokens/); // graphql-js: "contains more that 5000 tokens";
  });

  it('an alias bomb on liveFeed is refused with errors', async () => {
    const query = `subscription { ${Array.from({ length: 200 }, (_, i) => `a${i}: liveFeed { id }`).join(' ')} }`;
    const sub = await subscribe(server.url, query, world.soc['org-admin']);
    await new Promise((r) => setTimeout(r, 200));
    await sub.close();
    expect(sub.received).toEqual([]);
    expect(sub.errors.length).toBeGreaterThan(0);
  });
});

describe('malformed requests', () => {
  it.each([
    ['not JSON', '{"query": '],
    ['JSON but not an object', '"hello"'],
    ['no query', '{}'],
    ['query not a string', '{"query": 42}'],
    ['syntax error', '{"query": "{ me { login "}'],
    ['unknown field', '{"query": "{ nothing }"}'],
    ['variables of the wrong type', '{"query": "query($n: String!) { organisation(name: $n) { id } }", "variables": {"n": 5}}'],
    ['missing variable', '{"query": "query($n: String!) { organisation(name: $n) { id } }"}'],
  ])('%s → 4xx with a code', async (_name, body) => {
    expectRefused(await raw(body));
  });

  it('a GET with a mutation is refused', async () => {
    const res = await fetch(`${server.url}/graphql?query=${encodeURIComponent('mutation { logout }')}`, {
      headers: { authorization: `Bearer ${world.soc.analyst.token}`, 'apollo-require-preflight': 'true' },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('multipart without the preflight header is refused before anything is read', async () => {
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: '{ me { login } }' }));
    form.append('map', '{}');
    const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${world.soc.analyst.token}` }, body: form });
    expect(res.status).toBe(400);
  });
});

describe('strings: length, control characters, unicode', () => {
  const CREATE = 'mutation($n: String!, $d: String) { createOrganisation(name: $n, description: $d) { name description } }';

  it('very long strings are BAD_USER_INPUT and nothing is written', async () => {
    const before = await auditCount();
    expect(await gql().code(CREATE, { n: 'x'.repeat(100_000) }, world.admin)).toBe('BAD_USER_INPUT');
    expect(await gql().code(CREATE, { n: 'long-desc', d: 'd'.repeat(200_000) }, world.admin)).toBeDefined();
    expect(await server.sql("SELECT 1 FROM organisation WHERE name = 'long-desc'")).toHaveLength(0);
    expect(await auditCount()).toBe(before);
  });

  it('control characters and NUL are refused', async () => {
    for (const n of ['nul\u0000name', 'bell\u0007', 'esc\u001b[31m']) {
      expect(await gql().code(CREATE, { n }, world.admin)).toBe('BAD_USER_INPUT');
    }
    expect(await gql().code(CREATE, { n: 'okname', d: 'with\u0000nul' }, world.admin)).toBe('BAD_USER_INPUT');
  });

  it('one-line fields (titles, tags, user names) refuse line breaks; multi-line ones keep them', async () => {
    const CASE = 'mutation($t: String!, $d: String, $tags: [String!]) { createCase(input: { title: $t, description: $d, tags: $tags }) { title description } }';
    for (const t of ['two\nlines', 'carriage\rreturn', 'crlf\r\n.']) {
      expect(await gql().code(CASE, { t }, world.soc.analyst)).toBe('BAD_USER_INPUT');
      expect(await gql().code(CASE, { t: 'ok', tags: [t] }, world.soc.analyst)).toBe('BAD_USER_INPUT');
      expect(
        await gql().code(
          'mutation($n: String!) { createUser(login: "lines@soc.test", name: $n, organisation: "soc", profile: "analyst") { id } }',
          { n: t },
          world.soc['org-admin'],
        ),
      ).toBe('BAD_USER_INPUT');
    }
    const ok = await gql().ok(CASE, { t: 'one line', d: 'first line\nsecond line\r\nthird' }, world.soc.analyst);
    expect(ok.createCase).toEqual({ title: 'one line', description: 'first line\nsecond line\r\nthird' });
  });

  it('unicode letters are names; emoji, zero-width and bidi tricks are not; stored text round-trips exactly', async () => {
    const ok = await gql().ok(CREATE, { n: 'Société Générale', d: '日本語 — emoji 🛡️ and RTL שלום' }, world.admin);
    expect(ok.createOrganisation).toEqual({ name: 'Société Générale', description: '日本語 — emoji 🛡️ and RTL שלום' });
    for (const n of ['shield🛡️', 'zero\u200bwidth', 'bidi\u202eevil']) {
      expect(await gql().code(CREATE, { n }, world.admin)).toBe('BAD_USER_INPUT');
    }
  });

  it('lone surrogates in JSON do not crash the server', async () => {
    const res = await raw('{"query": "mutation($n: String!) { createOrganisation(name: $n) { name } }", "variables": {"n": "\\ud800"}}', {
      authorization: `Bearer ${world.admin.token}`,
    });
    expect(res.status).toBeLessThan(500);
  });
});
