import { Client } from 'pg';
import { attach, createCase, download, grant, inviteExternalUser, shareCase } from '../../fixtures/portal';
import type { Persona } from '../../fixtures/world';
import { useWorldWithSmtp } from '../../support/use-world';
import { startTestServer } from '../../support/test-server';

/**
 * R40: the read ledger. The flush interval is an hour here, so a record reaches the table only
 * when the test flushes (or the server stops): the read itself never writes it.
 */
const { server, world, smtp } = useWorldWithSmtp({ ledgerFlushMs: 3_600_000 });
const gql = () => server.client;

const READS = `query($c: ID!, $first: Int, $after: String) { caseReads(caseId: $c, first: $first, after: $after) {
  totalCount edges { cursor node { id kind user { login } organisation { name } objectId viaPortal at } } pageInfo { hasNextPage endCursor } } }`;
const PORTAL_CASE = `query($id: ID!) { case(id: $id) { id title } }`;

let caseId: string;
let attachmentId: string;
let external: Persona;

beforeAll(async () => {
  caseId = await createCase(server, world.soc.analyst, 'read ledger');
  attachmentId = await attach(server, world.soc['incident-handler'], caseId, { name: 'report.txt', content: 'the report' }, true);
  await shareCase(server, world.soc['incident-handler'], caseId, 'partner', 'read-only');
  external = await inviteExternalUser(server, smtp, world.soc['org-admin'], 'reader@client.test', { profile: 'external-reader' });
  await grant(server, world.soc['incident-handler'], caseId, external.login);
});

const reads = async (who: Persona = world.soc.analyst, first = 50) => (await gql().ok(READS, { c: caseId, first }, who)).caseReads;
const flush = () => server.app.services.readLedger.flush();
const stored = async () => (await server.sql<{ n: number }>(`SELECT count(*)::int AS n FROM read_record WHERE case_id = $1`, [caseId]))[0].n;

describe('R40: reads from outside the owner organisation are recorded', () => {
  it("R40: an external user's case view and downloads, and a partner member's download, appear in caseReads; the owner's own reads do not", async () => {
    expect((await gql().ok(PORTAL_CASE, { id: caseId }, external, 'portal')).case.id).toBe(caseId);
    for (let i = 0; i < 2; i++) expect((await download(server, attachmentId, external)).status).toBe(200);
    expect((await download(server, attachmentId, world.partner.analyst)).status).toBe(200);
    expect((await download(server, attachmentId, world.soc.analyst)).status).toBe(200); // the owner: not a disclosure
    expect((await gql().ok(PORTAL_CASE, { id: '00000000-0000-4000-8000-000000000000' }, external, 'portal')).case).toBeNull();

    expect(await stored()).toBe(0); // off the critical path: nothing written by the reads themselves
    await flush();
    const page = await reads();
    expect(page.totalCount).toBe(4);
    const nodes = page.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => [n.kind, n.user.login, n.organisation.name, n.objectId, n.viaPortal])).toEqual([
      ['ATTACHMENT_DOWNLOAD', world.partner.analyst.login, 'partner', attachmentId, false],
      ['ATTACHMENT_DOWNLOAD', external.login, 'soc', attachmentId, true],
      ['ATTACHMENT_DOWNLOAD', external.login, 'soc', attachmentId, true],
      ['CASE_VIEW', external.login, 'soc', caseId, true],
    ]);
    expect(nodes.every((n: any) => /^[0-9a-f-]{36}$/.test(n.id) && !Number.isNaN(Date.parse(n.at)))).toBe(true);
  });

  it('R40: pages after a cursor continue without gaps or repeats', async () => {
    const all = (await reads()).edges.map((e: any) => e.node.id);
    const first = await reads(world.soc.analyst, 2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await gql().ok(READS, { c: caseId, first: 50, after: first.pageInfo.endCursor }, world.soc.analyst)).caseReads;
    expect([...first.edges, ...rest.edges].map((e: any) => e.node.id)).toEqual(all);
    expect(await gql().code(READS, { c: caseId, after: 'bm90IGEgY3Vyc29y' }, world.soc.analyst)).toBe('BAD_USER_INPUT');
  });

  it('R40: only the owner organisation reads the ledger: a partner that sees the case is FORBIDDEN, others NOT_FOUND', async () => {
    for (const who of Object.values(world.soc)) expect((await reads(who)).totalCount).toBe(4);
    for (const who of Object.values(world.partner)) expect(await gql().code(READS, { c: caseId }, who)).toBe('FORBIDDEN');
    for (const who of [...Object.values(world.stranger), world.admin]) expect(await gql().code(READS, { c: caseId }, who)).toBe('NOT_FOUND');
    expect(await gql().code(READS, { c: caseId })).toBe('UNAUTHENTICATED');
  });
});

describe('R40: the buffer', () => {
  it('R40: a full batch is written at once, without waiting for the interval', async () => {
    const before = await stored();
    const ledger = server.app.services.readLedger;
    const [reader, partner] = [await userId(world.partner.analyst.login), await orgId('partner')];
    for (let i = 0; i < 500; i++) ledger.record({ kind: 'CASE_VIEW', userId: reader, organisationId: partner, caseId, objectId: caseId, viaPortal: false });
    // No flush called and the interval is an hour: only the full batch can have started this write.
    const deadline = Date.now() + 10_000;
    while ((await stored()) < before + 500 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await stored()).toBe(before + 500);
  });

  it('R40: graceful shutdown writes what is buffered before the database closes', async () => {
    const other = await startTestServer({ ledgerFlushMs: 3_600_000 });
    const db = new Client({ connectionString: other.databaseUrl });
    await db.connect();
    try {
      const [{ id: org }] = (await db.query(`SELECT id FROM organisation WHERE name = 'admin'`)).rows;
      const [{ id: user }] = (await db.query(`SELECT id FROM app_user LIMIT 1`)).rows;
      for (let i = 0; i < 7; i++)
        other.app.services.readLedger.record({ kind: 'CASE_VIEW', userId: user, organisationId: org, caseId: org, objectId: org, viaPortal: true });
      expect((await db.query(`SELECT count(*)::int AS n FROM read_record`)).rows[0].n).toBe(0);
      await other.app.stop();
      expect((await db.query(`SELECT count(*)::int AS n FROM read_record`)).rows[0].n).toBe(7);
    } finally {
      await db.end();
      await other.stop();
    }
  });
});

const userId = async (login: string) => (await server.sql(`SELECT id::text FROM app_user WHERE login = $1`, [login]))[0].id;
const orgId = async (name: string) => (await server.sql(`SELECT id::text FROM organisation WHERE name = $1`, [name]))[0].id;
