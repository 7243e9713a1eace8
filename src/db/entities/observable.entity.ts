import { Column, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { EditableAuthoredEntity } from '../entity-base';
import { CaseEntity } from './case.entity';
import { ShareEntity } from './share.entity';

@Entity({ name: 'observable' })
@Index(['caseId'])
// Alert.similarCases finds observables by dataType and data (by hash: data may be far longer than
// a btree entry); declared in the migration, as TypeORM cannot describe an expression index.
@Index('ix_observable_data_type_data', { synchronize: false })
export class ObservableEntity extends EditableAuthoredEntity {
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

  /** R31: tags by name, catalogue or free text. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  /** Created through the portal: the only observables the portal ever shows (R25). */
  @Column({ type: 'boolean', default: false })
  createdByExternal!: boolean;
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
