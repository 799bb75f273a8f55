import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { kitestacks } from "../../homelab/homelab";
import { imagePinProblem } from "../../homelab/validate";
import { repoRoot } from "../helpers/synth";

const config = JSON.parse(readFileSync(join(repoRoot, "renovate.json"), "utf8"));
/** Every TypeScript file of the homelab description, relative to the repo root. */
const homelabSources = (): string[] =>
  (readdirSync(join(repoRoot, "homelab"), { recursive: true }) as string[])
    .filter((f) => f.endsWith(".ts"))
    .map((f) => relative(repoRoot, join(repoRoot, "homelab", f)));

const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));

/**
 * A stand-in for ServiceEnvContext: every property, call and index gives another stand-in, and
 * it reads as a placeholder string, so a spec's postStart builders can run outside a stack.
 */
function anyContext(): any {
  const target = () => undefined;
  return new Proxy(target, {
    get: (_t, prop) => (prop === Symbol.toPrimitive ? () => "placeholder" : prop === "then" ? undefined : anyContext()),
    apply: () => anyContext(),
  });
}

/**
 * Every image reference the spec pins, derived from the spec itself: string values under `ref`,
 * `image` or `*Image` keys, including those of post-start steps (their builders are run with a
 * stand-in context).
 */
function specImageRefs(): string[] {
  const refs = new Set<string>();
  const walk = (value: unknown, key: string): void => {
    if (typeof value === "string") {
      if (key === "ref" || key === "image" || /Image$/.test(key)) refs.add(value);
    } else if (typeof value === "function") {
      if (key === "postStart") walk((value as (ctx: unknown) => unknown)(anyContext()), key);
    } else if (Array.isArray(value)) {
      value.forEach((v) => walk(v, key));
    } else if (value && typeof value === "object") {
      // hosts[].provisioning.image is a Hetzner OS image (debian-13), not a container image.
      for (const [k, v] of Object.entries(value)) if (k !== "provisioning") walk(v, k);
    }
  };
  walk(kitestacks, "");
  return [...refs].sort();
}

/** Renovate's `/.../` pattern strings as RegExps. */
const patterns = (list: string[]) => list.map((p) => new RegExp(p.slice(1, -1)));

describe("renovate.json", () => {
  const specManager = config.customManagers.find((m: any) => patterns(m.managerFilePatterns).some((r) => r.test("homelab/services/kavita/kavita.ts") && r.test("homelab/settings.ts")));

  test("its regex manager finds exactly the image refs of the spec, with depName and tag", () => {
    const text = homelabSources().map((f) => readFileSync(join(repoRoot, f), "utf8")).join("\n");
    const found = specManager.matchStrings.flatMap((s: string) =>
      [...text.matchAll(new RegExp(s, "g"))].map((m) => `${m.groups!.depName}:${m.groups!.currentValue}`),
    );
    expect([...new Set(found)].sort()).toEqual(specImageRefs());
    expect(specManager.datasourceTemplate).toBe("docker");
  });

  test("the spec's refs are all pinned, so Renovate has a version to bump", () => {
    for (const ref of specImageRefs()) expect([ref, imagePinProblem(ref)]).toEqual([ref, undefined]);
  });

  test("Dockerfile base images: FROM lines through the dockerfile manager, ARG images through a regex", () => {
    expect(config.dockerfile.enabled).toBe(true);
    const argManager = config.customManagers.find((m: any) => patterns(m.managerFilePatterns).some((r) => r.test("metrics/Dockerfile")));
    const dockerfile = readFileSync(join(repoRoot, "metrics/Dockerfile"), "utf8");
    const arg = new RegExp(argManager.matchStrings[0]).exec(dockerfile);
    expect(arg?.groups).toEqual({ depName: expect.stringMatching(/^node$/), currentValue: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  test("npm: exact pins stay exact, and every dependency is pinned", () => {
    expect(config.rangeStrategy).toBe("pin");
    for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      expect([name, version]).toEqual([name, expect.stringMatching(/^\d+\.\d+\.\d+$/)]);
    }
  });

  test("cdktf and @cdktf/* are grouped and frozen, with the reason", () => {
    const rule = config.packageRules.find((r: any) => r.matchPackageNames?.includes("cdktf"));
    expect(rule).toEqual(expect.objectContaining({ enabled: false, groupName: expect.stringContaining("0.21.0") }));
    expect(rule.matchPackageNames).toEqual(expect.arrayContaining(["cdktf-cli", "@cdktf/**"]));
    expect(rule.description).toMatch(/archived/);
    const all = { ...pkg.dependencies, ...pkg.devDependencies };
    for (const name of ["cdktf", "cdktf-cli"]) expect([name, all[name]]).toEqual([name, "0.21.0"]);
  });

  test("workflow actions on both forges are kept current", () => {
    const files = patterns(config["github-actions"].managerFilePatterns);
    expect(files.some((r) => r.test(".forgejo/workflows/drift.yml"))).toBe(true);
    expect(files.some((r) => r.test(".github/workflows/drift.yml"))).toBe(true);
  });
});
