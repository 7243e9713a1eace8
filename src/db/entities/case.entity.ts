import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { EditableAuthoredEntity } from '../entity-base';
import { OrganisationEntity } from './organisation.entity';
import { UserEntity } from './user.entity';
import { ShareEntity } from './share.entity';

@Entity({ name: 'case' })
@Unique(['organisationId', 'number'])
@Index(['createdAt'])
// The portal's case scope (R23, R26) finds an external user's own cases by organisation and creator.
@Index(['organisationId', 'createdBy'])
// R32: filtering on custom field values (@>) and finding a field in use (?); GIN, written in the migration.
@Index('ix_case_custom_fields', { synchronize: false })
export class CaseEntity extends EditableAuthoredEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'integer' })
  number!: number;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ type: 'smallint', default: 2 })
  severity!: number;

  @Column({ type: 'text', default: 'NEW' })
  status!: string;

  @Column({ type: 'text', default: 'AMBER' })
  tlp!: string;

  @Column({ type: 'text', default: 'AMBER' })
  pap!: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  /** R32: {fieldName: value}, each value valid for its field's type and options. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  customFields!: Record<string, unknown>;

  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => UserEntity, { onDelete: 'SET NULL' })
  assigneeId!: string | null;

  /** Owner organisation. */
  @Column({ type: 'uuid' })
  @ForeignKey(() => OrganisationEntity)
  organisationId!: string;
}

/** An external user's access to a case (R23). */
@Entity({ name: 'external_grant' })
@Index(['userId'])
@Index(['shareId'])
export class ExternalGrantEntity {
  @PrimaryColumn({ type: 'uuid' })
  @ForeignKey(() => CaseEntity, { onDelete: 'CASCADE' })
  caseId!: string;

  @PrimaryColumn({ type: 'uuid' })
  @ForeignKey(() => UserEntity, { onDelete: 'CASCADE' })
  userId!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => UserEntity)
  grantedBy!: string;

  /**
   * R23: the share of the organisation that made the grant (the owner share for a portal
   * creator's own grant). Removing that share removes the grant, so a re-share starts afresh.
   */
  @Column({ type: 'uuid' })
  @ForeignKey(() => ShareEntity, { onDelete: 'CASCADE' })
  shareId!: string;

  /** R39: the instant from which this grant gives no access; null: never. Its share's expiry ends it too. */
  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
