import { createCaseAs, shareCaseAs } from '../../fixtures/cases';
import { useWorld } from '../../support/use-world';
import { referencedUserScope } from '../../../src/authz/scopes';
import { Sql } from '../../../src/db/sql';
import type { RequestContext } from '../../../src/context';

/**
 * R3 (referencedUserScope): a partner sees the owner's people on a case shared with it, and only
 * those. The check runs for every author, assignee and actor on a page, so its cost must not grow
 * with the cases either organisation holds: the bench found the single-case page at 470 ms with 1M
 * cases, 45 ms of each request at 100k spent joining the owner's every case to the reader's shares.
 * The plan must answer "does an organisation of this user own a case shared with the reader" from
 * share alone, by its (organisation_id, case_organisation_id) index.
 */
const { server, world } = useWorld();
const gql = () => server.client;
const TASKS = 'query($id: ID!) { case(id: $id) { createdBy { login } tasks { title createdBy { login } } } }';

describe('R3: people of an organisation owning a case shared with the reader', () => {
  it("R3: partner sees a stranger's author once stranger owns a case shared with partner, not before", async () => {
    await gql().ok('mutation { linkOrganisations(from: "soc", to: "stranger") { id } }', {}, world.admin);
    await gql().ok('mutation { linkOrganisations(from: "stranger", to: "partner") { id } }', {}, world.admin);
    const k = await createCaseAs(gql(), world.soc.analyst, { title: 'shared with partner and stranger' });
    await shareCaseAs(gql(), world.soc['incident-handler'], k.id, 'partner', 'analyst', 'ALL', 'ALL');
    await shareCaseAs(gql(), world.soc['incident-handler'], k.id, 'stranger', 'analyst', 'ALL', 'ALL');
    await gql().ok('mutation($c: ID!) { createTask(caseId: $c, input: { title: "by stranger" }) { id } }', { c: k.id }, world.stranger.analyst);
    const author = async () =>
      (await gql().ok(TASKS, { id: k.id }, world.partner.analyst)).case.tasks.find((t: { title: string }) => t.title === 'by stranger').createdBy.login;
    expect((await gql().ok(TASKS, { id: k.id }, world.partner.analyst)).case.createdBy.login).toBe(world.soc.analyst.login);
    expect(await author()).toBe('hidden');

    const own = await createCaseAs(gql(), world.stranger.analyst, { title: "stranger's own" });
    await shareCaseAs(gql(), world.stranger['incident-handler'], own.id, 'partner', 'read-only', 'MANUAL', 'MANUAL');
    expect(await author()).toBe(world.stranger.analyst.login);
  });

  it('R3: the referenced-user check reads no case row: one index probe on share per membership', async () => {
    const [{ partner, strangerUser }] = await server.sql<{ partner: string; strangerUser: string }>(
      `SELECT (SELECT id FROM organisation WHERE name = 'partner') AS partner, (SELECT id FROM app_user WHERE login = $1) AS "strangerUser"`,
      [world.stranger.analyst.login],
    );
    const ctx = { principal: { organisationId: partner, inAdminOrganisation: false } } as unknown as RequestContext;
    const q = new Sql();
    const user = q.p(strangerUser);
    const scope = referencedUserScope(ctx, q);
    // Small tables make sequential scans cheapest; forbid them so the plan shows which index answers.
    await server.sql('SET enable_seqscan = off');
    try {
      const [{ 'QUERY PLAN': plan }] = await server.sql(`EXPLAIN (FORMAT JSON) SELECT u.id FROM app_user u WHERE u.id = ${user} AND ${scope}`, q.params);
      const relations: string[] = [];
      const indexes: string[] = [];
      const walk = (n: Record<string, any>) => {
        if (n['Relation Name']) relations.push(n['Relation Name']);
        if (n['Index Name']) indexes.push(n['Index Name']);
        for (const c of n.Plans ?? []) walk(c);
      };
      walk(plan[0].Plan);
      expect(relations).not.toContain('case');
      expect(indexes).toContain('ix_share_organisation_id_case_organisation_id_expiry');
    } finally {
      await server.sql('RESET enable_seqscan');
    }
  });

  it("R3: share.case_organisation_id is the case's owner for every way a share is made (trigger), including re-shares", async () => {
    const k = await createCaseAs(gql(), world.soc.analyst, { title: 'owner copied' });
    await shareCaseAs(gql(), world.soc['incident-handler'], k.id, 'partner', 'incident-handler', 'ALL', 'ALL');
    const rows = await server.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM share s JOIN "case" c ON c.id = s.case_id WHERE s.case_organisation_id IS DISTINCT FROM c.organisation_id`,
    );
    expect(rows).toEqual([{ n: 0 }]);
    const mine = await server.sql<{ owner: string }>(
      `SELECT o.name AS owner FROM share s JOIN organisation o ON o.id = s.case_organisation_id WHERE s.case_id = $1 ORDER BY o.name`,
      [k.id],
    );
    expect(mine).toEqual([{ owner: 'soc' }, { owner: 'soc' }]);
  });
});
