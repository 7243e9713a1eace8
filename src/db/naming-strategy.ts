import { DefaultNamingStrategy, NamingStrategyInterface, Table } from 'typeorm';

const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
const tableName = (t: Table | string) => (typeof t === 'string' ? t : t.name).replace(/^.*\./, '');

/** snake_case columns and readable constraint names (pk_/uq_/fk_/ix_), so migrations read like SQL. */
export class SnakeNamingStrategy extends DefaultNamingStrategy implements NamingStrategyInterface {
  override columnName(propertyName: string, customName: string | undefined, prefixes: string[]): string {
    return customName ?? snake([...prefixes, propertyName].join('_'));
  }
  override primaryKeyName(t: Table | string): string {
    return `pk_${tableName(t)}`;
  }
  override uniqueConstraintName(t: Table | string, columns: string[]): string {
    return `uq_${tableName(t)}_${columns.join('_')}`;
  }
  override foreignKeyName(t: Table | string, columns: string[]): string {
    return `fk_${tableName(t)}_${columns.join('_')}`;
  }
  override indexName(t: Table | string, columns: string[]): string {
    return `ix_${tableName(t)}_${columns.join('_')}`;
  }
}
