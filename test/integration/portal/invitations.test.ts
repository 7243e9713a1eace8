import { createHash } from 'node:crypto';
import { Persona } from '../../fixtures/world';
import { ACCEPT_INVITATION, CREATE_EXTERNAL_USER, invitationToken, inviteExternalUser, PORTAL_PASSWORD } from '../../fixtures/portal';
import { useWorldWithSmtp } from '../../support/use-world';

// Long on purpose: the link line exceeds 76 characters, where quoted-printable would break it (R21).
const PORTAL_URL = 'https://portal.customer-facing.example.test/tenants/soc/thehive-portal/';
const LINK_PREFIX = `${PORTAL_URL.replace(/\/+$/, '')}/invitation?token=`;
const { server, world, smtp } = useWorldWithSmtp({ portalUrl: PORTAL_URL, loginMaxAttempts: 3 });

const RESEND = 'mutation($l: String!) { resendInvitation(login: $l) }';
const ME = '{ me { id login name email } }';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

async function create(login: string, by = world.soc['org-admin'], profile = 'external-actor', email = login.includes('@') ? login : `${login}@example.test`) {
  return server.client.request(CREATE_EXTERNAL_USER, { login, name: `Name of ${login}`, email, profile }, by);
}

/** Every entry about the user (object id), oldest first. */
async function entriesAbout(login: string) {
  return server.sql<{ action: string; via_portal: boolean; details: any }>(
    `SELECT a.action, a.via_portal, a.details FROM audit a JOIN app_user u ON u.id::text = a.object_id WHERE u.login = $1 ORDER BY a.created_at, a.id`,
    [login],
  );
}

async function tokenFor(email: string, nth = 0): Promise<string> {
  await smtp.waitFor((m) => m.to.includes(email) && smtp.messages.filter((x) => x.to.includes(email)).length > nth);
  const mails = smtp.messages.filter((m) => m.to.includes(email));
  return invitationToken(mails[nth], PORTAL_URL);
}

