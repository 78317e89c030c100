/**
 * The linter of the whole tree (inside `npm test`): ESLint's and
 * typescript-eslint's recommended rules, without type information so it
 * stays fast. TypeScript itself checks names in .ts/.tsx files, so `no-undef`
 * only applies to the few plain .mjs/.cjs scripts, which run under Node.
 * Tests and benchmarks may use `any` to reach into the page or a message
 * under test; CommonJS files (.cjs) use require.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_GLOBALS = Object.fromEntries(
  [
    'process',
    'console',
    'module',
    'require',
    '__dirname',
    '__filename',
    'Buffer',
    'URL',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
  ].map((n) => [n, 'readonly']),
);

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '**/dist/',
      'out/',
      'test-results/',
      'playwright-report/',
      'bench/results/',
      'test/fixtures/',
      'klappe-demo/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.mjs', '**/*.cjs', '**/*.js'], languageOptions: { globals: NODE_GLOBALS } },
  {
    rules: {
      // a leading underscore names a value left out on purpose (a rest sibling, a callback's unused argument)
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          caughtErrors: 'none',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  { files: ['test/**', 'bench/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
