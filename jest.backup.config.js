/** The backup suites: the job's scripts against real Postgres, MariaDB and restic (Debian packages). */
const base = require("./jest.config.js");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ["**/*.real.test.ts"],
  testPathIgnorePatterns: ["/node_modules/"],
  // Real servers, real restic runs: minutes, one worker so they do not fight over two cores.
  testTimeout: 10 * 60_000,
  maxWorkers: 1,
};
