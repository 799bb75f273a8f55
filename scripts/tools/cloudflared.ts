import { homedir } from "node:os";
import { join } from "node:path";
import { HomelabSpec } from "../../homelab/types";

/**
 * Where the real cloudflared used by the tunnel-ingress tests lives, and how it is built.
 * The version is the one the spec pins for the connector image, so the test checks the
 * ingress against the program that will run it.
 */

/** `KITESTACKS_TOOLS_DIR`, else `$XDG_CACHE_HOME/kitestacks/tools`, else `~/.cache/kitestacks/tools`: outside the repo. */
export function toolsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.KITESTACKS_TOOLS_DIR ?? join(env.XDG_CACHE_HOME ?? join(env.HOME ?? homedir(), ".cache"), "kitestacks", "tools");
}

/** The release tag of `spec.cloudflaredImage` (`cloudflare/cloudflared:2025.11.1` → `2025.11.1`). */
export function cloudflaredVersion(spec: HomelabSpec): string {
  const tag = /:([^:@/]+)(@sha256:[0-9a-f]{64})?$/.exec(spec.cloudflaredImage)?.[1];
  if (!tag) throw new Error(`cloudflaredImage: ${JSON.stringify(spec.cloudflaredImage)} has no release tag`);
  return tag;
}

/** The cached binary for a version (what `npm run tools` writes and the tests run). */
export function cloudflaredPath(version: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(toolsDir(env), `cloudflared-${version}`, "cloudflared");
}

/** A cloudflared release as a Go module version, with the replace directives of its go.mod. */
export interface CloudflaredRelease {
  /**
   * cloudflared tags (`2025.11.1`) are not semver, so the module proxy knows the tag's commit
   * only as a pseudo-version: v0.0.0-<commit time UTC>-<12 hex of the commit>.
   */
  readonly pseudoVersion: string;
  /**
   * `go install module@version` refuses a module whose go.mod has replace directives, so a
   * wrapper module repeats them (from the tag's go.mod).
   */
  readonly replaces: readonly string[];
}

/**
 * Releases the build knows, by tag. A Renovate bump of the connector image needs a row here;
 * the tag's commit and go.mod are read from github.com/cloudflare/cloudflared at the tag.
 */
export const CLOUDFLARED_RELEASES: Readonly<Record<string, CloudflaredRelease>> = {
  // Tag 2025.11.1 = commit 17533b124c225c9090ef1de5cd2ee201e8c398e8 (2025-11-07T16:30:58Z); go.mod lines 104-112.
  "2025.11.1": {
    pseudoVersion: "v0.0.0-20251107163058-17533b124c22",
    replaces: [
      "github.com/urfave/cli/v2 => github.com/ipostelnik/cli/v2 v2.3.1-0.20210324024421-b6ea8234fe3d",
      "github.com/prometheus/golang_client => github.com/prometheus/golang_client v1.12.1",
      "gopkg.in/yaml.v3 => gopkg.in/yaml.v3 v3.0.1",
      "github.com/quic-go/quic-go => github.com/chungthuang/quic-go v0.45.1-0.20250428085412-43229ad201fd",
    ],
  },
};

/** The wrapper module's files for a release. */
export function wrapperModule(version: string, release: CloudflaredRelease): Readonly<Record<string, string>> {
  return {
    "go.mod": [
      "module kitestacks.invalid/tools/cloudflared",
      "",
      "go 1.24",
      "",
      `require github.com/cloudflare/cloudflared ${release.pseudoVersion}`,
      "",
      ...release.replaces.map((r) => `replace ${r}`),
      "",
    ].join("\n"),
    "tools.go": [
      "//go:build tools",
      "",
      `// Package tools pins cloudflared ${version} for the tunnel ingress tests.`,
      "package tools",
      "",
      'import _ "github.com/cloudflare/cloudflared/cmd/cloudflared"',
      "",
    ].join("\n"),
  };
}
