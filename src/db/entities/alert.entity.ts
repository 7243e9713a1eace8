import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { EditableAuthoredEntity } from '../entity-base';
import { OrganisationEntity } from './organisation.entity';
import { CaseEntity } from './case.entity';

/** What an integration pushed (R34): one organisation's, never shared. */
@Entity({ name: 'alert' })
// R34: type, source and sourceRef are unique together in the organisation — enforced here, so
// concurrent pushes of the same alert cannot both succeed.
@Unique(['organisationId', 'type', 'source', 'sourceRef'])
@Index(['organisationId', 'date'])
@Index(['organisationId', 'createdAt'])
@Index(['caseId'])
export class AlertEntity extends EditableAuthoredEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => OrganisationEntity)
  organisationId!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'text' })
  sourceRef!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ type: 'smallint', default: 2 })
  severity!: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  date!: Date;

  @Column({ type: 'text', default: 'AMBER' })
  tlp!: string;

  @Column({ type: 'text', default: 'AMBER' })
  pap!: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  /** Custom field values by field name (R32). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  customFields!: Record<string, unknown>;

  @Column({ type: 'text', default: 'NEW' })
  status!: string;

  @Column({ type: 'boolean', default: false })
  read!: boolean;

  /** The case it was imported into (R35); the link goes when the case is deleted, the import stays (importedAt). */
  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => CaseEntity, { onDelete: 'SET NULL' })
  caseId!: string | null;

  /** Set once, by promote or merge: an alert is imported at most once (R35). */
  @Column({ type: 'timestamptz', nullable: true })
  importedAt!: Date | null;
}

/** An observable of an alert; copied into the case on promote or merge (R35). */
@Entity({ name: 'alert_observable' })
// Kept once per dataType and data (by hash: data may be far longer than a btree entry); declared
// in the migration, as TypeORM cannot describe an expression index.
@Index('ux_alert_observable_alert_id_data', { synchronize: false })
export class AlertObservableEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => AlertEntity, { onDelete: 'CASCADE' })
  alertId!: string;

  @Column({ type: 'text' })
  dataType!: string;

  @Column({ type: 'text' })
  data!: string;

  @Column({ type: 'text', default: '' })
  message!: string;

  @Column({ type: 'boolean', default: false })
  ioc!: boolean;

  @Column({ type: 'text', default: 'AMBER' })
  tlp!: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  /** Keeps the alert's observables in the order they were pushed. */
  @Column({ type: 'integer' })
  position!: number;
}
