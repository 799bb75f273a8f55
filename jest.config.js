/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // Suites that run programs `npm run tools` builds (cloudflared): `npm run test:tools`.
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/__tests__/tools/"],
  transform: { "^.+\\.tsx?$": ["@swc/jest"] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  // Real-process suites (nginx, Chromium, the metrics server) need more than jest's 5 s.
  testTimeout: 60000,
};