describe('createExternalUser', () => {
  it('R21: creates an EXTERNAL account in the active organisation and e-mails a one-time link under PORTAL_URL, valid 24 h', async () => {
    const res = await create('ext.create@example.test');
    expect(res.errors).toBeUndefined();
    expect(res.data.createExternalUser).toMatchObject({ login: 'ext.create@example.test', type: 'EXTERNAL' });
    const mail = await smtp.waitFor((m) => m.to.includes('ext.create@example.test'));
    expect(mail.text).toContain(`${LINK_PREFIX}hi_`);
    const token = invitationToken(mail, PORTAL_URL);
    const [row] = await server.sql<{ token_hash: string; ttl: number; used_at: Date | null }>(
      `SELECT i.token_hash, extract(epoch FROM i.expires_at - i.created_at)::int AS ttl, i.used_at
         FROM invitation i JOIN app_user u ON u.id = i.user_id WHERE u.login = 'ext.create@example.test'`,
    );
    expect(row.token_hash).toBe(sha256(token)); // stored hashed only
    expect(Math.abs(row.ttl - 24 * 3600)).toBeLessThanOrEqual(5);
    expect(row.used_at).toBeNull();
    const [membership] = await server.sql(`SELECT o.name AS org, p.name AS profile, u.password_hash FROM membership m JOIN app_user u ON u.id = m.user_id
      JOIN organisation o ON o.id = m.organisation_id JOIN profile p ON p.id = m.profile_id WHERE u.login = 'ext.create@example.test'`);
    expect(membership).toEqual({ org: 'soc', profile: 'external-actor', password_hash: null });
  });

  it('R21: the raw SMTP data carries the link and the token verbatim, each whole on one line', async () => {
    for (const [login, name] of [
      ['ext.raw@example.test', 'Plain Name'],
      ['ext.raw8@example.test', 'Zoë Ünal-Ødegård'],
    ]) {
      await server.client.ok(CREATE_EXTERNAL_USER, { login, name, email: login, profile: 'external-reader' }, world.soc['org-admin']);
      const { raw } = await smtp.waitFor((m) => m.to.includes(login));
      const lines = raw.split('\r\n');
      const link = lines.find((l) => l.startsWith(LINK_PREFIX));
      expect(link).toBeDefined();
      const token = link!.slice(LINK_PREFIX.length);
      expect(link!.length).toBeGreaterThan(76);
      expect(token).toMatch(/^hi_[A-Za-z0-9_-]{43}$/);
      expect(lines).toContain(`Invitation token: ${token}`);
      // It is the live token, not a look-alike: its hash is the one stored for this user.
      const [row] = await server.sql<{ token_hash: string }>('SELECT i.token_hash FROM invitation i JOIN app_user u ON u.id = i.user_id WHERE u.login = $1', [
        login,
      ]);
      expect(row.token_hash).toBe(sha256(token));
      expect(raw).not.toMatch(/=\r\n|=3D/); // no quoted-printable anywhere
      expect(lines.every((l) => Buffer.byteLength(l, 'utf8') <= 998)).toBe(true);
    }
    const ascii = (await smtp.waitFor((m) => m.to.includes('ext.raw@example.test'))).raw;
    expect(ascii).toMatch(/^Content-Transfer-Encoding: 7bit$/im);
    // eslint-disable-next-line no-control-regex
    expect(/^[\x00-\x7f]*$/.test(ascii)).toBe(true);
  });

  it('R21: needs manageUser (analyst → FORBIDDEN); never in admin (BAD_USER_INPUT)', async () => {
    expect((await create('ext.analyst', world.soc.analyst)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await create('ext.admin', world.admin)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await server.sql("SELECT 1 FROM app_user WHERE login IN ('ext.analyst', 'ext.admin')")).toHaveLength(0);
  });

  it('R22: the profile must be external (internal profile → BAD_USER_INPUT, unknown → NOT_FOUND); a taken login → CONFLICT; bad e-mail → BAD_USER_INPUT', async () => {
    expect((await create('ext.internalprofile', undefined, 'analyst')).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await create('ext.noprofile', undefined, 'no-such-profile')).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await create(world.soc.analyst.login)).errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await create('ext.bademail', undefined, 'external-reader', 'not-an-address')).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await create('ext.twoaddresses', undefined, 'external-reader', 'one@example.test,two')).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('R21: the type of an account never changes (no internal profile, no second organisation, no internal account with that login)', async () => {
    await create('ext.fixed');
    const setInternal = 'mutation($l: String!, $o: String!, $p: String!) { setMembership(login: $l, organisation: $o, profile: $p) { id } }';
    expect(await server.client.code(setInternal, { l: 'ext.fixed', o: 'soc', p: 'analyst' }, world.soc['org-admin'])).toBe('BAD_USER_INPUT');
    expect(await server.client.code(setInternal, { l: 'ext.fixed', o: 'partner', p: 'external-reader' }, world.admin)).toBe('BAD_USER_INPUT');
    const createUser = `mutation { createUser(login: "ext.fixed", name: "x", email: "x@example.test", password: "password-123", organisation: "soc", profile: "analyst") { id } }`;
    expect(await server.client.code(createUser, {}, world.soc['org-admin'])).toBe('CONFLICT');
    expect((await server.sql("SELECT type FROM app_user WHERE login = 'ext.fixed'"))[0].type).toBe('EXTERNAL');
  });
});

