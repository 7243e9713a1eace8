import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createCaseAs, createObservableAs, createTaskAs } from '../../fixtures/cases';
import { addComment, attach, download, inviteExternalUser } from '../../fixtures/portal';
import type { Persona } from '../../fixtures/world';
import { shiftDatabaseClock } from '../../support/clock';
import { countStatements } from '../../support/count-statements';
import { errorCodes, subscribe, Subscription, waitUntil } from '../../support/ws-client';
import { useWorldWithSmtp } from '../../support/use-world';

/**
 * R38 (disclosure), R39 (expiry) with R40 (read ledger) and R41 (audit chain) on one story:
 * soc shares a case with partner for an hour, partner re-shares it with third (an organisation
 * soc is not linked to), both grant portal access; soc's disclosure shows who sees what; time
 * passes (the database clock is moved, test/support/clock.ts: no sleeping) and everything that
 * came through partner's share is gone for its readers and shown as expired.
 */
const feeds: Subscription<unknown>[] = [];
// Registered before useWorld's hooks, so the feeds close while the server still runs.
afterAll(async () => {
  await Promise.all(feeds.map((s) => s.close()));
});
const { server, world, smtp } = useWorldWithSmtp({ ledgerFlushMs: 3_600_000 });
const gql = () => server.client;
const HOUR = 3600;
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

const SHARE = `mutation($c: ID!, $o: String!, $p: String!, $t: ShareRule, $at: DateTime) {
  shareCase(caseId: $c, organisation: $o, profile: $p, tasks: $t, observables: $t, expiresAt: $at) { id expiresAt expired via { organisation { name } } } }`;
const SET_EXPIRY = `mutation($c: ID!, $o: String!, $at: DateTime) {
  setShareExpiry(caseId: $c, organisation: $o, expiresAt: $at) { organisation { name } expiresAt expired } }`;
const GRANT = 'mutation($c: ID!, $l: String!, $at: DateTime) { grantExternalAccess(caseId: $c, login: $l, expiresAt: $at) { id } }';
const DISCLOSURE = `query($c: ID!) { disclosure(caseId: $c) {
  organisations { organisation { name } share { expiresAt expired via { organisation { name } } } tasks { id } observables { id } }
  externalUsers { user { login } access expiresAt expired comments { id } attachments { id } observables { id } } } }`;
const CASE = 'query($c: ID!) { case(id: $c) { id tasks { id } observables { id } } }';
const SHARES = 'query($c: ID!) { case(id: $c) { sharedExternally externalUsers { login } shares { organisation { name } expiresAt expired } } }';
const PORTAL_CASE = 'query($c: ID!) { case(id: $c) { id comments { id } attachments { id } observables { id } } }';
const COUNT = 'query { cases { totalCount edges { node { id } } } }';
const READS = 'query($c: ID!) { caseReads(caseId: $c) { edges { node { kind user { login } objectId viaPortal } } } }';
const VERIFY = 'query($o: String!) { verifyAudit(organisation: $o) { ok entries firstBroken reason } }';
const VERIFIER = path.resolve(__dirname, '../../../dist/scripts/audit-verify.js');

type OrgEntry = {
  organisation: { name: string };
  share: { expiresAt: string | null; expired: boolean; via: { organisation: { name: string } } | null };
  tasks: Array<{ id: string }>;
  observables: Array<{ id: string }>;
};
type ExtEntry = {
  user: { login: string };
  access: string;
  expiresAt: string | null;
  expired: boolean;
  comments: Array<{ id: string }>;
  attachments: Array<{ id: string }>;
  observables: Array<{ id: string }>;
};

let third: Persona;
let fourth: Persona;
let socClient: Persona;
let partnerClient: Persona;

beforeAll(async () => {
  const admin = world.admin;
  for (const [org, linkedFrom] of [
    ['third', ['partner']],
    ['fourth', ['soc', 'partner']],
  ] as const) {
    await gql().ok('mutation($n: String!) { createOrganisation(name: $n, description: "disclosure test") { id } }', { n: org }, admin);
    for (const from of linkedFrom)
      await gql().ok('mutation($f: String!, $t: String!) { linkOrganisations(from: $f, to: $t) { id } }', { f: from, t: org }, admin);
    await gql().ok(
      `mutation($l: String!, $o: String!) { createUser(login: $l, name: "a", email: $l, password: "fixture-password-1", organisation: $o, profile: "analyst") { id } }`,
      { l: `analyst@${org}.test`, o: org },
      admin,
    );
  }
  const persona = async (org: string) => ({
    login: `analyst@${org}.test`,
    token: await gql().login(`analyst@${org}.test`, 'fixture-password-1'),
    organisation: org,
    profile: 'analyst',
  });
  third = await persona('third');
  fourth = await persona('fourth');
  socClient = await inviteExternalUser(server, smtp, world.soc['org-admin'], 'client@soc-disclosure.test');
  partnerClient = await inviteExternalUser(server, smtp, world.partner['org-admin'], 'client@partner-disclosure.test');
});

