import type { RequestContext } from '../../context';
import { relationLoader } from '../../loaders';
import { TASK } from '../../db/records/items';
import { itemByIdLoader, itemHoldersLoader, itemsByShare } from '../item/item.loaders';

export const taskByIdLoader = (ctx: RequestContext) => itemByIdLoader(ctx, TASK);
export const tasksByShare = itemsByShare(TASK);
export const tasksByCaseLoader = (ctx: RequestContext) => relationLoader(ctx, tasksByShare);
export const taskSharedWithLoader = (ctx: RequestContext) => itemHoldersLoader(ctx, TASK);
