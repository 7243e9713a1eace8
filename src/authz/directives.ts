import { GraphQLSchema, getNamedType, getNullableType, isListType, isNonNullType, isObjectType } from 'graphql';
import type { GraphQLField, GraphQLFieldResolver } from 'graphql';
import { getDirective } from '@graphql-tools/utils';
import { allow, deny, rule, shield } from 'graphql-shield';
import type { IRule } from 'graphql-shield';
import { applyMiddleware } from 'graphql-middleware';
import type { RequestContext } from '../context';
import type { Permission } from '../generated/internal';
import { AppError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../errors/app-error';
import { CORTEX_PERMISSIONS, cortexDisabledMessage, isPermission } from './permissions';
import { assertCasePermission, effectiveCasePermissions, ShareScoped } from './case-access';
import { OBJECT_KINDS, ScopedRow } from './objects';
import { recordChecked } from './checked';

/** The object half of a rule: `@requires(permission, on | kindArg, arg, ownerOnly, alsoIf, also)`. */
export interface ObjectRule {
  permission: string | null;
  /** A fixed kind (`on`), or the enum argument whose value names it (`kindArg`). */
  on: string | null;
  kindArg: string | null;
  arg: string;
  ownerOnly: boolean;
  alsoIf: string | null;
  also: string | null;
}

/** What a root field declares in the SDL: `@public`, or one or more `@requires`. */
export type FieldRequirement = { public: true } | { public: false; permission: string | null; permissions: string[]; objects: ObjectRule[] };

export class UnguardedFieldError extends Error {}

/** ID arguments of a mutation name an object: they must be checked by an `on`/`kindArg` rule. */
function idArguments(field: GraphQLField<unknown, unknown>): string[] {
  return field.args.filter((a) => getNamedType(a.type).name === 'ID').map((a) => a.name);
}

/** The directive as the permission map shows it: a diff of that map is the security review of a change. */
export function describeRequirement(req: FieldRequirement): string {
  if (req.public) return '@public';
  if (!req.objects.length) return req.permission ? `@requires(permission: ${req.permission})` : '@requires';
  return req.objects
    .map((o) => {
      const parts = [
        o.permission && `permission: ${o.permission}`,
        o.on ? `on: ${o.on}` : `kindArg: "${o.kindArg}"`,
        `arg: "${o.arg}"`,
        o.ownerOnly && 'ownerOnly: true',
        o.alsoIf && `alsoIf: "${o.alsoIf}", also: ${o.also}`,
      ].filter(Boolean);
      return `@requires(${parts.join(', ')})`;
    })
    .join(' ');
}

/**
 * Reads the authorization directives of every Query/Mutation/Subscription field and refuses to
 * boot when one has none (or both, an unknown permission or object kind, or a mutation whose ID
 * argument no rule checks): deny-by-default, and object rules, are proven at start.
 * `objectIdsChecked: false` for the portal schema, whose scopes are the grants themselves (R23).
 */
export function readRequirements(schema: GraphQLSchema, objectIdsChecked = true): Map<string, FieldRequirement> {
  const out = new Map<string, FieldRequirement>();
  const problems: string[] = [];
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      const key = `${root.name}.${field.name}`;
      const isPublic = !!getDirective(schema, field, 'public')?.length;
      const requires = getDirective(schema, field, 'requires') ?? [];
      if (isPublic && requires.length) {
        problems.push(`${key} has both @public and @requires`);
        continue;
      }
      if (isPublic) {
        out.set(key, { public: true });
        continue;
      }
      if (!requires.length) {
        problems.push(`${key} has neither @requires nor @public`);
        continue;
      }
      const permissions: string[] = [];
      const objects: ObjectRule[] = [];
      for (const d of requires) {
        const permission = (d.permission as string | undefined) ?? null;
        if (permission !== null && !isPermission(permission)) problems.push(`${key} requires unknown permission ${permission}`);
        if (permission && !permissions.includes(permission)) permissions.push(permission);
        const on = (d.on as string | undefined) ?? null;
        const kindArg = (d.kindArg as string | undefined) ?? null;
        if (!on && !kindArg) {
          if (d.arg || d.ownerOnly || d.alsoIf || d.also) problems.push(`${key}: arg/ownerOnly/alsoIf/also need on: or kindArg:`);
          continue;
        }
        const arg = d.arg as string | undefined;
        if (!arg || !field.args.some((a) => a.name === arg)) {
          problems.push(`${key}: @requires(on:) names no argument of the field (arg: "${arg ?? ''}")`);
          continue;
        }
        if (on && !OBJECT_KINDS[on]) problems.push(`${key}: no loader for object kind ${on} (src/authz/objects.ts)`);
        if (kindArg && !field.args.some((a) => a.name === kindArg)) problems.push(`${key}: kindArg "${kindArg}" is not an argument`);
        if (!!d.alsoIf !== !!d.also || (d.also && !isPermission(d.also as string)))
          problems.push(`${key}: alsoIf and also go together, with a known permission`);
        if (d.alsoIf && !field.args.some((a) => a.name === d.alsoIf)) problems.push(`${key}: alsoIf "${d.alsoIf}" is not an argument`);
        objects.push({ permission, on, kindArg, arg, ownerOnly: !!d.ownerOnly, alsoIf: (d.alsoIf as string) ?? null, also: (d.also as string) ?? null });
      }
      if (objectIdsChecked && root === schema.getMutationType()) {
        for (const a of idArguments(field)) {
          if (!objects.some((o) => o.arg === a)) problems.push(`${key}: argument ${a} names an object but no @requires(on: …, arg: "${a}") checks it`);
        }
      }
      out.set(key, { public: false, permission: permissions[0] ?? null, permissions, objects });
    }
  }
  if (problems.length) throw new UnguardedFieldError(`Refusing to start: ${problems.join('; ')}`);
  return out;
}

