import { defineLoader } from '../../loaders';
import { OBSERVABLE } from '../../db/records/items';
import type { ObservableFields, ObservableRow } from '../../db/records/observable';
import { Holder, itemById, itemHolders, itemsByShare } from '../item/item.loaders';

declare module '../../loader-map' {
  interface LoaderMap {
    'observable.byId': { one: ObservableRow };
    'observable.byShare': { nested: ObservableFields };
    'observable.holders': { many: Holder };
  }
}

export const observableById = defineLoader({ name: 'observable.byId', ...itemById(OBSERVABLE) });
export const observablesByShare = defineLoader({ name: 'observable.byShare', ...itemsByShare(OBSERVABLE) });
export const observableHolders = defineLoader({ name: 'observable.holders', ...itemHolders(OBSERVABLE) });
