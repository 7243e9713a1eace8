import { createCaseAs, createTaskAs, shareCaseAs } from '../fixtures/cases';
import { useWorld } from '../support/use-world';

/**
 * Review pins (verified correct): where a name or id designates something the caller cannot see,
 * the answer is exactly the one for something absent — same code, same message modulo the echoed input.
 * World: soc links partner and (here) stranger; partner does not link stranger.
 */
const { server, world } = useWorld();
const gql = () => server.client;

beforeAll(async () => {
  await gql().ok('mutation { linkOrganisations(from: "soc", to: "stranger") { id } }', {}, world.admin);
});

async function refusal(query: string, variables: Record<string, unknown>, actor = world.partner['incident-handler']) {
  const res = await gql().request(query, variables, actor);
  return { code: res.errors?.[0]?.extensions?.code, message: res.errors?.[0]?.message, data: res.data };
}

it('R16/R18/R3: an organisation holding a share but invisible to the caller is answered like an absent one', async () => {
  const k = await createCaseAs(gql(), world.soc.analyst, { title: 'pin invisible org' });
  // partner gets manageShare on the case through its share profile.
  await shareCaseAs(gql(), world.soc['incident-handler'], k.id, 'partner', 'incident-handler', 'ALL', 'ALL');
  await shareCaseAs(gql(), world.soc['incident-handler'], k.id, 'stranger', 'analyst', 'ALL', 'ALL');
  const taskId = await createTaskAs(gql(), world.soc.analyst, k.id);
  // R18 answers BAD_USER_INPUT for any organisation the case is not (visibly) shared with; the others NOT_FOUND.
  const ops: Array<[string, Record<string, unknown>, string]> = [
    ['mutation($c: ID!, $o: String!) { unshareCase(caseId: $c, organisation: $o) }', { c: k.id }, 'NOT_FOUND'],
    ['mutation($c: ID!, $o: String!) { updateShare(caseId: $c, organisation: $o, profile: "read-only") { id } }', { c: k.id }, 'NOT_FOUND'],
    ['mutation($c: ID!, $o: String!) { shareTask(taskId: $c, organisation: $o) { id } }', { c: taskId }, 'BAD_USER_INPUT'],
    ['mutation($c: ID!, $o: String!) { unshareTask(taskId: $c, organisation: $o) }', { c: taskId }, 'BAD_USER_INPUT'],
    ['mutation($c: ID!, $o: String!) { shareCase(caseId: $c, organisation: $o, profile: "read-only") { id } }', { c: k.id }, 'NOT_FOUND'],
  ];
  for (const [query, vars, expected] of ops) {
    const invisible = await refusal(query, { ...vars, o: 'stranger' });
    const absent = await refusal(query, { ...vars, o: 'nowhere' });
    expect(invisible.code).toBe(expected);
    expect(absent.code).toBe(expected);
    expect(invisible.message?.replace('stranger', 'X')).toBe(absent.message?.replace('nowhere', 'X'));
  }
  // stranger's share is untouched.
  const shares = await server.sql(
    `SELECT p.name FROM share s JOIN organisation o ON o.id = s.organisation_id JOIN profile p ON p.id = s.profile_id
    WHERE s.case_id = $1 AND o.name = 'stranger'`,
    [k.id],
  );
  expect(shares).toEqual([{ name: 'analyst' }]);
});

it('R13: explainAccess, caseHistory and case answer an invisible case exactly like an absent one', async () => {
  const k = await createCaseAs(gql(), world.soc.analyst, { title: 'pin invisible case' });
  const absent = '00000000-0000-4000-8000-000000000000';
  const q = `query($c: ID!) { case(id: $c) { id } caseHistory(caseId: $c) { id }
    explainAccess(caseId: $c, permission: manageCase) { allowed reason userProfile { name } shareProfile { name } } }`;
  const invisible = await gql().ok(q, { c: k.id }, world.partner.analyst);
  const none = await gql().ok(q, { c: absent }, world.partner.analyst);
  expect(invisible).toEqual(none);
  expect(invisible.case).toBeNull();
});
