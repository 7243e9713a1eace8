import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createCaseAs, shareCaseAs } from '../../fixtures/cases';
import type { Persona } from '../../fixtures/world';
import { useWorld } from '../../support/use-world';
import { contentHash, entryHash, HashedEntry, parseExportLine } from '../../../src/modules/audit-trail/audit-chain';

/** R29 (defect 11 of the review) and R41: audit ids, cursors and the hash chain. */
const { server, world } = useWorld();
const gql = () => server.client;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const AUDIT = `query($first: Int, $after: String) { audit(first: $first, after: $after) {
  edges { cursor node { id action createdAt hash previousHash } } } }`;
const AUDIT_IDS = `query($first: Int) { audit(first: $first) { edges { cursor node { id action createdAt } } } }`;
const VERIFY = `query($o: String!) { verifyAudit(organisation: $o) { ok entries firstBroken reason } }`;
const VERIFIER = path.resolve(__dirname, '../../../dist/scripts/audit-verify.js');

type Edge = { cursor: string; node: { id: string; action: string; createdAt: string; hash: string; previousHash: string | null } };
const auditPage = async (who: Persona, first = 2, query = AUDIT): Promise<Edge[]> => (await gql().ok(query, { first }, who)).audit.edges;
const verify = async (org: string) => (await gql().ok(VERIFY, { o: org }, world.admin)).verifyAudit;
const chainId = async (org: string) => (await server.sql<{ id: string }>(`SELECT id::text FROM organisation WHERE name = $1`, [org]))[0].id;

async function exportOf(org: string, who: Persona = world.admin) {
  return fetch(`${server.url}/audit/export?organisation=${encodeURIComponent(org)}`, { headers: { authorization: `Bearer ${who.token}` } });
}

async function offline(text: string, ...args: string[]): Promise<{ code: number; result: any }> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'audit-export-')), 'export.jsonl');
  fs.writeFileSync(file, text);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [VERIFIER, file, ...args]);
    return { code: 0, result: JSON.parse(stdout) };
  } catch (e: any) {
    return { code: e.code, result: e.stdout ? JSON.parse(e.stdout) : e.stderr };
  }
}

describe('R29: audit ids and cursors reveal nothing about other organisations', () => {
  it("R29: stranger's consecutive entries carry random ids and cursors of their own time only, whatever soc wrote in between", async () => {
    const me = world.stranger.analyst;
    await createCaseAs(gql(), me, { title: 'before' });
    for (let i = 0; i < 5; i++) await createCaseAs(gql(), world.soc.analyst, { title: `soc write ${i}` });
    await createCaseAs(gql(), me, { title: 'after' });
    const [later, earlier] = await auditPage(me, 2, AUDIT_IDS);
    // Before the fix the ids were a platform-wide sequence: later - earlier - 1 was soc's 5 writes.
    for (const e of [later, earlier]) {
      expect(e.node.id).toMatch(UUID);
      const parts = JSON.parse(Buffer.from(e.cursor, 'base64url').toString('utf8'));
      expect(parts).toHaveLength(3);
      expect(parts[0]).toBe('audit');
      expect(Date.parse(parts[1])).toBe(Date.parse(e.node.createdAt)); // its own time (to the µs) …
      expect(parts[2]).toBe(e.node.id); // … and its own id: nothing else
    }
    expect(Number(later.node.id) - Number(earlier.node.id) - 1).not.toBe(5);
  });

  it('R29: a page after a cursor continues exactly; a forged cursor is BAD_USER_INPUT', async () => {
    const me = world.stranger.analyst;
    const all = await auditPage(me, 50);
    const next = (await gql().ok(AUDIT, { first: 50, after: all[0].cursor }, me)).audit.edges as Edge[];
    expect(next.map((e) => e.node.id)).toEqual(all.slice(1).map((e) => e.node.id));
    for (const bad of [
      ['audit', '2026-02-31T00:00:00.000000Z', all[0].node.id],
      ['audit', '12', 'x'],
      ['audit', 17],
    ]) {
      const cursor = Buffer.from(JSON.stringify(bad)).toString('base64url');
      expect(await gql().code(AUDIT, { first: 1, after: cursor }, me)).toBe('BAD_USER_INPUT');
    }
  });
});

