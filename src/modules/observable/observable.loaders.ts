import type { RequestContext } from '../../context';
import { relationLoader } from '../../loaders';
import { OBSERVABLE } from '../../db/records/items';
import { itemByIdLoader, itemHoldersLoader, itemsByShare } from '../item/item.loaders';

export const observableByIdLoader = (ctx: RequestContext) => itemByIdLoader(ctx, OBSERVABLE);
export const observablesByShare = itemsByShare(OBSERVABLE);
export const observablesByCaseLoader = (ctx: RequestContext) => relationLoader(ctx, observablesByShare);
export const observableSharedWithLoader = (ctx: RequestContext) => itemHoldersLoader(ctx, OBSERVABLE);
