import { createCaseAs, createObservableAs, createTaskAs, shareCaseAs } from '../../fixtures/cases';
import { countStatements } from '../../support/count-statements';
import { useWorld } from '../../support/use-world';

/**
 * performance.md: a page of N cases with every nested relation costs a constant number of SQL
 * statements (DataLoader per relation, one `= ANY($1)` statement per batch through the scopes).
 * The server runs in this process, so counting pg.Client#query counts every statement it sends.
 */
const { server, world } = useWorld();
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
  expect(data.cases.edges.every((e: any) => e.node.tasks.length === 1 && e.node.myPermissions.length === 6)).toBe(true);
  const n = await countStatements(run);
  expect(n).toBeLessThanOrEqual(12);
});

describe('the page statement nests tasks, observables and shares (look-ahead)', () => {
  const NODE = `id number title myPermissions createdAt
    shares { id owner organisation { id name createdAt } profile { id name permissions } }
    tasks { id title status description createdAt sharedWith { name } }
    observables { id dataType data message ioc tlp createdByExternal sharedWith { name } }`;
  const LIST = `query($first: Int!, $after: String, $filter: CaseFilter) { cases(first: $first, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ${NODE} } } } }`;
  // Through fragments, as clients write it: the look-ahead must see through them too.
  const LIST_WITH_FRAGMENTS = `query($first: Int!, $filter: CaseFilter) { cases(first: $first, filter: $filter) { ...Page } }
    fragment Page on CaseConnection { totalCount edges { ... on CaseEdge { node { ...Node } } } }
    fragment Node on Case { ${NODE} }`;
  const ONE = `query($id: ID!) { case(id: $id) { ${NODE} } }`;

  it('R13/R17: every nested list equals what the case alone answers (its loaders), for the owner and for a partner', async () => {
    // A MANUAL share with one task shared by hand, so the partner holds part of a case.
    const manual = await createCaseAs(server.client, world.soc.analyst, { title: 'manual share', tags: [TAG] });
    const kept = await createTaskAs(server.client, world.soc.analyst, manual.id);
    await createTaskAs(server.client, world.soc.analyst, manual.id);
    await shareCaseAs(server.client, world.soc['incident-handler'], manual.id, 'partner', 'read-only');
    await server.client.ok('mutation($id: ID!) { shareTask(taskId: $id, organisation: "partner") { id } }', { id: kept }, world.soc['incident-handler']);
    for (const actor of [world.soc.analyst, world.partner.analyst]) {
      for (const query of [LIST, LIST_WITH_FRAGMENTS]) {
        const page = (await server.client.ok(query, { first: 100, filter: { tags: [TAG] } }, actor)) as any;
        expect(page.cases.edges.length).toBe(page.cases.totalCount);
        for (const { node } of page.cases.edges) {
          const alone = (await server.client.ok(ONE, { id: node.id }, actor)) as any;
          expect(node).toEqual(alone.case);
        }
        const manualNode = page.cases.edges.find((e: any) => e.node.id === manual.id).node;
        expect(manualNode.tasks.map((t: any) => t.id)).toEqual(actor === world.soc.analyst ? expect.arrayContaining([kept]) : [kept]);
        expect(manualNode.tasks).toHaveLength(actor === world.soc.analyst ? 2 : 1);
      }
    }
  });

  it('totalCount is right on an empty page past the end, where the page statement has no row to carry it', async () => {
    const all = (await server.client.ok(LIST, { first: 100, filter: { tags: [TAG] } }, world.partner.analyst)) as any;
    const past = (await server.client.ok(LIST, { first: 5, after: all.cases.pageInfo.endCursor, filter: { tags: [TAG] } }, world.partner.analyst)) as any;
    expect(past.cases.edges).toEqual([]);
    expect(past.cases.totalCount).toBe(all.cases.totalCount);
    expect(past.cases.pageInfo.hasNextPage).toBe(false);
  });
});
