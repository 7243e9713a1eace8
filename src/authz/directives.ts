import { GraphQLSchema, isObjectType } from 'graphql';
import { getDirective } from '@graphql-tools/utils';
import { allow, deny, rule, shield } from 'graphql-shield';
import type { IRule } from 'graphql-shield';
import { applyMiddleware } from 'graphql-middleware';
import type { RequestContext } from '../context';
import { AppError, ForbiddenError, UnauthenticatedError } from '../errors/app-error';
import { isPermission } from './permissions';

/** What a root field declares in the SDL: `@public`, `@requires` or `@requires(permission: p)`. */
export type FieldRequirement = { public: true } | { public: false; permission: string | null };

export class UnguardedFieldError extends Error {}

/**
 * Reads the authorization directive of every Query/Mutation/Subscription field and refuses to
 * boot when one has none (or both, or an unknown permission): deny-by-default is proven at start.
 */
export function readRequirements(schema: GraphQLSchema): Map<string, FieldRequirement> {
  const out = new Map<string, FieldRequirement>();
  const problems: string[] = [];
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      const key = `${root.name}.${field.name}`;
      const isPublic = !!getDirective(schema, field, 'public')?.length;
      const requires = getDirective(schema, field, 'requires')?.[0];
      if (isPublic && requires) problems.push(`${key} has both @public and @requires`);
      else if (isPublic) out.set(key, { public: true });
      else if (requires) {
        const permission = (requires.permission as string | undefined) ?? null;
        if (permission !== null && !isPermission(permission)) problems.push(`${key} requires unknown permission ${permission}`);
        out.set(key, { public: false, permission });
      } else problems.push(`${key} has neither @requires nor @public`);
    }
  }
  if (problems.length) throw new UnguardedFieldError(`Refusing to start: ${problems.join('; ')}`);
  return out;
}

const ruleFor = (() => {
  const cache = new Map<string, IRule>();
  return (req: FieldRequirement): IRule | typeof allow => {
    if (req.public) return allow;
    const name = `requires:${req.permission ?? 'authenticated'}`;
    let r = cache.get(name);
    if (!r) {
      // Reads only the context (principal computed once per request), so it may be cached per request.
      r = rule(name, { cache: 'contextual' })((_p, _a, ctx: RequestContext) => {
        if (ctx.authError) return ctx.authError;
        if (!ctx.principal) return new UnauthenticatedError();
        if (req.permission && !ctx.principal.permissions.has(req.permission as never)) {
          return new ForbiddenError(`Permission ${req.permission} is required in organisation "${ctx.principal.organisationName}"`);
        }
        return true;
      });
      cache.set(name, r);
    }
    return r;
  };
})();

/**
 * Wraps the root fields (and only them: performance.md measured shield on every scalar at ~6×)
 * with graphql-shield rules generated from the directives. Root fields missing from the map are
 * impossible (readRequirements throws), and shield's fallback for them would be deny anyway.
 */
export function applyAuthorization(schema: GraphQLSchema): { schema: GraphQLSchema; requirements: Map<string, FieldRequirement> } {
  const requirements = readRequirements(schema);
  const ruleTree: Record<string, Record<string, IRule | typeof allow>> = {};
  for (const [key, req] of requirements) {
    const [type, field] = key.split('.');
    (ruleTree[type] ??= {})[field] = ruleFor(req);
  }
  const generator = shield(ruleTree, {
    fallbackRule: deny,
    allowExternalErrors: true,
    fallbackError: (thrown) => (thrown instanceof AppError ? thrown : new ForbiddenError()),
  });
  const full = generator.generate(schema) as Record<string, Record<string, unknown>>;
  const roots = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name, schema.getSubscriptionType()?.name]);
  const rootOnly = Object.fromEntries(Object.entries(full).filter(([type]) => roots.has(type) && isObjectType(schema.getType(type))));
  return { schema: applyMiddleware(schema, rootOnly as never), requirements };
}
