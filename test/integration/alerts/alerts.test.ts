import { createCaseAs, createObservableAs, shareCaseAs } from '../../fixtures/cases';
import { ALERT, alertInput, CREATE_ALERT, createAlertAs, MERGE, PROMOTE, ref, UPSERT_ALERT } from '../../fixtures/alerts';
import { useWorld } from '../../support/use-world';

const { server, world } = useWorld();
const gql = () => server.client;

// R32: the custom fields the alerts below carry (definitions are global, made in admin).
beforeAll(async () => {
  for (const [name, type, options] of [
    ['score', 'INTEGER', []],
    ['vendor', 'STRING', ['acme', 'globex']],
    ['empty', 'STRING', []],
  ] as const) {
    await gql().ok('mutation($i: CreateCustomFieldInput!) { createCustomField(input: $i) { id } }', { i: { name, type, options } }, world.admin);
  }
});

/** Row counts of everything an alert write may touch: bad input and refusals must leave them all as they were. */
async function counts() {
  const [r] = await server.sql(`SELECT (SELECT count(*) FROM alert)::int AS alerts, (SELECT count(*) FROM alert_observable)::int AS "alertObservables",
    (SELECT count(*) FROM audit)::int AS audit, (SELECT count(*) FROM "case")::int AS cases, (SELECT count(*) FROM observable)::int AS observables,
    (SELECT count(*) FROM comment)::int AS comments`);
  return r;
}

const OBSERVABLES = [
  { dataType: 'ip', data: '198.51.100.7', message: 'source', ioc: true, tlp: 'RED', tags: ['c2'] },
  { dataType: 'domain', data: 'evil.example' },
  { dataType: 'ip', data: '198.51.100.7', message: 'repeated: kept once' },
  { dataType: 'mail', data: 'phish@evil.example' },
];