afterEach(() => shiftDatabaseClock(server, 0));

const disclosure = async (who: Persona, caseId: string) =>
  (await gql().ok(DISCLOSURE, { c: caseId }, who)).disclosure as { organisations: OrgEntry[]; externalUsers: ExtEntry[] };
const seenCase = async (who: Persona, caseId: string) => (await gql().ok(CASE, { c: caseId }, who)).case;
const portalCase = async (who: Persona, caseId: string) => (await gql().ok(PORTAL_CASE, { c: caseId }, who, 'portal')).case;
const ids = (xs: Array<{ id: string }>) => xs.map((x) => x.id).sort();
const caseCount = async (who: Persona) => (await gql().ok(COUNT, {}, who)).cases.totalCount as number;

describe('R38/R39: soc shares for an hour, partner re-shares; time passes', () => {
  let caseId: string;
  let taskId: string;
  let obsId: string;
  let commentId: string;
  let attachmentId: string;
  const oneHour = inSeconds(HOUR);

  beforeAll(async () => {
    caseId = (await createCaseAs(gql(), world.soc.analyst, { title: 'disclosure story' })).id;
    taskId = await createTaskAs(gql(), world.soc.analyst, caseId);
    obsId = await createObservableAs(gql(), world.soc.analyst, caseId);
    await createTaskAs(gql(), world.soc.analyst, caseId); // a second task, never shared on: nobody but soc sees it through a MANUAL rule
    commentId = await addComment(server, world.soc['incident-handler'], caseId, 'for the clients', true);
    await addComment(server, world.soc.analyst, caseId, 'internal only', false);
    attachmentId = await attach(server, world.soc['incident-handler'], caseId, { name: 'report.txt', content: 'findings' }, true);
    const toPartner = (await gql().ok(SHARE, { c: caseId, o: 'partner', p: 'incident-handler', t: 'ALL', at: oneHour }, world.soc['incident-handler']))
      .shareCase;
    expect(toPartner).toMatchObject({ expiresAt: oneHour, expired: false, via: null });
    const toThird = (await gql().ok(SHARE, { c: caseId, o: 'third', p: 'analyst', t: 'MANUAL' }, world.partner['incident-handler'])).shareCase;
    expect(toThird).toMatchObject({ expiresAt: null, expired: false, via: { organisation: { name: 'partner' } } });
    await gql().ok('mutation($t: ID!) { shareTask(taskId: $t, organisation: "third") { id } }', { t: taskId }, world.partner['incident-handler']);
    await gql().ok(GRANT, { c: caseId, l: socClient.login, at: inSeconds(3 * HOUR) }, world.soc['incident-handler']);
    await gql().ok(GRANT, { c: caseId, l: partnerClient.login }, world.partner['incident-handler']);
  });

  it("R38: soc's disclosure shows every share — third's through partner — and every external user, each exactly as that reader sees the case", async () => {
    const d = await disclosure(world.soc['incident-handler'], caseId);
    expect(d.organisations.map((o) => [o.organisation.name, o.share.via?.organisation.name ?? null, o.share.expired])).toEqual([
      ['soc', null, false],
      ['partner', null, false],
      ['third', 'partner', false],
    ]);
    expect(d.organisations[1].share.expiresAt).toBe(oneHour);
    // Each organisation's entry is what its members read of the case.
    for (const [entry, reader] of [
      [d.organisations[1], world.partner.analyst],
      [d.organisations[2], third],
    ] as const) {
      const got = await seenCase(reader, caseId);
      expect(ids(entry.tasks)).toEqual(ids(got.tasks));
      expect(ids(entry.observables)).toEqual(ids(got.observables));
    }
    expect(ids(d.organisations[2].tasks)).toEqual([taskId]);
    expect(d.organisations[2].observables).toEqual([]);
    expect(ids(d.organisations[1].observables)).toEqual([obsId]);
    // Each external user's entry is what the portal serves them.
    expect(d.externalUsers.map((x) => [x.user.login, x.access, x.expired])).toEqual([
      [partnerClient.login, 'GRANT', false],
      [socClient.login, 'GRANT', false],
    ]);
    for (const [x, who] of [
      [d.externalUsers[0], partnerClient],
      [d.externalUsers[1], socClient],
    ] as const) {
      const got = await portalCase(who, caseId);
      expect(ids(x.comments)).toEqual(ids(got.comments));
      expect(ids(x.attachments)).toEqual(ids(got.attachments));
      expect(x.comments.map((c) => c.id)).toEqual([commentId]);
      expect(x.attachments.map((a) => a.id)).toEqual([attachmentId]);
    }
  });

  it('R38: a partner sees only what it gave (the share it made, the grant it gave); without manageShare or the case → FORBIDDEN / NOT_FOUND', async () => {
    const d = await disclosure(world.partner['incident-handler'], caseId);
    expect(d.organisations.map((o) => o.organisation.name)).toEqual(['third']);
    expect(d.externalUsers.map((x) => x.user.login)).toEqual([partnerClient.login]);
    expect(await gql().code(DISCLOSURE, { c: caseId }, world.soc.analyst)).toBe('FORBIDDEN');
    expect(await gql().code(DISCLOSURE, { c: caseId }, third)).toBe('FORBIDDEN');
    expect(await gql().code(DISCLOSURE, { c: caseId }, world.stranger['org-admin'])).toBe('NOT_FOUND');
    expect(await gql().code(DISCLOSURE, { c: caseId }, fourth)).toBe('FORBIDDEN'); // no manageShare: the root rule answers first
  });

  it("R40: the external user's download appears in caseReads (owner only)", async () => {
    expect((await download(server, attachmentId, socClient)).status).toBe(200);
    await server.app.services.readLedger.flush();
    const reads = (await gql().ok(READS, { c: caseId }, world.soc.analyst)).caseReads.edges.map((e: any) => e.node);
    expect(reads).toContainEqual({ kind: 'ATTACHMENT_DOWNLOAD', user: { login: socClient.login }, objectId: attachmentId, viaPortal: true });
    expect(await gql().code(READS, { c: caseId }, world.partner.analyst)).toBe('FORBIDDEN');
  });

  it('R39: after the hour, partner and third (through partner) see nothing — case, list, count, items, portal — and soc sees both marked expired', async () => {
    const partnerCount = await caseCount(world.partner.analyst);
    const thirdCount = await caseCount(third);
    const feed = await subscribe<{ liveFeed: { action: string; objectId: string } }>(
      server.url,
      'subscription { liveFeed { action objectId } }',
      world.partner.analyst,
    );
    feeds.push(feed);
    await shiftDatabaseClock(server, HOUR + 60);

    for (const reader of [world.partner.analyst, world.partner['incident-handler'], third]) expect(await seenCase(reader, caseId)).toBeNull();
    expect(await caseCount(world.partner.analyst)).toBe(partnerCount - 1);
    expect(await caseCount(third)).toBe(thirdCount - 1);
    expect((await gql().ok('query($t: ID!) { task(id: $t) { id } }', { t: taskId }, third)).task).toBeNull();
    expect(await gql().code('mutation($c: ID!) { addComment(caseId: $c, message: "late") { id } }', { c: caseId }, world.partner['incident-handler'])).toBe(
      'NOT_FOUND',
    );
    expect(await portalCase(partnerClient, caseId)).toBeNull();
    expect((await download(server, attachmentId, partnerClient)).status).toBe(404);
    expect(await gql().code(DISCLOSURE, { c: caseId }, world.partner['incident-handler'])).toBe('NOT_FOUND');
    // soc's client was granted for three hours, through soc's own share: still in.
    expect(ids((await portalCase(socClient, caseId)).comments)).toEqual([commentId]);

    const shares = (await gql().ok(SHARES, { c: caseId }, world.soc['incident-handler'])).case;
    expect(shares.shares).toEqual([
      { organisation: { name: 'soc' }, expiresAt: null, expired: false },
      { organisation: { name: 'partner' }, expiresAt: oneHour, expired: true },
      { organisation: { name: 'third' }, expiresAt: null, expired: true }, // its own expiry is none: it ends with partner's
    ]);
    expect(shares.externalUsers).toEqual([{ login: socClient.login }]);
    const d = await disclosure(world.soc['incident-handler'], caseId);
    expect(d.organisations.map((o) => [o.organisation.name, o.share.expired, o.tasks.length, o.observables.length])).toEqual([
      ['soc', false, 2, 1],
      ['partner', true, 0, 0],
      ['third', true, 0, 0],
    ]);
    expect(d.externalUsers.map((x) => [x.user.login, x.expired, x.comments.length, x.attachments.length])).toEqual([
      [partnerClient.login, true, 0, 0],
      [socClient.login, false, 1, 1],
    ]);

    // liveFeed (R39): partner's open feed ends with FORBIDDEN at the next entry, before delivering it;
    // a feed opened afterwards serves what partner still sees.
    await addComment(server, world.soc.analyst, caseId, 'after the expiry');
    await waitUntil(() => feed.errors.length > 0, 'partner feed ends');
    expect(feed.received).toEqual([]);
    expect(errorCodes(feed)).toEqual(['FORBIDDEN']);
    const later = await subscribe<{ liveFeed: { action: string; objectId: string } }>(
      server.url,
      'subscription { liveFeed { action objectId } }',
      world.partner.analyst,
    );
    feeds.push(later);
    await addComment(server, world.soc.analyst, caseId, 'still after the expiry');
    await gql().ok('mutation { createCase(input: { title: "partner goes on" }) { id } }', {}, world.partner.analyst);
    await waitUntil(() => later.received.some((e) => e.liveFeed.action === 'case.create'), 'a new partner feed goes on');
    expect(later.received.map((e) => e.liveFeed.action)).toEqual(['case.create']);
    expect(later.errors).toEqual([]);

    // Later still, soc's client's own grant expires too: nobody outside soc sees the case.
    await shiftDatabaseClock(server, 3 * HOUR + 60);
    expect(await portalCase(socClient, caseId)).toBeNull();
    const after = (await gql().ok(SHARES, { c: caseId }, world.soc['incident-handler'])).case;
    expect(after.sharedExternally).toBe(false);
    expect(after.externalUsers).toEqual([]);
    expect((await disclosure(world.soc['incident-handler'], caseId)).externalUsers.find((x) => x.user.login === socClient.login)).toMatchObject({
      expired: true,
      comments: [],
    });
  });

  it('R39/R16a: an expired share is not brought back; sharing again starts afresh, without what was made through the old share', async () => {
    await shiftDatabaseClock(server, HOUR + 60);
    expect(await gql().code(SET_EXPIRY, { c: caseId, o: 'partner', at: null }, world.soc['incident-handler'])).toBe('BAD_USER_INPUT');
    expect(await seenCase(world.partner.analyst, caseId)).toBeNull();
    expect((await gql().ok(SHARE, { c: caseId, o: 'partner', p: 'analyst', t: 'MANUAL' }, world.soc['incident-handler'])).shareCase).toMatchObject({
      expiresAt: null,
      expired: false,
    });
    expect(await seenCase(world.partner.analyst, caseId)).not.toBeNull();
    const d = await disclosure(world.soc['incident-handler'], caseId);
    expect(d.organisations.map((o) => o.organisation.name)).toEqual(['soc', 'partner']);
    expect(d.externalUsers.map((x) => x.user.login)).not.toContain(partnerClient.login);
    expect(await seenCase(third, caseId)).toBeNull();
    expect(await portalCase(partnerClient, caseId)).toBeNull();
    const removed = await server.sql(`SELECT details FROM audit WHERE case_id = $1 AND action = 'share.delete' ORDER BY created_at`, [caseId]);
    expect(removed.map((r) => [r.details.organisation, r.details.reason])).toEqual([
      ['partner', 'expired'],
      ['third', 'expired'],
    ]);
  });

  it('R41: a tampered audit entry of the story is reported by verifyAudit and by the offline verifier', async () => {
    const [victim] = await server.sql(
      `SELECT id::text FROM audit WHERE case_id = $1 AND action = 'share.create' AND details->>'organisation' = 'partner'
      ORDER BY created_at LIMIT 1`,
      [caseId],
    );
    expect(victim).toBeDefined();
    const verify = async () => (await gql().ok(VERIFY, { o: 'soc' }, world.admin)).verifyAudit;
    const offline = async () => {
      const res = await fetch(`${server.url}/audit/export?organisation=soc`, { headers: { authorization: `Bearer ${world.admin.token}` } });
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'audit-export-')), 'export.jsonl');
      fs.writeFileSync(file, await res.text());
      try {
        const { stdout } = await promisify(execFile)(process.execPath, [VERIFIER, file]);
        return { code: 0, result: JSON.parse(stdout) };
      } catch (e: any) {
        return { code: e.code, result: e.stdout ? JSON.parse(e.stdout) : e.stderr };
      }
    };
    expect(await verify()).toMatchObject({ ok: true, firstBroken: null });
    expect(await offline()).toMatchObject({ code: 0, result: { ok: true } });
    // The forger pushes partner's expiry back by a day.
    await server.sql(`UPDATE audit SET details = jsonb_set(details, '{expiresAt}', to_jsonb($2::text)) WHERE id = $1`, [victim.id, inSeconds(25 * HOUR)]);
    try {
      expect(await verify()).toMatchObject({ ok: false, firstBroken: victim.id, reason: expect.stringMatching(/^altered/) });
      expect(await offline()).toMatchObject({ code: 1, result: { ok: false, firstBroken: victim.id } });
    } finally {
      await server.sql(`UPDATE audit SET details = jsonb_set(details, '{expiresAt}', to_jsonb($2::text)) WHERE id = $1`, [victim.id, oneHour]);
    }
    expect(await verify()).toMatchObject({ ok: true });
  });
});

