import type { Actor, GqlResponse } from '../support/gql-client';
import { PASSWORD } from '../fixtures/world';
import { createCaseAs, shareCaseAs } from '../fixtures/cases';
import { addComment, attach, CREATE_EXTERNAL_USER, grant, inviteExternalUser } from '../fixtures/portal';
import { useWorldWithSmtp } from '../support/use-world';

/**
 * Concurrency (issue #5): races of 10–20 simultaneous requests over real HTTP, each checked for a
 * consistent end state — exactly the writes that succeeded are in the database, no duplicates,
 * one audit entry per successful write or effective change (R28) and none for the refused ones —
 * and for clean answers: any 5xx or INTERNAL_SERVER_ERROR fails the test. The races:
 *   - the same organisation, profile, user login (one organisation; and one new login in three
 *     organisations at once), external user, and case share created concurrently;
 *   - identical updateOrganisation / updateProfile / lockUser calls at once (one effective change);
 *   - deleteProfile against setMembership, shareCase and updateShare to that profile (R10);
 *   - case numbers in two organisations at once (R12);
 *   - grant/revoke of portal access, setCommentExternal/setAttachmentExternal flips (R23, R24);
 *   - lockUser against logins of that user (R11).
 * RACE_STATS=1 prints which side won each deleteProfile round.
 */

const { server, world, smtp } = useWorldWithSmtp();
const gql = () => server.client;

type Outcome = { ok: true; data: any } | { ok: false; code: string };

/** Fires every request at once; refuses any 5xx or masked error, whatever else the test expects. */
async function burst(requests: Array<() => Promise<GqlResponse>>): Promise<Outcome[]> {
  const responses = await Promise.all(requests.map((r) => r()));
  return responses.map((res) => {
    const body = JSON.stringify({ data: res.data, errors: res.errors });
    if (res.status >= 500 || body.includes('INTERNAL_SERVER_ERROR')) throw new Error(`server error in a race: ${res.status} ${body}`);
    if (res.errors?.length) return { ok: false as const, code: String(res.errors[0].extensions?.code) };
    return { ok: true as const, data: res.data };
  });
}

const count = (outcomes: Outcome[], code: string | 'ok') => outcomes.filter((o) => (o.ok ? 'ok' : o.code) === code).length;
const codes = (outcomes: Outcome[]) => [...new Set(outcomes.map((o) => (o.ok ? 'ok' : o.code)))].sort();