describe('R34: creating alerts', () => {
  it('R34: an analyst pushes an alert into the active organisation; NEW, unread, observables kept once in push order', async () => {
    const a = await createAlertAs(gql(), world.soc.analyst, {
      description: 'seen by the SIEM',
      severity: 3,
      date: '2026-11-01T10:00:00.000Z',
      tlp: 'GREEN',
      pap: 'RED',
      tags: ['phishing', 'phishing', 'q4'],
      observables: OBSERVABLES,
      customFields: [
        { name: 'score', value: 7 },
        { name: 'vendor', value: 'acme' },
        { name: 'empty', value: null },
      ],
    });
    expect(a).toMatchObject({
      type: 'siem',
      source: 'splunk',
      description: 'seen by the SIEM',
      severity: 3,
      date: '2026-11-01T10:00:00.000Z',
      tlp: 'GREEN',
      pap: 'RED',
      tags: ['phishing', 'q4'],
      status: 'NEW',
      read: false,
      organisation: { name: 'soc' },
      case: null,
      customFields: [
        { name: 'score', type: 'INTEGER', value: 7 },
        { name: 'vendor', type: 'STRING', value: 'acme' },
      ],
    });
    expect(a.observables).toEqual([
      { dataType: 'ip', data: '198.51.100.7', message: 'source', ioc: true, tlp: 'RED', tags: ['c2'] },
      { dataType: 'domain', data: 'evil.example', message: '', ioc: false, tlp: 'AMBER', tags: [] },
      { dataType: 'mail', data: 'phish@evil.example', message: '', ioc: false, tlp: 'AMBER', tags: [] },
    ]);
    const entries = await server.sql('SELECT action, object_type, case_id FROM audit WHERE object_id = $1', [a.id]);
    expect(entries).toEqual([{ action: 'alert.create', object_type: 'Alert', case_id: null }]);
  });

  it('R34/R1/R6: read-only members, administrators in admin and portal users cannot push; nothing is written', async () => {
    const before = await counts();
    expect(await gql().code(CREATE_ALERT, { input: alertInput() }, world.soc['read-only'])).toBe('FORBIDDEN');
    expect(await gql().code(CREATE_ALERT, { input: alertInput() }, world.admin)).toBe('FORBIDDEN');
    expect(await gql().code(CREATE_ALERT, { input: alertInput() }, {})).toBe('UNAUTHENTICATED');
    expect(await counts()).toEqual(before);
  });

  it('R34: the same type, source and sourceRef twice in one organisation → CONFLICT; in another organisation it is another alert', async () => {
    const input = alertInput();
    await gql().ok(CREATE_ALERT, { input }, world.soc.analyst);
    const before = await counts();
    expect(await gql().code(CREATE_ALERT, { input: { ...input, title: 'again' } }, world.soc['org-admin'])).toBe('CONFLICT');
    expect(await counts()).toEqual(before);
    // Any one of the three differing makes another alert.
    await gql().ok(CREATE_ALERT, { input: { ...input, type: 'edr' } }, world.soc.analyst);
    await gql().ok(CREATE_ALERT, { input: { ...input, source: 'other' } }, world.soc.analyst);
    const partner = await gql().ok(CREATE_ALERT, { input }, world.partner.analyst);
    expect(partner.createAlert.organisation.name).toBe('partner');
  });

  it('R34: 20 concurrent pushes of one alert → exactly one succeeds, the others CONFLICT; one row, one audit entry', async () => {
    const input = alertInput({ observables: OBSERVABLES });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => gql().request(CREATE_ALERT, { input: { ...input, title: `push ${i}` } }, world.soc.analyst)),
    );
    const ok = results.filter((r) => r.data?.createAlert);
    expect(ok).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(19);
    const rows = await server.sql('SELECT id FROM alert WHERE source_ref = $1', [input.sourceRef]);
    expect(rows).toHaveLength(1);
    expect(await server.sql('SELECT 1 FROM audit WHERE object_id = $1', [rows[0].id])).toHaveLength(1);
    expect(await server.sql('SELECT 1 FROM alert_observable WHERE alert_id = $1', [rows[0].id])).toHaveLength(3);
  });

  it('R34: bad input → BAD_USER_INPUT naming the field, and nothing is half-created', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ severity: 7 }, 'severity'],
      [{ title: '  ' }, 'title'],
      [{ sourceRef: '' }, 'sourceRef'],
      [{ type: 'two\nlines' }, 'type'],
      [{ tags: ['x'.repeat(65)] }, 'tags'],
      [{ observables: [OBSERVABLES[0], { dataType: 'no-such-type', data: 'x' }] }, 'dataType'],
      [{ observables: [OBSERVABLES[0], { dataType: 'ip', data: ' ' }] }, 'data'],
      // R32: values are checked against the definitions: unknown, repeated, wrong type, not an allowed option.
      [{ customFields: [{ name: 'no-such-field', value: 1 }] }, 'customFields'],
      [
        {
          customFields: [
            { name: 'score', value: 1 },
            { name: 'SCORE', value: 2 },
          ],
        },
        'customFields',
      ],
      [{ customFields: [{ name: 'score', value: 'high' }] }, 'score'],
      [{ customFields: [{ name: 'vendor', value: { a: 1 } }] }, 'vendor'],
      [{ customFields: [{ name: 'vendor', value: 'initech' }] }, 'vendor'],
    ];
    const before = await counts();
    for (const [override, field] of cases) {
      const res = await gql().request(CREATE_ALERT, { input: alertInput(override) }, world.soc.analyst);
      expect([field, res.errors?.[0]?.extensions]).toEqual([field, expect.objectContaining({ code: 'BAD_USER_INPUT', field })]);
      const up = await gql().request(UPSERT_ALERT, { input: alertInput(override) }, world.soc.analyst);
      expect([field, up.errors?.[0]?.extensions?.code]).toEqual([field, 'BAD_USER_INPUT']);
    }
    // The DateTime scalar refuses a malformed date while reading the variables (its message names input.date).
    const res = await gql().request(CREATE_ALERT, { input: alertInput({ date: 'yesterday' }) }, world.soc.analyst);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toContain('date');
    expect(await counts()).toEqual(before);
  });
});

