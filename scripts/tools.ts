/**
 * `npm run tools`: builds the programs the file checks run that Debian does not package, into
 * a cache outside the repo (see scripts/tools/cloudflared.ts `toolsDir`). A second run finds
 * them there and builds nothing.
 *
 * - cloudflared at the version the spec pins for the connector image, from its Go module
 *   through the Go module proxy (a wrapper module carries cloudflared's replace directives).
 *
 * Debian packages (cloud-init, shellcheck, python3-yaml, nginx) come from `.ci/run`.
 * Exit 0: every tool is there; exit 1: one could not be built (the message says why).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { kitestacks } from "../homelab/homelab";
import { CLOUDFLARED_RELEASES, cloudflaredPath, cloudflaredVersion, wrapperModule } from "./tools/cloudflared";

/** The version a binary reports (`cloudflared version 2025.11.1 (built ...)`), or undefined. */
export function reportedCloudflaredVersion(binary: string): string | undefined {
  const run = spawnSync(binary, ["--version"], { encoding: "utf8" });
  return run.status === 0 ? /cloudflared version (\S+)/.exec(run.stdout)?.[1] : undefined;
}

function go(): string {
  for (const candidate of [process.env.GO, "go", "/usr/local/go/bin/go"]) {
    if (candidate && spawnSync(candidate, ["version"]).status === 0) return candidate;
  }
  throw new Error("tools: no Go toolchain (go on PATH or /usr/local/go/bin/go); .ci/run expects Go 1.24+");
}

function run(cmd: string, args: readonly string[], cwd: string): void {
  const result = spawnSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "inherit", "pipe"], env: { ...process.env, GOFLAGS: "-mod=mod" } });
  if (result.status !== 0) {
    const refused = /403 Forbidden|not available/.test(result.stderr ?? "");
    throw new Error(
      `tools: ${cmd} ${args.join(" ")} failed (exit ${result.status}):\n${(result.stderr ?? "").trim()}` +
        (refused ? "\nThe Go module proxy refused a module: this machine cannot build cloudflared from its Go module." : ""),
    );
  }
}

/** Builds cloudflared into the cache unless the right version is already there; returns its path. */
export function ensureCloudflared(version: string): string {
  const target = cloudflaredPath(version);
  if (existsSync(target) && reportedCloudflaredVersion(target) === version) {
    console.log(`tools: cloudflared ${version} already built: ${target}`);
    return target;
  }
  const release = CLOUDFLARED_RELEASES[version];
  if (!release) {
    throw new Error(
      `tools: cloudflared ${version} (spec.cloudflaredImage) has no row in scripts/tools/cloudflared.ts CLOUDFLARED_RELEASES. ` +
        "Fix: add its pseudo-version (commit time and hash of the tag) and the replace lines of the tag's go.mod.",
    );
  }
  const goBin = go();
  const work = mkdtempSync(join(tmpdir(), "kite-tools-cloudflared-"));
  try {
    for (const [name, text] of Object.entries(wrapperModule(version, release))) writeFileSync(join(work, name), text);
    console.log(`tools: building cloudflared ${version} (${release.pseudoVersion}) from the Go module proxy`);
    run(goBin, ["mod", "tidy"], work);
    const built = join(work, "cloudflared");
    // main.Version is what `cloudflared --version` prints (cloudflared's Makefile sets it the same way).
    run(goBin, ["build", "-trimpath", "-ldflags", `-s -w -X main.Version=${version}`, "-o", built, "github.com/cloudflare/cloudflared/cmd/cloudflared"], work);
    if (reportedCloudflaredVersion(built) !== version) throw new Error(`tools: the built cloudflared does not report version ${version}`);
    mkdirSync(dirname(target), { recursive: true });
    // Copy next to the target, then rename: a cut-short run never leaves a half-written binary.
    copyFileSync(built, `${target}.partial`);
    chmodSync(`${target}.partial`, 0o755);
    renameSync(`${target}.partial`, target);
    console.log(`tools: cloudflared ${version} built: ${target}`);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    ensureCloudflared(cloudflaredVersion(kitestacks));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
