/**
 * `npm run test:e2e`: the homelab applied for real on two simulated hosts (e2e/). Not part of
 * `npm test`: it needs root (network namespaces), Debian's docker.io, debootstrap, sshd and
 * Chromium, and takes minutes. See docs/testing.md.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/e2e"],
  testMatch: ["**/*.e2e.test.ts"],
  transform: { "^.+\\.tsx?$": ["@swc/jest"] },
  testTimeout: 15 * 60 * 1000,
  // One lab at a time; the steps of the test depend on each other.
  maxWorkers: 1,
};
