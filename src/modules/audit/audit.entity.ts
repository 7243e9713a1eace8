import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Append-only audit log (R28). No foreign keys on purpose: entries outlive the objects they
 * describe (a deleted case keeps its history) and a failed login may name no user at all.
 */
@Entity({ name: 'audit' })
@Index(['caseId', 'id'])
@Index(['objectType', 'objectId'])
@Index(['actorId', 'id'])
@Index('ix_audit_login', { synchronize: false })
export class AuditEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  organisationId!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text' })
  objectType!: string;

  @Column({ type: 'text', nullable: true })
  objectId!: string | null;

  /** The case an entry belongs to (the case itself or one of its elements), for caseHistory (R29). */
  @Column({ type: 'uuid', nullable: true })
  caseId!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;

  @Column({ type: 'boolean', default: false })
  viaPortal!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
