import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { findSpecProblems, SpecValidationError } from "../../homelab/validate";
import { spec as badSpec } from "../fixtures/bad-spec";
import { filesUnder, readOutdir, removeTempDirs, repoRoot, tempDir } from "./helpers";

afterAll(removeTempDirs);

const fixture = (name: string) => join(repoRoot, "__tests__", "fixtures", name);

/** Runs `tsx main.ts` as cdktf.json does, from the repo root, with only the given settings. */
function runMain(env: Record<string, string>): { status: number | null; stderr: string; outdir: string } {
  const outdir = join(tempDir(), "cdktf.out");
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(KITESTACKS_|CDKTF_)/.test(k)));
  const result = spawnSync(join(repoRoot, "node_modules/.bin/tsx"), ["main.ts"], {
    cwd: repoRoot,
    env: { ...inherited, CHECKPOINT_DISABLE: "1", CDKTF_OUTDIR: outdir, ...env },
    encoding: "utf8",
    timeout: 50_000,
  });
  return { status: result.status, stderr: result.stderr, outdir };
}

describe("main.ts", () => {
  it("exits 1 on a bad spec, lists every problem on stderr, and writes nothing", () => {
    const problems = findSpecProblems(badSpec, repoRoot);
    expect(problems.length).toBeGreaterThanOrEqual(4);
    const run = runMain({ KITESTACKS_SPEC: fixture("bad-spec.ts") });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(new SpecValidationError(problems).message);
    expect(run.stderr).toMatch(/cloudflaredImage: "cloudflare\/cloudflared:latest" uses the floating tag latest/);
    expect(run.stderr).toMatch(/services\[grafana\]\.port: 70000 is outside 1-65535/);
    expect(run.stderr).toMatch(/services\[kavita\]\.hostnames: "kavita\.example\.com" is outside the zone kitestacks\.com/);
    expect(run.stderr).toMatch(/services\[karakeep\]\.placement\.home: "nas" is not a declared host/);
    // A clean list, not a stack trace.
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(run.outdir)).toBe(false);
  });

  it("reports a bad spec and bad backend settings together", () => {
    const run = runMain({ KITESTACKS_SPEC: fixture("bad-spec.ts"), KITESTACKS_STATE_BACKEND: "s3" });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/services\[grafana\]\.port: 70000/);
    expect(run.stderr).toMatch(/KITESTACKS_STATE_BUCKET: "" is not a bucket name/);
    expect(run.stderr).toMatch(/KITESTACKS_STATE_ENDPOINT: "" is not an https endpoint/);
    expect(filesUnder(run.outdir)).toEqual([]);
  });

  it("names a KITESTACKS_SPEC module that exports no spec", () => {
    const run = runMain({ KITESTACKS_SPEC: fixture("specs.ts") });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/KITESTACKS_SPEC: .*specs\.ts exports no `spec`/);
    expect(existsSync(run.outdir)).toBe(false);
  });

  it("synthesizes the real homelab when no KITESTACKS_SPEC is set (what npm run synth runs)", () => {
    const run = runMain({});
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const out = readOutdir(run.outdir);
    expect(Object.keys(out.manifest.stacks).sort()).toEqual(["edge", "kscloud1-docker", "kscloud1-vm", "monk-docker"]);
  });

  it("writes every stack's cdk.tf.json and the manifest on a good spec", () => {
    const run = runMain({ KITESTACKS_SPEC: fixture("good-spec.ts") });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const out = readOutdir(run.outdir);
    expect(Object.keys(out.manifest.stacks).sort()).toEqual(["edge", "kscloud1-docker", "kscloud1-vm", "monk-docker"]);
    const files = filesUnder(run.outdir);
    expect(files).toContain("manifest.json");
    for (const stack of Object.keys(out.manifest.stacks)) {
      expect(files).toContain(join("stacks", stack, "cdk.tf.json"));
      expect(out.json.get(stack).terraform).toBeDefined();
    }
  });
});
