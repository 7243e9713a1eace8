// @ts-check
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * `npm run lint` (in `npm test`): the recommended rules of ESLint and typescript-eslint, with type
 * information for the TypeScript files (each file's nearest tsconfig.json), plus a promise nobody
 * awaits or handles (no-floating-promises): in a server, that is an unhandled rejection waiting to
 * happen. Formatting is Prettier's business (`.prettierrc.json`), not ESLint's.
 */
export default defineConfig(
  {
    ignores: ['dist/', 'coverage/', 'data/', '.data/', '.tmp/', 'bench-profiles/', 'schema/printed/', 'src/generated/', 'web/portal/src/gql/'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      // The server logs through pino; a console line a test prints on purpose says so with eslint-disable-next-line.
      'no-console': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['scripts/**'],
    // Tools: they print to the console, and a require() inside a function loads the server's code only when that step runs.
    rules: { 'no-console': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['migrations/index.ts'],
    // TypeORM's own type for a list of migration classes is Function.
    rules: { '@typescript-eslint/no-unsafe-function-type': 'off' },
  },
  {
    rules: {
      // Rows of raw SQL and GraphQL responses in tests are Record<string, any> on purpose; strict TypeScript guards the rest.
      '@typescript-eslint/no-explicit-any': 'off',
      // An argument, caught error or destructured element named _… is unused on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
);
