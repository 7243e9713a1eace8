import { InitialSchema1795445427929 } from './1795445427929-InitialSchema';
import { NotifyAuditInserts1795446000000 } from './1795446000000-NotifyAuditInserts';
import { BindApiKeysToOrganisation1795450175355 } from './1795450175355-BindApiKeysToOrganisation';
import { AuditHashChain1796516724659 } from './1796516724659-AuditHashChain';
import { ReadLedger1796517170125 } from './1796517170125-ReadLedger';
import { SecurityReviewCredentials1796519688336 } from './1796519688336-SecurityReviewCredentials';
import { ShareLineage1796522191303 } from './1796522191303-ShareLineage';
import { IndexCaseCreator1796523710719 } from './1796523710719-IndexCaseCreator';
import { CortexAndConfig1796526220414 } from './1796526220414-CortexAndConfig';
import { TagsCustomFieldsCaseTemplates1796530000000 } from './1796530000000-TagsCustomFieldsCaseTemplates';
import { AccessExpiry1796530500000 } from './1796530500000-AccessExpiry';
import { AddAlerts1796531000000 } from './1796531000000-AddAlerts';
import { ShareCaseOwner1796588883482 } from './1796588883482-ShareCaseOwner';

// Every migration, in order. `npm run migration:generate -- Name` appends to this list.
export const migrations: Function[] = [
  InitialSchema1795445427929,
  NotifyAuditInserts1795446000000,
  BindApiKeysToOrganisation1795450175355,
  AuditHashChain1796516724659,
  ReadLedger1796517170125,
  SecurityReviewCredentials1796519688336,
  ShareLineage1796522191303,
  IndexCaseCreator1796523710719,
  CortexAndConfig1796526220414,
  TagsCustomFieldsCaseTemplates1796530000000,
  AccessExpiry1796530500000,
  AddAlerts1796531000000,
  ShareCaseOwner1796588883482,
];
