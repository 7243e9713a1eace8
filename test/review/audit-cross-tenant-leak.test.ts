import { PASSWORD } from '../fixtures/world';
import { createCaseAs, createTaskAs, shareCaseAs } from '../fixtures/cases';
import { useWorld } from '../support/use-world';

/**
 * Review: what the audit read paths (caseHistory, audit, liveFeed — one scope, src/authz/scopes.ts
 * auditScope) show about organisations the caller cannot see (R3). Case.shares, Task.sharedWith and
 * User.memberships hide those organisations; the audit entries name them anyway:
 *  - AuditEntry.organisation resolves through the unscoped organisation loader;
 *  - details of Task/Observable share entries and of case.assign (reason) carry organisation names;
 *  - "User" entries are shown by current membership of their object, whoever wrote them, where.
 *
 * World: soc links partner (world) and, here, stranger. partner does not link stranger, so partner
 * must never learn anything about stranger.
 */
const { server, world } = useWorld();
const gql = () => server.client;

beforeAll(async () => {
  await gql().ok('mutation { linkOrganisations(from: "soc", to: "stranger") { id } }', {}, world.admin);
});

const HISTORY = `query($c: ID!) { caseHistory(caseId: $c) { action objectType organisation { name } details } }`;
type Entry = { action: string; objectType: string; organisation: { name: string }; details: Record<string, unknown> };

async function caseSharedWithPartnerAndStranger(title: string, strangerTasks = 'ALL') {
  const k = await createCaseAs(gql(), world.soc.analyst, { title });
  await shareCaseAs(gql(), world.soc['incident-handler'], k.id, 'partner', 'analyst', 'ALL', 'ALL');
  await shareCaseAs(gql(), world.soc['incident-handler'], k.id, 'stranger', 'analyst', strangerTasks, strangerTasks);
  return k;
}

it("pin R3: partner cannot see stranger, and Case.shares hides stranger's share from partner", async () => {
  const k = await caseSharedWithPartnerAndStranger('pin shares');
  expect((await gql().ok('{ organisation(name: "stranger") { id } }', {}, world.partner.analyst)).organisation).toBeNull();
  const seen = await gql().ok('query($c: ID!) { case(id: $c) { shares { organisation { name } } } }', { c: k.id }, world.partner.analyst);
  expect(seen.case.shares.map((s: { organisation: { name: string } }) => s.organisation.name).sort()).toEqual(['partner', 'soc']);
  // share.create of stranger's share is filtered from partner's history (details.organisationId scope).
  const history: Entry[] = (await gql().ok(HISTORY, { c: k.id }, world.partner.analyst)).caseHistory;
  expect(history.filter((e) => e.objectType === 'Share').map((e) => e.details.organisation)).toEqual(['partner']);
});

it('R3/R29: caseHistory never names, as AuditEntry.organisation, an organisation the caller cannot see', async () => {
  const k = await caseSharedWithPartnerAndStranger('history org');
  await gql().ok('mutation($c: ID!) { addComment(caseId: $c, message: "from stranger") { id } }', { c: k.id }, world.stranger.analyst);
  await gql().ok('mutation($c: ID!) { addComment(caseId: $c, message: "from soc") { id } }', { c: k.id }, world.soc.analyst);
  const history: Entry[] = (await gql().ok(HISTORY, { c: k.id }, world.partner.analyst)).caseHistory;
  // Decision: an entry made by an organisation the caller cannot see is left out of its history
  // (the comment itself stays visible on the case, with its author shown as a stub).
  expect(history.filter((e) => e.action === 'comment.create')).toHaveLength(1);
  expect(history.map((e) => e.organisation.name)).not.toContain('stranger');
  expect((await gql().ok(HISTORY, { c: k.id }, world.soc.analyst)).caseHistory.filter((e: Entry) => e.action === 'comment.create')).toHaveLength(2);
});

