import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const repoRoot = resolve(__dirname, "../..");
const readJson = (file: string) => JSON.parse(readFileSync(join(repoRoot, file), "utf8"));

/** An exact version: no ^, ~, ranges, tags or wildcards. */
const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

describe("cdktf.json", () => {
  const app: string = readJson("cdktf.json").app;

  it("runs the app with a fast runner (tsx or node), not ts-node", () => {
    expect(app).toMatch(/^(node_modules\/\.bin\/tsx|npx tsx|tsx|node) \S+$/);
    expect(app).not.toMatch(/ts-node/);
  });

  it("runs main.ts or its compiled form", () => {
    expect(app).toMatch(/ (main\.ts|dist\/main\.js)$/);
  });
});

describe("package.json", () => {
  const pkg = readJson("package.json");
  const deps: [string, string][] = [
    ...Object.entries<string>(pkg.dependencies ?? {}),
    ...Object.entries<string>(pkg.devDependencies ?? {}),
    ...Object.entries<string>(pkg.optionalDependencies ?? {}),
  ];

  it.each(["1.2.3", "0.21.0", "1.0.0-rc.1"])("accepts exact version %s", (v) => expect(v).toMatch(EXACT_VERSION));
  it.each(["^1.2.3", "~1.2.3", ">=1.2.3", "1.2.x", "*", "latest", "1.2", ""])("rejects %p", (v) => expect(v).not.toMatch(EXACT_VERSION));

  it("pins every dependency to an exact version", () => {
    expect(deps.length).toBeGreaterThan(10);
    const loose = deps.filter(([, v]) => !EXACT_VERSION.test(v)).map(([n, v]) => `${n}@${v}`);
    expect(loose).toEqual([]);
  });

  it("matches package-lock.json's root entry", () => {
    const root = readJson("package-lock.json").packages[""];
    expect(root.dependencies ?? {}).toEqual(pkg.dependencies ?? {});
    expect(root.devDependencies ?? {}).toEqual(pkg.devDependencies ?? {});
  });

  it("keeps typescript on 5.x (TypeScript 7 has no compiler API for ts-node and jest)", () => {
    expect(pkg.devDependencies.typescript).toMatch(/^5\./);
  });
});
