import { defineLoader } from '../../loaders';
import { TASK } from '../../db/records/items';
import type { TaskFields, TaskRow } from '../../db/records/task';
import { Holder, itemById, itemHolders, itemsByShare } from '../item/item.loaders';

declare module '../../loader-map' {
  interface LoaderMap {
    'task.byId': { one: TaskRow };
    'task.byShare': { nested: TaskFields };
    'task.holders': { many: Holder };
  }
}

export const taskById = defineLoader({ name: 'task.byId', ...itemById(TASK) });
export const tasksByShare = defineLoader({ name: 'task.byShare', ...itemsByShare(TASK) });
export const taskHolders = defineLoader({ name: 'task.holders', ...itemHolders(TASK) });
