import { addComment, createCase, shareCase } from '../../fixtures/portal';
import { useWorld } from '../../support/use-world';

const { server, world } = useWorld();
/** Owned by soc, shared with partner read-only. */
let readOnlyShared: string;
/** Owned by soc, shared with partner with the analyst profile. */
let analystShared: string;

const ADD = `mutation($c: ID!, $m: String!, $e: Boolean) {
  addComment(caseId: $c, message: $m, external: $e) { id message external viaPortal createdBy { login } createdAt }
}`;
const SET_EXTERNAL = 'mutation($id: ID!, $e: Boolean!) { setCommentExternal(id: $id, external: $e) { id external } }';
const COMMENTS = 'query($id: ID!) { case(id: $id) { comments { id message external createdBy { login } } } }';

beforeAll(async () => {
  readOnlyShared = await createCase(server, world.soc['incident-handler'], 'comments: shared read-only');
  await shareCase(server, world.soc['incident-handler'], readOnlyShared, 'partner', 'read-only');
  analystShared = await createCase(server, world.soc['incident-handler'], 'comments: shared analyst');
  await shareCase(server, world.soc['incident-handler'], analystShared, 'partner', 'analyst');
});

const auditOf = (objectId: string) =>
  server.sql<{ action: string; details: any; case_id: string; via_portal: boolean }>(
    'SELECT action, details, case_id, via_portal FROM audit WHERE object_id = $1 ORDER BY created_at, id',
    [objectId],
  );

describe('addComment', () => {
  it('R19: a member with manageCase comments; the comment is internal by default', async () => {
    const data = await server.client.ok(ADD, { c: readOnlyShared, m: 'first look' }, world.soc.analyst);
    expect(data.addComment).toMatchObject({ message: 'first look', external: false, viaPortal: false, createdBy: { login: world.soc.analyst.login } });
  });

  it('R19: without manageCase (read-only) → FORBIDDEN, and nothing is written', async () => {
    expect(await server.client.code(ADD, { c: readOnlyShared, m: 'read-only tries' }, world.soc['read-only'])).toBe('FORBIDDEN');
    expect(await server.sql("SELECT 1 FROM comment WHERE message = 'read-only tries'")).toHaveLength(0);
  });

  it('R15: manageCase must also be in the share profile: partner analyst via a read-only share → FORBIDDEN, via an analyst share → allowed', async () => {
    expect(await server.client.code(ADD, { c: readOnlyShared, m: 'partner tries' }, world.partner.analyst)).toBe('FORBIDDEN');
    const data = await server.client.ok(ADD, { c: analystShared, m: 'partner adds' }, world.partner.analyst);
    expect(data.addComment.createdBy.login).toBe(world.partner.analyst.login);
  });

  it('R13: a case the organisation cannot see is absent (NOT_FOUND), as is a malformed or unknown id', async () => {
    expect(await server.client.code(ADD, { c: readOnlyShared, m: 'stranger' }, world.stranger['org-admin'])).toBe('NOT_FOUND');
    expect(await server.client.code(ADD, { c: 'not-a-uuid', m: 'x' }, world.soc.analyst)).toBe('NOT_FOUND');
    expect(await server.client.code(ADD, { c: '00000000-0000-4000-8000-000000000000', m: 'x' }, world.soc.analyst)).toBe('NOT_FOUND');
  });

  it('R24: external: true also needs manageExternalShare: analyst → FORBIDDEN, incident-handler → allowed', async () => {
    expect(await server.client.code(ADD, { c: analystShared, m: 'analyst external', e: true }, world.soc.analyst)).toBe('FORBIDDEN');
    expect(await server.sql("SELECT 1 FROM comment WHERE message = 'analyst external'")).toHaveLength(0);
    const data = await server.client.ok(ADD, { c: analystShared, m: 'handler external', e: true }, world.soc['incident-handler']);
    expect(data.addComment.external).toBe(true);
  });

  it('R15/R24: manageExternalShare must be in the share profile too (partner incident-handler via an analyst share → FORBIDDEN)', async () => {
    expect(await server.client.code(ADD, { c: analystShared, m: 'partner external', e: true }, world.partner['incident-handler'])).toBe('FORBIDDEN');
    await server.client.ok(ADD, { c: analystShared, m: 'partner internal' }, world.partner['incident-handler']);
  });

  it('validates the message: empty, blank or over 100,000 characters → BAD_USER_INPUT', async () => {
    for (const m of ['', '   ', 'x'.repeat(100_001)]) {
      expect(await server.client.code(ADD, { c: analystShared, m }, world.soc.analyst)).toBe('BAD_USER_INPUT');
    }
    const long = await server.client.ok(ADD, { c: analystShared, m: 'y'.repeat(100_000) }, world.soc.analyst);
    expect(long.addComment.message).toHaveLength(100_000);
  });

  it('R28: one audit entry in the same transaction, with the case id', async () => {
    const data = await server.client.ok(ADD, { c: analystShared, m: 'audited comment' }, world.soc.analyst);
    const entries = await auditOf(data.addComment.id);
    expect(entries).toEqual([expect.objectContaining({ action: 'comment.create', case_id: analystShared, via_portal: false })]);
    expect(entries[0].details).toMatchObject({ message: 'audited comment', external: false });
  });
});

