import { createCaseAs } from '../../fixtures/cases';
import { useWorld } from '../../support/use-world';

/** R7 with the connector disabled (CORTEX_ENABLED=false); the other suites run with the default, enabled. */
const { server, world } = useWorld({ cortexEnabled: false });

const CASE = 'query($id: ID!) { case(id: $id) { myPermissions } }';
const EXPLAIN = 'query($id: ID!, $p: Permission!) { explainAccess(caseId: $id, permission: $p) { allowed reason } }';

it('R7: without the Cortex connector, manageAnalyse and manageAction are not effective, and explainAccess says the connector is disabled', async () => {
  const k = await createCaseAs(server.client, world.soc.analyst, { title: 'cortex off' });
  expect((await server.client.ok(CASE, { id: k.id }, world.soc.analyst)).case.myPermissions).toEqual([
    'manageCase',
    'manageObservable',
    'manageAlert',
    'manageTask',
  ]);
  for (const p of ['manageAnalyse', 'manageAction']) {
    const why = (await server.client.ok(EXPLAIN, { id: k.id, p }, world.soc.analyst)).explainAccess;
    expect(why.allowed).toBe(false);
    expect(why.reason).toMatch(/Cortex connector, which is disabled/);
  }
  // What needs no connector is unaffected.
  expect((await server.client.ok(EXPLAIN, { id: k.id, p: 'manageCase' }, world.soc.analyst)).explainAccess.allowed).toBe(true);
});
