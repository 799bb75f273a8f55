/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // The Terraform suite (real terraform, providers, a Docker engine) runs on its own:
  // `npm run test:terraform` (jest.terraform.config.js).
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/__tests__/terraform/"],
  transform: { "^.+\\.tsx?$": ["@swc/jest"] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  // Real-process suites (nginx, Chromium, the metrics server) need more than jest's 5 s.
  testTimeout: 60000,
};