describe('R39: who may set a share expiry (R16a), and expiry along re-shares', () => {
  it("R39: the owner on every share, a partner only on the shares it made; never the owner share or one's own; the chain ends at the earliest expiry", async () => {
    const caseId = (await createCaseAs(gql(), world.soc.analyst, { title: 'expiry rights' })).id;
    await gql().ok(SHARE, { c: caseId, o: 'partner', p: 'incident-handler', t: 'MANUAL' }, world.soc['incident-handler']);
    await gql().ok(SHARE, { c: caseId, o: 'fourth', p: 'read-only', t: 'MANUAL' }, world.soc['incident-handler']);
    await gql().ok(SHARE, { c: caseId, o: 'third', p: 'analyst', t: 'MANUAL' }, world.partner['incident-handler']);
    const expiryOf = async (org: string) =>
      (
        await server.sql(
          `SELECT s.expires_at AS "expiresAt" FROM share s JOIN organisation o ON o.id = s.organisation_id WHERE s.case_id = $1 AND o.name = $2`,
          [caseId, org],
        )
      )[0].expiresAt;

    // partner made third's share: it may set its expiry; fourth's was made by soc → FORBIDDEN, nothing written.
    const in30m = inSeconds(1800);
    expect((await gql().ok(SET_EXPIRY, { c: caseId, o: 'third', at: in30m }, world.partner['incident-handler'])).setShareExpiry).toEqual({
      organisation: { name: 'third' },
      expiresAt: in30m,
      expired: false,
    });
    expect(await gql().code(SET_EXPIRY, { c: caseId, o: 'fourth', at: in30m }, world.partner['incident-handler'])).toBe('FORBIDDEN');
    expect(await expiryOf('fourth')).toBeNull();
    expect(await gql().code(SET_EXPIRY, { c: caseId, o: 'soc', at: in30m }, world.partner['incident-handler'])).toBe('BAD_USER_INPUT');
    expect(await gql().code(SET_EXPIRY, { c: caseId, o: 'partner', at: in30m }, world.partner['incident-handler'])).toBe('BAD_USER_INPUT');
    expect(await gql().code(SET_EXPIRY, { c: caseId, o: 'soc', at: in30m }, world.soc['incident-handler'])).toBe('BAD_USER_INPUT');
    expect(await gql().code(SET_EXPIRY, { c: caseId, o: 'partner', at: in30m }, world.soc.analyst)).toBe('FORBIDDEN');
    expect(await gql().code(SET_EXPIRY, { c: caseId, o: 'partner', at: in30m }, world.stranger['org-admin'])).toBe('NOT_FOUND');
    expect(await gql().code(SET_EXPIRY, { c: caseId, o: 'partner', at: 'tomorrow' }, world.soc['incident-handler'])).toBe('BAD_USER_INPUT');
    expect(await expiryOf('partner')).toBeNull();

    // The owner on a share it did not make (third's, through partner), and on partner's: third ends with partner.
    const in10m = inSeconds(600);
    await gql().ok(SET_EXPIRY, { c: caseId, o: 'partner', at: in10m }, world.soc['incident-handler']);
    await shiftDatabaseClock(server, 900);
    expect(await seenCase(third, caseId)).toBeNull();
    expect(await seenCase(world.partner.analyst, caseId)).toBeNull();
    expect(await seenCase(fourth, caseId)).not.toBeNull();
    await shiftDatabaseClock(server, 0);
    // Cleared before it passed: third is back on its own 30 minutes, partner on none.
    expect((await gql().ok(SET_EXPIRY, { c: caseId, o: 'partner', at: null }, world.soc['incident-handler'])).setShareExpiry).toMatchObject({
      expiresAt: null,
      expired: false,
    });
    await shiftDatabaseClock(server, 900);
    expect(await seenCase(third, caseId)).not.toBeNull();
    await shiftDatabaseClock(server, 2400);
    expect(await seenCase(third, caseId)).toBeNull();
    expect(await seenCase(world.partner.analyst, caseId)).not.toBeNull();
    // Audited: who changed which expiry, from what to what.
    const entries = await server.sql(`SELECT details FROM audit WHERE case_id = $1 AND action = 'share.update' ORDER BY created_at`, [caseId]);
    expect(entries.map((e) => [e.details.organisation, e.details.expiresAt])).toEqual([
      ['third', { from: null, to: in30m }],
      ['partner', { from: null, to: in10m }],
      ['partner', { from: in10m, to: null }],
    ]);
  });

  it('R39: a re-share never outlives the share it was made through, whatever expiry it was given', async () => {
    const caseId = (await createCaseAs(gql(), world.soc.analyst, { title: 'expiry chain' })).id;
    await gql().ok(SHARE, { c: caseId, o: 'partner', p: 'incident-handler', t: 'MANUAL', at: inSeconds(600) }, world.soc['incident-handler']);
    await gql().ok(SHARE, { c: caseId, o: 'third', p: 'analyst', t: 'MANUAL', at: inSeconds(HOUR) }, world.partner['incident-handler']);
    await shiftDatabaseClock(server, 300);
    expect(await seenCase(third, caseId)).not.toBeNull();
    await shiftDatabaseClock(server, 900);
    expect(await seenCase(third, caseId)).toBeNull();
  });

  it('R39: a share made with an instant already past gives nothing from the start; bad input writes nothing', async () => {
    const caseId = (await createCaseAs(gql(), world.soc.analyst, { title: 'expired at once' })).id;
    expect(await gql().code(SHARE, { c: caseId, o: 'partner', p: 'analyst', t: 'MANUAL', at: 'not a date' }, world.soc['incident-handler'])).toBe(
      'BAD_USER_INPUT',
    );
    expect(await server.sql('SELECT 1 FROM share WHERE case_id = $1 AND NOT owner', [caseId])).toEqual([]);
    expect(
      (await gql().ok(SHARE, { c: caseId, o: 'partner', p: 'analyst', t: 'MANUAL', at: inSeconds(-60) }, world.soc['incident-handler'])).shareCase.expired,
    ).toBe(true);
    expect(await seenCase(world.partner.analyst, caseId)).toBeNull();
  });
});

