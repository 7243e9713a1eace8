import { TABLE } from './matrix.table';
import { describeMatrix } from './runner';

/** The authorization matrix (matrix.table.ts): organisation shares and what is exposed to the portal. */
describeMatrix('authorization matrix: shares and external sharing', [...TABLE.SHARES, ...TABLE.EXTERNAL_SHARING]);
