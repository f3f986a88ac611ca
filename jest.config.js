/** Jest runs the TypeScript sources as native ESM (home-assistant-js-websocket and
 * discord-api-spec ship ESM), so `npm test` starts Node with --experimental-vm-modules. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/tests/e2e/'],
  // Room for the harness's 30 s waits (tests/integration/harness.ts) on a busy machine.
  testTimeout: 60000,
  // The integration files mostly wait (on the bot's sockets and timers), so running more of
  // them than there are cores overlaps the waits; jest's default (cores - 1) is one worker on
  // a 2-core machine, and the suite then takes the sum of every file's waits.
  maxWorkers: '150%',
};
