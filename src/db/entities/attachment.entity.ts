import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AuthoredEntity } from '../entity-base';
import { CaseEntity } from './case.entity';

/** Metadata of a file attached to a case; the bytes live in content-addressed storage by sha256. */
@Entity({ name: 'attachment' })
@Index(['caseId', 'createdAt'])
@Index(['sha256'])
export class AttachmentEntity extends AuthoredEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => CaseEntity, { onDelete: 'CASCADE' })
  caseId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'bigint' })
  size!: string;

  @Column({ type: 'text' })
  contentType!: string;

  @Column({ type: 'text' })
  sha256!: string;

  /** Shown in the portal only when true (R24). */
  @Column({ type: 'boolean', default: false })
  external!: boolean;

  @Column({ type: 'boolean', default: false })
  viaPortal!: boolean;
}
