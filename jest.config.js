/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // Suites that need tools built by the project run on their own: the Terraform suite (real
  // terraform, providers, a Docker engine: `npm run test:terraform`, jest.terraform.config.js) and
  // the suites of programs `npm run tools` builds (cloudflared: `npm run test:tools`).
  // The backup suites against real Postgres, MariaDB and restic take minutes: `npm run test:backup`
  // (jest.backup.config.js), run by .ci/run after npm test.
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/__tests__/terraform/", "<rootDir>/__tests__/tools/", "\\.real\\.test\\.ts$"],
  transform: { "^.+\\.tsx?$": ["@swc/jest"] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  // Real-process suites (nginx, Chromium, the metrics server) need more than jest's 5 s.
  testTimeout: 60000,
  // Most suites wait on real processes (nginx, Chromium, Postgres, shellcheck) rather than
  // compute: three workers keep two cores busy (npm test 180 s -> 85 s on this 2-core machine).
  maxWorkers: 3,
};