async function auditCount(where: string, params: unknown[]): Promise<number> {
  const [r] = await server.sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit WHERE ${where}`, params);
  return r.n;
}

const N = 16;
const times = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

describe('creating the same object concurrently: one succeeds, the others CONFLICT, one row, one audit entry', () => {
  it(`R2/R28: ${N} concurrent createOrganisation with the same name (any case) → 1 ok, ${N - 1} CONFLICT`, async () => {
    const names = ['race-org', 'Race-Org', 'RACE-ORG', ' race-org '];
    const out = await burst(
      times(N, (i) => () => gql().request('mutation($n: String!) { createOrganisation(name: $n) { id name } }', { n: names[i % names.length] }, world.admin)),
    );
    expect(count(out, 'ok')).toBe(1);
    expect(count(out, 'CONFLICT')).toBe(N - 1);
    const rows = await server.sql(`SELECT id::text FROM organisation WHERE lower(name) = 'race-org'`);
    expect(rows).toHaveLength(1);
    const winner = out.find((o) => o.ok)! as { data: any };
    expect(rows[0].id).toBe(winner.data.createOrganisation.id);
    expect(await auditCount(`action = 'organisation.create' AND details->>'name' ILIKE 'race-org'`, [])).toBe(1);
    expect(await auditCount(`action = 'organisation.create' AND object_id = $1`, [rows[0].id])).toBe(1);
  });

  it(`R10/R28: ${N} concurrent createProfile with the same name → 1 ok, ${N - 1} CONFLICT`, async () => {
    const out = await burst(
      times(
        N,
        (i) => () =>
          gql().request(
            'mutation($n: String!, $p: [Permission!]!) { createProfile(name: $n, permissions: $p) { id } }',
            { n: i % 2 ? 'race-profile' : 'Race-Profile', p: i % 2 ? ['manageCase'] : ['manageTask'] },
            world.admin,
          ),
      ),
    );
    expect(count(out, 'ok')).toBe(1);
    expect(count(out, 'CONFLICT')).toBe(N - 1);
    const rows = await server.sql(`SELECT id::text FROM profile WHERE lower(name) = 'race-profile'`);
    expect(rows).toHaveLength(1);
    expect(await auditCount(`action = 'profile.create' AND object_id = $1`, [rows[0].id])).toBe(1);
    expect(await auditCount(`action = 'profile.create' AND lower(details->>'name') = 'race-profile'`, [])).toBe(1);
  });

  it(`R11/R28: ${N} concurrent createUser with the same login in one organisation → 1 ok, ${N - 1} CONFLICT`, async () => {
    const out = await burst(
      times(
        N,
        (i) => () =>
          gql().request(
            `mutation($l: String!, $n: String!) { createUser(login: $l, name: $n, organisation: "soc", profile: "analyst") { id } }`,
            { l: i % 2 ? 'race-user@soc.test' : 'RACE-USER@soc.test', n: `racer ${i}` },
            world.soc['org-admin'],
          ),
      ),
    );
    expect(count(out, 'ok')).toBe(1);
    expect(count(out, 'CONFLICT')).toBe(N - 1);
    const users = await server.sql(`SELECT id::text FROM app_user WHERE login = 'race-user@soc.test'`);
    expect(users).toHaveLength(1);
    expect(await server.sql('SELECT 1 FROM membership WHERE user_id = $1', [users[0].id])).toHaveLength(1);
    expect(await auditCount(`object_type = 'User' AND object_id = $1`, [users[0].id])).toBe(1);
  });

  it('R11/R28: 5 rounds of createUser of one new login in three organisations at once → one account, a membership in each, audited once each', async () => {
    // Sequentially the first call creates the account and each later one adds a membership (R11):
    // concurrently too, the calls for other organisations must not be refused because the login
    // was being created at the same moment. The password (argon2, ~30 ms) widens the window.
    const orgs = ['soc', 'partner', 'stranger'];
    for (let round = 0; round < 5; round++) {
      const login = `multi-race-${round}@x.test`;
      const out = await burst(
        orgs.flatMap((o) =>
          times(
            1,
            () => () =>
              gql().request(
                `mutation($o: String!, $l: String!, $p: String!) { createUser(login: $l, name: "multi", password: $p, organisation: $o, profile: "read-only") { id } }`,
                { o, l: login, p: PASSWORD },
                world.admin,
              ),
          ),
        ),
      );
      const users = await server.sql(`SELECT id::text FROM app_user WHERE login = $1`, [login]);
      expect(users).toHaveLength(1);
      const memberships = await server.sql<{ name: string }>(
        'SELECT o.name FROM membership m JOIN organisation o ON o.id = m.organisation_id WHERE m.user_id = $1 ORDER BY o.name',
        [users[0].id],
      );
      expect(memberships.map((m) => m.name)).toEqual([...orgs].sort());
      expect(codes(out)).toEqual(['ok']);
      expect(await auditCount(`object_type = 'User' AND object_id = $1 AND action = 'user.create'`, [users[0].id])).toBe(1);
      expect(await auditCount(`object_type = 'User' AND object_id = $1 AND action = 'membership.create'`, [users[0].id])).toBe(2);
    }
  });

  it(`R21/R28: ${N} concurrent createExternalUser with the same login → 1 ok, ${N - 1} CONFLICT, one invitation, one e-mail`, async () => {
    const out = await burst(
      times(
        N,
        (i) => () =>
          gql().request(
            CREATE_EXTERNAL_USER,
            { login: 'race-ext@customer.test', name: `ext ${i}`, email: 'race-ext@customer.test', profile: 'external-actor' },
            world.soc['org-admin'],
          ),
      ),
    );
    expect(count(out, 'ok')).toBe(1);
    expect(count(out, 'CONFLICT')).toBe(N - 1);
    const users = await server.sql(`SELECT id::text FROM app_user WHERE login = 'race-ext@customer.test'`);
    expect(users).toHaveLength(1);
    expect(await server.sql('SELECT 1 FROM membership WHERE user_id = $1', [users[0].id])).toHaveLength(1);
    expect(await server.sql('SELECT 1 FROM invitation WHERE user_id = $1', [users[0].id])).toHaveLength(1);
    // One write, one entry (R28): the invitation is recorded in the user.create entry.
    expect(await auditCount(`object_type = 'User' AND object_id = $1`, [users[0].id])).toBe(1);
    expect(await auditCount(`object_type = 'User' AND object_id = $1 AND action = 'user.create' AND details->'invitation' IS NOT NULL`, [users[0].id])).toBe(1);
    await smtp.waitFor((m) => m.to.includes('race-ext@customer.test'));
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages.filter((m) => m.to.includes('race-ext@customer.test'))).toHaveLength(1);
  });

  it(`R14/R28: ${N} concurrent shareCase of one case with one organisation → 1 ok, ${N - 1} CONFLICT`, async () => {
    const k = await createCaseAs(gql(), world.soc['incident-handler']);
    const out = await burst(
      times(
        N,
        (i) => () =>
          gql().request(
            'mutation($c: ID!, $p: String!) { shareCase(caseId: $c, organisation: "partner", profile: $p, tasks: ALL) { id } }',
            { c: k.id, p: i % 2 ? 'analyst' : 'read-only' },
            world.soc['incident-handler'],
          ),
      ),
    );
    expect(count(out, 'ok')).toBe(1);
    expect(count(out, 'CONFLICT')).toBe(N - 1);
    const shares = await server.sql(
      `SELECT s.id::text FROM share s JOIN organisation o ON o.id = s.organisation_id WHERE s.case_id = $1 AND o.name = 'partner'`,
      [k.id],
    );
    expect(shares).toHaveLength(1);
    expect(await auditCount(`action = 'share.create' AND case_id = $1`, [k.id])).toBe(1);
  });
});

describe('identical updates at once: one effective change, one audit entry (R28)', () => {
  it(`R4/R28: ${N} concurrent identical updateOrganisation → one organisation.update entry`, async () => {
    await gql().ok('mutation { createOrganisation(name: "upd-race", description: "before") { id } }', {}, world.admin);
    const out = await burst(
      times(N, () => () => gql().request('mutation { updateOrganisation(name: "upd-race", description: "after") { description } }', {}, world.admin)),
    );
    expect(codes(out)).toEqual(['ok']);
    expect(await auditCount(`action = 'organisation.update' AND object_id = (SELECT id::text FROM organisation WHERE name = 'upd-race')`, [])).toBe(1);
  });

  it(`R10/R28: ${N} concurrent identical updateProfile → one profile.update entry`, async () => {
    await gql().ok('mutation { createProfile(name: "upd-race", permissions: [manageCase]) { id } }', {}, world.admin);
    const out = await burst(
      times(
        N,
        () => () => gql().request('mutation { updateProfile(name: "upd-race", permissions: [manageTask, manageCase]) { permissions } }', {}, world.admin),
      ),
    );
    expect(codes(out)).toEqual(['ok']);
    expect(await auditCount(`action = 'profile.update' AND object_id = (SELECT id::text FROM profile WHERE name = 'upd-race')`, [])).toBe(1);
  });
});

describe('deleting a profile while it is being assigned (R10): the delete wins or the assignments do, never a dangling reference or a 500', () => {
  const ROUNDS = 6;

  it(`R10/R28: ${ROUNDS} rounds of deleteProfile racing setMembership, shareCase and updateShare`, async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const profile = `doomed-${round}`;
      await gql().ok('mutation($n: String!) { createProfile(name: $n, permissions: [manageCase, manageTask]) { id } }', { n: profile }, world.admin);
      // Targets: members of soc to move to the profile, cases to share with it, shares to switch to it.
      const logins = times(4, (i) => `member-${round}-${i}@soc.test`);
      for (const l of logins) {
        await gql().ok('mutation($l: String!) { createUser(login: $l, name: "m", organisation: "soc", profile: "read-only") { id } }', { l }, world.admin);
      }
      const toShare = await Promise.all(times(3, () => createCaseAs(gql(), world.soc['incident-handler'])));
      const toUpdate = await Promise.all(times(3, () => createCaseAs(gql(), world.soc['incident-handler'])));
      for (const k of toUpdate) await shareCaseAs(gql(), world.soc['incident-handler'], k.id, 'partner', 'read-only');

      const assignments: Array<() => Promise<GqlResponse>> = [
        ...logins.map(
          (l) => () =>
            gql().request(
              'mutation($l: String!, $p: String!) { setMembership(login: $l, organisation: "soc", profile: $p) { id } }',
              { l, p: profile },
              world.admin,
            ),
        ),
        ...toShare.map(
          (k) => () =>
            gql().request(
              'mutation($c: ID!, $p: String!) { shareCase(caseId: $c, organisation: "partner", profile: $p) { id } }',
              { c: k.id, p: profile },
              world.soc['incident-handler'],
            ),
        ),
        ...toUpdate.map(
          (k) => () =>
            gql().request(
              'mutation($c: ID!, $p: String!) { updateShare(caseId: $c, organisation: "partner", profile: $p) { id } }',
              { c: k.id, p: profile },
              world.soc['incident-handler'],
            ),
        ),
      ];
      const del = () => gql().request('mutation($n: String!) { deleteProfile(name: $n) }', { n: profile }, world.admin);
      // The delete goes first, in the middle or last of the burst.
      const at = [0, 5, assignments.length][round % 3];
      const requests = [...assignments.slice(0, at), del, ...assignments.slice(at)];
      const out = await burst(requests);
      const deleted = out[at];
      const assigned = out.filter((_, i) => i !== at);

      const [row] = await server.sql<{ id: string }>('SELECT id::text FROM profile WHERE name = $1', [profile]);
      const [refs] = await server.sql<{ m: number; s: number }>(
        `SELECT (SELECT count(*) FROM membership m JOIN profile p ON p.id = m.profile_id WHERE p.name = $1)::int AS m,
                (SELECT count(*) FROM share s JOIN profile p ON p.id = s.profile_id WHERE p.name = $1)::int AS s`,
        [profile],
      );
      const okAssignments = count(assigned, 'ok');
      if (deleted.ok) {
        outcomes.push('delete won');
        expect(row).toBeUndefined();
        // Whatever tried to use the profile after the delete was told it does not exist.
        expect(codes(assigned)).toEqual(['NOT_FOUND']);
        expect(await auditCount(`action = 'profile.delete' AND details->>'name' = $1`, [profile])).toBe(1);
      } else {
        outcomes.push(`assignments won (${okAssignments})`);
        expect(deleted).toEqual({ ok: false, code: 'CONFLICT' });
        expect(row).toBeDefined();
        // The profile existed throughout: every assignment went through.
        expect(codes(assigned)).toEqual(['ok']);
        expect(await auditCount(`action = 'profile.delete' AND details->>'name' = $1`, [profile])).toBe(0);
      }
      // The references are exactly the successful assignments, each audited once.
      expect(refs.m + refs.s).toBe(okAssignments);
      expect(await auditCount(`action = 'membership.update' AND details->>'profile' = $1`, [profile])).toBe(count(assigned.slice(0, 4), 'ok'));
      expect(await auditCount(`action = 'share.create' AND details->>'profile' = $1`, [profile])).toBe(count(assigned.slice(4, 7), 'ok'));
      expect(await auditCount(`action = 'share.update' AND details->'profile'->>'to' = $1`, [profile])).toBe(count(assigned.slice(7), 'ok'));
    }
    expect(outcomes).toHaveLength(ROUNDS);
    if (process.env.RACE_STATS) process.stdout.write(`deleteProfile races: ${outcomes.join('; ')}\n`);
  });
});

describe('case numbering', () => {
  it('R12: 2 × 10 concurrent createCase in two organisations → each organisation numbered consecutively, no gap, no duplicate', async () => {
    const before = async (org: string) =>
      (
        await server.sql<{ n: number }>(
          `SELECT coalesce(max(c.number), 0)::int AS n FROM "case" c JOIN organisation o ON o.id = c.organisation_id WHERE o.name = $1`,
          [org],
        )
      )[0].n;
    const start = { soc: await before('soc'), partner: await before('partner') };
    const requests = times(20, (i) => {
      const who = i % 2 ? world.soc.analyst : world.partner.analyst;
      return () => gql().request('mutation($t: String!) { createCase(input: { title: $t }) { id number } }', { t: `numbered ${i}` }, who);
    });
    const out = await burst(requests);
    expect(count(out, 'ok')).toBe(20);
    for (const [org, parity] of [
      ['soc', 1],
      ['partner', 0],
    ] as const) {
      const numbers = out
        .filter((_, i) => i % 2 === parity)
        .map((o) => (o as { data: any }).data.createCase.number)
        .sort((a, b) => a - b);
      expect(numbers).toEqual(times(10, (i) => start[org] + 1 + i));
      const ids = out.filter((_, i) => i % 2 === parity).map((o) => (o as { data: any }).data.createCase.id);
      const rows = await server.sql<{ number: number }>(
        `SELECT c.number FROM "case" c JOIN organisation o ON o.id = c.organisation_id WHERE o.name = $1 AND c.number > $2 ORDER BY c.number`,
        [org, start[org]],
      );
      expect(rows.map((r) => r.number)).toEqual(numbers);
      expect(await auditCount(`action = 'case.create' AND object_id = ANY($1)`, [ids])).toBe(10);
    }
  });
});

describe('portal access and flags under concurrent changes', () => {
  let client: { login: string; token: string };

  beforeAll(async () => {
    const persona = await inviteExternalUser(server, smtp, world.soc['org-admin'], 'race-client@customer.test');
    client = { login: persona.login, token: persona.token };
  });

  it(`R23/R28: ${N} concurrent grant/revoke of one user's access → grants and revokes alternate in the audit, and the end state is the last one`, async () => {
    const handler = world.soc['incident-handler'];
    const k = await createCaseAs(gql(), handler);
    const [user] = await server.sql<{ id: string }>('SELECT id::text FROM app_user WHERE login = $1', [client.login]);
    for (let round = 0; round < 3; round++) {
      const [{ last }] = await server.sql<{ last: string }>(`SELECT coalesce(max(created_at), '-infinity')::text AS last FROM audit`);
      const out = await burst(
        times(
          N,
          (i) => () =>
            i % 2
              ? gql().request('mutation($c: ID!, $l: String!) { revokeExternalAccess(caseId: $c, login: $l) }', { c: k.id, l: client.login }, handler)
              : gql().request('mutation($c: ID!, $l: String!) { grantExternalAccess(caseId: $c, login: $l) { id } }', { c: k.id, l: client.login }, handler),
        ),
      );
      const grants = out.filter((_, i) => i % 2 === 0);
      const revokes = out.filter((_, i) => i % 2 === 1);
      expect(codes(grants)).toEqual(['ok']); // granting twice is harmless
      expect(codes(revokes).filter((c) => c !== 'ok' && c !== 'NOT_FOUND')).toEqual([]);
      const entries = await server.sql<{ action: string }>(
        `SELECT action FROM audit WHERE case_id = $1 AND object_type = 'ExternalGrant' AND object_id = $2 AND created_at > $3::timestamptz ORDER BY created_at, id`,
        [k.id, user.id, last],
      );
      const actions = entries.map((e) => e.action);
      // create, delete, create, … : every audited grant was effective, every revoke removed a grant.
      actions.forEach((a, i) => expect(a).toBe(i % 2 === 0 ? 'externalgrant.create' : 'externalgrant.delete'));
      expect(actions.filter((a) => a === 'externalgrant.delete')).toHaveLength(count(revokes, 'ok'));
      const held = (await server.sql('SELECT 1 FROM external_grant WHERE case_id = $1 AND user_id = $2', [k.id, user.id])).length === 1;
      expect(held).toBe(actions.length % 2 === 1);
      // R23: the portal agrees on the next request.
      const seen = await gql().ok('query($id: ID!) { case(id: $id) { id } }', { id: k.id }, { token: client.token }, 'portal');
      expect(!!seen.case).toBe(held);
      // Start the next round from no access.
      if (held) await gql().ok('mutation($c: ID!, $l: String!) { revokeExternalAccess(caseId: $c, login: $l) }', { c: k.id, l: client.login }, handler);
    }
  });

  it(`R24/R28: ${N} concurrent setCommentExternal / setAttachmentExternal flips → one audit entry per effective change, end state = last change`, async () => {
    const handler = world.soc['incident-handler'];
    const k = await createCaseAs(gql(), handler);
    await grant(server, handler, k.id, client.login);
    const commentId = await addComment(server, handler, k.id, 'flipped comment');
    const attachmentId = await attach(server, handler, k.id, { name: 'flipped.txt', content: 'flipped bytes' });
    for (const [table, mutation, id] of [
      ['comment', 'setCommentExternal', commentId],
      ['attachment', 'setAttachmentExternal', attachmentId],
    ] as const) {
      const values = times(N, (i) => (i * 7) % 3 !== 0); // a mix of true and false
      const out = await burst(
        values.map(
          (v) => () => gql().request(`mutation($id: ID!, $e: Boolean!) { ${mutation}(id: $id, external: $e) { id external } }`, { id, e: v }, handler),
        ),
      );
      expect(codes(out)).toEqual(['ok']);
      out.forEach((o, i) => expect((o as { data: any }).data[mutation].external).toBe(values[i]));
      const entries = await server.sql<{ from: boolean; to: boolean }>(
        `SELECT (details->'external'->>'from')::boolean AS "from", (details->'external'->>'to')::boolean AS "to"
           FROM audit WHERE action = $1 AND object_id = $2 ORDER BY created_at, id`,
        [`${table}.update`, id],
      );
      // Each entry is a real change from the previous state: false→true, true→false, …
      let state = false;
      for (const e of entries) {
        expect(e).toEqual({ from: state, to: !state });
        state = !state;
      }
      const [row] = await server.sql<{ external: boolean }>(`SELECT external FROM ${table} WHERE id = $1`, [id]);
      expect(row.external).toBe(state);
      // R24: the portal shows it exactly when it ends up external.
      const seen = await gql().ok('query($id: ID!) { case(id: $id) { comments { id } attachments { id } } }', { id: k.id }, { token: client.token }, 'portal');
      const ids = [...seen.case.comments, ...seen.case.attachments].map((x: { id: string }) => x.id);
      expect(ids.includes(id)).toBe(state);
    }
  });
});

