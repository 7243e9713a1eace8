import type { Persona } from '../../fixtures/world';
import { PASSWORD } from '../../fixtures/world';
import { CREATE_CASE, createCaseAs, shareCaseAs } from '../../fixtures/cases';
import { useWorld } from '../../support/use-world';
import { countStatements } from '../../support/count-statements';

/** R31 tags, R32 custom fields, R33 case templates: both sides of each rule. */
const { server, world } = useWorld();

const ok = (q: string, v: Record<string, unknown>, a: Persona) => server.client.ok(q, v, a);
const code = (q: string, v: Record<string, unknown>, a: Persona) => server.client.code(q, v, a);
const count = async (sql: string, params: unknown[] = []) => (await server.sql(sql, params))[0].n as number;
const auditCount = (action: string) => count('SELECT count(*)::int AS n FROM audit WHERE action = $1', [action]);

const TAGS = `{ tags { name colour description } }`;
const CREATE_TAG = `mutation($name: String!, $colour: String, $description: String) { createTag(name: $name, colour: $colour, description: $description) { id name colour description } }`;
const UPDATE_TAG = `mutation($name: String!, $input: UpdateTagInput!) { updateTag(name: $name, input: $input) { name colour description } }`;
const DELETE_TAG = `mutation($name: String!) { deleteTag(name: $name) }`;

const FIELDS = `{ customFields { name displayName type options mandatory description } }`;
const CREATE_FIELD = `mutation($input: CreateCustomFieldInput!) { createCustomField(input: $input) { name displayName type options mandatory } }`;
const UPDATE_FIELD = `mutation($name: String!, $input: UpdateCustomFieldInput!) { updateCustomField(name: $name, input: $input) { name type options mandatory } }`;
const DELETE_FIELD = `mutation($name: String!) { deleteCustomField(name: $name) }`;
const SET_FIELD = `mutation($caseId: ID!, $name: String!, $value: JSON) { setCustomField(caseId: $caseId, name: $name, value: $value) { id customFields { name type value } } }`;
const CASE = `query($id: ID!) { case(id: $id) { id title description severity tlp pap tags customFields { name type value } tasks { title description status } } }`;
const LIST = `query($filter: CaseFilter) { cases(first: 100, filter: $filter) { totalCount edges { node { id } } } }`;

const TEMPLATES = `{ caseTemplates { name titlePrefix description severity tlp pap tags tasks { title description } customFields { name type value } } }`;
const CREATE_TEMPLATE = `mutation($input: CreateCaseTemplateInput!) { createCaseTemplate(input: $input) { id name titlePrefix tags tasks { title } customFields { name value } } }`;
const UPDATE_TEMPLATE = `mutation($name: String!, $input: UpdateCaseTemplateInput!) { updateCaseTemplate(name: $name, input: $input) { name titlePrefix severity } }`;
const DELETE_TEMPLATE = `mutation($name: String!) { deleteCaseTemplate(name: $name) }`;
const CREATE_OBSERVABLE = `mutation($caseId: ID!, $input: CreateObservableInput!) { createObservable(caseId: $caseId, input: $input) { id tags } }`;
const OBSERVABLE = `query($id: ID!) { observable(id: $id) { tags } }`;

/** A member of soc whose profile `all` holds every internal permission, global ones included (R6). */
let socAll: Persona;

beforeAll(async () => {
  await ok(
    `mutation { createUser(login: "all@soc.test", name: "all of soc", email: "all@soc.test", password: "${PASSWORD}", organisation: "soc", profile: "all") { id } }`,
    {},
    world.admin,
  );
  socAll = { login: 'all@soc.test', token: await server.client.login('all@soc.test', PASSWORD), organisation: 'soc', profile: 'all' };
});

