import { credentialHeaders, errorCodes, openSocket, subscribeOn, waitUntil } from '../../support/ws-client';
import { useWorld } from '../../support/use-world';

/**
 * graphql-ws pings keep a socket open for as long as the client answers, so a socket with no
 * running subscription (refused credentials included) is closed after WS_IDLE_SECONDS.
 */
const { server, world } = useWorld({ wsIdleSeconds: 1 });
const FEED = 'subscription { liveFeed { action } }';

it('R30: a socket whose subscribe was refused is closed once idle; one with a running feed stays open and keeps receiving', async () => {
  const refusedSocket = openSocket(server.url, { connectionParams: { Authorization: 'Bearer hs_not-a-token' } });
  const refused = await subscribeOn(refusedSocket, FEED, true);
  await refused.waitForError();
  expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);

  const liveSocket = openSocket(server.url, { connectionParams: credentialHeaders(world.soc['org-admin']) });
  const live = await subscribeOn<{ liveFeed: { action: string } }>(liveSocket, FEED);

  await waitUntil(() => refusedSocket.closeCode !== undefined, 'the idle socket to close', 4000);
  expect(refusedSocket.closeCode).toBe(1000);

  await new Promise((r) => setTimeout(r, 1500)); // past the idle delay: the running feed holds its socket open
  expect(liveSocket.closeCode).toBeUndefined();
  await server.client.ok('mutation { createCase(input: { title: "still live" }) { id } }', {}, world.soc.analyst);
  expect((await live.waitFor(1))[0].liveFeed.action).toBe('case.create');

  // Once its feed ends, that socket too becomes idle and is closed.
  await live.close(); // ends the subscription only; the socket stays with the client
  await waitUntil(() => liveSocket.closeCode !== undefined, 'the socket to close once its feed ended', 4000);
  expect(liveSocket.closeCode).toBe(1000);
  await liveSocket.client.dispose();
  await refused.close();
});