describe('R34: visible to the alert organisation members only', () => {
  let alertId: string;
  beforeAll(async () => {
    alertId = (await createAlertAs(gql(), world.soc.analyst, { title: 'visibility probe', tags: ['visibility'] })).id;
  });

  it('R34/R8: every member of soc reads it, read-only included, by id and in the list', async () => {
    for (const who of Object.values(world.soc)) {
      expect((await gql().ok(ALERT, { id: alertId }, who)).alert.id).toBe(alertId);
      const list = await gql().ok('{ alerts(filter: { tags: ["visibility"] }) { totalCount edges { node { id } } } }', {}, who);
      expect(list.alerts).toEqual({ totalCount: 1, edges: [{ node: { id: alertId } }] });
    }
  });

  it('R34/R3/R1: the linked partner, the stranger and the administrator see nothing (null, empty list, count 0)', async () => {
    for (const who of [...Object.values(world.partner), ...Object.values(world.stranger), world.admin]) {
      expect((await gql().ok(ALERT, { id: alertId }, who)).alert).toBeNull();
      const list = await gql().ok('{ alerts(filter: { tags: ["visibility"] }) { totalCount edges { node { id } } } }', {}, who);
      expect(list.alerts).toEqual({ totalCount: 0, edges: [] });
    }
  });

  it("R34/R13: a write on another organisation's alert is NOT_FOUND, exactly as for an absent id; nothing changes", async () => {
    const before = await counts();
    const writes = [
      ['mutation($id: ID!) { updateAlert(id: $id, input: { title: "x" }) { id } }', {}],
      ['mutation($id: ID!) { markAlertRead(id: $id, read: true) { id } }', {}],
      ['mutation($id: ID!) { ignoreAlert(id: $id, ignored: true) { id } }', {}],
      ['mutation($id: ID!) { deleteAlert(id: $id) }', {}],
      ['mutation($id: ID!) { promoteAlert(id: $id) { id } }', {}],
    ] as const;
    for (const [q] of writes) {
      for (const who of [world.partner.analyst, world.partner['org-admin'], world.stranger.analyst]) {
        expect([q, await gql().code(q, { id: alertId }, who)]).toEqual([q, 'NOT_FOUND']);
      }
      expect(await gql().code(q, { id: '00000000-0000-4000-8000-000000000000' }, world.soc.analyst)).toBe('NOT_FOUND');
      expect(await gql().code(q, { id: 'not-a-uuid' }, world.soc.analyst)).toBe('NOT_FOUND');
      // R6/R1: in admin manageAlert is never effective; read-only lacks it.
      expect(await gql().code(q, { id: alertId }, world.admin)).toBe('FORBIDDEN');
      expect(await gql().code(q, { id: alertId }, world.soc['read-only'])).toBe('FORBIDDEN');
    }
    expect(await counts()).toEqual(before);
    expect((await gql().ok(ALERT, { id: alertId }, world.soc.analyst)).alert).toMatchObject({ title: 'visibility probe', status: 'NEW', read: false });
  });

  it('R28/R29/R30: alert entries are in the audit of the alert organisation only', async () => {
    const q = '{ audit(first: 100, filter: { objectType: "Alert" }) { edges { node { objectId action } } } }';
    const seen = async (who: typeof world.admin) => (await gql().ok(q, {}, who)).audit.edges.some((e: any) => e.node.objectId === alertId);
    expect(await seen(world.soc['read-only'])).toBe(true);
    expect(await seen(world.partner['org-admin'])).toBe(false);
    expect(await seen(world.stranger['org-admin'])).toBe(false);
    expect(await seen(world.admin)).toBe(false);
  });
});

