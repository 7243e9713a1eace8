import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * R40: one read of a case's content by someone outside the owner organisation (an external user
 * opening the case or downloading an attachment, a member of a non-owner organisation
 * downloading an attachment). Written in batches by ReadLedger, off the read's critical path.
 * No foreign keys: like the audit, the ledger outlives what it names.
 */
@Entity({ name: 'read_record' })
@Index(['caseId', 'at', 'id'])
export class ReadRecordEntity {
  /** Random (R29: no platform-wide sequence). */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  kind!: 'CASE_VIEW' | 'ATTACHMENT_DOWNLOAD';

  @Column({ type: 'uuid' })
  userId!: string;

  /** The reader's active organisation. */
  @Column({ type: 'uuid' })
  organisationId!: string;

  @Column({ type: 'uuid' })
  caseId!: string;

  /** The case itself, or the attachment downloaded. */
  @Column({ type: 'uuid' })
  objectId!: string;

  @Column({ type: 'boolean' })
  viaPortal!: boolean;

  /** When the read was served (not when it was flushed). */
  @Column({ type: 'timestamptz' })
  at!: Date;
}
