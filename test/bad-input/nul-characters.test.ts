import { openSocket, subscribeOn, Subscription, waitUntil } from '../support/ws-client';
import { useWorld } from '../support/use-world';

/**
 * Review finding 8: a NUL character in a string input reached PostgreSQL (22021) and answered
 * INTERNAL_SERVER_ERROR; as X-Organisation on graphql-ws it closed the socket with 4500 and the raw
 * database message. Every string input: BAD_USER_INPUT, never a 5xx or a database message.
 */
const open: Subscription<unknown>[] = [];
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
});
const { server, world } = useWorld();
const NUL = 'soc\u0000x';

const cases: Array<[string, string]> = [
  ['login', 'mutation($v: String!) { login(login: $v, password: "whatever-password") { token } }'],
  ['user', 'query($v: String!) { user(login: $v) { id } }'],
  ['organisation', 'query($v: String!) { organisation(name: $v) { id } }'],
  ['profile', 'query($v: String!) { profile(name: $v) { id } }'],
  ['updateProfile', 'mutation($v: String!) { updateProfile(name: $v, permissions: []) { id } }'],
  ['cases tags', 'query($v: String!) { cases(filter: { tags: [$v] }) { totalCount } }'],
  ['cases assignee', 'query($v: String!) { cases(filter: { assignee: $v }) { totalCount } }'],
  ['cases title', 'query($v: String!) { cases(filter: { title: $v }) { totalCount } }'],
  ['audit actor', 'query($v: String!) { audit(filter: { actor: $v }) { totalCount } }'],
  ['audit action', 'query($v: String!) { audit(filter: { action: $v }) { totalCount } }'],
  ['createCase title', 'mutation($v: String!) { createCase(input: { title: $v }) { id } }'],
  ['setMembership organisation', 'mutation($v: String!) { setMembership(login: "analyst@soc.test", organisation: $v, profile: "analyst") { id } }'],
];

describe('R41/bad input: a NUL character in any string input is BAD_USER_INPUT', () => {
  it.each(cases)('%s', async (_name, query) => {
    const res = await server.client.request(query, { v: NUL }, /updateProfile|setMembership/.test(query) ? world.admin : world.soc['org-admin']);
    expect(res.status).toBeLessThan(500);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(res.errors)).not.toMatch(/invalid byte sequence|0x00|unsupported Unicode/i);
  });

  it('as X-Organisation on graphql-ws: BAD_USER_INPUT, the socket stays up', async () => {
    const socket = openSocket(server.url, { connectionParams: { authorization: `Bearer ${world.soc.analyst.token}`, 'X-Organisation': NUL } });
    const sub = await subscribeOn(socket, 'subscription { liveFeed { id } }', true);
    open.push(sub);
    await waitUntil(() => sub.errors.length > 0, 'refused');
    expect((sub.errors[0] as any).extensions?.code).toBe('BAD_USER_INPUT');
    expect(socket.closeCode).not.toBe(4500);
    expect(JSON.stringify(sub.errors)).not.toMatch(/invalid byte sequence|0x00/i);
  });
});
