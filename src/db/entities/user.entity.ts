import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { OrganisationEntity } from './organisation.entity';
import { ProfileEntity } from './profile.entity';

@Entity({ name: 'app_user' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Stored lower-cased; the unique constraint is the source of truth for races. */
  @Column({ type: 'text', unique: true })
  login!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ type: 'text', default: 'INTERNAL' })
  type!: 'INTERNAL' | 'EXTERNAL';

  @Column({ type: 'text', nullable: true })
  passwordHash!: string | null;

  /**
   * R11a: the password was set by a manager of this organisation (not the user, not an
   * administrator): sessions it opens act only there. Deliberately no foreign key: if the
   * organisation goes, the password must act nowhere rather than everywhere.
   */
  @Column({ type: 'uuid', nullable: true })
  passwordOrganisationId!: string | null;

  @Column({ type: 'boolean', default: false })
  locked!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** One profile per (user, organisation) (R5). */
@Entity({ name: 'membership' })
@Index(['organisationId'])
@Index(['profileId'])
export class MembershipEntity {
  @PrimaryColumn({ type: 'uuid' })
  @ForeignKey(() => UserEntity, { onDelete: 'CASCADE' })
  userId!: string;

  @PrimaryColumn({ type: 'uuid' })
  @ForeignKey(() => OrganisationEntity)
  organisationId!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => ProfileEntity)
  profileId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
