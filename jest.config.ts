import type { Config } from 'jest';

// One jest process runs every package's tests (each package has its own jest.config.js),
// so the 2-core CI machine is shared by one worker pool instead of one pool per package.
const config: Config = {
  // tools/pack: npm pack → install outside the repository → README snippets (issue 16).
  projects: ['<rootDir>/packages/*/jest.config.js', '<rootDir>/tools/pack/jest.config.js'],
  testTimeout: 120_000,
  // Jest's default is cores − 1 (one worker on the 2-core CI machine); the suites are
  // single-threaded (tfjs wasm), so one per core is faster.
  maxWorkers: 2,
};

export default config;