/**
 * An object field's rule (issue #9 item 2): `@requires(permission: P)` on a field of a type whose
 * rows carry the active organisation's share on their case. The reader needs P in user profile ∩
 * share profile on that row (R15), read off the row: no statement. Refused, the field holds its
 * empty value ([] or null): the reader sees nothing, and the rest of the object (a case on a page)
 * is still answered, which a FORBIDDEN error on a non-null field would have nulled.
 */
export interface FieldRule {
  permission: Permission;
  /** What a refused reader gets. */
  empty: [] | null;
}

/** Types whose rows carry `shareProfilePermissions` (the case scope's columns): only they can have field rules. */
export const FIELD_RULE_PARENTS: readonly string[] = ['Case'];

/** The field rule as the permission map shows it. */
export function describeFieldRule(rule: FieldRule): string {
  return `@requires(permission: ${rule.permission}) on the parent's case (R15); refused: ${rule.empty === null ? 'null' : '[]'}`;
}

/**
 * Reads the directives of every object field outside the root types and refuses to boot on one
 * that could not be enforced: on a type without share-scoped rows, with `on:`/`arg:` (the object
 * is the parent), without a permission, @public, or on a non-null scalar (no empty value).
 */
export function readFieldRules(schema: GraphQLSchema): Map<string, FieldRule> {
  const out = new Map<string, FieldRule>();
  const problems: string[] = [];
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].map((t) => t?.name));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || roots.has(type.name) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const key = `${type.name}.${field.name}`;
      if (getDirective(schema, field, 'public')?.length) problems.push(`${key}: @public is for root fields`);
      const requires = getDirective(schema, field, 'requires') ?? [];
      if (!requires.length) continue;
      const d = requires[0];
      const permission = d.permission as string | undefined;
      if (!FIELD_RULE_PARENTS.includes(type.name)) problems.push(`${key}: object-field rules only on ${FIELD_RULE_PARENTS.join(', ')} (rows carrying a share)`);
      if (requires.length > 1 || d.on || d.kindArg || d.arg || d.ownerOnly || d.alsoIf || d.also)
        problems.push(`${key}: an object field's rule names only a permission`);
      if (!permission || !isPermission(permission)) problems.push(`${key}: an object field's rule needs a known permission`);
      const list = isListType(getNullableType(field.type));
      if (!list && isNonNullType(field.type)) problems.push(`${key}: a non-null scalar or object has no empty value for a refused reader`);
      out.set(key, { permission: permission as Permission, empty: list ? [] : null });
    }
  }
  if (problems.length) throw new UnguardedFieldError(`Refusing to start: ${problems.join('; ')}`);
  return out;
}

/** The object-field middleware: the rule decided from the parent row, the resolver run only when it allows. */
function fieldMiddleware(rule: FieldRule) {
  return (resolve: GraphQLFieldResolver<unknown, RequestContext>, parent: unknown, args: Record<string, unknown>, ctx: RequestContext, info: never) => {
    const row = parent as Partial<ShareScoped>;
    const allowed = !!ctx.principal && effectiveCasePermissions(ctx, { shareProfilePermissions: row.shareProfilePermissions ?? [] }).includes(rule.permission);
    return allowed ? resolve(parent, args, ctx, info) : rule.empty === null ? null : [];
  };
}

