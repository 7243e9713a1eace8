import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { CaseEntity } from './case.entity';
import { OrganisationEntity } from './organisation.entity';
import { ProfileEntity } from './profile.entity';
import { UserEntity } from './user.entity';

/**
 * A case as seen by one organisation (R13). uq_share_organisation_id_case_id is both the
 * "shared at most once" rule (R14) and the index every visibility scope joins on.
 */
@Entity({ name: 'share' })
@Unique(['organisationId', 'caseId'])
@Index(['caseId'])
@Index(['profileId'])
@Index(['viaShareId'])
// R39: the case scopes count an organisation's live shares from the index alone.
@Index(['organisationId', 'caseId', 'lineageExpiresAt'])
// R3 (referencedUserScope): "does this organisation own a case shared with mine" is one probe.
@Index('ix_share_organisation_id_case_organisation_id_expiry', ['organisationId', 'caseOrganisationId', 'lineageExpiresAt'])
export class ShareEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => CaseEntity, { onDelete: 'CASCADE' })
  caseId!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => OrganisationEntity)
  organisationId!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => ProfileEntity)
  profileId!: string;

  /**
   * The case's owner organisation, copied from case.organisation_id by a trigger at insert (a
   * case never changes owner): whether a user belongs to an organisation owning a case shared
   * with the reader (referencedUserScope) is then an index probe, not a join over every case of
   * that organisation (45 ms per single-case page at 100k cases, growing with the organisation).
   */
  @Column({ type: 'uuid' })
  caseOrganisationId!: string;

  @Column({ type: 'boolean', default: false })
  owner!: boolean;

  /** ShareRule (R17): MANUAL, EXISTING or ALL. */
  @Column({ type: 'text', default: 'MANUAL' })
  taskRule!: string;

  @Column({ type: 'text', default: 'MANUAL' })
  observableRule!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  /**
   * R16a: the share a re-share was made through (the sharing organisation's own share on the
   * case); null for shares made by the owner. Removing a share removes its descendants
   * (unshareCase does it explicitly, to move items and audit; the cascade is the backstop).
   */
  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => ShareEntity, { onDelete: 'CASCADE' })
  viaShareId!: string | null;

  /** Who made the share (Share.createdBy); null for shares made before it was recorded. */
  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => UserEntity)
  createdBy!: string | null;

  /** R39: the instant from which this share gives no access, as set (shareCase, setShareExpiry); null: never. */
  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  /**
   * R39/R16a: the earliest expiresAt along this share and every share it was made through (via),
   * kept at write time (a share's via never changes), so deciding visibility is one comparison
   * with the statement's time, never a walk up the chain. See src/authz/expiry.ts.
   */
  @Column({ type: 'timestamptz', nullable: true })
  lineageExpiresAt!: Date | null;
}
