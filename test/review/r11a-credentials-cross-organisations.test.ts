import { PASSWORD } from '../fixtures/world';
import { useWorld } from '../support/use-world';

/**
 * Review finding 1 (R11a): a key minted by soc's manager for C, or a session of a password that
 * manager set, minted an unbound key and changed C's password, and so acted in partner after C
 * joined it.
 */
const { server, world } = useWorld();
const gql = () => server.client;
const CREATE = `mutation($l: String!, $o: String!, $p: String!, $pw: String) {
  createUser(login: $l, name: "C", organisation: $o, profile: $p, password: $pw) { id } }`;
const KEY = 'mutation($l: String!) { createApiKey(login: $l) }';
const SET_PASSWORD = 'mutation($l: String!, $p: String!) { setPassword(login: $l, password: $p) { id } }';
const ME_IN = '{ me { login } }';

it('R11a: a key minted by a manager can neither mint an unbound key nor change the password, and acts only where it was minted', async () => {
  const c = 'c1@soc.test';
  await gql().ok(CREATE, { l: c, o: 'soc', p: 'analyst' }, world.soc['org-admin']);
  const bound = (await gql().ok(KEY, { l: c }, world.soc['org-admin'])).createApiKey;
  await gql().ok(CREATE, { l: c, o: 'partner', p: 'org-admin' }, world.admin);
  expect(await gql().code(KEY, { l: c }, { token: bound })).toBe('FORBIDDEN');
  expect(await gql().code(SET_PASSWORD, { l: c, p: 'a-new-password-1' }, { token: bound })).toBe('FORBIDDEN');
  expect(await gql().code(ME_IN, {}, { token: bound, organisation: 'partner' })).toBe('FORBIDDEN');
  await gql().ok(ME_IN, {}, { token: bound, organisation: 'soc' });
});

it('R11a: a password set by a manager opens sessions only in that organisation, which cannot mint keys or change the password', async () => {
  const c = 'c2@soc.test';
  await gql().ok(CREATE, { l: c, o: 'soc', p: 'analyst' }, world.soc['org-admin']);
  await gql().ok(SET_PASSWORD, { l: c, p: 'manager-knows-1' }, world.soc['org-admin']);
  const session = await gql().login(c, 'manager-knows-1');
  expect(await gql().code(KEY, { l: c }, { token: session })).toBe('FORBIDDEN');
  expect(await gql().code(SET_PASSWORD, { l: c, p: 'manager-picks-2' }, { token: session })).toBe('FORBIDDEN');
  await gql().ok(CREATE, { l: c, o: 'partner', p: 'org-admin' }, world.admin);
  const later = await gql().login(c, 'manager-knows-1');
  expect(await gql().code(ME_IN, {}, { token: later, organisation: 'partner' })).toBe('FORBIDDEN');
  await gql().ok(ME_IN, {}, { token: later, organisation: 'soc' });
});

it('R11a: the other side — a password set by the administrator or by the user works everywhere, and mints keys', async () => {
  const c = 'c3@soc.test';
  await gql().ok(CREATE, { l: c, o: 'soc', p: 'analyst', pw: PASSWORD }, world.admin);
  await gql().ok(CREATE, { l: c, o: 'partner', p: 'analyst' }, world.admin);
  const own = await gql().login(c, PASSWORD);
  await gql().ok(ME_IN, {}, { token: own, organisation: 'partner' });
  const key = (await gql().ok(KEY, { l: c }, { token: own })).createApiKey;
  await gql().ok(ME_IN, {}, { token: key, organisation: 'partner' });
  await gql().ok(SET_PASSWORD, { l: c, p: 'my-own-choice-3' }, { token: own });
  await gql().ok(ME_IN, {}, { token: await gql().login(c, 'my-own-choice-3'), organisation: 'partner' });
});

it('R11a: a user created with a password by a manager gets sessions bound to that organisation', async () => {
  const c = 'c4@soc.test';
  await gql().ok(CREATE, { l: c, o: 'soc', p: 'analyst', pw: PASSWORD }, world.soc['org-admin']);
  await gql().ok(CREATE, { l: c, o: 'partner', p: 'analyst' }, world.admin);
  const session = await gql().login(c, PASSWORD);
  expect(await gql().code(ME_IN, {}, { token: session, organisation: 'partner' })).toBe('FORBIDDEN');
  expect(await gql().code(KEY, { l: c }, { token: session })).toBe('FORBIDDEN');
});
