import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Append-only audit log (R28). No foreign keys on purpose: entries outlive the objects they
 * describe (a deleted case keeps its history) and a failed login may name no user at all.
 * Ids are random (R29: no platform-wide sequence); lists order by (created_at, id). A row is
 * never updated: its place in its organisation's hash chain is an AuditLinkEntity row (R41).
 */
@Entity({ name: 'audit' })
@Index(['caseId', 'createdAt'])
@Index(['objectType', 'objectId'])
@Index(['actorId', 'createdAt'])
@Index(['createdAt', 'id'])
@Index('ix_audit_login', { synchronize: false })
export class AuditEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The organisation whose chain holds the entry: organisation_id, or admin's for entries of no organisation. */
  @Column({ type: 'uuid' })
  chainId!: string;

  /** SHA-256 of the canonical JSON of the entry's own fields (audit-chain.ts contentHash), computed when it is recorded. */
  @Column({ type: 'text' })
  contentHash!: string;

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
 * R41: an entry's place in its organisation's chain, written by the database when the entry's
 * transaction commits (hive_audit_seal): position, previous entry's hash, and its own hash over
 * {chain, content hash, previous hash, position}. The position is per organisation, so it counts
 * nothing of the others' activity (R29).
 */
@Entity({ name: 'audit_link' })
@Index(['chainId', 'seq'], { unique: true })
export class AuditLinkEntity {
  @PrimaryColumn({ type: 'uuid' })
  auditId!: string;

  @Column({ type: 'uuid' })
  chainId!: string;

  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'text', nullable: true })
  previousHash!: string | null;

  @Column({ type: 'text' })
  hash!: string;
}

/**
 * The last entry of each organisation's chain. Sealing an entry locks this row (FOR UPDATE) at
 * its transaction's commit, so concurrent appends to one chain queue instead of forking;
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