describe('R34: handling an alert', () => {
  it('R34: updateAlert changes the given fields only, audited; no change → no entry', async () => {
    const a = await createAlertAs(gql(), world.soc.analyst, { severity: 1, tags: ['a'] });
    const res = await gql().ok(
      'mutation($id: ID!) { updateAlert(id: $id, input: { title: "renamed", severity: 4 }) { title severity tags status } }',
      { id: a.id },
      world.soc['org-admin'],
    );
    expect(res.updateAlert).toEqual({ title: 'renamed', severity: 4, tags: ['a'], status: 'NEW' });
    await gql().ok('mutation($id: ID!) { updateAlert(id: $id, input: { title: "renamed" }) { id } }', { id: a.id }, world.soc.analyst);
    const entries = await server.sql(`SELECT action, details FROM audit WHERE object_id = $1 ORDER BY created_at`, [a.id]);
    expect(entries.map((e) => e.action)).toEqual(['alert.create', 'alert.update']);
    expect(entries[1].details).toEqual({ title: { from: a.title, to: 'renamed' }, severity: { from: 1, to: 4 } });
    expect(await gql().code('mutation($id: ID!) { updateAlert(id: $id, input: { severity: 0 }) { id } }', { id: a.id }, world.soc.analyst)).toBe(
      'BAD_USER_INPUT',
    );
    expect(await gql().code('mutation($id: ID!) { updateAlert(id: $id, input: { title: null }) { id } }', { id: a.id }, world.soc.analyst)).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('R34: markAlertRead and ignoreAlert set the flag and the status; un-ignoring makes it NEW', async () => {
    const a = await createAlertAs(gql(), world.soc.analyst);
    expect((await gql().ok('mutation($id: ID!) { markAlertRead(id: $id, read: true) { read } }', { id: a.id }, world.soc.analyst)).markAlertRead.read).toBe(
      true,
    );
    expect((await gql().ok('mutation($id: ID!) { ignoreAlert(id: $id, ignored: true) { status } }', { id: a.id }, world.soc.analyst)).ignoreAlert.status).toBe(
      'IGNORED',
    );
    const list = await gql().ok(
      'query($r: String!) { alerts(filter: { status: [IGNORED], read: true, title: $r }) { totalCount } }',
      { r: a.title },
      world.soc.analyst,
    );
    expect(list.alerts.totalCount).toBe(1);
    expect((await gql().ok('mutation($id: ID!) { ignoreAlert(id: $id, ignored: false) { status } }', { id: a.id }, world.soc.analyst)).ignoreAlert.status).toBe(
      'NEW',
    );
    const actions = await server.sql('SELECT action FROM audit WHERE object_id = $1', [a.id]);
    expect(actions).toHaveLength(4);
  });

  it('R34: deleteAlert removes it and its observables, audited; a second delete is NOT_FOUND', async () => {
    const a = await createAlertAs(gql(), world.soc.analyst, { observables: OBSERVABLES });
    expect((await gql().ok('mutation($id: ID!) { deleteAlert(id: $id) }', { id: a.id }, world.soc.analyst)).deleteAlert).toBe(true);
    expect(await server.sql('SELECT 1 FROM alert_observable WHERE alert_id = $1', [a.id])).toEqual([]);
    expect((await server.sql('SELECT action FROM audit WHERE object_id = $1 ORDER BY created_at', [a.id])).map((e) => e.action)).toEqual([
      'alert.create',
      'alert.delete',
    ]);
    expect(await gql().code('mutation($id: ID!) { deleteAlert(id: $id) }', { id: a.id }, world.soc.analyst)).toBe('NOT_FOUND');
  });

  it('R34: upsert creates a NEW alert, then updates it in place: UPDATED, same id, fields replaced, observables added, history kept', async () => {
    const input = alertInput({ observables: [OBSERVABLES[0]] });
    const created = (await gql().ok(UPSERT_ALERT, { input }, world.soc.analyst)).upsertAlert;
    expect(created.status).toBe('NEW');
    const updated = (
      await gql().ok(UPSERT_ALERT, { input: { ...input, title: 'seen again', severity: 4, observables: [OBSERVABLES[1], OBSERVABLES[0]] } }, world.soc.analyst)
    ).upsertAlert;
    expect(updated).toMatchObject({ id: created.id, title: 'seen again', severity: 4, status: 'UPDATED' });
    expect(updated.observables.map((o: any) => o.data)).toEqual(['198.51.100.7', 'evil.example']);
    const entries = await server.sql('SELECT action, details FROM audit WHERE object_id = $1 ORDER BY created_at', [created.id]);
    expect(entries.map((e) => e.action)).toEqual(['alert.create', 'alert.update']);
    expect(entries[1].details).toMatchObject({ status: { from: 'NEW', to: 'UPDATED' }, observablesAdded: 1, upsert: true });
    // An ignored alert stays ignored when its source pushes it again.
    await gql().ok('mutation($id: ID!) { ignoreAlert(id: $id, ignored: true) { id } }', { id: created.id }, world.soc.analyst);
    expect((await gql().ok(UPSERT_ALERT, { input: { ...input, title: 'third' } }, world.soc.analyst)).upsertAlert).toMatchObject({
      id: created.id,
      status: 'IGNORED',
      title: 'third',
    });
    // Other organisations have their own alerts: the same push there creates one.
    expect((await gql().ok(UPSERT_ALERT, { input }, world.stranger.analyst)).upsertAlert.id).not.toBe(created.id);
  });

  it('R34/R35: upsert of an IMPORTED alert → UPDATED, still linked to its case, and still not importable again', async () => {
    const input = alertInput();
    const a = (await gql().ok(CREATE_ALERT, { input }, world.soc.analyst)).createAlert;
    const k = (await gql().ok(PROMOTE, { id: a.id }, world.soc.analyst)).promoteAlert;
    const after = (await gql().ok(UPSERT_ALERT, { input: { ...input, title: 'updated at the source' } }, world.soc.analyst)).upsertAlert;
    expect(after).toMatchObject({ status: 'UPDATED', case: { id: k.id } });
    expect(await gql().code(PROMOTE, { id: a.id }, world.soc.analyst)).toBe('CONFLICT');
    expect(await gql().code('mutation($id: ID!) { ignoreAlert(id: $id, ignored: true) { id } }', { id: a.id }, world.soc.analyst)).toBe('CONFLICT');
  });
});

describe('R35: promote', () => {
  it('R35: creates a case in the alert organisation with its fields and observables, the alert IMPORTED and linked, in one audit entry', async () => {
    const a = await createAlertAs(gql(), world.soc.analyst, {
      title: 'to promote',
      description: 'details',
      severity: 4,
      tlp: 'RED',
      pap: 'GREEN',
      tags: ['p'],
      observables: OBSERVABLES,
      customFields: [
        { name: 'score', value: 9 },
        { name: 'vendor', value: 'acme' },
      ],
    });
    const before = await counts();
    const k = (await gql().ok(PROMOTE, { id: a.id }, world.soc.analyst)).promoteAlert;
    expect(k).toMatchObject({
      title: 'to promote',
      description: 'details',
      severity: 4,
      tlp: 'RED',
      pap: 'GREEN',
      tags: ['p'],
      organisation: { name: 'soc' },
      tasks: [],
      customFields: [
        { name: 'score', type: 'INTEGER', value: 9 },
        { name: 'vendor', type: 'STRING', value: 'acme' },
      ],
    });
    expect(k.observables).toEqual([
      { dataType: 'ip', data: '198.51.100.7', message: 'source', ioc: true, tlp: 'RED', tags: ['c2'] },
      { dataType: 'domain', data: 'evil.example', message: '', ioc: false, tlp: 'AMBER', tags: [] },
      { dataType: 'mail', data: 'phish@evil.example', message: '', ioc: false, tlp: 'AMBER', tags: [] },
    ]);
    const after = await counts();
    expect(after).toEqual({ ...before, cases: before.cases + 1, observables: before.observables + 3, audit: before.audit + 1 });
    const [entry] = await server.sql('SELECT action, case_id, details FROM audit WHERE case_id = $1', [k.id]);
    expect(entry).toMatchObject({ action: 'case.create', details: expect.objectContaining({ alert: a.id, observables: 3 }) });
    expect((await gql().ok(ALERT, { id: a.id }, world.soc['read-only'])).alert).toMatchObject({ status: 'IMPORTED', case: { id: k.id } });
    // R35: at most once, by either way; nothing is written by the refusals.
    expect(await gql().code(PROMOTE, { id: a.id }, world.soc['org-admin'])).toBe('CONFLICT');
    const other = await createCaseAs(gql(), world.soc.analyst);
    expect(await gql().code(MERGE, { id: a.id, caseId: other.id }, world.soc.analyst)).toBe('CONFLICT');
    expect(await counts()).toEqual({ ...after, cases: after.cases + 1, audit: after.audit + 1 });
  });

  it("R35/R29/R17: the promoted case's history names no observable to a partner the observables are not shared with", async () => {
    const a = await createAlertAs(gql(), world.soc.analyst, { observables: OBSERVABLES });
    const k = (await gql().ok(PROMOTE, { id: a.id }, world.soc.analyst)).promoteAlert;
    await shareCaseAs(gql(), world.soc['incident-handler'], k.id, 'partner', 'read-only', 'MANUAL', 'MANUAL');
    const history = (await gql().ok('query($id: ID!) { caseHistory(caseId: $id) { action details } }', { id: k.id }, world.partner.analyst)).caseHistory;
    expect(history.map((e: any) => e.action)).toContain('case.create');
    expect(JSON.stringify(history)).not.toContain('198.51.100.7');
    expect((await gql().ok('query($id: ID!) { case(id: $id) { observables { id } } }', { id: k.id }, world.partner.analyst)).case.observables).toEqual([]);
  });

  it('R35: two promotes at once → exactly one case', async () => {
    const a = await createAlertAs(gql(), world.soc.analyst, { observables: OBSERVABLES });
    const results = await Promise.all(Array.from({ length: 5 }, () => gql().request(PROMOTE, { id: a.id }, world.soc.analyst)));
    expect(results.filter((r) => r.data?.promoteAlert)).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(4);
  });

  it('R35: once imported, always imported: after its case is deleted the alert has no case, and still cannot be imported again', async () => {
    const a = await createAlertAs(gql(), world.soc.analyst);
    const k = (await gql().ok(PROMOTE, { id: a.id }, world.soc.analyst)).promoteAlert;
    await gql().ok('mutation($id: ID!) { deleteCase(id: $id) }', { id: k.id }, world.soc.analyst);
    expect((await gql().ok(ALERT, { id: a.id }, world.soc.analyst)).alert).toMatchObject({ status: 'IMPORTED', case: null });
    expect(await gql().code(PROMOTE, { id: a.id }, world.soc.analyst)).toBe('CONFLICT');
  });

  it('R35: a promote and merges of one alert at once → exactly one import', async () => {
    const a = await createAlertAs(gql(), world.soc.analyst, { observables: OBSERVABLES });
    const targets = [await createCaseAs(gql(), world.soc.analyst), await createCaseAs(gql(), world.soc.analyst)];
    const results = await Promise.all([
      gql().request(PROMOTE, { id: a.id }, world.soc.analyst),
      ...targets.map((k) => gql().request(MERGE, { id: a.id, caseId: k.id }, world.soc.analyst)),
    ]);
    expect(results.filter((r) => r.data)).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(2);
    const [{ n }] = await server.sql(
      `SELECT count(*)::int AS n FROM audit WHERE (action = 'case.create' AND details->>'alert' = $1) OR (action = 'alert.merge' AND object_id = $1)`,
      [a.id],
    );
    expect(n).toBe(1);
  });

  it('R35/R33: an unknown case template → BAD_USER_INPUT naming caseTemplate; nothing created, the alert stays NEW', async () => {
    const a = await createAlertAs(gql(), world.soc.analyst, { observables: OBSERVABLES });
    const before = await counts();
    const res = await gql().request(PROMOTE, { id: a.id, t: 'no such template' }, world.soc.analyst);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'caseTemplate' });
    expect(await counts()).toEqual(before);
    expect((await gql().ok(ALERT, { id: a.id }, world.soc.analyst)).alert.status).toBe('NEW');
  });
});