describe('R31: tag catalogue', () => {
  it('R31 R6: manageTag in admin creates, updates and deletes tags; without it, or outside admin, FORBIDDEN', async () => {
    const t = await ok(CREATE_TAG, { name: 'Phishing', colour: '#F00', description: 'mail lures' }, world.admin);
    expect(t.createTag).toMatchObject({ name: 'Phishing', colour: '#ff0000', description: 'mail lures' });
    // Every internal user reads the catalogue (R8).
    expect((await ok(TAGS, {}, world.partner['read-only'])).tags).toContainEqual({ name: 'Phishing', colour: '#ff0000', description: 'mail lures' });
    for (const who of [world.soc['org-admin'], world.soc.analyst, socAll]) {
      expect(await code(CREATE_TAG, { name: 'nope' }, who)).toBe('FORBIDDEN');
      expect(await code(UPDATE_TAG, { name: 'Phishing', input: { colour: '#000' } }, who)).toBe('FORBIDDEN');
      expect(await code(DELETE_TAG, { name: 'Phishing' }, who)).toBe('FORBIDDEN');
    }
    expect((await ok(UPDATE_TAG, { name: 'phishing', input: { colour: '#00ff00' } }, world.admin)).updateTag.colour).toBe('#00ff00');
    expect(await auditCount('tag.create')).toBe(1);
    expect(await auditCount('tag.update')).toBe(1);
    expect((await ok(DELETE_TAG, { name: 'PHISHING' }, world.admin)).deleteTag).toBe(true);
    expect(await auditCount('tag.delete')).toBe(1);
    expect(await code(DELETE_TAG, { name: 'Phishing' }, world.admin)).toBe('NOT_FOUND');
    expect(await count(`SELECT count(*)::int AS n FROM tag WHERE name = 'nope'`)).toBe(0);
  });

  it('R31: names are unique case-insensitively (CONFLICT); bad names and colours → BAD_USER_INPUT, nothing written', async () => {
    await ok(CREATE_TAG, { name: 'Malware-unique' }, world.admin);
    await ok(CREATE_TAG, { name: 'other-unique' }, world.admin);
    expect(await code(CREATE_TAG, { name: 'MALWARE-UNIQUE' }, world.admin)).toBe('CONFLICT');
    expect(await code(UPDATE_TAG, { name: 'other-unique', input: { name: 'malware-Unique' } }, world.admin)).toBe('CONFLICT');
    const before = await count('SELECT count(*)::int AS n FROM tag');
    for (const v of [{ name: '' }, { name: 'x'.repeat(65) }, { name: 'two\nlines' }, { name: 'ok1', colour: 'red' }, { name: 'ok2', colour: '#12345' }]) {
      expect(await code(CREATE_TAG, v, world.admin)).toBe('BAD_USER_INPUT');
    }
    expect(await count('SELECT count(*)::int AS n FROM tag')).toBe(before);
  });

  it('R31: renaming a catalogue tag renames it on cases, observables and templates; deleting leaves the uses as free text', async () => {
    await ok(CREATE_TAG, { name: 'ransom' }, world.admin);
    const a = world.soc.analyst;
    const k1 = await createCaseAs(server.client, a, { tags: ['x', 'ransom', 'y'] });
    const k2 = await createCaseAs(server.client, a, { tags: ['RANSOM', 'crypto-locker'] }); // free text differing in case, and the new name already
    const k3 = await createCaseAs(server.client, a, { tags: ['unrelated'] });
    const ob = (await ok(CREATE_OBSERVABLE, { caseId: k3.id, input: { dataType: 'ip', data: '10.0.0.1', tags: ['ransom'] } }, a)).createObservable;
    expect(ob.tags).toEqual(['ransom']);
    await ok(CREATE_TEMPLATE, { input: { name: 'Ransom tpl', tags: ['ransom'] } }, world.soc['org-admin']);
    await ok(UPDATE_TAG, { name: 'ransom', input: { name: 'crypto-locker' } }, world.admin);
    expect((await ok(CASE, { id: k1.id }, a)).case.tags).toEqual(['x', 'crypto-locker', 'y']);
    expect((await ok(CASE, { id: k2.id }, a)).case.tags).toEqual(['crypto-locker']);
    expect((await ok(CASE, { id: k3.id }, a)).case.tags).toEqual(['unrelated']);
    expect((await ok(OBSERVABLE, { id: ob.id }, a)).observable.tags).toEqual(['crypto-locker']);
    expect((await ok(TEMPLATES, {}, world.soc['org-admin'])).caseTemplates.find((t: { name: string }) => t.name === 'Ransom tpl').tags).toEqual([
      'crypto-locker',
    ]);
    const entry = (await server.sql(`SELECT details FROM audit WHERE action = 'tag.update' AND details->'name'->>'to' = 'crypto-locker'`))[0];
    expect(entry.details.renamedIn).toEqual({ case: 2, observable: 1, case_template: 1 });

    await ok(DELETE_TAG, { name: 'crypto-locker' }, world.admin);
    expect((await ok(TAGS, {}, a)).tags.map((t: { name: string }) => t.name)).not.toContain('crypto-locker');
    expect((await ok(CASE, { id: k1.id }, a)).case.tags).toEqual(['x', 'crypto-locker', 'y']);
  });
});

