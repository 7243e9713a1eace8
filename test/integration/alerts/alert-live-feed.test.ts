import { createAlertAs } from '../../fixtures/alerts';
import type { Actor } from '../../support/gql-client';
import { subscribe, Subscription } from '../../support/ws-client';
import { useWorld } from '../../support/use-world';

const open: Subscription<unknown>[] = [];
// Registered before useWorld's hooks, so the feeds close while the server still runs.
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
});
const { server, world } = useWorld();
type Entry = { liveFeed: { action: string; objectType: string; objectId: string } };

async function feed(actor: Actor) {
  const s = await subscribe<Entry>(server.url, 'subscription { liveFeed { action objectType objectId } }', actor);
  open.push(s);
  return s;
}

it('R30/R34: alert entries stream to the alert organisation members only (read-only included), not to partner, stranger or admin', async () => {
  const soc = await feed(world.soc['read-only']);
  const others = await Promise.all([feed(world.partner['org-admin']), feed(world.stranger['org-admin']), feed(world.admin)]);
  const a = await createAlertAs(server.client, world.soc.analyst);
  await server.client.ok('mutation($id: ID!) { markAlertRead(id: $id, read: true) { id } }', { id: a.id }, world.soc.analyst);
  const got = await soc.waitFor(2);
  expect(got.map((e) => [e.liveFeed.action, e.liveFeed.objectId])).toEqual([
    ['alert.create', a.id],
    ['alert.update', a.id],
  ]);
  // A sentinel each of the others must see, after which the alert's entries would have arrived.
  await server.client.ok('mutation { updateOrganisation(name: "partner", description: "sentinel") { id } }', {}, world.admin);
  await server.client.ok('mutation { updateOrganisation(name: "stranger", description: "sentinel") { id } }', {}, world.admin);
  await others[0].waitFor(1);
  await others[1].waitFor(1);
  await others[2].waitFor(2);
  for (const s of others) expect(s.received.filter((e) => e.liveFeed.objectType === 'Alert')).toEqual([]);
});
