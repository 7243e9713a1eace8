import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import { principalOf } from '../../context';
import { one } from '../../db/sql';
import { BadInputError } from '../../errors/app-error';
import { recordAudit } from '../audit-trail/audit-trail.shared';
import { ALL_PROFILE } from '../profile/default-profiles';
import type { CreateCaseInput } from '../../generated/internal';
import { optionalText, requiredLine } from '../validation';
import { validTags } from '../tag/tag-names';
import { findCaseTemplate } from '../case-template/case-template.shared';
import { customFieldsIn, validateCustomFieldInputs, withoutNulls } from '../custom-field/custom-field.values';
import { insertTask } from '../task/task.shared';
import { MAX_DESCRIPTION, MAX_TITLE, validSeverity } from '../case-fields/case-fields.shared';

export interface NewCase {
  title: string;
  description: string;
  severity: number;
  tlp?: string;
  pap?: string;
  tags?: string[];
  /** R32: values already checked against their definitions. */
  customFields?: Record<string, unknown>;
}

/**
 * Inserts a case owned by the caller's active organisation with its owner share (profile `all`,
 * rules ALL: R12, R17), numbered without races (the counter row is locked by the UPDATE), and
 * audits it. Shared by the internal createCase and the portal's (R26). Validation is the caller's.
 * `also` writes what belongs to the same creation (the portal reporter's grant) before the entry,
 * and returns what the entry should say of it: one write, one entry (R28).
 */
export async function insertCase(
  ctx: RequestContext,
  tx: EntityManager,
  input: NewCase,
  also?: (caseId: string) => Promise<Record<string, unknown>>,
): Promise<{ id: string; number: number }> {
  const p = principalOf(ctx);
  const counter = await one<{ n: number }>(tx, 'UPDATE organisation SET case_counter = case_counter + 1 WHERE id = $1 RETURNING case_counter AS n', [
    p.organisationId,
  ]);
  const row = await one<{ id: string; number: number }>(
    tx,
    `INSERT INTO "case" (organisation_id, number, title, description, severity, tlp, pap, tags, custom_fields, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10) RETURNING id, number`,
    [
      p.organisationId,
      counter!.n,
      input.title,
      input.description,
      input.severity,
      input.tlp ?? 'AMBER',
      input.pap ?? 'AMBER',
      input.tags ?? [],
      JSON.stringify(input.customFields ?? {}),
      p.userId,
    ],
  );
  await tx.query(
    `INSERT INTO share (case_id, organisation_id, profile_id, owner, task_rule, observable_rule, created_by)
     SELECT $1, $2, id, true, 'ALL', 'ALL', $4 FROM profile WHERE name = $3`,
    [row!.id, p.organisationId, ALL_PROFILE, p.userId],
  );
  const moreDetails = also ? await also(row!.id) : {};
  await recordAudit(ctx, tx, {
    action: 'case.create',
    objectType: 'Case',
    objectId: row!.id,
    caseId: row!.id,
    details: {
      number: row!.number,
      title: input.title,
      severity: input.severity,
      tlp: input.tlp ?? 'AMBER',
      pap: input.pap ?? 'AMBER',
      tags: input.tags ?? [],
      ...(Object.keys(input.customFields ?? {}).length ? { customFields: input.customFields } : {}),
      ...moreDetails,
    },
  });
  return row!;
}

/** The largest page of Query.cases (and of alerts, which list like cases). */
export const MAX_PAGE = 100;

/**
 * R12, R33: creates a case in the caller's transaction `tx` and returns its id. With
 * `input.template` (a template of the active organisation, else BAD_USER_INPUT) a field the input
 * leaves out (or null) takes the template's value, else the default (description "", severity 2,
 * tlp and pap AMBER, no tags); the title gets the template's prefix; the template's custom field
 * values are defaults the input's values override, field by field; its tasks are created in
 * order; and every mandatory custom field must end up with a value (BAD_USER_INPUT). Everything
 * is checked before the first write, and any refusal rolls the whole transaction back, so nothing
 * is created. promoteAlert (R35) creates its case through here too.
 */
export async function createCaseInTransaction(
  ctx: RequestContext,
  tx: EntityManager,
  input: CreateCaseInput,
  also?: (caseId: string) => Promise<Record<string, unknown>>,
): Promise<{ id: string; number: number }> {
  const template = input.template == null ? null : await findCaseTemplate(tx, principalOf(ctx).organisationId, input.template, 'use');
  if (input.template != null && !template) throw new BadInputError(`Unknown case template "${input.template}"`, 'template');
  const title = requiredLine(input.title, 'title', MAX_TITLE);
  const definitions = await customFieldsIn(tx);
  const customFields = withoutNulls({
    // The template's values are checked again: a definition's options may have changed since.
    ...validateCustomFieldInputs(
      definitions,
      Object.entries(template?.customFields ?? {}).map(([name, value]) => ({ name, value })),
      'template',
    ),
    ...validateCustomFieldInputs(definitions, input.customFields ?? []),
  });
  if (template) {
    const missing = [...definitions.values()].filter((d) => d.mandatory && !(d.name in customFields)).map((d) => d.name);
    if (missing.length) throw new BadInputError(`Mandatory custom field(s) without a value: ${missing.join(', ')}`, 'customFields');
  }
  const data = {
    title: template?.titlePrefix ? requiredLine(`${template.titlePrefix} ${title}`, 'title', MAX_TITLE) : title,
    description: optionalText(input.description ?? template?.description ?? '', 'description', MAX_DESCRIPTION),
    severity: validSeverity(input.severity ?? template?.severity ?? 2),
    tlp: input.tlp ?? template?.tlp ?? 'AMBER',
    pap: input.pap ?? template?.pap ?? 'AMBER',
    tags: validTags(input.tags ?? template?.tags ?? []),
    customFields,
  };
  // `also`: what belongs to the same creation (promoteAlert's observables and alert link, R35), in the same entry.
  const created = await insertCase(ctx, tx, data, async (id) => ({ ...(template ? { template: template.name } : {}), ...(also ? await also(id) : {}) }));
  if (template?.tasks.length) {
    const owner = await one<{ id: string }>(tx, 'SELECT id FROM share WHERE case_id = $1 AND owner', [created.id]);
    for (const [i, task] of template.tasks.entries()) {
      await insertTask(ctx, tx, created.id, owner!.id, { title: task.title, description: task.description, status: 'WAITING' }, i);
    }
  }
  return created;
}
