/**
 * Import rules of src/ (issue #9, style.md): schema → resolvers → services → authz/db, no cycles.
 * Run by `npm run lint:deps` (part of `npm test`); scripts/check-deps.js fails when nothing was
 * cruised, so a broken TypeScript set-up cannot pass silently (stack.md).
 * Type-only imports count (tsPreCompilationDeps): a type is coupling too.
 */
const MODULES = '^src/modules/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles. TypeORM entities are exempt: a relation names its other side lazily (() => Entity).',
      from: { pathNot: '^src/db/entities/' },
      to: { circular: true },
    },
    {
      name: 'no-circular-between-modules',
      severity: 'error',
      comment:
        'No cycles between modules either (case ⇄ share, audit ⇄ user…): a module can be understood and changed with only what it imports. (src/ itself holds both the top, app.ts, and the bottom, context.ts, so the rule looks at src/modules/* only.)',
      scope: 'folder',
      from: { path: '^src/modules/[^/]+' },
      to: { path: '^src/modules/[^/]+', circular: true, viaOnly: { path: '^src/modules/[^/]+' } },
    },
    {
      name: 'authz-imports-no-module',
      severity: 'error',
      comment: 'Authorization is below the modules: it reads rows through src/db, never a module file.',
      from: { path: '^src/authz/' },
      to: { path: MODULES },
    },
    {
      name: 'db-imports-no-module',
      severity: 'error',
      comment: 'The data layer (entities, row types, SQL helpers) is the bottom: it imports neither modules nor authz.',
      from: { path: '^src/db/' },
      to: { path: [MODULES, '^src/authz/'] },
    },
    {
      name: 'no-service-imports-another-modules-service',
      severity: 'error',
      comment:
        "A service is one module's use cases, called by resolvers; what another module's service needs of it (a rule, an insert, a lookup) lives in the owner's <area>.shared.ts.",
      from: { path: `${MODULES}([^/]+)/`, pathNot: '\\.resolvers\\.ts$' },
      to: { path: `${MODULES}([^/]+)/[^/]+\\.service\\.ts$`, pathNot: `${MODULES}$1/` },
    },
    {
      name: 'below-the-schema',
      severity: 'error',
      comment: 'Resolvers are the top: only the schema assembly (src/schema.ts, the resolver maps) imports them; a service never does.',
      from: { pathNot: ['^src/schema\\.ts$', '^src/modules/internal-resolvers\\.ts$', '\\.resolvers\\.ts$'] },
      to: { path: '\\.resolvers\\.ts$' },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A file nothing imports is dead code (entry points excepted: main.ts, migrations/index.ts reach the rest).',
      from: { orphan: true, pathNot: ['^src/main\\.ts$', '^migrations/'] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^(src|migrations)/',
    exclude: { path: '^src/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