describe("R39 with R20: an assignee whose organisation's share expired is no assignee any more", () => {
  it("R20/R39: the case and task assignee from partner reads as none once partner's share expired, and cannot be assigned again", async () => {
    const caseId = (await createCaseAs(gql(), world.soc.analyst, { title: 'assignee expiry' })).id;
    const taskId = await createTaskAs(gql(), world.soc.analyst, caseId);
    await gql().ok(SHARE, { c: caseId, o: 'partner', p: 'incident-handler', t: 'ALL', at: inSeconds(600) }, world.soc['incident-handler']);
    const assignee = world.partner['incident-handler'].login;
    await gql().ok('mutation($c: ID!, $l: String) { assignCase(id: $c, login: $l) { id } }', { c: caseId, l: assignee }, world.soc['incident-handler']);
    await gql().ok(
      'mutation($t: ID!, $l: String) { updateTask(id: $t, input: { assignee: $l }) { id } }',
      { t: taskId, l: assignee },
      world.soc['incident-handler'],
    );
    const read = async () =>
      (await gql().ok('query($c: ID!) { case(id: $c) { assignee { login } tasks { assignee { login } } } }', { c: caseId }, world.soc.analyst)).case;
    const byAssignee = async () =>
      (await gql().ok('query($l: String!) { cases(filter: { assignee: $l }) { totalCount } }', { l: assignee }, world.soc.analyst)).cases.totalCount;
    expect(await read()).toEqual({ assignee: { login: assignee }, tasks: [{ assignee: { login: assignee } }] });
    expect(await byAssignee()).toBe(1);
    await shiftDatabaseClock(server, 900);
    expect(await read()).toEqual({ assignee: null, tasks: [{ assignee: null }] });
    expect(await byAssignee()).toBe(0);
    expect(
      await gql().code('mutation($c: ID!, $l: String) { assignCase(id: $c, login: $l) { id } }', { c: caseId, l: assignee }, world.soc['incident-handler']),
    ).toBe('BAD_USER_INPUT');
  });
});

