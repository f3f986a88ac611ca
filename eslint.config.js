import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import local from './eslint-rules/layers.js';

/**
 * The layers of src/, lowest first. A module (a folder, a nested folder
 * named here such as discord/interactions, or a top-level file) may import at runtime
 * only from itself or from a strictly lower layer; peers in one layer don't import each other.
 * So a cycle between folders cannot be written. `import type` may cross layers (it is erased at
 * compile time: no load order, no runtime coupling). A new folder or top-level file must be placed
 * here (the rule says so).
 */
const LAYERS = [
  ['logging', 'net', 'time', 'version.ts'], // leaves: no imports from src/
  ['entities', 'actions'], // the entity catalog, search and groups; HA messages' buttons and destinations
  ['alerts'], // rules, the alert pipeline, the outbox pump (talks to stores through types)
  ['policy', 'audit', 'storage'], // access policy; the audit log; SQLite stores
  ['config'], // the config file and its schema (uses the rule, send and policy schemas)
  ['ha'], // Home Assistant: the socket, entity store, services, tokens
  ['health', 'charts'], // health server, readiness, metrics; history charts
  ['app'], // features with start/stop, the alert queue, the token's life
  ['discord'], // Discord: client, gateway status, formatting, outbox sender, access
  ['commands'], // the slash commands as plans, and their runner
  ['discord/interactions'], // Discord's side of the commands: deploy, router, render
  ['doctor'], // the doctor's checks
  ['index.ts', 'doctor.ts', 'deploy-commands.ts', 'healthcheck.ts'], // entry points
  ['cli.ts', 'addon.ts'], // launchers: pick an entry point
];

/** Modules that may import a package; every other file in src/ may not. */
const PACKAGE_OWNERS = {
  'discord.js': ['src/discord/**', 'src/commands/registry.ts'],
  'home-assistant-js-websocket': ['src/ha/**'],
  ws: ['src/ha/**'],
};

/** What rule code (the rule engine, its index and schema, the access policy) may not import. */
const IO = {
  paths: ['node:fs', 'node:fs/promises', 'node:net', 'node:http', 'node:https', 'better-sqlite3']
    .concat(Object.keys(PACKAGE_OWNERS))
    .map((name) => ({ name, message: 'Rule and policy code is pure: no I/O here.' })),
  patterns: [
    {
      group: ['**/storage/*', '**/discord/**', '**/app/*'],
      message: 'Rule and policy code is pure: no storage, Discord or app here.',
    },
    {
      group: ['**/ha/*'],
      allowTypeImports: true,
      message: 'Rule and policy code is pure: only `import type` from src/ha.',
    },
  ],
};
const RULE_CODE = [
  'src/alerts/rule-engine.ts',
  'src/alerts/rule-firing.ts',
  'src/alerts/rule-matches.ts',
  'src/alerts/compiled-rule.ts',
  'src/alerts/due-queue.ts',
  'src/alerts/rule-index.ts',
  'src/alerts/rule-schema.ts',
  'src/alerts/rule-values.ts',
  'src/alerts/state-memo.ts',
  'src/policy/**',
];

/** One `no-restricted-imports` block per package owner set (flat config keeps the last match). */
function packageBoundaries() {
  const restricted = (except) =>
    Object.entries(PACKAGE_OWNERS)
      .filter(([, owners]) => !owners.some((o) => except.includes(o)))
      .map(([name, owners]) => ({
        name,
        message: `Only ${owners.join(', ')} may import ${name}.`,
      }));
  const owners = [...new Set(Object.values(PACKAGE_OWNERS).flat())];
  return [
    {
      files: ['src/**/*.ts'],
      rules: { 'no-restricted-imports': ['error', { paths: restricted([]) }] },
    },
    ...owners.map((owner) => ({
      files: [owner],
      rules: { 'no-restricted-imports': ['error', { paths: restricted([owner]) }] },
    })),
    { files: RULE_CODE, rules: { 'no-restricted-imports': ['error', IO] } },
  ];
}

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs', 'eslint-rules/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { local },
    rules: {
      'local/layers': ['error', { root: 'src', layers: LAYERS }],
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
    },
  },
  ...packageBoundaries(),
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/require-await': 'off',
      'no-console': 'off',
    },
  },
  {
    files: ['*.js', 'scripts/*.mjs', 'eslint-rules/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Plain Node scripts that run before any build (npm start's freshness check, the release).
    files: ['scripts/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: { 'no-console': 'off' },
  },
);