describe('locking a user while they log in (R11)', () => {
  it(`R11/R28: lockUser racing ${N} logins → every login before the lock gives a token that stops working, every later one is refused; all audited`, async () => {
    await gql().ok(
      `mutation { createUser(login: "lock-race@soc.test", name: "l", password: "${PASSWORD}", organisation: "soc", profile: "analyst") { id } }`,
      {},
      world.admin,
    );
    const [user] = await server.sql<{ id: string }>(`SELECT id::text FROM app_user WHERE login = 'lock-race@soc.test'`);
    const login = () =>
      gql().request('mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }', { l: 'lock-race@soc.test', p: PASSWORD });
    const lock = () => gql().request('mutation { lockUser(login: "lock-race@soc.test", locked: true) { locked } }', {}, world.soc['org-admin']);
    const requests = times(N, () => login);
    requests.splice(N / 2, 0, lock);
    const out = await burst(requests);
    const lockOut = out[N / 2];
    const logins = out.filter((_, i) => i !== N / 2);
    expect(lockOut.ok).toBe(true);
    expect(codes(logins).filter((c) => c !== 'ok' && c !== 'UNAUTHENTICATED')).toEqual([]);
    // Locked means locked: no token, however fresh, opens a request.
    for (const o of logins.filter((x) => x.ok)) {
      const token = (o as { data: any }).data.login.token;
      expect(await gql().code('{ me { id } }', {}, { token })).toBe('UNAUTHENTICATED');
    }
    expect(await gql().code('mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }', { l: 'lock-race@soc.test', p: PASSWORD })).toBe(
      'UNAUTHENTICATED',
    );
    // R28: one entry per attempt, with its outcome; one for the lock.
    expect(await auditCount(`action = 'login.success' AND object_id = $1`, [user.id])).toBe(count(logins, 'ok'));
    expect(await auditCount(`action = 'login.failure' AND object_id = $1 AND details->>'reason' = 'locked'`, [user.id])).toBe(
      count(logins, 'UNAUTHENTICATED') + 1,
    );
    expect(await auditCount(`action = 'user.lock' AND object_id = $1`, [user.id])).toBe(1);
  });

  it(`R11/R28: ${N} concurrent lockUser(true) by two managers → locked once: one audit entry for the one effective change`, async () => {
    await gql().ok('mutation { createUser(login: "lock-twice@soc.test", name: "l", organisation: "soc", profile: "analyst") { id } }', {}, world.admin);
    const [user] = await server.sql<{ id: string }>(`SELECT id::text FROM app_user WHERE login = 'lock-twice@soc.test'`);
    const managers: Actor[] = [world.admin, world.soc['org-admin']];
    const out = await burst(
      times(N, (i) => () => gql().request('mutation { lockUser(login: "lock-twice@soc.test", locked: true) { locked } }', {}, managers[i % 2])),
    );
    expect(codes(out)).toEqual(['ok']);
    expect(await auditCount(`action = 'user.lock' AND object_id = $1`, [user.id])).toBe(1);
    // And back: N concurrent unlocks → one user.unlock.
    const back = await burst(
      times(N, (i) => () => gql().request('mutation { lockUser(login: "lock-twice@soc.test", locked: false) { locked } }', {}, managers[i % 2])),
    );
    expect(codes(back)).toEqual(['ok']);
    expect(await auditCount(`action = 'user.unlock' AND object_id = $1`, [user.id])).toBe(1);
  });
});
