import { createCaseAs, createObservableAs, shareCaseAs } from '../fixtures/cases';
import { useWorld } from '../support/use-world';

/**
 * Review: User objects reached from visible objects (Comment.createdBy, Attachment.createdBy,
 * Observable.createdBy, Task/Case.createdBy and assignee, AuditEntry.actor) resolve through the
 * unscoped ctx.loaders.user, so they expose login, name and e-mail of users the caller cannot see
 * (R3: "A's users can see B and B's users" only with a link A→B; the User type's own description:
 * "Visible to members of the organisations it belongs to, to organisations linking to one of those,
 * and to admin"). Query.user answers null for the same login: invisible and absent are told apart.
 *
 * World: soc links partner and (here) stranger; partner does not link stranger.
 */
const { server, world } = useWorld();
const gql = () => server.client;

beforeAll(async () => {
  await gql().ok('mutation { linkOrganisations(from: "soc", to: "stranger") { id } }', {}, world.admin);
});

it("pin R3: partner cannot look up stranger's users", async () => {
  expect((await gql().ok('{ user(login: "analyst@stranger.test") { id } }', {}, world.partner.analyst)).user).toBeNull();
});

it('R3: partner does not learn the identity (login, e-mail) of a stranger user who comments on a case both hold', async () => {
  const k = await createCaseAs(gql(), world.soc.analyst, { title: 'identity' });
  await shareCaseAs(gql(), world.soc['incident-handler'], k.id, 'partner', 'analyst', 'ALL', 'ALL');
  await shareCaseAs(gql(), world.soc['incident-handler'], k.id, 'stranger', 'analyst', 'ALL', 'ALL');
  await gql().ok('mutation($c: ID!) { addComment(caseId: $c, message: "hello from stranger") { id } }', { c: k.id }, world.stranger.analyst);
  await createObservableAs(gql(), world.stranger.analyst, k.id, 'stranger-made.example');
  await gql().ok('mutation($c: ID!) { assignCase(id: $c, login: "analyst@stranger.test") { id } }', { c: k.id }, world.soc.analyst);

  const seen = await gql().ok(
    `query($c: ID!) { case(id: $c) {
      assignee { login email }
      comments { message createdBy { login email } }
      observables { data createdBy { login email } } } }`,
    { c: k.id },
    world.partner.analyst,
  );
  const history = await gql().ok('query($c: ID!) { caseHistory(caseId: $c) { action actor { login email } } }', { c: k.id }, world.partner.analyst);
  // The comment and observable themselves are visible to partner; who wrote them, when partner cannot see that user, is not.
  expect(seen.case.comments.map((c: { message: string }) => c.message)).toContain('hello from stranger');
  expect(JSON.stringify(seen)).not.toContain('@stranger.test');
  expect(JSON.stringify(history)).not.toContain('@stranger.test');
});
