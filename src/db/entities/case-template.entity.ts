import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { EditableAuthoredEntity } from '../entity-base';
import { OrganisationEntity } from './organisation.entity';

/**
 * R33: a case template of one organisation. Name unique per organisation, case-insensitively:
 * ix_case_template_organisation_name_lower is an expression index written in the migration.
 * Null description/severity/tlp/pap: the template leaves the field to the input or its default.
 */
@Entity({ name: 'case_template' })
@Index('ix_case_template_organisation_name_lower', { synchronize: false })
export class CaseTemplateEntity extends EditableAuthoredEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => OrganisationEntity)
  organisationId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', default: '' })
  titlePrefix!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'smallint', nullable: true })
  severity!: number | null;

  @Column({ type: 'text', nullable: true })
  tlp!: string | null;

  @Column({ type: 'text', nullable: true })
  pap!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  /** [{title, description}], in order. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  tasks!: Array<{ title: string; description: string }>;

  /** {fieldName: value}, each value valid for its field (R32). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  customFields!: Record<string, unknown>;
}