describe('R39: external grants expire', () => {
  it('R39: a grant gives access until its expiry; granting again sets a new one; the disclosure follows', async () => {
    const caseId = (await createCaseAs(gql(), world.soc.analyst, { title: 'grant expiry' })).id;
    const in10m = inSeconds(600);
    await gql().ok(GRANT, { c: caseId, l: socClient.login, at: in10m }, world.soc['incident-handler']);
    expect(await portalCase(socClient, caseId)).not.toBeNull();
    expect((await disclosure(world.soc['incident-handler'], caseId)).externalUsers).toEqual([
      { user: { login: socClient.login }, access: 'GRANT', expiresAt: in10m, expired: false, comments: [], attachments: [], observables: [] },
    ]);
    await shiftDatabaseClock(server, 900);
    expect(await portalCase(socClient, caseId)).toBeNull();
    expect((await gql().ok(SHARES, { c: caseId }, world.soc.analyst)).case.sharedExternally).toBe(false);
    expect((await disclosure(world.soc['incident-handler'], caseId)).externalUsers[0]).toMatchObject({ expiresAt: in10m, expired: true });
    // Granting again (no expiry) renews it; the change is audited.
    await gql().ok(GRANT, { c: caseId, l: socClient.login, at: null }, world.soc['incident-handler']);
    expect(await portalCase(socClient, caseId)).not.toBeNull();
    const entries = await server.sql(`SELECT action, details FROM audit WHERE case_id = $1 AND object_type = 'ExternalGrant' ORDER BY created_at`, [caseId]);
    expect(entries.map((e) => [e.action, e.details.expiresAt])).toEqual([
      ['externalgrant.create', in10m],
      ['externalgrant.update', { from: in10m, to: null }],
    ]);
    // Without manageExternalShare: FORBIDDEN, nothing changed.
    expect(await gql().code(GRANT, { c: caseId, l: socClient.login, at: in10m }, world.soc['read-only'])).toBe('FORBIDDEN');
    expect((await server.sql('SELECT expires_at FROM external_grant WHERE case_id = $1', [caseId]))[0].expires_at).toBeNull();
  });
});

describe('R38: the disclosure costs the same statements however many readers it lists', () => {
  it('two organisations and one external user, then three and two: same count, every reader still listed', async () => {
    const caseId = (await createCaseAs(gql(), world.soc.analyst, { title: 'disclosure statements' })).id;
    const handler = world.soc['incident-handler'];
    await gql().ok(SHARE, { c: caseId, o: 'partner', p: 'analyst', t: 'ALL' }, handler);
    await gql().ok(GRANT, { c: caseId, l: socClient.login }, handler);
    const small = await countStatements(() => gql().ok(DISCLOSURE, { c: caseId }, handler));
    await gql().ok(SHARE, { c: caseId, o: 'fourth', p: 'analyst', t: 'ALL' }, handler);
    await gql().ok(GRANT, { c: caseId, l: partnerClient.login }, handler);
    let d: { organisations: OrgEntry[]; externalUsers: ExtEntry[] } | undefined;
    const large = await countStatements(async () => (d = (await gql().ok(DISCLOSURE, { c: caseId }, handler)).disclosure));
    expect(d!.organisations.map((o) => o.organisation.name)).toEqual(['soc', 'fourth', 'partner']);
    expect(d!.externalUsers).toHaveLength(2);
    expect(large).toBe(small);
  });
});