describe('R32: custom fields', () => {
  const defs = [
    { name: 'cf-team', type: 'STRING', options: ['red', 'blue'] },
    { name: 'cf-count', type: 'INTEGER' },
    { name: 'cf-score', type: 'FLOAT' },
    { name: 'cf-flag', type: 'BOOLEAN' },
    { name: 'cf-when', type: 'DATE' },
    { name: 'cf-note', type: 'STRING', displayName: 'Note' },
  ];

  beforeAll(async () => {
    for (const input of defs) await ok(CREATE_FIELD, { input }, world.admin);
  });

  it('R32 R6: manageCustomField in admin manages definitions; without it, or outside admin, FORBIDDEN', async () => {
    const list = (await ok(FIELDS, {}, world.soc['read-only'])).customFields;
    expect(list.find((f: { name: string }) => f.name === 'cf-team')).toMatchObject({
      displayName: 'cf-team',
      type: 'STRING',
      options: ['red', 'blue'],
      mandatory: false,
    });
    expect(list.find((f: { name: string }) => f.name === 'cf-note').displayName).toBe('Note');
    for (const who of [world.soc['org-admin'], socAll]) {
      expect(await code(CREATE_FIELD, { input: { name: 'cf-nope', type: 'STRING' } }, who)).toBe('FORBIDDEN');
      expect(await code(UPDATE_FIELD, { name: 'cf-note', input: { mandatory: true } }, who)).toBe('FORBIDDEN');
      expect(await code(DELETE_FIELD, { name: 'cf-note' }, who)).toBe('FORBIDDEN');
    }
    expect(await code(CREATE_FIELD, { input: { name: 'CF-TEAM', type: 'STRING' } }, world.admin)).toBe('CONFLICT');
    for (const input of [
      { name: '1abc', type: 'STRING' },
      { name: 'has space', type: 'STRING' },
      { name: 'cf-int-opts', type: 'INTEGER', options: ['1', 'two'] },
    ]) {
      expect(await code(CREATE_FIELD, { input }, world.admin)).toBe('BAD_USER_INPUT');
    }
    expect(await count(`SELECT count(*)::int AS n FROM custom_field WHERE name IN ('cf-nope', 'cf-int-opts')`)).toBe(0);
    expect(await auditCount('customField.create')).toBeGreaterThanOrEqual(defs.length);
  });

  it('R32 R15: manageCase on the case sets values, checked and typed; others are refused', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    const values: Array<[string, unknown, unknown]> = [
      ['cf-team', 'red', 'red'],
      ['cf-count', 42, 42],
      ['cf-score', 2.5, 2.5],
      ['cf-flag', false, false],
      ['cf-when', '2026-03-01', '2026-03-01T00:00:00.000Z'],
      ['cf-note', 'free text', 'free text'],
    ];
    for (const [name, value] of values) await ok(SET_FIELD, { caseId: k.id, name, value }, world.soc.analyst);
    const got = (await ok(CASE, { id: k.id }, world.soc['read-only'])).case.customFields;
    expect(got).toEqual([
      { name: 'cf-count', type: 'INTEGER', value: 42 },
      { name: 'cf-flag', type: 'BOOLEAN', value: false },
      { name: 'cf-note', type: 'STRING', value: 'free text' },
      { name: 'cf-score', type: 'FLOAT', value: 2.5 },
      { name: 'cf-team', type: 'STRING', value: 'red' },
      { name: 'cf-when', type: 'DATE', value: '2026-03-01T00:00:00.000Z' },
    ]);
    // Other side: no manageCase (read-only), a read-only share, an organisation without a share.
    await shareCaseAs(server.client, world.soc['incident-handler'], k.id, 'partner', 'read-only');
    expect(await code(SET_FIELD, { caseId: k.id, name: 'cf-count', value: 1 }, world.soc['read-only'])).toBe('FORBIDDEN');
    expect(await code(SET_FIELD, { caseId: k.id, name: 'cf-count', value: 1 }, world.partner.analyst)).toBe('FORBIDDEN');
    expect(await code(SET_FIELD, { caseId: k.id, name: 'cf-count', value: 1 }, world.stranger.analyst)).toBe('NOT_FOUND');
    // null clears.
    await ok(SET_FIELD, { caseId: k.id, name: 'cf-note', value: null }, world.soc.analyst);
    expect((await ok(CASE, { id: k.id }, world.soc.analyst)).case.customFields.map((v: { name: string }) => v.name)).not.toContain('cf-note');
  });

  it('R32: wrong type, option not allowed, unparsable date, unknown field → BAD_USER_INPUT naming the field; nothing written', async () => {
    const k = await createCaseAs(server.client, world.soc.analyst);
    await ok(SET_FIELD, { caseId: k.id, name: 'cf-count', value: 7 }, world.soc.analyst);
    const entries = await count('SELECT count(*)::int AS n FROM audit WHERE case_id = $1', [k.id]);
    const bad: Array<[string, unknown]> = [
      ['cf-count', 'seven'],
      ['cf-count', 1.5],
      ['cf-score', '2.5'],
      ['cf-flag', 'true'],
      ['cf-note', 3],
      ['cf-team', 'green'],
      ['cf-when', '2026-13-45'],
      ['cf-when', 'yesterday'],
      ['cf-when', true],
    ];
    for (const [name, value] of bad) {
      const res = await server.client.request(SET_FIELD, { caseId: k.id, name, value }, world.soc.analyst);
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toContain(name);
    }
    expect(await code(SET_FIELD, { caseId: k.id, name: 'cf-unknown', value: 'x' }, world.soc.analyst)).toBe('BAD_USER_INPUT');
    expect((await ok(CASE, { id: k.id }, world.soc.analyst)).case.customFields).toEqual([{ name: 'cf-count', type: 'INTEGER', value: 7 }]);
    expect(await count('SELECT count(*)::int AS n FROM audit WHERE case_id = $1', [k.id])).toBe(entries);

    // createCase with a bad value creates nothing.
    const cases = await count('SELECT count(*)::int AS n FROM "case"');
    expect(await code(CREATE_CASE, { input: { title: 'bad cf', customFields: [{ name: 'cf-team', value: 'green' }] } }, world.soc.analyst)).toBe(
      'BAD_USER_INPUT',
    );
    expect(await code(CREATE_CASE, { input: { title: 'bad cf', customFields: [{ name: 'cf-nope', value: 1 }] } }, world.soc.analyst)).toBe('BAD_USER_INPUT');
    expect(await count('SELECT count(*)::int AS n FROM "case"')).toBe(cases);
  });

  it('R32: a definition in use cannot change type or be deleted (CONFLICT); unused, it can', async () => {
    await ok(CREATE_FIELD, { input: { name: 'cf-used', type: 'STRING' } }, world.admin);
    await ok(CREATE_FIELD, { input: { name: 'cf-unused', type: 'STRING' } }, world.admin);
    const k = await createCaseAs(server.client, world.soc.analyst, { customFields: [{ name: 'cf-used', value: 'v' }] });
    expect(await code(UPDATE_FIELD, { name: 'cf-used', input: { type: 'INTEGER' } }, world.admin)).toBe('CONFLICT');
    expect(await code(DELETE_FIELD, { name: 'cf-used' }, world.admin)).toBe('CONFLICT');
    // Other changes of a field in use are allowed.
    expect((await ok(UPDATE_FIELD, { name: 'cf-used', input: { mandatory: false, options: [] } }, world.admin)).updateCustomField.type).toBe('STRING');
    expect((await ok(UPDATE_FIELD, { name: 'cf-unused', input: { type: 'INTEGER' } }, world.admin)).updateCustomField.type).toBe('INTEGER');
    expect((await ok(DELETE_FIELD, { name: 'cf-unused' }, world.admin)).deleteCustomField).toBe(true);
    // Once the value is cleared, it is no longer in use.
    await ok(SET_FIELD, { caseId: k.id, name: 'cf-used', value: null }, world.soc.analyst);
    expect((await ok(DELETE_FIELD, { name: 'cf-used' }, world.admin)).deleteCustomField).toBe(true);
    expect(await auditCount('customField.delete')).toBe(2);
  });

  it('R32: cases filter on custom field values, all must match, before count and page', async () => {
    const a = world.stranger.analyst;
    const k1 = await createCaseAs(server.client, a, {
      customFields: [
        { name: 'cf-count', value: 5 },
        { name: 'cf-flag', value: true },
      ],
    });
    const k2 = await createCaseAs(server.client, a, {
      customFields: [
        { name: 'cf-count', value: 5 },
        { name: 'cf-flag', value: false },
      ],
    });
    const k3 = await createCaseAs(server.client, a, { customFields: [{ name: 'cf-when', value: '2026-01-02T00:00:00Z' }] });
    const ids = async (customFields: unknown[]) => {
      const page = (await ok(LIST, { filter: { customFields } }, a)).cases;
      expect(page.totalCount).toBe(page.edges.length);
      return page.edges.map((e: { node: { id: string } }) => e.node.id).sort();
    };
    expect(await ids([{ name: 'cf-count', value: 5 }])).toEqual([k1.id, k2.id].sort());
    expect(
      await ids([
        { name: 'cf-count', value: 5 },
        { name: 'cf-flag', value: true },
      ]),
    ).toEqual([k1.id]);
    expect(await ids([{ name: 'cf-when', value: '2026-01-02' }])).toEqual([k3.id]);
    expect(await ids([{ name: 'cf-count', value: 6 }])).toEqual([]);
    expect(await ids([{ name: 'cf-count', value: null }])).toEqual([k3.id]);
    // Another organisation's cases never match (R13).
    expect((await ok(LIST, { filter: { customFields: [{ name: 'cf-count', value: 5 }] } }, world.partner.analyst)).cases.totalCount).toBe(0);
    expect(await code(LIST, { filter: { customFields: [{ name: 'cf-nope', value: 5 }] } }, a)).toBe('BAD_USER_INPUT');
    expect(await code(LIST, { filter: { customFields: [{ name: 'cf-count', value: 'five' }] } }, a)).toBe('BAD_USER_INPUT');
  });

  it('performance: Case.customFields on a page costs the same statements for 5 and 30 cases (the values ride on the case row)', async () => {
    const a = world.partner.analyst;
    for (let i = 0; i < 30; i++)
      await createCaseAs(server.client, a, {
        tags: ['cf-page'],
        customFields: [
          { name: 'cf-count', value: i },
          { name: 'cf-note', value: `n${i}` },
        ],
      });
    const PAGE = `query($first: Int!) { cases(first: $first, filter: { tags: ["cf-page"], customFields: [{ name: "cf-note", value: "n3" }] }) { totalCount edges { node { id } } }
      all: cases(first: $first, filter: { tags: ["cf-page"] }) { edges { node { id customFields { name type value } } } } }`;
    const run = (first: number) => ok(PAGE, { first }, a);
    const data = await run(30);
    expect(data.cases.totalCount).toBe(1);
    expect(data.all.edges).toHaveLength(30);
    expect(data.all.edges.every((e: any) => e.node.customFields.length === 2 && e.node.customFields[0].type === 'INTEGER')).toBe(true);
    const five = await countStatements(() => run(5));
    const thirty = await countStatements(() => run(30));
    // eslint-disable-next-line no-console
    console.log(`SQL statements with customFields: page of 5 → ${five}, page of 30 → ${thirty}`);
    expect(thirty).toBe(five);
  });
});

