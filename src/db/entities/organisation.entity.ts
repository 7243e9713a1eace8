import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** Uniqueness is case-insensitive: ix_organisation_name_lower is an expression index written in the migration. */
@Entity({ name: 'organisation' })
@Index('ix_organisation_name_lower', { synchronize: false })
export class OrganisationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  /** Last case number handed out; bumped with UPDATE … RETURNING so numbering never races. */
  @Column({ type: 'integer', default: 0 })
  caseCounter!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** A → B: A can see B and share with it. Unidirectional (R3). */
@Entity({ name: 'organisation_link' })
@Index(['toId'])
export class OrganisationLinkEntity {
  @PrimaryColumn({ type: 'uuid' })
  @ForeignKey(() => OrganisationEntity)
  fromId!: string;

  @PrimaryColumn({ type: 'uuid' })
  @ForeignKey(() => OrganisationEntity)
  toId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