describe('R35: merge', () => {
  it('R35: adds the observables the case lacks (dataType+data) and the description as a comment; the alert IMPORTED and linked', async () => {
    const k = await createCaseAs(gql(), world.soc.analyst);
    await createObservableAs(gql(), world.soc.analyst, k.id, 'evil.example');
    const a = await createAlertAs(gql(), world.soc.analyst, { description: 'merged description', observables: OBSERVABLES });
    const merged = (await gql().ok(MERGE, { id: a.id, caseId: k.id }, world.soc.analyst)).mergeAlert;
    expect(merged.observables.map((o: any) => `${o.dataType}:${o.data}`).sort()).toEqual(['domain:evil.example', 'ip:198.51.100.7', 'mail:phish@evil.example']);
    expect(merged.comments).toEqual([{ message: 'merged description' }]);
    expect((await gql().ok(ALERT, { id: a.id }, world.soc.analyst)).alert).toMatchObject({ status: 'IMPORTED', case: { id: k.id } });
    const actions = (await server.sql('SELECT action FROM audit WHERE case_id = $1 OR object_id = $2', [k.id, a.id])).map((e) => e.action).sort();
    expect(actions).toEqual(['alert.create', 'alert.merge', 'case.create', 'comment.create', 'observable.create', 'observable.create', 'observable.create']);
    expect(await gql().code(MERGE, { id: a.id, caseId: k.id }, world.soc.analyst)).toBe('CONFLICT');
  });

  it('R35/R15: the target case needs manageCase through the share: a read-only share → FORBIDDEN, an invisible case → NOT_FOUND; nothing changes', async () => {
    const ro = await createCaseAs(gql(), world.soc.analyst);
    await shareCaseAs(gql(), world.soc['incident-handler'], ro.id, 'partner', 'read-only');
    const strangers = await createCaseAs(gql(), world.stranger.analyst);
    const a = await createAlertAs(gql(), world.partner.analyst, { description: 'd', observables: OBSERVABLES });
    const before = await counts();
    expect(await gql().code(MERGE, { id: a.id, caseId: ro.id }, world.partner.analyst)).toBe('FORBIDDEN');
    expect(await gql().code(MERGE, { id: a.id, caseId: strangers.id }, world.partner.analyst)).toBe('NOT_FOUND');
    // manageAlert on the alert is needed too: soc sees the case but not partner's alert.
    expect(await gql().code(MERGE, { id: a.id, caseId: ro.id }, world.soc.analyst)).toBe('NOT_FOUND');
    expect(await gql().code(MERGE, { id: a.id, caseId: ro.id }, world.partner['read-only'])).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
  });

  it("R35/R17: merged into a partner's shared case, the observables go to the merging organisation and to ALL shares", async () => {
    const k = await createCaseAs(gql(), world.soc.analyst);
    await shareCaseAs(gql(), world.soc['incident-handler'], k.id, 'partner', 'analyst', 'MANUAL', 'MANUAL');
    const a = await createAlertAs(gql(), world.partner.analyst, { observables: [OBSERVABLES[1]] });
    await gql().ok(MERGE, { id: a.id, caseId: k.id }, world.partner.analyst);
    const seen = async (who: typeof world.admin) =>
      (await gql().ok('query($id: ID!) { case(id: $id) { observables { data } } }', { id: k.id }, who)).case.observables;
    expect(await seen(world.partner.analyst)).toEqual([{ data: 'evil.example' }]);
    expect(await seen(world.soc.analyst)).toEqual([{ data: 'evil.example' }]);
  });
});

