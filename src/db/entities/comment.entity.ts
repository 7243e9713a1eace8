import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AuthoredEntity } from '../entity-base';
import { CaseEntity } from './case.entity';

@Entity({ name: 'comment' })
@Index(['caseId', 'createdAt'])
export class CommentEntity extends AuthoredEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => CaseEntity, { onDelete: 'CASCADE' })
  caseId!: string;

  @Column({ type: 'text' })
  message!: string;

  /** Shown in the portal only when true (R24). */
  @Column({ type: 'boolean', default: false })
  external!: boolean;

  @Column({ type: 'boolean', default: false })
  viaPortal!: boolean;
}
