import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Append-only audit log (R28). No foreign keys on purpose: entries outlive the objects they
 * describe (a deleted case keeps its history) and a failed login may name no user at all.
 * Ids are random (R29: no platform-wide sequence); lists order by (created_at, id). Each entry
 * sits at position `seq` of its organisation's hash chain (R41, audit-chain.ts).
 */
@Entity({ name: 'audit' })
@Index(['caseId', 'createdAt'])
@Index(['objectType', 'objectId'])
@Index(['actorId', 'createdAt'])
@Index(['createdAt', 'id'])
@Index(['chainId', 'seq'], { unique: true })
@Index('ix_audit_login', { synchronize: false })
export class AuditEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The organisation whose chain holds the entry: organisation_id, or admin's for entries of no organisation. */
  @Column({ type: 'uuid' })
  chainId!: string;

  /** Position in the chain (1, 2, …): per organisation, so it counts nothing of the others' activity. */
  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'text', nullable: true })
  previousHash!: string | null;

  @Column({ type: 'text' })
  hash!: string;

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

/**
 * The last entry of each organisation's chain. Appending locks this row (ON CONFLICT DO UPDATE)
 * inside the write's transaction, so concurrent appends to one chain queue instead of forking;
 * verifyAudit compares the chain's end with it (a removed tail).
 */
@Entity({ name: 'audit_chain_head' })
export class AuditChainHeadEntity {
  @PrimaryColumn({ type: 'uuid' })
  organisationId!: string;

  @Column({ type: 'bigint', default: 0 })
  seq!: string;

  @Column({ type: 'text', nullable: true })
  hash!: string | null;
}
