// ESLint (flat config) with typescript-eslint. Rules that catch real bugs, not style: the
// recommended sets plus the type-aware rules for promises and exhaustive switches. Formatting is
// nobody's business here. Import rules live in .dependency-cruiser.cjs; both run in `npm run lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'data/**', 'node_modules/**', 'bench/results/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts'],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.lint.json', './src/web/widget/browser/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // A promise nobody awaits loses its error (an unhandled rejection) or its ordering.
      '@typescript-eslint/no-floating-promises': 'error',
      // An async function where a void callback is expected (restify, ws, setTimeout) swallows errors.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: true, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-for-in-array': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-implied-eval': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // A new status or intent that a switch forgets.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Style, not bugs: a regex with two spaces is as clear as one with {2}; require() loads optional packages.
      'no-regex-spaces': 'off',
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // A default before try { x = … } catch { return } is a habit, not a bug.
      'no-useless-assignment': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // `any` switches the type checker off; production code says `unknown` and narrows. Tests,
    // benchmarks and scripts poke at JSON responses and may use it.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // A module is small enough to read in one sitting (docs/architecture.md).
    files: ['src/**/*.ts', 'dialogs/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 450, skipBlankLines: false, skipComments: false }] },
  },
);
