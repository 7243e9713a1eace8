import type DataLoader from 'dataloader';
import type { OrganisationRow } from './db/records/organisation';
import type { ProfileRow } from './db/records/profile';

/**
 * Every loader of the application, by name: what its key loads. Each module adds its own entries
 * next to its declarations (`declare module '../../loader-map' { interface LoaderMap { … } }`),
 * so core imports no module, and yet a declaration (loaders.ts defineLoader) whose name or rows
 * disagree with its entry, or a caller expecting other rows, does not compile. An entry is one of:
 * - `{ one: Row }`: a key is a row's id, loads that row or null;
 * - `{ many: Row }`: a key loads the rows grouped under it (e.g. tasks by case id);
 * - `{ nested: Row }`: as many, and a page statement can bring the rows itself (relationJson);
 * - `{ custom: Loader }`: anything else, built by the declaration (its own batch function).
 * Apart from loaders.ts, whose declarations need the request context, so that context.ts can
 * type its registry without an import cycle.
 */
export interface LoaderMap {
  organisation: { one: OrganisationRow };
  profile: { one: ProfileRow };
}

export type LoaderName = keyof LoaderMap;

/** What `ctx.loaders.get` answers for a loader of this kind of entry. */
export type LoaderOf<E> = E extends { one: infer T }
  ? DataLoader<string, T | null>
  : E extends { many: infer T }
    ? DataLoader<string, T[]>
    : E extends { nested: infer T }
      ? DataLoader<string, T[]>
      : E extends { custom: infer L }
        ? L
        : never;

declare const declaredLoader: unique symbol;

/** Only what loaders.ts defineLoader returns carries this: the registry builds declared loaders, never a call site's factory. */
export interface Declared<N extends LoaderName> {
  readonly name: N;
  readonly [declaredLoader]: true;
}

/**
 * The request's loaders, one registry: each declared loader is built on its first use in the
 * request (loaders.ts loaderOf, the only caller of `get`), so a request builds only those it
 * needs, and never shares one with another request or user (their SQL carries the caller's scope).
 */
export interface Loaders {
  /** The declaration's loader in this request, `build` making it on first use. */
  get<N extends LoaderName>(loader: Declared<N>, build: () => LoaderOf<LoaderMap[N]>): LoaderOf<LoaderMap[N]>;
  /**
   * Forgets every loader. Called when a write's transaction commits (create-context.ts), and only
   * there: a document may hold several mutations, and what it reads after one must be what that
   * one committed.
   */
  clear(): void;
}
