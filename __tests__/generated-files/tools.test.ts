import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kitestacks } from "../../homelab/homelab";
import { CLOUDFLARED_RELEASES, cloudflaredPath, cloudflaredVersion, toolsDir, wrapperModule } from "../../scripts/tools/cloudflared";

/** `npm run tools`' inputs, checked offline on every `npm test` (the build itself is not run here). */
describe("cloudflared build for the tunnel ingress check", () => {
  const version = cloudflaredVersion(kitestacks);

  it("takes its version from the connector image the spec pins", () => {
    expect(kitestacks.cloudflaredImage.endsWith(`:${version}`)).toBe(true);
    expect(cloudflaredVersion({ ...kitestacks, cloudflaredImage: `cloudflare/cloudflared:2030.1.0@sha256:${"a".repeat(64)}` })).toBe("2030.1.0");
  });

  it("knows the pinned release (a Renovate bump of the image fails here until the row is added)", () => {
    const release = CLOUDFLARED_RELEASES[version];
    expect(release).toBeDefined();
    // v0.0.0-<UTC commit time>-<12 hex of the commit>: cloudflared's tags are not semver.
    expect(release.pseudoVersion).toMatch(/^v0\.0\.0-\d{14}-[0-9a-f]{12}$/);
  });

  it("writes a wrapper go.mod that Go reads: cloudflared required, its replaces repeated", () => {
    const go = ["go", "/usr/local/go/bin/go"].find((g) => spawnSync(g, ["version"]).status === 0);
    if (!go) throw new Error("no Go toolchain: .ci/run installs golang-go when none is there");
    const dir = mkdtempSync(join(tmpdir(), "kite-tools-test-"));
    try {
      const release = CLOUDFLARED_RELEASES[version];
      for (const [name, text] of Object.entries(wrapperModule(version, release))) writeFileSync(join(dir, name), text);
      const edit = spawnSync(go, ["mod", "edit", "-json"], { cwd: dir, encoding: "utf8" });
      expect(edit.stderr).toBe("");
      const mod = JSON.parse(edit.stdout) as { Require: { Path: string; Version: string }[]; Replace: { Old: { Path: string }; New: { Path: string; Version: string } }[] };
      expect(mod.Require).toEqual([{ Path: "github.com/cloudflare/cloudflared", Version: release.pseudoVersion }]);
      expect(mod.Replace.map((r) => `${r.Old.Path} => ${r.New.Path} ${r.New.Version}`)).toEqual(release.replaces);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("caches the binary outside the repo, per version", () => {
    const env = { HOME: "/home/u" } as NodeJS.ProcessEnv;
    expect(cloudflaredPath(version, env)).toBe(`/home/u/.cache/kitestacks/tools/cloudflared-${version}/cloudflared`);
    expect(toolsDir({ ...env, XDG_CACHE_HOME: "/c" })).toBe("/c/kitestacks/tools");
    expect(toolsDir({ ...env, KITESTACKS_TOOLS_DIR: "/t" })).toBe("/t");
  });
});
