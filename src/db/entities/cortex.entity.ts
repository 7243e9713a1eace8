import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { CaseEntity } from './case.entity';
import { OrganisationEntity } from './organisation.entity';
import { UserEntity } from './user.entity';

/** R37: a report template per Cortex analyzer, a platform object. Names are unique case-insensitively (ix_analyzer_template_lower, in the migration). */
@Entity({ name: 'analyzer_template' })
@Index('ix_analyzer_template_lower', { synchronize: false })
export class AnalyzerTemplateEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  analyzer!: string;

  @Column({ type: 'text' })
  content!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * R37: an analyzer or responder run on Cortex, recorded on its object (a case, task or
 * observable) and followed in the background (cortex.follower.ts) until SUCCESS or FAILURE.
 * `payload` is what is sent to Cortex, fixed when the job is created; `leaseUntil` makes one
 * instance at a time follow it; `nextAt` is when it is looked at next (poll or retry with backoff).
 */
@Entity({ name: 'cortex_job' })
@Index(['objectId'])
@Index(['caseId'])
@Index(['status', 'nextAt'])
export class CortexJobEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  kind!: 'ANALYZER' | 'RESPONDER';

  /** The analyzer's or responder's id on Cortex. */
  @Column({ type: 'text' })
  worker!: string;

  /** CASE, TASK or OBSERVABLE. */
  @Column({ type: 'text' })
  objectType!: string;

  @Column({ type: 'uuid' })
  objectId!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => CaseEntity, { onDelete: 'CASCADE' })
  caseId!: string;

  /** The organisation the job was started from (its audit entries go to that chain). */
  @Column({ type: 'uuid' })
  @ForeignKey(() => OrganisationEntity)
  organisationId!: string;

  @Column({ type: 'text', default: 'WAITING' })
  status!: 'WAITING' | 'IN_PROGRESS' | 'SUCCESS' | 'FAILURE';

  @Column({ type: 'jsonb', nullable: true })
  report!: unknown;

  @Column({ type: 'jsonb' })
  payload!: unknown;

  /** The job's id on Cortex, once submitted. */
  @Column({ type: 'text', nullable: true })
  cortexId!: string | null;

  /** Consecutive failed calls to Cortex (backoff; the job fails after CORTEX_MAX_ATTEMPTS). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  @Column({ type: 'uuid' })
  @ForeignKey(() => UserEntity)
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
