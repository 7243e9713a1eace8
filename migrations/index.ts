import { InitialSchema1795445427929 } from './1795445427929-InitialSchema';
import { NotifyAuditInserts1795446000000 } from './1795446000000-NotifyAuditInserts';
import { BindApiKeysToOrganisation1795450175355 } from './1795450175355-BindApiKeysToOrganisation';
import { ShareLineage1796522191303 } from './1796522191303-ShareLineage';

// Every migration, in order. `npm run migration:generate -- Name` appends to this list.
export const migrations: Function[] = [InitialSchema1795445427929, NotifyAuditInserts1795446000000, BindApiKeysToOrganisation1795450175355, ShareLineage1796522191303];
