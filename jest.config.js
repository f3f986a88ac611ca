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
  // One worker per core. Each integration test starts the built bot (a bundle: 0.25 s of CPU to
  // start, see scripts/build.mjs), so two workers on the 2-core CI machine keep both cores busy:
  // 99 s for unit and integration (1,042 tests) at load 4-5, against 310 s with one worker
  // before the bundle and OUTBOX_MIN_INTERVAL_MS (measured 2026-12-01). Three workers there
  // starved the bots of CPU long enough to miss HA's heartbeat and Discord's 3 s deadline.
  maxWorkers: '100%',
};
