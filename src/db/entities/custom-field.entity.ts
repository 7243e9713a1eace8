import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type CustomFieldType = 'STRING' | 'INTEGER' | 'FLOAT' | 'BOOLEAN' | 'DATE';

/**
 * R32: a global custom field definition. Values live with their objects (case.custom_fields,
 * case_template.custom_fields: jsonb objects keyed by the field's name). Uniqueness is
 * case-insensitive: ix_custom_field_name_lower is an expression index written in the migration.
 */
@Entity({ name: 'custom_field' })
@Index('ix_custom_field_name_lower', { synchronize: false })
export class CustomFieldEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  displayName!: string;

  @Column({ type: 'text' })
  type!: CustomFieldType;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  options!: string[];

  @Column({ type: 'boolean', default: false })
  mandatory!: boolean;

  @Column({ type: 'text', default: '' })
  description!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
