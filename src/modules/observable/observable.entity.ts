import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { CaseEntity } from '../case/case.entity';
import { ShareEntity } from '../share/share.entity';
import { UserEntity } from '../user/user.entity';

@Entity({ name: 'observable' })
@Index(['caseId'])
export class ObservableEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => CaseEntity, { onDelete: 'CASCADE' })
  caseId!: string;

  @Column({ type: 'text' })
  dataType!: string;

  @Column({ type: 'text' })
  data!: string;

  @Column({ type: 'text', default: '' })
  message!: string;

  @Column({ type: 'boolean', default: false })
  ioc!: boolean;

  @Column({ type: 'text', default: 'AMBER' })
  tlp!: string;

  /** Created through the portal: the only observables the portal ever shows (R25). */
  @Column({ type: 'boolean', default: false })
  createdByExternal!: boolean;

  @Column({ type: 'uuid' })
  @ForeignKey(() => UserEntity)
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'observable_share' })
@Index(['observableId'])
export class ObservableShareEntity {
  @PrimaryColumn({ type: 'uuid' })
  @ForeignKey(() => ShareEntity, { onDelete: 'CASCADE' })
  shareId!: string;

  @PrimaryColumn({ type: 'uuid' })
  @ForeignKey(() => ObservableEntity, { onDelete: 'CASCADE' })
  observableId!: string;
}
