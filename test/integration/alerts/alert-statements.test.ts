import { createCaseAs, createObservableAs } from '../../fixtures/cases';
import { createAlertAs } from '../../fixtures/alerts';
import { countStatements } from '../../support/count-statements';
import { useWorld } from '../../support/use-world';

/**
 * performance.md: a page of alerts with their observables, similar cases (R35) and linked cases
 * costs a constant number of SQL statements whatever the page size (one per relation, DataLoader).
 */
const { server, world } = useWorld();
const TAG = 'alert-statements';

const PAGE = `query($first: Int!) { alerts(first: $first, filter: { tags: ["${TAG}"] }) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node {
    id title status read tags organisation { name }
    observables { dataType data }
    customFields { name type value }
    case { id title myPermissions }
    similarCases { sharedObservables case { id title number organisation { name } myPermissions } }
  } } } }`;

beforeAll(async () => {
  const c = server.client;
  await c.ok('mutation { createCustomField(input: { name: "n", type: INTEGER }) { id } }', {}, world.admin);
  const cases = [];
  for (let i = 0; i < 5; i++) {
    const k = await createCaseAs(c, world.soc.analyst, { title: `known ${i}` });
    await createObservableAs(c, world.soc.analyst, k.id, `shared-${i}.example`);
    await createObservableAs(c, world.soc.analyst, k.id, 'common.example');
    cases.push(k);
  }
  for (let i = 0; i < 50; i++) {
    const a = await createAlertAs(c, world.soc.analyst, {
      tags: [TAG],
      customFields: [{ name: 'n', value: i }],
      observables: [
        { dataType: 'domain', data: `shared-${i % 5}.example` },
        { dataType: 'domain', data: 'common.example' },
        { dataType: 'ip', data: `192.0.2.${i}` },
      ],
    });
    // Promoted ones in both pages (the newest, 49, is one), so both resolve Alert.case.
    if (i % 10 === 9) await c.ok('mutation($id: ID!) { promoteAlert(id: $id) { id } }', { id: a.id }, world.soc.analyst);
  }
});

it('performance/R35: a page of 5 and a page of 50 alerts with similarCases cost the same number of statements', async () => {
  const page = async (first: number) => {
    const data = await server.client.ok(PAGE, { first }, world.soc.analyst);
    expect(data.alerts.edges).toHaveLength(first);
    expect(data.alerts.totalCount).toBe(50);
    return data;
  };
  const warm = await page(50);
  // Every alert shares two observables with one known case and one with all five (plus its own promoted case for some).
  for (const e of warm.alerts.edges) {
    const known = e.node.similarCases.filter((s: any) => s.case.title.startsWith('known'));
    expect(known.map((s: any) => s.sharedObservables).sort()).toEqual([1, 1, 1, 1, 2]);
  }
  const five = await countStatements(() => page(5));
  const fifty = await countStatements(() => page(50));
  // eslint-disable-next-line no-console
  console.log(`SQL statements: page of 5 alerts → ${five}, page of 50 → ${fifty}`);
  expect(fifty).toBe(five);
  expect(five).toBeLessThanOrEqual(8);
});
