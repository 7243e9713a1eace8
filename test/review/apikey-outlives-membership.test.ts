import { PASSWORD } from '../fixtures/world';
import { useWorld } from '../support/use-world';

/**
 * Review (R11, account takeover): outside admin, an organisation's manager may set the password of
 * / create API keys for a user only while that user belongs to the active organisation alone
 * (src/authz/user-access.ts assertCanManageAccount: "otherwise one organisation's admin could take
 * over another organisation's member"). But a key minted while the user was single-organisation
 * stays valid for the whole account forever: it is not bound to the organisation whose manager
 * minted it, it is listed nowhere, the user cannot revoke it, and changing one's password does not
 * end it. Once the user joins a second organisation, the first organisation's manager acts there
 * as that user.
 */
const { server, world } = useWorld();
const gql = () => server.client;

it("R11: an API key minted by soc's manager does not let soc's manager act as the user inside partner after the user joins partner", async () => {
  const socAdmin = world.soc['org-admin'];
  await gql().ok(
    `mutation { createUser(login: "consultant@soc.test", name: "c", organisation: "soc", profile: "analyst", password: "${PASSWORD}") { id } }`,
    {},
    socAdmin,
  );
  const key = (await gql().ok('mutation { createApiKey(login: "consultant@soc.test") }', {}, socAdmin)).createApiKey as string;

  // Later the consultant also joins partner (here by the administrator), and changes their password.
  await gql().ok('mutation { setMembership(login: "consultant@soc.test", organisation: "partner", profile: "org-admin") { id } }', {}, world.admin);
  const own = await gql().login('consultant@soc.test', PASSWORD);
  // R11a: that password was set by soc's manager, so its session cannot change the password either.
  expect(await gql().code('mutation { setPassword(login: "consultant@soc.test", password: "a-new-password-2") { id } }', {}, { token: own })).toBe('FORBIDDEN');

  // soc's manager can no longer manage the account (pinned: FORBIDDEN)…
  expect(await gql().code('mutation { createApiKey(login: "consultant@soc.test") }', {}, socAdmin)).toBe('FORBIDDEN');
  // …yet the key soc's manager kept still opens partner, as the consultant, with partner's org-admin profile.
  const res = await gql().request('{ me { login } users { login } }', {}, { token: key, organisation: 'partner' });
  expect(res.errors?.[0]?.extensions?.code).toBeDefined();
  expect(res.data?.users ?? null).toBeNull();
});