describe('acceptInvitation', () => {
  it('R21: sets the password and opens a portal session; the link works once', async () => {
    await create('ext.accept@example.test');
    const token = await tokenFor('ext.accept@example.test');
    const data = await server.client.ok(ACCEPT_INVITATION, { token, password: PORTAL_PASSWORD }, {}, 'portal');
    expect(data.acceptInvitation.user).toMatchObject({
      login: 'ext.accept@example.test',
      name: 'Name of ext.accept@example.test',
      email: 'ext.accept@example.test',
    });
    const me = await server.client.ok(ME, {}, { token: data.acceptInvitation.token }, 'portal');
    expect(me.me.login).toBe('ext.accept@example.test');
    expect(await server.client.login('ext.accept@example.test', PORTAL_PASSWORD, 'portal')).toMatch(/^hs_/);
    expect(await server.client.code(ACCEPT_INVITATION, { token, password: 'another-password-2' }, {}, 'portal')).toBe('UNAUTHENTICATED');
    const used = await server.sql("SELECT i.used_at FROM invitation i JOIN app_user u ON u.id = i.user_id WHERE u.login = 'ext.accept@example.test'");
    expect(used[0].used_at).not.toBeNull();
  });

  it('R21: unknown or expired tokens → UNAUTHENTICATED; a weak password → BAD_USER_INPUT and the link stays usable', async () => {
    expect(await server.client.code(ACCEPT_INVITATION, { token: 'hi_unknown', password: PORTAL_PASSWORD }, {}, 'portal')).toBe('UNAUTHENTICATED');
    await create('ext.weak@example.test');
    const token = await tokenFor('ext.weak@example.test');
    expect(await server.client.code(ACCEPT_INVITATION, { token, password: 'short' }, {}, 'portal')).toBe('BAD_USER_INPUT');
    await server.client.ok(ACCEPT_INVITATION, { token, password: PORTAL_PASSWORD }, {}, 'portal');

    await create('ext.expired@example.test');
    const expired = await tokenFor('ext.expired@example.test');
    await server.sql(
      "UPDATE invitation i SET expires_at = now() - interval '1 second' FROM app_user u WHERE u.id = i.user_id AND u.login = 'ext.expired@example.test'",
    );
    expect(await server.client.code(ACCEPT_INVITATION, { token: expired, password: PORTAL_PASSWORD }, {}, 'portal')).toBe('UNAUTHENTICATED');
    expect((await server.sql("SELECT password_hash FROM app_user WHERE login = 'ext.expired@example.test'"))[0].password_hash).toBeNull();
  });

  it('R11: a locked external user cannot accept an invitation', async () => {
    await create('ext.locked@example.test');
    const token = await tokenFor('ext.locked@example.test');
    await server.client.ok('mutation { lockUser(login: "ext.locked@example.test", locked: true) { id } }', {}, world.soc['org-admin']);
    expect(await server.client.code(ACCEPT_INVITATION, { token, password: PORTAL_PASSWORD }, {}, 'portal')).toBe('UNAUTHENTICATED');
  });

  it('R21 R28: an external user left without organisation cannot accept (FORBIDDEN); the link stays unused and the attempt is audited once', async () => {
    await create('ext.orphan@example.test');
    const token = await tokenFor('ext.orphan@example.test');
    // The API refuses to remove an account's last organisation (R5); a defect or a manual edit could still leave one.
    expect(await server.client.code('mutation { removeMembership(login: "ext.orphan@example.test", organisation: "soc") }', {}, world.admin)).toBe('CONFLICT');
    await server.sql("DELETE FROM membership WHERE user_id = (SELECT id FROM app_user WHERE login = 'ext.orphan@example.test')");
    expect(await server.client.code(ACCEPT_INVITATION, { token, password: PORTAL_PASSWORD }, {}, 'portal')).toBe('FORBIDDEN');
    const [row] = await server.sql(
      "SELECT i.used_at, u.password_hash FROM invitation i JOIN app_user u ON u.id = i.user_id WHERE u.login = 'ext.orphan@example.test'",
    );
    expect(row).toEqual({ used_at: null, password_hash: null });
    const entries = await entriesAbout('ext.orphan@example.test');
    expect(entries.map((e) => e.action)).toEqual(['user.create', 'invitation.failure']);
    expect(entries[1].details).toEqual({ login: 'ext.orphan@example.test', reason: 'no-organisation' });
    // Seen in admin (the entry has no organisation), by nobody in soc.
    const AUDIT = 'query { audit(first: 50, filter: { action: "invitation.failure" }) { edges { node { details organisation { name } } } } }';
    const seen = async (who: Persona) =>
      (await server.client.ok(AUDIT, {}, who)).audit.edges.filter((e: any) => e.node.details.login === 'ext.orphan@example.test');
    expect((await seen(world.admin)).map((e: any) => e.node.organisation.name)).toEqual(['admin']);
    expect(await seen(world.soc['org-admin'])).toEqual([]);
  });

  it('is not offered on the internal endpoint', async () => {
    const res = await server.client.request(ACCEPT_INVITATION, { token: 'hi_x', password: PORTAL_PASSWORD });
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('resendInvitation', () => {
  it('R21: sends a new link and invalidates the earlier one', async () => {
    await create('ext.resend@example.test');
    const first = await tokenFor('ext.resend@example.test', 0);
    expect((await server.client.ok(RESEND, { l: 'ext.resend@example.test' }, world.soc['org-admin'])).resendInvitation).toBe(true);
    const second = await tokenFor('ext.resend@example.test', 1);
    expect(second).not.toBe(first);
    expect(await server.client.code(ACCEPT_INVITATION, { token: first, password: PORTAL_PASSWORD }, {}, 'portal')).toBe('UNAUTHENTICATED');
    await server.client.ok(ACCEPT_INVITATION, { token: second, password: PORTAL_PASSWORD }, {}, 'portal');
  });

  it('R11/R21: needs manageUser over the user: analyst → FORBIDDEN, a linked organisation → FORBIDDEN, an unlinked one → NOT_FOUND, internal user → BAD_USER_INPUT', async () => {
    await create('ext.managed@example.test');
    expect(await server.client.code(RESEND, { l: 'ext.managed@example.test' }, world.soc.analyst)).toBe('FORBIDDEN');
    expect(await server.client.code(RESEND, { l: 'ext.managed@example.test' }, world.stranger['org-admin'])).toBe('NOT_FOUND');
    expect(await server.client.code(RESEND, { l: world.soc.analyst.login }, world.soc['org-admin'])).toBe('BAD_USER_INPUT');
    await create('ext.partner@example.test', world.partner['org-admin']);
    expect(await server.client.code(RESEND, { l: 'ext.partner@example.test' }, world.soc['org-admin'])).toBe('FORBIDDEN');
    expect((await server.client.ok(RESEND, { l: 'ext.partner@example.test' }, world.admin)).resendInvitation).toBe(true);
  });
});

describe('endpoints', () => {
  it('R22: external users authenticate only at the portal, internal users only at /graphql', async () => {
    const ext = await inviteExternalUser(server, smtp, world.soc['org-admin'], 'ext.endpoints@example.test');
    expect(await server.client.code('mutation { login(login: "ext.endpoints@example.test", password: "portal-password-1") { token } }')).toBe('FORBIDDEN');
    expect(
      await server.client.code(`mutation { login(login: "${world.soc.analyst.login}", password: "fixture-password-1") { token } }`, {}, {}, 'portal'),
    ).toBe('FORBIDDEN');
    expect(await server.client.code('{ me { id } }', {}, { token: ext.token })).toBe('FORBIDDEN');
    expect(await server.client.code(ME, {}, { token: world.soc.analyst.token }, 'portal')).toBe('FORBIDDEN');
    expect(await server.client.code(ME, {}, {}, 'portal')).toBe('UNAUTHENTICATED');
    expect((await server.client.ok(ME, {}, { token: ext.token }, 'portal')).me.login).toBe('ext.endpoints@example.test');
  });

  it('R28: every step is audited once, the portal ones as viaPortal, and no secret reaches the audit log', async () => {
    await create('ext.audit@example.test');
    const token = await tokenFor('ext.audit@example.test');
    await server.client.ok(ACCEPT_INVITATION, { token, password: PORTAL_PASSWORD }, {}, 'portal');
    await server.client.code(ACCEPT_INVITATION, { token, password: PORTAL_PASSWORD }, {}, 'portal');
    const entries = await entriesAbout('ext.audit@example.test');
    expect(entries.map((e) => [e.action, e.via_portal])).toEqual([
      ['user.create', false],
      ['invitation.accept', true],
      ['invitation.failure', true],
    ]);
    expect(entries[0].details.invitation.token).toBe('<hidden>');
    expect(entries[1].details.password).toBe('<hidden>');
    expect(entries[2].details.reason).toBe('used');
    const leaked = await server.sql('SELECT 1 FROM audit WHERE details::text LIKE $1 OR details::text LIKE $2', [`%${token}%`, `%${PORTAL_PASSWORD}%`]);
    expect(leaked).toHaveLength(0);
  });
});

describe('R28: one write, one entry', () => {
  const AUDIT = `query($f: AuditFilter) { audit(first: 50, filter: $f) { edges { node { action actor { login } organisation { name } viaPortal details } } } }`;
  const seenBy = async (who: Persona, objectId: string) =>
    (await server.client.ok(AUDIT, { f: { objectId } }, who)).audit.edges.map((e: { node: Record<string, any> }) => e.node);
  const idOf = async (login: string) => (await server.sql<{ id: string }>('SELECT id::text FROM app_user WHERE login = $1', [login]))[0].id;

  it('R28 R21: createExternalUser leaves one entry, user.create, that records the invitation (never its token)', async () => {
    await create('ext.once@example.test');
    const token = await tokenFor('ext.once@example.test');
    const entries = await entriesAbout('ext.once@example.test');
    expect(entries.map((e) => e.action)).toEqual(['user.create']);
    const [invitation] = await server.sql<{ expires_at: Date }>(
      `SELECT i.expires_at FROM invitation i JOIN app_user u ON u.id = i.user_id WHERE u.login = 'ext.once@example.test'`,
    );
    expect(entries[0].details).toMatchObject({
      login: 'ext.once@example.test',
      type: 'EXTERNAL',
      organisation: 'soc',
      profile: 'external-actor',
      invitation: { expiresAt: invitation.expires_at.toISOString(), token: '<hidden>' },
    });
    expect(JSON.stringify(entries)).not.toContain(token);
    // The other side: a refused creation leaves nothing.
    expect((await create('ext.refused@example.test', world.soc.analyst)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await server.sql(`SELECT 1 FROM audit WHERE details->>'login' = 'ext.refused@example.test'`)).toHaveLength(0);
  });

  it('R28 R21: resendInvitation leaves one entry, invitation.create; a refused resend none', async () => {
    await create('ext.resent@example.test');
    await tokenFor('ext.resent@example.test');
    expect(await server.client.code(RESEND, { l: 'ext.resent@example.test' }, world.soc.analyst)).toBe('FORBIDDEN');
    expect((await entriesAbout('ext.resent@example.test')).map((e) => e.action)).toEqual(['user.create']);
    await server.client.ok(RESEND, { l: 'ext.resent@example.test' }, world.soc['org-admin']);
    const token = await tokenFor('ext.resent@example.test', 1);
    const entries = await entriesAbout('ext.resent@example.test');
    expect(entries.map((e) => e.action)).toEqual(['user.create', 'invitation.create']);
    expect(entries[1].details).toMatchObject({ login: 'ext.resent@example.test', resend: true, token: '<hidden>' });
    expect(JSON.stringify(entries)).not.toContain(token);
  });

  it('R28 R21: acceptInvitation leaves one entry, invitation.accept, which is also the login attempt, seen by whoever sees logins', async () => {
    await create('ext.accepted@example.test');
    const token = await tokenFor('ext.accepted@example.test');
    const data = await server.client.ok(ACCEPT_INVITATION, { token, password: PORTAL_PASSWORD }, {}, 'portal');
    const entries = await entriesAbout('ext.accepted@example.test');
    expect(entries.map((e) => [e.action, e.via_portal])).toEqual([
      ['user.create', false],
      ['invitation.accept', true],
    ]);
    expect(entries[1].details).toEqual({ login: 'ext.accepted@example.test', endpoint: 'portal', password: '<hidden>', session: 'opened' });
    // The session it opened is the one returned, and it works.
    expect((await server.client.ok(ME, {}, { token: data.acceptInvitation.token }, 'portal')).me.login).toBe('ext.accepted@example.test');
    // Visible exactly like a login of that user: soc's and admin's user managers, nobody else.
    const id = await idOf('ext.accepted@example.test');
    const accept = (nodes: Array<Record<string, any>>) => nodes.filter((n) => n.action === 'invitation.accept');
    for (const who of [world.soc['org-admin'], world.admin]) {
      expect(accept(await seenBy(who, id))).toEqual([
        expect.objectContaining({ actor: { login: 'ext.accepted@example.test' }, organisation: { name: 'soc' }, viaPortal: true }),
      ]);
    }
    for (const who of [world.soc.analyst, world.partner['org-admin'], world.stranger['org-admin']]) expect(await seenBy(who, id)).toEqual([]);
    // A later password login is a login of its own.
    await server.client.login('ext.accepted@example.test', PORTAL_PASSWORD, 'portal');
    expect((await entriesAbout('ext.accepted@example.test')).map((e) => e.action)).toEqual(['user.create', 'invitation.accept', 'login.success']);
  });

  it('R28 R21: an accepted invitation resets the failed-login count, as a successful login does', async () => {
    await create('ext.throttled@example.test');
    const token = await tokenFor('ext.throttled@example.test');
    const LOGIN = 'mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }';
    for (let i = 0; i < 3; i++)
      expect(await server.client.code(LOGIN, { l: 'ext.throttled@example.test', p: `guess-${i}-password` }, {}, 'portal')).toBe('UNAUTHENTICATED');
    await server.client.ok(ACCEPT_INVITATION, { token, password: PORTAL_PASSWORD }, {}, 'portal');
    expect(await server.client.login('ext.throttled@example.test', PORTAL_PASSWORD, 'portal')).toMatch(/^hs_/);
    // The other side: the count itself still works — three more failures, and even the right password is refused.
    for (let i = 0; i < 3; i++) await server.client.code(LOGIN, { l: 'ext.throttled@example.test', p: `guess-again-${i}` }, {}, 'portal');
    expect(await server.client.code(LOGIN, { l: 'ext.throttled@example.test', p: PORTAL_PASSWORD }, {}, 'portal')).toBe('UNAUTHENTICATED');
  });
});