describe('R41: the hash chain', () => {
  it("R41: each entry links to the previous entry of its organisation's chain; another organisation's links are not shown", async () => {
    const me = world.stranger.analyst;
    const [later, earlier] = await auditPage(me);
    expect(later.node.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(later.node.previousHash).toBe(earlier.node.hash);

    const k = await createCaseAs(gql(), world.soc.analyst, { title: 'shared chain' });
    await shareCaseAs(gql(), world.soc['incident-handler'], k.id, 'partner', 'read-only');
    const history = async (who: Persona) =>
      (await gql().ok(`query($id: ID!) { caseHistory(caseId: $id) { id hash previousHash } }`, { id: k.id }, who)).caseHistory;
    const [ownView] = await history(world.soc.analyst);
    const [partnerView] = await history(world.partner.analyst);
    expect(ownView.previousHash).toMatch(/^[0-9a-f]{64}$/);
    expect(partnerView).toEqual({ id: ownView.id, hash: ownView.hash, previousHash: null });
  });

  it('R41: verifyAudit is for administrators in admin (manageConfig); an unknown organisation is NOT_FOUND', async () => {
    expect(await verify('soc')).toEqual({ ok: true, entries: expect.any(Number), firstBroken: null, reason: null });
    for (const who of [world.soc['org-admin'], world.stranger.analyst]) expect(await gql().code(VERIFY, { o: 'soc' }, who)).toBe('FORBIDDEN');
    expect(await gql().code(VERIFY, { o: 'soc' })).toBe('UNAUTHENTICATED');
    expect(await gql().code(VERIFY, { o: 'nowhere' }, world.admin)).toBe('NOT_FOUND');
    expect(await gql().code(VERIFY, { o: 'soc\u0000x' }, world.admin)).toBe('BAD_USER_INPUT');
  });

  it("R41: entries of no organisation (an unknown login) are in admin's chain, which verifies", async () => {
    await gql().request('mutation { login(login: "nobody@nowhere.test", password: "wrong-password") { token } }');
    const [row] = await server.sql(`SELECT chain_id::text AS chain FROM audit WHERE details->>'login' = 'nobody@nowhere.test'`);
    expect(row.chain).toBe(await chainId('admin'));
    expect(await verify('admin')).toMatchObject({ ok: true });
  });

  it('R41: 50 concurrent writes in one organisation leave one unforked chain', async () => {
    const k = await createCaseAs(gql(), world.soc.analyst, { title: 'concurrent' });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        gql().request(`mutation($id: ID!, $t: String!) { updateCase(id: $id, input: { title: $t }) { id } }`, { id: k.id, t: `title ${i}` }, world.soc.analyst),
      ),
    );
    expect(results.filter((r) => r.errors).length).toBe(0);
    const soc = await chainId('soc');
    const [shape] = await server.sql(
      `SELECT count(*)::int AS n, count(DISTINCT seq)::int AS seqs, max(seq)::int AS top, count(DISTINCT previous_hash)::int AS links
      FROM audit a JOIN audit_link l ON l.audit_id = a.id WHERE a.chain_id = $1`,
      [soc],
    );
    const [all] = await server.sql(`SELECT count(*)::int AS n FROM audit WHERE chain_id = $1`, [soc]);
    expect(shape.n).toBe(all.n); // every committed entry is sealed
    expect(shape.seqs).toBe(shape.n);
    expect(shape.top).toBe(shape.n);
    expect(shape.links).toBe(shape.n - 1); // every entry but the first links to a different predecessor
    expect(await verify('soc')).toEqual({ ok: true, entries: shape.n, firstBroken: null, reason: null });
  });
});

