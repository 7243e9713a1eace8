import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import type { UpdateTagInput } from '../../generated/internal';
import { columns, RowOf } from '../../db/columns';
import { TagEntity } from '../../db/entities/tag.entity';
import { one, Queryable, rows } from '../../db/sql';
import { BadInputError, ConflictError, NotFoundError } from '../../errors/app-error';
import { changes, recordAudit } from '../audit-trail/audit-trail.shared';
import { notNull, optionalText } from '../validation';
import { TAG_HOLDERS, validTag } from './tag-names';

const TAG_COLUMNS = columns(TagEntity, 't');
export type TagRow = RowOf<typeof TAG_COLUMNS>;
const MAX_TAG_DESCRIPTION = 1000;
export const DEFAULT_COLOUR = '#000000';

/** `#rrggbb`, lower-case; `#rgb` is expanded. */
function validColour(value: string): string {
  const v = value.trim().toLowerCase();
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(v);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`;
  if (!/^#[0-9a-f]{6}$/.test(v)) throw new BadInputError('colour must be a hex colour such as #1f77b4', 'colour');
  return v;
}

export async function listTags(ctx: RequestContext): Promise<TagRow[]> {
  return rows<TagRow>(ctx.db, `SELECT ${TAG_COLUMNS} FROM tag t ORDER BY lower(t.name), t.name`);
}

async function findTag(db: Queryable, name: string, lock = false): Promise<TagRow | null> {
  return (await one<TagRow>(db, `SELECT ${TAG_COLUMNS} FROM tag t WHERE lower(t.name) = lower($1)${lock ? ' FOR UPDATE' : ''}`, [name.trim()])) ?? null;
}

async function requireTag(db: Queryable, name: string): Promise<TagRow> {
  const tag = await findTag(db, name, true);
  if (!tag) throw new NotFoundError(`Tag "${name}"`);
  return tag;
}

/** The unique index is the last word under concurrency: its violation is the same CONFLICT. */
async function uniqueName<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw new ConflictError(`Tag "${name}" already exists`);
    throw e;
  }
}

export async function createTag(ctx: RequestContext, name: string, colour: string | null | undefined, description: string | null | undefined): Promise<TagRow> {
  const data = {
    name: validTag(name, 'name'),
    colour: colour == null ? DEFAULT_COLOUR : validColour(colour),
    description: optionalText(description ?? '', 'description', MAX_TAG_DESCRIPTION),
  };
  return ctx.transaction(async (tx) => {
    if (await findTag(tx, data.name)) throw new ConflictError(`Tag "${data.name}" already exists`);
    const row = await uniqueName(data.name, () =>
      one<TagRow>(tx, `INSERT INTO tag AS t (name, colour, description) VALUES ($1, $2, $3) RETURNING ${TAG_COLUMNS}`, [
        data.name,
        data.colour,
        data.description,
      ]),
    );
    await recordAudit(ctx, tx, { action: 'tag.create', objectType: 'Tag', objectId: row!.id, details: data });
    return row!;
  });
}

/**
 * R31: renames `from` to `to` in every tag list of TAG_HOLDERS. Uses are matched as the
 * catalogue matches names, case-insensitively; order is kept and a duplicate the rename would
 * make is dropped. Returns how many rows changed per table (for the audit entry).
 */
async function renameUses(tx: EntityManager, from: string, to: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { table, column } of TAG_HOLDERS) {
    const changed = await rows(
      tx,
      `UPDATE "${table}" h SET ${column} = ARRAY(
          SELECT v FROM (SELECT DISTINCT ON (v) v, i
                           FROM unnest(h.${column}) WITH ORDINALITY AS u(x, i),
                                LATERAL (SELECT CASE WHEN lower(u.x) = lower($1) THEN $2 ELSE u.x END AS v) r
                          ORDER BY v, i) d
           ORDER BY i)
        WHERE EXISTS (SELECT 1 FROM unnest(h.${column}) x WHERE lower(x) = lower($1))
        RETURNING h.id`,
      [from, to],
    );
    if (changed.length) counts[table] = changed.length;
  }
  return counts;
}

export async function updateTag(ctx: RequestContext, name: string, input: UpdateTagInput): Promise<TagRow> {
  const patch: Partial<TagRow> = {};
  if (input.name !== undefined) patch.name = validTag(notNull(input.name, 'name'), 'name');
  if (input.colour !== undefined) patch.colour = validColour(notNull(input.colour, 'colour'));
  if (input.description !== undefined) patch.description = optionalText(notNull(input.description, 'description'), 'description', MAX_TAG_DESCRIPTION);
  return ctx.transaction(async (tx) => {
    const current = await requireTag(tx, name);
    const diff = changes(current, patch);
    if (!Object.keys(diff).length) return current;
    if (patch.name !== undefined && patch.name.toLowerCase() !== current.name.toLowerCase() && (await findTag(tx, patch.name))) {
      throw new ConflictError(`Tag "${patch.name}" already exists`);
    }
    const row = await uniqueName(patch.name ?? current.name, () =>
      one<TagRow>(tx, `UPDATE tag t SET name = $2, colour = $3, description = $4, updated_at = now() WHERE id = $1 RETURNING ${TAG_COLUMNS}`, [
        current.id,
        patch.name ?? current.name,
        patch.colour ?? current.colour,
        patch.description ?? current.description,
      ]),
    );
    const details: Record<string, unknown> = { name: current.name, ...diff };
    if (diff.name) details.renamedIn = await renameUses(tx, current.name, row!.name);
    await recordAudit(ctx, tx, { action: 'tag.update', objectType: 'Tag', objectId: current.id, details });
    return row!;
  });
}

/** R31: the uses stay, as free text. */
export async function deleteTag(ctx: RequestContext, name: string): Promise<boolean> {
  return ctx.transaction(async (tx) => {
    const current = await requireTag(tx, name);
    await tx.query('DELETE FROM tag WHERE id = $1', [current.id]);
    await recordAudit(ctx, tx, { action: 'tag.delete', objectType: 'Tag', objectId: current.id, details: { name: current.name } });
    return true;
  });
}
