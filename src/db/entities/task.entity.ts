import { Column, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { EditableAuthoredEntity } from '../entity-base';
import { CaseEntity } from './case.entity';
import { ShareEntity } from './share.entity';
import { UserEntity } from './user.entity';

@Entity({ name: 'task' })
@Index(['caseId'])
export class TaskEntity extends EditableAuthoredEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => CaseEntity, { onDelete: 'CASCADE' })
  caseId!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ type: 'text', default: 'WAITING' })
  status!: string;

  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => UserEntity, { onDelete: 'SET NULL' })
  assigneeId!: string | null;
}

/** A task is visible to an organisation through one of these links to its case share (R17, R18). */
@Entity({ name: 'task_share' })
@Index(['taskId'])
export class TaskShareEntity {
  @PrimaryColumn({ type: 'uuid' })
  @ForeignKey(() => ShareEntity, { onDelete: 'CASCADE' })
  shareId!: string;

  @PrimaryColumn({ type: 'uuid' })
  @ForeignKey(() => TaskEntity, { onDelete: 'CASCADE' })
  taskId!: string;
}
