import { Column, CreateDateColumn, ForeignKey, UpdateDateColumn } from 'typeorm';
import { UserEntity } from './entities/user.entity';

/**
 * Who created a row and when: the columns every user-made object (case, task, observable,
 * comment, attachment) carries. Not a table itself: TypeORM copies these columns, foreign key
 * included, into the table of each entity that extends the class.
 */
export abstract class AuthoredEntity {
  @Column({ type: 'uuid' })
  @ForeignKey(() => UserEntity)
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** A user-made object that is edited afterwards (case, task, observable): also when it last changed. */
export abstract class EditableAuthoredEntity extends AuthoredEntity {
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
