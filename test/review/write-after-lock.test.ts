import { createCaseAs } from '../fixtures/cases';
import { uploadRequest } from '../fixtures/portal';
import { useWorld } from '../support/use-world';

/**
 * R11b: a request is authorised again when its write commits. A multipart addAttachment whose
 * last bytes arrive late, while the uploader is locked, removed from the organisation or demoted,
 * commits nothing, and nothing after it in the same document runs. (Before the fix the upload
 * committed, and so did the comment after it.)
 */
const { server, world } = useWorld();
const gql = () => server.client;
const PASSWORD = 'password-r11b-1';

const CHANGES: Array<[string, (login: string) => string, string]> = [
  ['locked', () => 'mutation($l: String!) { lockUser(login: $l, locked: true) { id } }', 'UNAUTHENTICATED'],
  ['removed', () => 'mutation($l: String!) { removeMembership(login: $l, organisation: "soc") }', 'FORBIDDEN'],
  ['demoted', () => 'mutation($l: String!) { setMembership(login: $l, organisation: "soc", profile: "read-only") { id } }', 'FORBIDDEN'],
];

describe('R11b: no write commits after the writer lost its rights in flight', () => {
  it.each(CHANGES)('R11b: %s while the upload streams → nothing written, later operations refused', async (what, change, code) => {
    const login = `r11b-${what}@soc.test`;
    await gql().ok(
      `mutation($l: String!) { createUser(login: $l, name: "R11b", email: $l, password: "${PASSWORD}", organisation: "soc", profile: "analyst") { id } }`,
      { l: login },
      world.admin,
    );
    // A second membership, so that removing the soc one is allowed (R5: never the last one).
    await gql().ok('mutation($l: String!) { setMembership(login: $l, organisation: "stranger", profile: "analyst") { id } }', { l: login }, world.admin);
    const actor = { token: await gql().login(login, PASSWORD), organisation: 'soc' };
    const k = await createCaseAs(gql(), world.soc.analyst, { title: `r11b ${what}` });
    let release!: () => void;
    const hold = new Promise<void>((r) => {
      release = r;
    });
    const upload = uploadRequest(
      server,
      `mutation($caseId: ID!, $file: Upload!) { a: addAttachment(caseId: $caseId, file: $file) { id } b: addComment(caseId: $caseId, message: "after") { id } }`,
      { caseId: k.id },
      { name: 'slow.txt', content: 'x'.repeat(64 * 1024) },
      actor,
      'internal',
      { hold },
    );
    // The request is running (its rules passed before the file was read); now its rights change.
    await new Promise((r) => setTimeout(r, 300));
    await gql().ok(change(login), { l: login }, world.admin);
    release();
    const res = await upload;
    // addAttachment is non-null: its refusal ends the document, so the comment after it never runs.
    expect((res.errors ?? []).map((e) => e.extensions?.code)).toEqual([code]);
    const [a] = await server.sql<{ n: number }>('SELECT count(*)::int AS n FROM attachment WHERE case_id = $1', [k.id]);
    const [c] = await server.sql<{ n: number }>('SELECT count(*)::int AS n FROM comment WHERE case_id = $1', [k.id]);
    expect([a.n, c.n]).toEqual([0, 0]);
  });

  it('R11b: a write with unchanged rights still commits (the allowed side)', async () => {
    const k = await createCaseAs(gql(), world.soc.analyst, { title: 'r11b ok' });
    const res = await uploadRequest(
      server,
      `mutation($caseId: ID!, $file: Upload!) { addAttachment(caseId: $caseId, file: $file) { id } }`,
      { caseId: k.id },
      { name: 'ok.txt', content: 'fine' },
      world.soc.analyst,
    );
    expect(res.errors).toBeUndefined();
  });
});