describe('R33: case templates', () => {
  beforeAll(async () => {
    await ok(CREATE_FIELD, { input: { name: 'tpl-impact', type: 'STRING', options: ['low', 'high'], mandatory: true } }, world.admin);
    await ok(CREATE_FIELD, { input: { name: 'tpl-ref', type: 'INTEGER' } }, world.admin);
  });

  const PHISHING = {
    name: 'Phishing',
    titlePrefix: '[PHISH]',
    description: 'Template description',
    severity: 3,
    tlp: 'GREEN',
    pap: 'RED',
    tags: ['phishing', 'mail'],
    tasks: [{ title: 'Collect headers', description: 'first' }, { title: 'Block sender' }, { title: 'Notify users' }],
    customFields: [
      { name: 'tpl-impact', value: 'low' },
      { name: 'tpl-ref', value: 1 },
    ],
  };

  it('R33 R6: manageCaseTemplate in the organisation manages its templates; without it, and in admin, FORBIDDEN', async () => {
    const t = (await ok(CREATE_TEMPLATE, { input: PHISHING }, world.soc['org-admin'])).createCaseTemplate;
    expect(t).toMatchObject({
      name: 'Phishing',
      titlePrefix: '[PHISH]',
      tags: ['phishing', 'mail'],
      tasks: [{ title: 'Collect headers' }, { title: 'Block sender' }, { title: 'Notify users' }],
    });
    expect(t.customFields).toEqual([
      { name: 'tpl-impact', value: 'low' },
      { name: 'tpl-ref', value: 1 },
    ]);
    for (const who of [world.soc.analyst, world.soc['incident-handler'], world.soc['read-only']]) {
      expect(await code(CREATE_TEMPLATE, { input: { name: 'nope' } }, who)).toBe('FORBIDDEN');
      expect(await code(UPDATE_TEMPLATE, { name: 'Phishing', input: { severity: 1 } }, who)).toBe('FORBIDDEN');
      expect(await code(DELETE_TEMPLATE, { name: 'Phishing' }, who)).toBe('FORBIDDEN');
    }
    expect(await code(CREATE_TEMPLATE, { input: { name: 'nope' } }, world.admin)).toBe('FORBIDDEN');
    expect(await code(CREATE_TEMPLATE, { input: { name: 'PHISHING' } }, world.soc['org-admin'])).toBe('CONFLICT');
    expect((await ok(UPDATE_TEMPLATE, { name: 'phishing', input: { severity: 4 } }, world.soc['org-admin'])).updateCaseTemplate.severity).toBe(4);
    await ok(UPDATE_TEMPLATE, { name: 'phishing', input: { severity: 3 } }, world.soc['org-admin']);
    expect(await auditCount('caseTemplate.create')).toBeGreaterThanOrEqual(1);
    expect(await auditCount('caseTemplate.update')).toBe(2);
    expect(await count(`SELECT count(*)::int AS n FROM case_template WHERE name = 'nope'`)).toBe(0);
  });

  it('R33: templates are visible only to their organisation; another organisation cannot use, change or delete them', async () => {
    await ok(CREATE_TEMPLATE, { input: { name: 'Soc only', titlePrefix: 'S' } }, world.soc['org-admin']);
    expect((await ok(TEMPLATES, {}, world.soc['read-only'])).caseTemplates.map((t: { name: string }) => t.name)).toContain('Soc only');
    for (const org of [world.partner, world.stranger]) {
      expect((await ok(TEMPLATES, {}, org['org-admin'])).caseTemplates.map((t: { name: string }) => t.name)).not.toContain('Soc only');
      expect(await code(UPDATE_TEMPLATE, { name: 'Soc only', input: { severity: 1 } }, org['org-admin'])).toBe('NOT_FOUND');
      expect(await code(DELETE_TEMPLATE, { name: 'Soc only' }, org['org-admin'])).toBe('NOT_FOUND');
      expect(await code(CREATE_CASE, { input: { title: 't', template: 'Soc only' } }, org.analyst)).toBe('BAD_USER_INPUT');
    }
    expect((await ok(TEMPLATES, {}, world.admin)).caseTemplates).toEqual([]);
    // The same name is free in another organisation.
    await ok(CREATE_TEMPLATE, { input: { name: 'Soc only' } }, world.partner['org-admin']);
    expect((await ok(DELETE_TEMPLATE, { name: 'Soc only' }, world.soc['org-admin'])).deleteCaseTemplate).toBe(true);
    expect((await ok(TEMPLATES, {}, world.partner['org-admin'])).caseTemplates.map((t: { name: string }) => t.name)).toContain('Soc only');
  });

  it("R33: createCase with a template applies it: prefix, the template's values for what the input leaves out, tags, custom field defaults, tasks in order", async () => {
    const id = (
      await ok(
        CREATE_CASE,
        { input: { title: 'Invoice lure', template: 'Phishing', customFields: [{ name: 'tpl-impact', value: 'high' }] } },
        world.soc.analyst,
      )
    ).createCase.id;
    const k = (await ok(CASE, { id }, world.soc.analyst)).case;
    expect(k).toMatchObject({
      title: '[PHISH] Invoice lure',
      description: 'Template description',
      severity: 3,
      tlp: 'GREEN',
      pap: 'RED',
      tags: ['phishing', 'mail'],
      customFields: [
        { name: 'tpl-impact', type: 'STRING', value: 'high' },
        { name: 'tpl-ref', type: 'INTEGER', value: 1 },
      ],
      tasks: [
        { title: 'Collect headers', description: 'first', status: 'WAITING' },
        { title: 'Block sender', description: '', status: 'WAITING' },
        { title: 'Notify users', description: '', status: 'WAITING' },
      ],
    });
    expect(await count(`SELECT count(*)::int AS n FROM audit WHERE case_id = $1 AND action = 'task.create'`, [id])).toBe(3);
    // The input's own values win.
    const id2 = (
      await ok(
        CREATE_CASE,
        { input: { title: 'Own', template: 'phishing', description: 'mine', severity: 1, tlp: 'RED', pap: 'CLEAR', tags: ['own'] } },
        world.soc.analyst,
      )
    ).createCase.id;
    expect((await ok(CASE, { id: id2 }, world.soc.analyst)).case).toMatchObject({
      title: '[PHISH] Own',
      description: 'mine',
      severity: 1,
      tlp: 'RED',
      pap: 'CLEAR',
      tags: ['own'],
    });
    // Without a template, the documented defaults.
    const id3 = (await ok(CREATE_CASE, { input: { title: 'Plain' } }, world.soc.analyst)).createCase.id;
    expect((await ok(CASE, { id: id3 }, world.soc.analyst)).case).toMatchObject({
      title: 'Plain',
      description: '',
      severity: 2,
      tlp: 'AMBER',
      pap: 'AMBER',
      tags: [],
      customFields: [],
      tasks: [],
    });
  });

  it('R33: a mandatory custom field left without a value, or an unknown template → BAD_USER_INPUT and nothing created', async () => {
    await ok(CREATE_TEMPLATE, { input: { name: 'No impact', tasks: [{ title: 'never created' }] } }, world.soc['org-admin']);
    const counts = async () => [
      await count('SELECT count(*)::int AS n FROM "case"'),
      await count('SELECT count(*)::int AS n FROM task'),
      await count(`SELECT count(*)::int AS n FROM audit WHERE action IN ('case.create', 'task.create')`),
    ];
    const before = await counts();
    const a = world.soc.analyst;
    expect(await code(CREATE_CASE, { input: { title: 'x', template: 'No impact' } }, a)).toBe('BAD_USER_INPUT');
    expect(await code(CREATE_CASE, { input: { title: 'x', template: 'No impact', customFields: [{ name: 'tpl-impact', value: null }] } }, a)).toBe(
      'BAD_USER_INPUT',
    );
    expect(await code(CREATE_CASE, { input: { title: 'x', template: 'Phishing', customFields: [{ name: 'tpl-impact', value: null }] } }, a)).toBe(
      'BAD_USER_INPUT',
    );
    expect(await code(CREATE_CASE, { input: { title: 'x', template: 'No impact', customFields: [{ name: 'tpl-impact', value: 'medium' }] } }, a)).toBe(
      'BAD_USER_INPUT',
    );
    expect(await code(CREATE_CASE, { input: { title: 'x', template: 'No such template' } }, a)).toBe('BAD_USER_INPUT');
    expect(await counts()).toEqual(before);
    // With the value, it is created with the template's tasks.
    const id = (await ok(CREATE_CASE, { input: { title: 'x', template: 'No impact', customFields: [{ name: 'tpl-impact', value: 'low' }] } }, a)).createCase.id;
    expect((await ok(CASE, { id }, a)).case.tasks.map((t: { title: string }) => t.title)).toEqual(['never created']);
  });

  it('R33: template input is validated (severity, unknown or invalid custom field, task title) → BAD_USER_INPUT, nothing written', async () => {
    const before = await count('SELECT count(*)::int AS n FROM case_template');
    for (const input of [
      { name: 'bad1', severity: 9 },
      { name: 'bad2', customFields: [{ name: 'nope', value: 1 }] },
      { name: 'bad3', customFields: [{ name: 'tpl-ref', value: 'one' }] },
      { name: 'bad4', tasks: [{ title: '' }] },
      { name: '' },
    ])
      expect(await code(CREATE_TEMPLATE, { input }, world.soc['org-admin'])).toBe('BAD_USER_INPUT');
    expect(await count('SELECT count(*)::int AS n FROM case_template')).toBe(before);
  });
});

