/** The Terraform suite: real terraform with the mirrored providers (`npm run providers` first). */
const base = require("./jest.config.js");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ["<rootDir>/__tests__/terraform"],
  testPathIgnorePatterns: ["/node_modules/"],
  // terraform init/validate/plan of every stack, and a Docker engine started by the test.
  testTimeout: 15 * 60_000,
  // One worker: the suite's own processes (terraform, dockerd) use the cores.
  maxWorkers: 1,
  reporters: ["default", "<rootDir>/__tests__/terraform/wall-time-reporter.js"],
};