describe('R35/R13: merge decides "already there" among what the merging organisation sees', () => {
  it("R35/R13/R17: an observable of the case partner cannot see does not stop partner's copy (its absence would reveal it); soc's own duplicate still does", async () => {
    const hidden = `hidden-${ref()}.example`;
    const k = await createCaseAs(gql(), world.soc.analyst);
    await createObservableAs(gql(), world.soc.analyst, k.id, hidden);
    // partner's share: MANUAL observables, so soc's observable stays soc's only.
    await shareCaseAs(gql(), world.soc['incident-handler'], k.id, 'partner', 'analyst', 'MANUAL', 'MANUAL');
    const a = await createAlertAs(gql(), world.partner.analyst, { observables: [{ dataType: 'domain', data: hidden }] });
    const merged = (await gql().ok(MERGE, { id: a.id, caseId: k.id }, world.partner.analyst)).mergeAlert;
    expect(merged.observables).toEqual([{ dataType: 'domain', data: hidden }]);
    const seen = async (who: typeof world.admin) =>
      (await gql().ok('query($id: ID!) { case(id: $id) { observables { data } } }', { id: k.id }, who)).case.observables.map((o: { data: string }) => o.data);
    expect(await seen(world.partner.analyst)).toEqual([hidden]);
    expect(await seen(world.soc.analyst)).toEqual([hidden, hidden]);

    // The other side: soc merging an alert whose observable soc already sees adds nothing.
    const b = await createAlertAs(gql(), world.soc.analyst, { observables: [{ dataType: 'domain', data: hidden }] });
    expect((await gql().ok(MERGE, { id: b.id, caseId: k.id }, world.soc.analyst)).mergeAlert.observables).toEqual([
      { dataType: 'domain', data: hidden },
      { dataType: 'domain', data: hidden },
    ]);
  });
});