describe('R41: tampering with the table is reported by verifyAudit and by the offline verifier', () => {
  let soc: string;
  let rows: Array<{ id: string; seq: number }>;
  beforeAll(async () => {
    soc = await chainId('soc');
    rows = await server.sql(`SELECT audit_id::text AS id, seq::int FROM audit_link WHERE chain_id = $1 ORDER BY seq`, [soc]);
    expect(rows.length).toBeGreaterThan(10);
  });
  const exported = async () => (await exportOf('soc')).text();
  // A removed row is kept aside in the database itself (a copy through JavaScript would lose its
  // microseconds) and put back as a forger would, around the triggers (replica mode): not re-sealed.
  const set = (id: string) => server.sql(`CREATE TABLE audit_aside AS SELECT * FROM audit WHERE id = $1`, [id]);
  const aroundTriggers = async (statement: string, params: unknown[] = []) => {
    await server.sql(`SET session_replication_role = replica`);
    try {
      await server.sql(statement, params);
    } finally {
      await server.sql(`SET session_replication_role = DEFAULT`);
    }
  };
  const putBack = async () => {
    await aroundTriggers(`INSERT INTO audit SELECT * FROM audit_aside`);
    await server.sql(`DROP TABLE audit_aside`);
  };

  it('R41: the export streams the chain as JSON Lines that verify offline', async () => {
    const res = await exportOf('soc');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const text = await res.text();
    const lines = text.trim().split('\n').map(parseExportLine);
    expect(lines.map((e) => e.id)).toEqual(rows.map((r) => r.id));
    expect(lines.every((e: HashedEntry) => entryHash(e) === e.hash)).toBe(true); // the database sealed them as the verifier computes
    expect(await offline(text)).toEqual({ code: 0, result: { ok: true, entries: rows.length, firstBroken: null, reason: null } });
    expect((await offline(text, '--head', lines[lines.length - 2].hash!)).code).toBe(1); // the last entry cut off is noticed with a known head
  });

  it('R41: an altered entry', async () => {
    const victim = rows[3];
    await server.sql(`UPDATE audit SET details = details || '{"title": "rewritten"}' WHERE id = $1`, [victim.id]);
    try {
      expect(await verify('soc')).toMatchObject({ ok: false, firstBroken: victim.id, reason: expect.stringMatching(/^altered/) });
      expect(await offline(await exported())).toMatchObject({
        code: 1,
        result: { ok: false, firstBroken: victim.id, reason: expect.stringMatching(/^altered/) },
      });
    } finally {
      await server.sql(`UPDATE audit SET details = details - 'title' WHERE id = $1`, [victim.id]);
    }
    expect(await verify('soc')).toMatchObject({ ok: true });
  });

  it('R41: a removed entry (reported on the entry after the gap), and a removed last entry', async () => {
    const [victim, next] = [rows[4], rows[5]];
    await set(victim.id);
    await server.sql(`DELETE FROM audit WHERE id = $1`, [victim.id]);
    try {
      expect(await verify('soc')).toMatchObject({ ok: false, firstBroken: next.id, reason: expect.stringMatching(/^removed/) });
      expect(await offline(await exported())).toMatchObject({
        code: 1,
        result: { ok: false, firstBroken: next.id, reason: expect.stringMatching(/^removed/) },
      });
    } finally {
      await putBack();
    }
    expect(await verify('soc')).toMatchObject({ ok: true });

    const [last] = await server.sql(`SELECT audit_id::text AS id FROM audit_link WHERE chain_id = $1 ORDER BY seq DESC LIMIT 1`, [soc]);
    await set(last.id);
    await server.sql(`DELETE FROM audit WHERE id = $1`, [last.id]);
    try {
      expect(await verify('soc')).toMatchObject({ ok: false, firstBroken: null, reason: expect.stringMatching(/^removed/) });
    } finally {
      await putBack();
    }
  });

  it('R41: an inserted entry, even one that hashes correctly and links to its predecessor', async () => {
    const [before, genuine] = [rows[5], rows[6]];
    // A forged entry at genuine's position: same predecessor, a valid hash of its own content.
    const [f] = await server.sql<HashedEntry & { hash: string }>(
      `SELECT gen_random_uuid()::text AS id, a.chain_id::text AS chain, l.seq::int, a.organisation_id::text AS "organisationId",
        a.actor_id::text AS "actorId", 'case.delete' AS action, a.object_type AS "objectType", a.object_id AS "objectId", a.case_id::text AS "caseId",
        a.via_portal AS "viaPortal", a.details, to_char((a.created_at - interval '1 ms') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAt",
        (SELECT hash FROM audit_link WHERE audit_id = $2) AS "previousHash"
      FROM audit a JOIN audit_link l ON l.audit_id = a.id WHERE a.id = $1`,
      [genuine.id, before.id],
    );
    f.hash = entryHash(f);
    await aroundTriggers(
      `INSERT INTO audit (id, chain_id, content_hash, actor_id, organisation_id, action, object_type, object_id, case_id, details, via_portal, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        f.id,
        f.chain,
        contentHash(f),
        f.actorId,
        f.organisationId,
        f.action,
        f.objectType,
        f.objectId,
        f.caseId,
        JSON.stringify(f.details),
        f.viaPortal,
        f.createdAt,
      ],
    );
    // The unique (chain, seq) index refuses a second link at a position: the forger drops it first.
    await server.sql(`DROP INDEX ix_audit_link_chain_id_seq`);
    await server.sql(`INSERT INTO audit_link (audit_id, chain_id, seq, previous_hash, hash) VALUES ($1, $2, $3, $4, $5)`, [
      f.id,
      f.chain,
      f.seq,
      f.previousHash,
      f.hash,
    ]);
    try {
      expect(await verify('soc')).toMatchObject({ ok: false, firstBroken: f.id, reason: expect.stringMatching(/^inserted/) });
      expect(await offline(await exported())).toMatchObject({ code: 1, result: { ok: false, firstBroken: f.id, reason: expect.stringMatching(/^inserted/) } });
    } finally {
      await server.sql(`DELETE FROM audit_link WHERE audit_id = $1`, [f.id]);
      await server.sql(`DELETE FROM audit WHERE id = $1`, [f.id]);
      await server.sql(`CREATE UNIQUE INDEX ix_audit_link_chain_id_seq ON audit_link (chain_id, seq)`);
    }
    expect(await verify('soc')).toMatchObject({ ok: true });
  });

  it('R41: an entry written around the sealing trigger is reported as inserted', async () => {
    const [tpl] = await server.sql(`SELECT id::text FROM audit WHERE chain_id = $1 ORDER BY created_at DESC LIMIT 1`, [soc]);
    const id = '00000000-0000-4000-8000-00000000f0f0';
    await aroundTriggers(
      `INSERT INTO audit (id, actor_id, organisation_id, action, object_type, object_id, case_id, details, via_portal, created_at, chain_id, content_hash)
      SELECT $2::uuid, actor_id, organisation_id, action, object_type, object_id, case_id, details, via_portal, created_at, chain_id, content_hash FROM audit WHERE id = $1`,
      [tpl.id, id],
    );
    try {
      expect(await verify('soc')).toMatchObject({ ok: false, firstBroken: id, reason: expect.stringMatching(/^inserted/) });
    } finally {
      await server.sql(`DELETE FROM audit WHERE id = $1`, [id]);
    }
  });
});

describe('R41: GET /audit/export refusals', () => {
  it('R41: 401 without credentials, 403 outside admin or without manageConfig, 400 without organisation, 404 for an unknown one', async () => {
    const res = await fetch(`${server.url}/audit/export?organisation=soc`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    for (const who of [world.soc['org-admin'], world.partner.analyst]) {
      const r = await exportOf('soc', who);
      expect(r.status).toBe(403);
      expect(((await r.json()) as any).errors[0].extensions.code).toBe('FORBIDDEN');
    }
    const none = await fetch(`${server.url}/audit/export`, { headers: { authorization: `Bearer ${world.admin.token}` } });
    expect(none.status).toBe(400);
    expect((await exportOf('nowhere')).status).toBe(404);
    expect((await exportOf('soc\u0000x')).status).toBe(400);
  });
});
