import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { columns, RowOf } from '../../src/db/columns';
import { USER_COLUMNS, UserRow } from '../../src/db/records/user';
import { ORGANISATION_COLUMNS, OrganisationRow } from '../../src/db/records/organisation';
import { RECORD_LISTS } from '../support/record-lists';

abstract class Stamped {
  @Column({ type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

@Entity({ name: 'widget' })
class WidgetEntity extends Stamped {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', name: 'secret_sauce' })
  secret!: string;

  @Column({ type: 'bigint' })
  sizeBytes!: string;
}

it('every column by default: its own in declaration order, then the inherited ones; camelCase names quoted, a custom column name honoured', () => {
  expect(columns(WidgetEntity, 'w')).toBe(
    'w.id, w.name, w.secret_sauce AS "secret", w.size_bytes AS "sizeBytes", w.created_by AS "createdBy", w.created_at AS "createdAt"',
  );
});

it('pick keeps its own order; omit drops; as renames; sql replaces the column, under its own name bare', () => {
  expect(columns(WidgetEntity, 'w', { pick: ['name', 'id'] })).toBe('w.name, w.id');
  expect(columns(WidgetEntity, 'w', { omit: ['secret', 'sizeBytes', 'createdAt'], as: { createdBy: 'createdById' } })).toBe(
    'w.id, w.name, w.created_by AS "createdById"',
  );
  expect(columns(WidgetEntity, 'w', { pick: ['name', 'sizeBytes'], sql: { name: (c) => `upper(${c})`, sizeBytes: (c) => `${c}::float8` } })).toBe(
    'upper(w.name) AS name, w.size_bytes::float8 AS "sizeBytes"',
  );
});

it('a name that is not a column of the entity fails when the list is built, not when a statement runs', () => {
  expect(() => columns(WidgetEntity, 'w', { pick: ['nope' as 'name'] })).toThrow(/WidgetEntity\.nope is not a column/);
  expect(() => columns(WidgetEntity, 'w', { omit: ['gone' as 'name'] })).toThrow(/WidgetEntity\.gone is not a column/);
});

it('the row type follows the same options (checked by tsc: npm run typecheck compiles test/)', () => {
  const list = columns(WidgetEntity, 'w', { omit: ['secret'], as: { createdBy: 'createdById' } });
  expect(list).not.toMatch(/secret/);
  const row: RowOf<typeof list> = { id: 'x', name: 'n', sizeBytes: '1', createdById: 'u', createdAt: new Date() };
  // @ts-expect-error an omitted property is not in the row
  void row.secret;
  // @ts-expect-error a renamed property is there under its new name only
  void row.createdBy;
  const org: OrganisationRow = { id: 'o', name: 'n', description: '', createdAt: new Date() };
  // @ts-expect-error caseCounter is not part of an organisation row
  void org.caseCounter;
  const user = {} as UserRow;
  // @ts-expect-error never a password hash in the user row
  void user.passwordHash;
  expect(ORGANISATION_COLUMNS).toBe('o.id, o.name, o.description, o.created_at AS "createdAt"');
});

it('no generic row selects a secret: password hashes, token hashes, where a password acts', () => {
  expect(USER_COLUMNS).toBe('u.id, u.login, u.name, u.email, u.type, u.locked, u.created_at AS "createdAt"');
  for (const { sql } of Object.values(RECORD_LISTS)) expect(sql).not.toMatch(/password|token_hash/);
});
