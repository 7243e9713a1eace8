import { TABLE } from './matrix.table';
import { describeMatrix } from './runner';

/** The authorization matrix (matrix.table.ts): case, task and observable writes. */
describeMatrix('authorization matrix: cases, tasks, observables, comments and attachments', [...TABLE.CASE_WRITES, ...TABLE.ITEM_WRITES]);
