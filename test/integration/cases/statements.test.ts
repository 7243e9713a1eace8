import { startTestServer, TestServer } from '../../support/test-server';
import { buildWorld, World } from '../../fixtures/world';
import { createCaseAs, createObservableAs, createTaskAs, shareCaseAs } from '../../fixtures/cases';
import { countStatements } from '../../support/count-statements';

/**
 * performance.md: a page of N cases with every nested relation costs a constant number of SQL
 * statements (DataLoader per relation, one `= ANY($1)` statement per batch through the scopes).
 * The server runs in this process, so counting pg.Client#query counts every statement it sends.
 */
let server: TestServer;
let world: World;
const TAG = 'statements';

const PAGE = `query($first: Int!, $filter: CaseFilter) { cases(first: $first, filter: $filter) {
  totalCount
  pageInfo { hasNextPage endCursor }
  edges { cursor node {
    id number title severity status tags myPermissions createdAt
    assignee { login } organisation { name } createdBy { login }
    shares { owner organisation { name } profile { name permissions } }
    tasks { id title status sharedWith { name } }
    observables { id dataType data sharedWith { name } }
  } } } }`;

beforeAll(async () => {
  server = await startTestServer();
  world = await buildWorld(server);
  const c = server.client;
  for (let i = 0; i < 50; i++) {
    const k = await createCaseAs(c, world.soc.analyst, { title: `bulk ${i}`, tags: [TAG] });
    await createTaskAs(c, world.soc.analyst, k.id);
    await createObservableAs(c, world.soc.analyst, k.id);
    if (i % 2 === 0) {
      await shareCaseAs(c, world.soc['incident-handler'], k.id, 'partner', 'analyst', 'ALL', 'ALL');
      await c.ok('mutation($id: ID!, $l: String) { assignCase(id: $id, login: $l) { id } }', { id: k.id, l: world.partner.analyst.login }, world.soc.analyst);
    }
  }
});
afterAll(() => server?.stop());

it('performance: a page of 5 and a page of 50 cases with all nested fields cost the same number of statements', async () => {
  const page = async (first: number) => {
    const data = await server.client.ok(PAGE, { first, filter: { tags: [TAG] } }, world.soc.analyst);
    expect(data.cases.edges).toHaveLength(first);
    expect(data.cases.totalCount).toBe(50);
    return data;
  };
  await page(5); // warm-up (prepared plans, pool connections)
  const five = await countStatements(() => page(5));
  const fifty = await countStatements(() => page(50));
  // eslint-disable-next-line no-console
  console.log(`SQL statements: page of 5 → ${five}, page of 50 → ${fifty}`);
  expect(fifty).toBe(five);
  expect(five).toBeLessThanOrEqual(12);
});

it('performance: the partner sees its 25 shared cases with the same constant cost', async () => {
  const run = () => server.client.ok(PAGE, { first: 50, filter: { tags: [TAG] } }, world.partner.analyst);
  const data = (await run()) as any;
  expect(data.cases.totalCount).toBe(25);
  expect(data.cases.edges.every((e: any) => e.node.tasks.length === 1 && e.node.myPermissions.length === 4)).toBe(true);
  const n = await countStatements(run);
  expect(n).toBeLessThanOrEqual(12);
});