describe('R35: similarCases', () => {
  const SIMILAR = 'query($id: ID!) { alert(id: $id) { similarCases { sharedObservables case { id title } } } }';

  it('R35/R13/R17: lists the visible cases sharing observables, with how many; invisible cases and unshared observables are not counted', async () => {
    const data = [`sim-a-${ref()}.example`, `sim-b-${ref()}.example`, `sim-c-${ref()}.example`];
    const both = await createCaseAs(gql(), world.soc.analyst, { title: 'shares two' });
    await createObservableAs(gql(), world.soc.analyst, both.id, data[0]);
    await createObservableAs(gql(), world.soc.analyst, both.id, data[1]);
    const one = await createCaseAs(gql(), world.soc.analyst, { title: 'shares one' });
    await createObservableAs(gql(), world.soc.analyst, one.id, data[2]);
    await createObservableAs(gql(), world.soc.analyst, one.id, 'unrelated.example');
    const hidden = await createCaseAs(gql(), world.stranger.analyst, { title: 'stranger case' });
    await createObservableAs(gql(), world.stranger.analyst, hidden.id, data[0]);
    // Shared with partner without its observables (MANUAL), and with them (ALL).
    await shareCaseAs(gql(), world.soc['incident-handler'], both.id, 'partner', 'read-only', 'MANUAL', 'MANUAL');
    await shareCaseAs(gql(), world.soc['incident-handler'], one.id, 'partner', 'read-only', 'ALL', 'ALL');
    const obs = data.map((d) => ({ dataType: 'domain', data: d }));
    const socAlert = await createAlertAs(gql(), world.soc.analyst, { observables: obs });
    expect((await gql().ok(SIMILAR, { id: socAlert.id }, world.soc.analyst)).alert.similarCases).toEqual([
      { sharedObservables: 2, case: { id: both.id, title: 'shares two' } },
      { sharedObservables: 1, case: { id: one.id, title: 'shares one' } },
    ]);
    const partnerAlert = await createAlertAs(gql(), world.partner.analyst, { observables: obs });
    expect((await gql().ok(SIMILAR, { id: partnerAlert.id }, world.partner.analyst)).alert.similarCases).toEqual([
      { sharedObservables: 1, case: { id: one.id, title: 'shares one' } },
    ]);
    const strangerAlert = await createAlertAs(gql(), world.stranger.analyst, { observables: obs });
    expect((await gql().ok(SIMILAR, { id: strangerAlert.id }, world.stranger.analyst)).alert.similarCases).toEqual([
      { sharedObservables: 1, case: { id: hidden.id, title: 'stranger case' } },
    ]);
    const lonely = await createAlertAs(gql(), world.soc.analyst, { observables: [{ dataType: 'domain', data: `nowhere-${ref()}.example` }] });
    expect((await gql().ok(SIMILAR, { id: lonely.id }, world.soc.analyst)).alert.similarCases).toEqual([]);
  });
});