describe('R28 R29: every write of R31–R33 is audited, and seen by the organisation it was written in', () => {
  const AUDIT = `query($t: String) { audit(first: 200, filter: { objectType: $t }) { edges { node { action details } } } }`;
  /** `action name` of each entry of that object type the persona sees. */
  const actions = async (who: Persona, objectType: string) =>
    (await ok(AUDIT, { t: objectType }, who)).audit.edges.map(
      (e: { node: { action: string; details: { name: string } } }) => `${e.node.action} ${e.node.details.name}`,
    );

  it("R29: tag and custom field entries are seen in admin; template entries by the template's organisation only", async () => {
    await ok(CREATE_TAG, { name: 'audited-tag' }, world.admin);
    await ok(CREATE_FIELD, { input: { name: 'audited-field', type: 'BOOLEAN' } }, world.admin);
    await ok(CREATE_TEMPLATE, { input: { name: 'Audited template' } }, world.soc['org-admin']);
    expect(await actions(world.admin, 'Tag')).toContain('tag.create audited-tag');
    expect(await actions(world.admin, 'CustomField')).toContain('customField.create audited-field');
    expect(await actions(world.soc['read-only'], 'CaseTemplate')).toContain('caseTemplate.create Audited template');
    for (const who of [world.partner['org-admin'], world.stranger.analyst, world.admin]) {
      expect(await actions(who, 'CaseTemplate')).not.toContain('caseTemplate.create Audited template');
    }
    expect(await actions(world.soc['org-admin'], 'Tag')).toEqual([]);
    expect(await actions(world.soc['org-admin'], 'CustomField')).toEqual([]);
  });
});

