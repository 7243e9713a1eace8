import { createCaseAs } from '../../fixtures/cases';
import { inviteExternalUser } from '../../fixtures/portal';
import type { Persona } from '../../fixtures/world';
import { useWorldWithSmtp } from '../../support/use-world';

/**
 * Issue #9 item 2, R15/R23: Case.externalUsers carries its own rule in the SDL
 * (`@requires(permission: manageExternalShare)` on the object field). Who outside sees a case is
 * read by those who manage what the portal shows: the permission in the reader's profile AND in
 * their organisation's share on that case. Every other reader of the case gets an empty list —
 * never an error that would take the case (or a page of cases) with it.
 */
const { server, world, smtp } = useWorldWithSmtp();
const gql = () => server.client;
const SHARE = 'mutation($c: ID!, $p: String!) { shareCase(caseId: $c, organisation: "partner", profile: $p) { id } }';
const UPDATE_SHARE = 'mutation($c: ID!, $p: String!) { updateShare(caseId: $c, organisation: "partner", profile: $p) { id } }';
const GRANT = 'mutation($c: ID!, $l: String!) { grantExternalAccess(caseId: $c, login: $l) { id } }';
const READ = 'query($c: ID!) { case(id: $c) { id title externalUsers { login } } }';

describe('Case.externalUsers: manageExternalShare in user profile ∩ share profile', () => {
  let caseId: string;
  let socClient: Persona;
  let partnerClient: Persona;
  const logins = async (who: Persona) => {
    const c = (await gql().ok(READ, { c: caseId }, who)).case;
    expect(c).toMatchObject({ id: caseId, title: 'who is outside' }); // the case itself is always answered
    return (c.externalUsers as Array<{ login: string }>).map((u) => u.login).sort();
  };

  beforeAll(async () => {
    caseId = (await createCaseAs(gql(), world.soc.analyst, { title: 'who is outside' })).id;
    await gql().ok(SHARE, { c: caseId, p: 'incident-handler' }, world.soc['incident-handler']);
    socClient = await inviteExternalUser(server, smtp, world.soc['org-admin'], 'field-rule-soc-client');
    partnerClient = await inviteExternalUser(server, smtp, world.partner['org-admin'], 'field-rule-partner-client');
    await gql().ok(GRANT, { c: caseId, l: socClient.login }, world.soc['incident-handler']);
    await gql().ok(GRANT, { c: caseId, l: partnerClient.login }, world.partner['incident-handler']);
  });

  it('allowed: the permission in the profile and in the share (owner and partner)', async () => {
    expect(await logins(world.soc['incident-handler'])).toEqual(expect.arrayContaining([socClient.login, partnerClient.login]));
    expect(await logins(world.partner['incident-handler'])).toContain(partnerClient.login);
  });

  it('refused, sees nothing: profiles without it, in either organisation', async () => {
    for (const reader of [world.soc.analyst, world.soc['read-only'], world.partner.analyst, world.partner['read-only']]) {
      expect(await logins(reader)).toEqual([]);
    }
  });

  it('refused, sees nothing: the profile holds it but the share no longer does; the case list still answers every case', async () => {
    await gql().ok(UPDATE_SHARE, { c: caseId, p: 'analyst' }, world.soc['incident-handler']);
    expect(await logins(world.partner['incident-handler'])).toEqual([]);
    const page = await gql().ok('{ cases(first: 50) { edges { node { id externalUsers { login } } } } }', {}, world.partner['incident-handler']);
    const node = page.cases.edges.map((e: { node: { id: string } }) => e.node).find((n: { id: string }) => n.id === caseId);
    expect(node).toEqual({ id: caseId, externalUsers: [] });
    // The owner's reader is unaffected by the partner's share.
    expect(await logins(world.soc['incident-handler'])).toContain(socClient.login);
  });
});
