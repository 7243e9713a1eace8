import { TABLE } from './matrix.table';
import { describeMatrix } from './runner';

/** The authorization matrix (matrix.table.ts): alerts (R34, R35). */
describeMatrix('authorization matrix: alerts', TABLE.ALERTS);
