import { defineLoader } from '../../loaders';
import * as service from './portal.service';

declare module '../../loader-map' {
  interface LoaderMap {
    'portal.comments': { many: service.PortalCommentRow };
    'portal.attachments': { many: service.PortalAttachmentRow };
    'portal.observables': { many: service.PortalObservableRow };
  }
}

/** PortalCase.comments/attachments/observables for every case of the list in one statement each. */
export const portalComments = defineLoader({ name: 'portal.comments', many: service.commentsByCaseSql, keyOf: (r) => r.caseId });
export const portalAttachments = defineLoader({ name: 'portal.attachments', many: service.attachmentsByCaseSql, keyOf: (r) => r.caseId });
export const portalObservables = defineLoader({ name: 'portal.observables', many: service.observablesByCaseSql, keyOf: (r) => r.caseId });
