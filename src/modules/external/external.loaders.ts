import { UserRow } from '../../db/records/user';
import { defineLoader } from '../../loaders';
import { externalUsersByCaseSql, sharedExternallySql } from './external.service';

declare module '../../loader-map' {
  interface LoaderMap {
    'external.usersByCase': { many: UserRow & { caseId: string } };
    'external.sharedExternally': { one: { id: string; sharedExternally: boolean } };
  }
}

/** Case.externalUsers for every case of a page in one statement. */
export const externalUsersByCase = defineLoader({ name: 'external.usersByCase', many: externalUsersByCaseSql, keyOf: (r) => r.caseId });

/** Case.sharedExternally for every case of a page in one statement. */
export const sharedExternally = defineLoader({ name: 'external.sharedExternally', one: sharedExternallySql });