describe('R31 R32 under concurrency', () => {
  it('R31: the same tag name, in different letter cases, created at once → exactly one succeeds, the others CONFLICT', async () => {
    const names = ['Race-Tag', 'race-tag', 'RACE-TAG', 'race-TAG', 'Race-tag', 'rACE-tAG'];
    const codes = await Promise.all(
      names.map(async (name) => (await server.client.request(CREATE_TAG, { name }, world.admin)).errors?.[0]?.extensions?.code ?? 'ok'),
    );
    expect(codes.filter((c) => c === 'ok')).toHaveLength(1);
    expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(names.length - 1);
  });

  it('R32: deleting a definition while values are being set never leaves a value of a deleted field', async () => {
    const k = await createCaseAs(server.client, world.stranger.analyst);
    for (let i = 0; i < 5; i++) {
      const name = `cf-race-${i}`;
      await ok(CREATE_FIELD, { input: { name, type: 'INTEGER' } }, world.admin);
      const [set, del] = await Promise.all([
        server.client.request(SET_FIELD, { caseId: k.id, name, value: i }, world.stranger.analyst),
        server.client.request(DELETE_FIELD, { name }, world.admin),
      ]);
      const setCode = set.errors?.[0]?.extensions?.code ?? 'ok';
      const delCode = del.errors?.[0]?.extensions?.code ?? 'ok';
      // Either the value came first (the delete is CONFLICT) or the delete did (the field is unknown).
      expect([[setCode, delCode]]).toContainEqual(setCode === 'ok' ? ['ok', 'CONFLICT'] : ['BAD_USER_INPUT', 'ok']);
      const exists = await count('SELECT count(*)::int AS n FROM custom_field WHERE name = $1', [name]);
      const held = await count('SELECT count(*)::int AS n FROM "case" WHERE custom_fields ? $1', [name]);
      expect(held).toBe(exists);
    }
  });
});
