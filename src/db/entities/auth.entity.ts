import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from './user.entity';
import { OrganisationEntity } from './organisation.entity';

/** Session tokens and API keys. Only the SHA-256 of the secret is stored. */
@Entity({ name: 'credential' })
@Index(['userId'])
export class CredentialEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => UserEntity, { onDelete: 'CASCADE' })
  userId!: string;

  @Column({ type: 'text' })
  kind!: 'SESSION' | 'API_KEY';

  @Column({ type: 'text', unique: true })
  tokenHash!: string;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  /**
   * An API key minted for a user by another organisation's manager works only in that
   * organisation: the user may later join others, where that manager has no say (R11).
   */
  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => OrganisationEntity, { onDelete: 'CASCADE' })
  organisationId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** One-time portal invitation (R21); the token itself is only ever in the e-mail. */
@Entity({ name: 'invitation' })
@Index(['userId'])
export class InvitationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => UserEntity, { onDelete: 'CASCADE' })
  userId!: string;

  @Column({ type: 'text', unique: true })
  tokenHash!: string;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * R11c: failed-password budget per login and window. A row is updated atomically BEFORE a
 * password is checked (the reservation), so concurrent attempts can never all pass the limit.
 */
@Entity({ name: 'login_throttle' })
export class LoginThrottleEntity {
  @PrimaryColumn({ type: 'text' })
  login!: string;

  @Column({ type: 'timestamptz' })
  windowStart!: Date;

  @Column({ type: 'int' })
  attempts!: number;
}
