import { TABLE } from './matrix.table';
import { describeMatrix } from './runner';

/** The authorization matrix (matrix.table.ts): the portal endpoint and the live feed. */
describeMatrix('authorization matrix: portal and live feed', [...TABLE.PORTAL, ...TABLE.LIVE_FEED]);
