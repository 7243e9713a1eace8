import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * The field names selected under `path` below the current field (e.g. ['edges', 'node'] from
 * `cases`), through fragments and inline fragments. A hint for prefetching only: @skip/@include
 * are ignored, so it may name a field that will not be resolved (a wasted prefetch), and a field
 * it misses is still loaded by its resolver. Never a basis for authorization.
 */
export function selectedFields(info: GraphQLResolveInfo, path: readonly string[] = []): Set<string> {
  let level: SelectionSetNode[] = info.fieldNodes.flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));
  for (const step of path) {
    level = level.flatMap((set) =>
      fieldsOf(set, info)
        .filter((f) => f.name === step && f.selectionSet)
        .map((f) => f.selectionSet!),
    );
  }
  return new Set(level.flatMap((set) => fieldsOf(set, info).map((f) => f.name)));
}

function fieldsOf(set: SelectionSetNode, info: GraphQLResolveInfo, seen = new Set<string>()): Array<{ name: string; selectionSet?: SelectionSetNode }> {
  return set.selections.flatMap((s) => {
    if (s.kind === Kind.FIELD) return [{ name: s.name.value, selectionSet: s.selectionSet }];
    if (s.kind === Kind.INLINE_FRAGMENT) return fieldsOf(s.selectionSet, info, seen);
    const fragment = info.fragments[s.name.value];
    if (!fragment || seen.has(s.name.value)) return [];
    seen.add(s.name.value);
    return fieldsOf(fragment.selectionSet, info, seen);
  });
}
