/** The end-to-end suite: the real bot against a real Home Assistant Core (tests/e2e). */
import base from './jest.config.js';

export default {
  ...base,
  testPathIgnorePatterns: ['/node_modules/'],
  roots: ['<rootDir>/tests/e2e'],
  testTimeout: 180000,
  maxWorkers: 1,
};