/** The organisation half (R5–R7): reads only the context, which a write may invalidate (R11b), so never cached. */
function organisationCheck(ctx: RequestContext, permissions: string[]): true | AppError {
  if (ctx.authError) return ctx.authError;
  if (!ctx.principal) return new UnauthenticatedError();
  for (const permission of permissions) {
    if (!ctx.principal.permissions.has(permission as Permission)) {
      if (CORTEX_PERMISSIONS.includes(permission as Permission) && !ctx.settings.cortexEnabled) return new ForbiddenError(cortexDisabledMessage(permission));
      return new ForbiddenError(`Permission ${permission} is required in organisation "${ctx.principal.organisationName}"`);
    }
  }
  return true;
}

/** The object half (R13, R15, R19, R24): the same decision for the rule and for the write's re-check. */
function objectCheck(ctx: RequestContext, o: ObjectRule, args: Record<string, unknown>, label: string, row: ScopedRow | null): ScopedRow {
  if (!row) throw new NotFoundError(label);
  const needed = [o.permission, o.alsoIf && args[o.alsoIf] === true ? o.also : null].filter((p): p is string => !!p) as Permission[];
  assertCasePermission(ctx, row, ...needed);
  if (o.ownerOnly && !row.ownerShare) throw new ForbiddenError(`Only the owner organisation of the case can do this`);
  return row;
}

async function checkObject(ctx: RequestContext, o: ObjectRule, args: Record<string, unknown>): Promise<void> {
  const kindName = o.on ?? String(args[o.kindArg!]);
  const kind = OBJECT_KINDS[kindName];
  if (!kind) throw new NotFoundError('Object');
  const id = String(args[o.arg] ?? '');
  const row = objectCheck(ctx, o, args, kind.label, await kind.find(ctx, ctx.db, id));
  recordChecked(args, o.arg, {
    id: row.id,
    row,
    lock: async (tx, lock) => objectCheck(ctx, o, args, kind.label, await kind.find(ctx, tx, id, lock)),
  });
}

function ruleFor(key: string, req: FieldRequirement): IRule | typeof allow {
  if (req.public) return allow;
  // No shield cache: the object half depends on the arguments, and the organisation half must see
  // a principal that a write in the same document found changed (R11b).
  return rule(`requires:${key}`, { cache: 'no_cache' })(async (_p, args: Record<string, unknown>, ctx: RequestContext) => {
    const org = organisationCheck(ctx, req.permissions);
    if (org !== true) return org;
    try {
      for (const o of req.objects) await checkObject(ctx, o, args);
    } catch (e) {
      if (e instanceof AppError) return e;
      throw e;
    }
    return true;
  });
}

/**
 * Wraps the root fields with graphql-shield rules generated from the directives, and the few
 * object fields that declare one with their field rule (performance.md measured shield on every
 * scalar at ~6×, so nothing else is wrapped). Root fields missing from the map are
 * impossible (readRequirements throws), and shield's fallback for them would be deny anyway.
 */
export function applyAuthorization(
  schema: GraphQLSchema,
  objectIdsChecked = true,
): { schema: GraphQLSchema; requirements: Map<string, FieldRequirement>; fieldRules: Map<string, FieldRule> } {
  const requirements = readRequirements(schema, objectIdsChecked);
  const fieldRules = readFieldRules(schema);
  const ruleTree: Record<string, Record<string, IRule | typeof allow>> = {};
  for (const [key, req] of requirements) {
    const [type, field] = key.split('.');
    (ruleTree[type] ??= {})[field] = ruleFor(key, req);
  }
  const generator = shield(ruleTree, {
    fallbackRule: deny,
    allowExternalErrors: true,
    fallbackError: (thrown) => (thrown instanceof AppError ? thrown : new ForbiddenError()),
  });
  const full = generator.generate(schema) as Record<string, Record<string, unknown>>;
  const roots = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name, schema.getSubscriptionType()?.name]);
  const declared: Record<string, Record<string, unknown>> = Object.fromEntries(
    Object.entries(full).filter(([type]) => roots.has(type) && isObjectType(schema.getType(type))),
  );
  for (const [key, rule] of fieldRules) {
    const [type, field] = key.split('.');
    (declared[type] ??= {})[field] = fieldMiddleware(rule);
  }
  return { schema: applyMiddleware(schema, declared as never), requirements, fieldRules };
}
