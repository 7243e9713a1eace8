import type { RequestContext } from '../../context';
import { groupLoader } from '../../loaders';
import * as service from './portal.service';

/** PortalCase.comments/attachments/observables for every case of the list in one statement each. */
export const portalLoaders = (ctx: RequestContext) => ({
  comments: ctx.loaders.get('portal.comments', () => groupLoader<service.PortalCommentRow>(ctx, service.commentsByCaseSql(ctx), (r) => r.caseId)),
  attachments: ctx.loaders.get('portal.attachments', () => groupLoader<service.PortalAttachmentRow>(ctx, service.attachmentsByCaseSql(ctx), (r) => r.caseId)),
  observables: ctx.loaders.get('portal.observables', () => groupLoader<service.PortalObservableRow>(ctx, service.observablesByCaseSql(ctx), (r) => r.caseId)),
});
