// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      '.data/',
      '**/*.mjs',
      '**/*.js',
      // The programs the credentials bundle ships are linted (their block is below).
      '!libs/bundle/assets/**/*.mjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      eqeqeq: ['error', 'always'],
      // Braces wherever a body spans lines, and on every branch of an if/else that has them.
      curly: ['error', 'multi-line', 'consistent'],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test runs describe/it itself; their returned promises are not ours to await.
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration once through libs/config; never process.env elsewhere.',
        },
      ],
    },
  },
  {
    // The edge node runs librdkafka only: kafkajs, and the libs built on it, stay out of its
    // bundle (apps/edge-producer/src/edge-bundle.spec.ts checks the bundle itself).
    files: [
      'apps/edge-producer/src/**/*.ts',
      'libs/edge/src/**/*.ts',
      'libs/registry/src/**/*.ts',
      'libs/tenancy/src/**/*.ts',
      'libs/config/src/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            'kafkajs',
            '@logstream/kafka',
            '@logstream/provisioning',
            '@logstream/persistence',
          ].map((name) => ({
            name,
            message: 'The edge bundle must not pull in kafkajs (it ships librdkafka only).',
            allowTypeImports: true,
          })),
        },
      ],
    },
  },
  {
    // Module boundaries: libs never import apps, and an app never imports another app.
    files: ['libs/**/*.ts', 'apps/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/apps/**', '../../*/src/**', '../../../*/src/**', '../../../../*/src/**'],
              message: 'apps are transport only: share code through libs/, never import an app',
            },
          ],
        },
      ],
    },
  },
  {
    // The config loader is the one place that reads the environment.
    files: ['libs/config/src/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Shipped to customers as they are: plain JavaScript for Node 18+, no TypeScript project.
    files: ['libs/bundle/assets/**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'module',
      ecmaVersion: 2022,
      parserOptions: { projectService: false, program: null, project: false },
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' },
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      'no-restricted-properties': 'off',
      eqeqeq: 'error',
      curly: ['error', 'multi-line'],
    },
  },
  prettier,
);
