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
  // Half the cores: one worker on a 2-core machine. Three workers there (measured 2026-12-01)
  // took 2 min 19 s, but each bot then waited for CPU long enough to miss HA's heartbeat and
  // Discord's 3 s interaction deadline: 9 tests failed on timing alone.
  maxWorkers: '50%',
};
