import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CaseEntity } from '../case/case.entity';
import { UserEntity } from '../user/user.entity';

@Entity({ name: 'comment' })
@Index(['caseId', 'createdAt'])
export class CommentEntity {
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

  @Column({ type: 'uuid' })
  @ForeignKey(() => UserEntity)
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
