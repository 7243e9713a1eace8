import { TABLE } from './matrix.table';
import { describeMatrix } from './runner';

/** The authorization matrix (matrix.table.ts): internal reads, accounts and global objects. */
describeMatrix('authorization matrix: reads, accounts, organisations and profiles', [...TABLE.QUERIES, ...TABLE.ACCOUNTS, ...TABLE.GLOBAL_OBJECTS]);
