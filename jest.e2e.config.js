/**
 * The end-to-end suite: the real bot against a real Home Assistant Core (tests/e2e), once per
 * release in tests/e2e/ha/releases.txt, as one jest project each ("HA 2024.3.3", ...). The
 * tests read their release from the project's `globals.haE2eVersion`. HA_E2E_VERSION=<version>
 * runs one release only.
 */
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';
import base from './jest.config.js';

const releases = readFileSync(new URL('./tests/e2e/ha/releases.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => /^\d/.test(line))
  .map((line) => line.split(/\s+/)[0]);
const only = process.env.HA_E2E_VERSION;
if (only && !releases.includes(only)) {
  throw new Error(
    `HA_E2E_VERSION=${only} is not in tests/e2e/ha/releases.txt: ${releases.join(', ')}`,
  );
}

// maxWorkers is a run option, not a project's: the e2e run sets its own below.
const { maxWorkers: _unitWorkers, ...project } = base;

export default {
  projects: (only ? [only] : releases).map((version) => ({
    ...project,
    displayName: `HA ${version}`,
    testPathIgnorePatterns: ['/node_modules/'],
    roots: ['<rootDir>/tests/e2e'],
    globals: { haE2eVersion: version },
  })),
  testTimeout: 180000,
  maxWorkers: 1,
};