describe('alerts(first, after, filter, orderBy)', () => {
  const LIST = `query($first: Int, $after: String, $filter: AlertFilter, $orderBy: AlertOrder) {
    alerts(first: $first, after: $after, filter: $filter, orderBy: $orderBy) { totalCount pageInfo { hasNextPage endCursor } edges { node { title severity } } } }`;
  const tag = `page-${process.pid}`;

  beforeAll(async () => {
    for (let i = 0; i < 7; i++) {
      await createAlertAs(gql(), world.soc.analyst, {
        title: `page ${i}`,
        severity: 1 + (i % 4),
        tags: [tag],
        source: i % 2 ? 'edr' : 'siem-page',
        date: `2026-10-0${i + 1}T00:00:00.000Z`,
      });
    }
    await createAlertAs(gql(), world.partner.analyst, { title: 'partner page', tags: [tag] });
  });

  it('R34: keyset pages in the asked order cover every alert once; totalCount counts the filtered alerts of the organisation', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: any = (await gql().ok(LIST, { first: 3, after, filter: { tags: [tag] } }, world.soc.analyst)).alerts;
      expect(res.totalCount).toBe(7);
      seen.push(...res.edges.map((e: any) => e.node.title));
      if (!res.pageInfo.hasNextPage) break;
      after = res.pageInfo.endCursor;
    }
    expect(seen).toEqual(['page 6', 'page 5', 'page 4', 'page 3', 'page 2', 'page 1', 'page 0']);
    const bySeverity = (await gql().ok(LIST, { filter: { tags: [tag] }, orderBy: { field: 'SEVERITY', direction: 'ASC' } }, world.soc.analyst)).alerts;
    expect(bySeverity.edges.map((e: any) => e.node.severity)).toEqual([1, 1, 2, 2, 3, 3, 4]);
    const filtered = (await gql().ok(LIST, { filter: { tags: [tag], source: 'edr', severity: [2, 4] } }, world.soc.analyst)).alerts;
    expect(filtered.totalCount).toBe(3);
    expect((await gql().ok(LIST, { first: 0, filter: { tags: [tag], title: 'PAGE 1' } }, world.soc.analyst)).alerts.totalCount).toBe(1);
    expect((await gql().ok(LIST, { filter: { tags: [tag], type: 'no-such-type' } }, world.soc.analyst)).alerts.totalCount).toBe(0);
  });

  it('api-contract: a cursor of another ordering, a forged cursor or first > 100 → BAD_USER_INPUT', async () => {
    const res = (await gql().ok(LIST, { first: 1, filter: { tags: [tag] } }, world.soc.analyst)).alerts;
    expect(await gql().code(LIST, { after: res.pageInfo.endCursor, orderBy: { field: 'TITLE', direction: 'ASC' } }, world.soc.analyst)).toBe('BAD_USER_INPUT');
    expect(await gql().code(LIST, { after: 'garbage' }, world.soc.analyst)).toBe('BAD_USER_INPUT');
    expect(await gql().code(LIST, { first: 101 }, world.soc.analyst)).toBe('BAD_USER_INPUT');
  });
});

describe('R31/R32: tags and custom fields on alerts', () => {
  it('R31: renaming a catalogue tag renames it on alerts and their observables; deleting it leaves them as free text', async () => {
    await gql().ok('mutation { createTag(name: "apt-x", colour: "#112233") { id } }', {}, world.admin);
    const a = await createAlertAs(gql(), world.soc.analyst, {
      tags: ['APT-X', 'other'],
      observables: [{ dataType: 'domain', data: 'apt.example', tags: ['apt-x'] }],
    });
    await gql().ok('mutation { updateTag(name: "apt-x", input: { name: "apt-y" }) { name } }', {}, world.admin);
    const after = (await gql().ok(ALERT, { id: a.id }, world.soc.analyst)).alert;
    expect(after.tags).toEqual(['apt-y', 'other']);
    expect(after.observables[0].tags).toEqual(['apt-y']);
    await gql().ok('mutation { deleteTag(name: "apt-y") }', {}, world.admin);
    expect((await gql().ok(ALERT, { id: a.id }, world.soc.analyst)).alert.tags).toEqual(['apt-y', 'other']);
  });

  it('R32: a definition an alert holds a value of is in use: its type cannot change and it cannot be deleted (CONFLICT)', async () => {
    await gql().ok('mutation { createCustomField(input: { name: "alert-only", type: INTEGER }) { id } }', {}, world.admin);
    await createAlertAs(gql(), world.stranger.analyst, { customFields: [{ name: 'alert-only', value: 3 }] });
    expect(await gql().code('mutation { deleteCustomField(name: "alert-only") }', {}, world.admin)).toBe('CONFLICT');
    expect(await gql().code('mutation { updateCustomField(name: "alert-only", input: { type: STRING }) { id } }', {}, world.admin)).toBe('CONFLICT');
  });
});

describe('integrations', () => {
  it('R34: an integration account with an API key pushes alerts into its organisation', async () => {
    const login = `siem-${process.pid}@soc.test`;
    await gql().ok(
      'mutation($l: String!) { createUser(login: $l, name: "SIEM", organisation: "soc", profile: "analyst") { id } }',
      { l: login },
      world.soc['org-admin'],
    );
    const key = (await gql().ok('mutation($l: String!) { createApiKey(login: $l) }', { l: login }, world.soc['org-admin'])).createApiKey;
    const a = (await gql().ok(CREATE_ALERT, { input: alertInput({ observables: OBSERVABLES }) }, { token: key })).createAlert;
    expect(a.organisation.name).toBe('soc');
    expect((await gql().ok(ALERT, { id: a.id }, world.soc.analyst)).alert.id).toBe(a.id);
  });
});