describe('Case.comments', () => {
  it('R17: comments follow the case: every organisation that sees the case sees all of them; others see no case', async () => {
    const caseId = await createCase(server, world.soc.analyst, 'comments: visibility');
    await shareCase(server, world.soc['incident-handler'], caseId, 'partner', 'read-only');
    const a = await addComment(server, world.soc.analyst, caseId, 'soc internal note');
    const b = await addComment(server, world.soc['incident-handler'], caseId, 'soc external note', true);
    for (const actor of [world.soc['read-only'], world.partner['read-only']]) {
      const data = await server.client.ok(COMMENTS, { id: caseId }, actor);
      expect(data.case.comments.map((c: { id: string }) => c.id)).toEqual([a, b]);
    }
    expect((await server.client.ok(COMMENTS, { id: caseId }, world.stranger['org-admin'])).case).toBeNull();
  });

  it('loads the comments of a page of cases in one statement per batch (every case gets its own)', async () => {
    const ids = [];
    for (const title of ['page 1', 'page 2', 'page 3']) {
      const id = await createCase(server, world.soc.analyst, `comments: ${title}`);
      await addComment(server, world.soc.analyst, id, `note on ${title}`);
      ids.push(id);
    }
    const query = `query { ${ids.map((id, i) => `c${i}: case(id: "${id}") { id comments { message } }`).join(' ')} }`;
    const data = await server.client.ok(query, {}, world.soc.analyst);
    expect(ids.map((_id, i) => data[`c${i}`].comments.map((c: { message: string }) => c.message))).toEqual([
      ['note on page 1'],
      ['note on page 2'],
      ['note on page 3'],
    ]);
  });
});

describe('setCommentExternal', () => {
  it('R24: an incident-handler shows and hides a comment; each change is audited, a no-op is not', async () => {
    const id = await addComment(server, world.soc.analyst, analystShared, 'to be flagged');
    expect((await server.client.ok(SET_EXTERNAL, { id, e: true }, world.soc['incident-handler'])).setCommentExternal.external).toBe(true);
    expect((await server.client.ok(SET_EXTERNAL, { id, e: true }, world.soc['incident-handler'])).setCommentExternal.external).toBe(true);
    expect((await server.client.ok(SET_EXTERNAL, { id, e: false }, world.soc['incident-handler'])).setCommentExternal.external).toBe(false);
    const entries = await auditOf(id);
    expect(entries.map((e) => e.action)).toEqual(['comment.create', 'comment.update', 'comment.update']);
    expect(entries[1].details).toMatchObject({ external: { from: false, to: true } });
  });

  it('R19: without manageExternalShare → FORBIDDEN (organisation level, and through the share profile)', async () => {
    const id = await addComment(server, world.soc.analyst, analystShared, 'not for analysts to flag');
    expect(await server.client.code(SET_EXTERNAL, { id, e: true }, world.soc.analyst)).toBe('FORBIDDEN');
    expect(await server.client.code(SET_EXTERNAL, { id, e: true }, world.partner['incident-handler'])).toBe('FORBIDDEN');
    expect((await server.sql('SELECT external FROM comment WHERE id = $1', [id]))[0].external).toBe(false);
  });

  it('R13: a comment on a case the organisation cannot see is absent (NOT_FOUND), as is a malformed id', async () => {
    const id = await addComment(server, world.soc.analyst, analystShared, 'invisible to strangers');
    expect(await server.client.code(SET_EXTERNAL, { id, e: true }, world.stranger['incident-handler'])).toBe('NOT_FOUND');
    expect(await server.client.code(SET_EXTERNAL, { id: 'nope', e: true }, world.soc['incident-handler'])).toBe('NOT_FOUND');
  });
});
