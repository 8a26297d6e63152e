// The pack test (pack.test.ts): packages packed and installed outside the repository.
module.exports = { ...require('../../jest.preset.js')(__dirname), displayName: 'pack', testMatch: ['<rootDir>/*.test.ts'] };
