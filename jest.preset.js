// Shared jest settings for every package: ts-jest with isolatedModules (type errors are caught
// by the separate `tsc --noEmit` pass of `npm test`), and the source export condition so that
// `@cosearch/*` imports resolve to each package's src/index.ts without a build.
const path = require('node:path');

module.exports = function preset(dir) {
  return {
    displayName: path.basename(dir),
    rootDir: dir,
    testEnvironment: 'node',
    testEnvironmentOptions: {
      customExportConditions: ['@cosearch/source', 'node', 'require', 'default'],
      // tfjs keeps module-level globals; jest 30's soft deletion of them only prints warnings.
      globalsCleanup: 'off',
    },
    testMatch: ['<rootDir>/src/**/*.test.ts'],
    transform: {
      '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.spec.json') }],
    },
    moduleFileExtensions: ['ts', 'js', 'json'],
  };
};
