import { CaseKind, Harness, uniq, Who } from './harness';
import { defineOps, Op, outcome, present, wrong } from './ops';
import type { Org } from './personas';

/**
 * Alerts (R34, R35) in the matrix: an alert belongs to one organisation, is never shared, and
 * is handled with manageAlert by that organisation's members only. Objects:
 *   socAlert / partnerAlert / strangerAlert   an alert of that organisation (made for the cell when the operation writes)
 *   duplicate   the same type/source/sourceRef as an alert the caller's organisation already has (R34 → C)
 *   imported    an alert of the caller's organisation already promoted (R35 → C)
 *   ownAlert/<case kind>   mergeAlert of an alert of the caller's organisation into a case of that kind (R35, R15)
 */

const I = 'internal' as const;
const ALERTS = ['socAlert', 'partnerAlert', 'strangerAlert'] as const;
const orgOf = (object: string) => object.replace('Alert', '') as Org;

const alertInput = (sourceRef = uniq('matrix-ref-')) => ({
  type: 'siem',
  source: 'matrix',
  sourceRef,
  title: uniq('alert-'),
  description: 'pushed by the matrix',
  observables: [{ dataType: 'domain', data: `${uniq('alert-obs')}.example` }],
});

async function freshAlert(h: Harness, org: Org, sourceRef?: string): Promise<string> {
  const data = await h.ok(h.internal(org, 'analyst'), 'mutation($i: CreateAlertInput!) { createAlert(input: $i) { id } }', { i: alertInput(sourceRef) });
  return data.createAlert.id;
}

const readAlert = (h: Harness, org: Org) => h.once(`alert:${org}`, () => freshAlert(h, org));

/** The alert's status as its organisation's analyst reads it, or null once it is gone. */
async function statusOf(h: Harness, org: Org, id: string): Promise<string | null> {
  return (await h.ok(h.internal(org, 'analyst'), 'query($id: ID!) { alert(id: $id) { status } }', { id })).alert?.status ?? null;
}

/** A write on a fresh alert of the object's organisation, checked by `check` on success. */
function alertWrite(field: string, mutation: string, check: (h: Harness, org: Org, id: string, data: any) => Promise<string | ReturnType<typeof wrong>>): Op {
  return {
    endpoint: I,
    field: `Mutation.${field}`,
    objects: [...ALERTS, ...(field === 'promoteAlert' ? ['imported'] : [])],
    run: async (h, who, object) => {
      const org = object === 'imported' ? h.homeOrg(who) : orgOf(object);
      const id = await freshAlert(h, org);
      if (object === 'imported') await h.ok(h.internal(org, 'analyst'), 'mutation($id: ID!) { promoteAlert(id: $id) { id } }', { id });
      return outcome(await h.req(who, mutation, { id }), (d) => check(h, org, id, d));
    },
  };
}

const homeOrg = (h: Harness, who: Who): Org => h.homeOrg(who);

export const ALERT_OPS = defineOps([
  {
    endpoint: I,
    field: 'Query.alerts',
    objects: ALERTS,
    run: async (h, who, object) => {
      const id = await readAlert(h, orgOf(object));
      return outcome(await h.req(who, '{ alerts(first: 100, filter: { source: "matrix" }) { totalCount edges { node { id } } } }'), (d) =>
        present(d.alerts.edges.some((e: { node: { id: string } }) => e.node.id === id)),
      );
    },
  },
  {
    endpoint: I,
    field: 'Query.alert',
    objects: ALERTS,
    run: async (h, who, object) => {
      const id = await readAlert(h, orgOf(object));
      return outcome(await h.req(who, 'query($id: ID!) { alert(id: $id) { id organisation { name } } }', { id }), (d) =>
        present(!!d.alert, d.alert?.organisation.name === orgOf(object) || `organisation ${d.alert?.organisation.name}`),
      );
    },
  },
  ...(['createAlert', 'upsertAlert'] as const).map((field): Op => ({
    endpoint: I,
    field: `Mutation.${field}`,
    objects: ['-', 'duplicate'],
    run: async (h, who, object) => {
      const sourceRef = uniq('matrix-ref-');
      if (object === 'duplicate') await freshAlert(h, homeOrg(h, who), sourceRef);
      const res = await h.req(who, `mutation($i: CreateAlertInput!) { ${field}(input: $i) { id status organisation { name } } }`, { i: alertInput(sourceRef) });
      return outcome(res, (d) => {
        const a = d[field];
        const status = field === 'upsertAlert' && object === 'duplicate' ? 'UPDATED' : 'NEW';
        return a.organisation.name === who.org && a.status === status ? 'ok' : wrong(JSON.stringify(a));
      });
    },
  })),
  alertWrite('updateAlert', 'mutation($id: ID!) { updateAlert(id: $id, input: { title: "changed by matrix" }) { title } }', async (_h, _o, _id, d) =>
    d.updateAlert.title === 'changed by matrix' ? 'ok' : wrong(JSON.stringify(d)),
  ),
  alertWrite('markAlertRead', 'mutation($id: ID!) { markAlertRead(id: $id, read: true) { read } }', async (_h, _o, _id, d) =>
    d.markAlertRead.read === true ? 'ok' : wrong(JSON.stringify(d)),
  ),
  alertWrite('ignoreAlert', 'mutation($id: ID!) { ignoreAlert(id: $id, ignored: true) { status } }', async (h, org, id) =>
    (await statusOf(h, org, id)) === 'IGNORED' ? 'ok' : wrong('not ignored'),
  ),
  alertWrite('deleteAlert', 'mutation($id: ID!) { deleteAlert(id: $id) }', async (h, org, id) =>
    (await statusOf(h, org, id)) === null ? 'ok' : wrong('still there'),
  ),
  alertWrite('promoteAlert', 'mutation($id: ID!) { promoteAlert(id: $id) { id organisation { name } observables { data } } }', async (h, org, id, d) =>
    (await statusOf(h, org, id)) === 'IMPORTED' && d.promoteAlert.organisation.name === org && d.promoteAlert.observables.length === 1
      ? 'ok'
      : wrong(JSON.stringify(d)),
  ),
  {
    endpoint: I,
    field: 'Mutation.mergeAlert',
    objects: ['ownAlert/socCase', 'ownAlert/socCaseSharedRO', 'ownAlert/socCaseSharedAnalyst', 'ownAlert/strangerCase', 'socAlert/socCaseSharedAnalyst'],
    run: async (h, who, object) => {
      const [alertKind, caseKind] = object.split('/') as [string, CaseKind];
      const org = alertKind === 'ownAlert' ? homeOrg(h, who) : orgOf(alertKind);
      const id = await freshAlert(h, org);
      const c = await h.freshCase(caseKind);
      return outcome(
        await h.req(who, 'mutation($id: ID!, $c: ID!) { mergeAlert(id: $id, caseId: $c) { id observables { data } } }', { id, c: c.id }),
        async (d) =>
          (await statusOf(h, org, id)) === 'IMPORTED' && d.mergeAlert.id === c.id && d.mergeAlert.observables.length === 1 ? 'ok' : wrong(JSON.stringify(d)),
      );
    },
  },
]);