it('R3/R29: a task share entry does not reveal to partner the (invisible) organisation the task was shared with', async () => {
  const k = await caseSharedWithPartnerAndStranger('history task share', 'MANUAL');
  const taskId = await createTaskAs(gql(), world.soc.analyst, k.id, 'shared one by one');
  await gql().ok('mutation($t: ID!) { shareTask(taskId: $t, organisation: "stranger") { id } }', { t: taskId }, world.soc['incident-handler']);
  // partner holds the task (rule ALL) and sees it, but not with whom else it is shared.
  const task = await gql().ok('query($t: ID!) { task(id: $t) { sharedWith { name } } }', { t: taskId }, world.partner.analyst);
  expect(task.task.sharedWith.map((o: { name: string }) => o.name)).toEqual(['partner']);
  const history: Entry[] = (await gql().ok(HISTORY, { c: k.id }, world.partner.analyst)).caseHistory;
  expect(JSON.stringify(history.filter((e) => e.objectType === 'Task').map((e) => e.details))).not.toContain('stranger');
});

it('R3/R29: the automatic unassignment after an unshare does not reveal the removed organisation to partner', async () => {
  const k = await caseSharedWithPartnerAndStranger('history assign');
  await gql().ok('mutation($c: ID!) { assignCase(id: $c, login: "analyst@stranger.test") { id } }', { c: k.id }, world.soc.analyst);
  await gql().ok('mutation($c: ID!) { unshareCase(caseId: $c, organisation: "stranger") }', { c: k.id }, world.soc['incident-handler']);
  const history: Entry[] = (await gql().ok(HISTORY, { c: k.id }, world.partner.analyst)).caseHistory;
  const reasons = history
    .filter((e) => e.action === 'case.assign')
    .map((e) => e.details.reason)
    .filter(Boolean);
  expect(reasons.length).toBeGreaterThan(0); // the entry itself is fine (the case is visible)…
  expect(JSON.stringify(reasons)).not.toContain('stranger'); // …its text is not
});

it("R3/R11: audit() for partner's manager does not show what stranger did to a user both organisations share", async () => {
  await gql().ok(
    `mutation { createUser(login: "both@partner.test", name: "both", organisation: "partner", profile: "read-only", password: "${PASSWORD}") { id } }`,
    {},
    world.admin,
  );
  await gql().ok('mutation { setMembership(login: "both@partner.test", organisation: "stranger", profile: "analyst") { id } }', {}, world.admin);
  await gql().ok(
    'mutation { setMembership(login: "both@partner.test", organisation: "stranger", profile: "read-only") { id } }',
    {},
    world.stranger['org-admin'],
  );
  // partner's own view of the user hides the stranger membership…
  const u = await gql().ok('{ user(login: "both@partner.test") { memberships { organisation { name } } } }', {}, world.partner['org-admin']);
  expect(u.user.memberships.map((m: { organisation: { name: string } }) => m.organisation.name)).toEqual(['partner']);
  // …and so must the audit.
  const audit = await gql().ok(
    '{ audit(first: 200, filter: { objectType: "User" }) { edges { node { action organisation { name } actor { login } details } } } }',
    {},
    world.partner['org-admin'],
  );
  const text = JSON.stringify(audit.audit.edges);
  expect(text).not.toContain('stranger');
});

it('R3/R29: deleting a case does not unveil to its owner the shares other organisations made with organisations the owner cannot see', async () => {
  // Here partner links stranger (soc links stranger too in this file, so use a fourth organisation).
  await gql().ok('mutation { createOrganisation(name: "hidden", description: "x") { id } }', {}, world.admin);
  await gql().ok('mutation { linkOrganisations(from: "partner", to: "hidden") { id } }', {}, world.admin);
  const k = await createCaseAs(gql(), world.soc.analyst, { title: 'deleted case' });
  await shareCaseAs(gql(), world.soc['incident-handler'], k.id, 'partner', 'incident-handler');
  await shareCaseAs(gql(), world.partner['incident-handler'], k.id, 'hidden', 'read-only');
  const AUDIT = '{ audit(first: 200, filter: { objectType: "Share" }) { edges { node { action details } } } }';
  const before = JSON.stringify((await gql().ok(AUDIT, {}, world.soc['org-admin'])).audit.edges);
  expect(before).not.toContain('hidden'); // while the case exists, soc does not see partner's share with "hidden"
  await gql().ok('mutation($c: ID!) { deleteCase(id: $c) }', { c: k.id }, world.soc.analyst);
  const after = JSON.stringify((await gql().ok(AUDIT, {}, world.soc['org-admin'])).audit.edges);
  expect(after).not.toContain('hidden');
});
