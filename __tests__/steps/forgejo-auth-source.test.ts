import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../helpers/synth";
import { stepScript } from "../../homelab/scripts";

/**
 * Forgejo's auth-source step (homelab/services/forgejo/auth-source.sh) picks add-oauth or
 * update-oauth --id from `forgejo admin auth list`. The list here is printed by Go's
 * text/tabwriter with exactly the arguments of Forgejo v11's cmd/admin_auth.go runListAuth
 * (min-width 0, tab-width 8, padding 1, pad-char '\t', AlignRight), so the awk in the step
 * meets the real layout; a stand-in `forgejo` on PATH prints it and records each call.
 */

const GO = ["/usr/local/go/bin/go", "go"].find((g) => g === "go" || existsSync(g))!;

const LIST_PROGRAM = `package main

import (
	"fmt"
	"os"
	"text/tabwriter"
)

// The rows come as ID NAME TYPE ENABLED words on the command line.
func main() {
	w := tabwriter.NewWriter(os.Stdout, 0, 8, 1, '\\t', tabwriter.AlignRight)
	fmt.Fprint(w, "ID\\tName\\tType\\tEnabled\\n")
	args := os.Args[1:]
	for i := 0; i+3 < len(args); i += 4 {
		fmt.Fprintf(w, "%s\\t%s\\t%s\\t%s\\n", args[i], args[i+1], args[i+2], args[i+3])
	}
	w.Flush()
}
`;

const script = stepScript(join(repoRoot, "homelab/services/forgejo"), "auth-source.sh");

describe("Forgejo auth-source step against Forgejo's auth list layout", () => {
  const dir = mkdtempSync(join(tmpdir(), "aud-forgejo-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function list(rows: string[][]): string {
    writeFileSync(join(dir, "list.go"), LIST_PROGRAM);
    const r = spawnSync(GO, ["run", join(dir, "list.go"), ...rows.flat()], {
      encoding: "utf8",
      timeout: 120_000,
      // The default build cache: the std packages are compiled once per machine, not per run.
      env: { ...process.env, GO111MODULE: "off", GOTOOLCHAIN: "local" },
    });
    if (r.status !== 0) throw new Error(`go run failed: ${r.stderr}`);
    return r.stdout;
  }

  const marker = join(dir, "state", "auth-source.sha256");

  function runStep(listing: string, opts: { secret?: string; failing?: boolean } = {}): { status: number | null; stderr: string; calls: string[][] } {
    const bin = join(dir, "bin");
    spawnSync("mkdir", ["-p", bin]);
    writeFileSync(join(dir, "listing.txt"), listing);
    writeFileSync(join(dir, "calls.jsonl"), "");
    // Records argv as JSON (via node, to keep every argument intact) and prints the listing for `auth list`.
    writeFileSync(
      join(bin, "forgejo"),
      `#!/bin/sh\nnode -e 'require("fs").appendFileSync(process.argv[1], JSON.stringify(process.argv.slice(2)) + "\\n")' "$CALLS" "$@"\n` +
        `if [ "$1 $2 $3" = "admin auth list" ]; then cat "$LISTING"; elif [ -n "$FAIL_WRITE" ]; then exit 1; fi\n`,
    );
    chmodSync(join(bin, "forgejo"), 0o755);
    const r = spawnSync("sh", ["-c", script], {
      encoding: "utf8",
      timeout: 60_000,
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        CALLS: join(dir, "calls.jsonl"),
        LISTING: join(dir, "listing.txt"),
        FORGEJO_AUTH_NAME: "authentik",
        OIDC_CLIENT_ID: "forgejo-client",
        OIDC_CLIENT_SECRET: opts.secret ?? "s3cr3t",
        FORGEJO_AUTH_MARKER: marker,
        FAIL_WRITE: opts.failing ? "1" : "",
        OIDC_DISCOVERY_URL: "https://auth.example.test/application/o/forgejo/.well-known/openid-configuration",
        OIDC_ADMIN_GROUP: "homelab-admin",
      },
    });
    const calls = readFileSync(join(dir, "calls.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
    return { status: r.status, stderr: r.stderr, calls };
  }

  const flags = [
    "--name", "authentik", "--provider", "openidConnect", "--key", "forgejo-client",
    "--auto-discover-url", "https://auth.example.test/application/o/forgejo/.well-known/openid-configuration",
    "--scopes", "openid", "--scopes", "email", "--scopes", "profile",
    "--group-claim-name", "groups", "--admin-group", "homelab-admin",
  ];
  const existing = () => list([["3", "github", "OAuth2", "false"], ["117", "authentik", "OAuth2", "true"]]);
  /** Every argv the step gave the CLI that holds the secret (the exposure in /proc). */
  const withSecret = (calls: string[][], secret = "s3cr3t") => calls.filter((c) => c.includes(secret));

  beforeEach(() => rmSync(join(dir, "state"), { recursive: true, force: true }));

  test("adds the source when the list has none of that name, with the secret, and records its hash", () => {
    const run = runStep(list([["1", "authentik-old", "OAuth2", "true"], ["12", "ldap", "LDAP (via BindDN)", "true"]]));
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(run.calls.at(-1)).toEqual(["admin", "auth", "add-oauth", ...flags, "--secret", "s3cr3t"]);
    expect(readFileSync(marker, "utf8").trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(marker, "utf8")).not.toContain("s3cr3t");
  });

  test("updates the source by its id when it exists, whatever the column widths; the secret only when it is not recorded", () => {
    const first = runStep(existing());
    expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: "" });
    expect(first.calls.at(-1)).toEqual(["admin", "auth", "update-oauth", "--id", "117", ...flags, "--secret", "s3cr3t"]);
    // A replaced container re-runs the step: the same secret is not put on a command line again.
    const again = runStep(existing());
    expect({ status: again.status, stderr: again.stderr }).toEqual({ status: 0, stderr: "" });
    expect(again.calls.at(-1)).toEqual(["admin", "auth", "update-oauth", "--id", "117", ...flags]);
    expect(withSecret(again.calls)).toEqual([]);
  });

  test("a rotated secret is written once, then not again", () => {
    runStep(existing());
    const rotated = runStep(existing(), { secret: "n3w-s3cr3t" });
    expect(rotated.calls.at(-1)).toEqual(["admin", "auth", "update-oauth", "--id", "117", ...flags, "--secret", "n3w-s3cr3t"]);
    expect(withSecret(runStep(existing(), { secret: "n3w-s3cr3t" }).calls, "n3w-s3cr3t")).toEqual([]);
  });

  test("a failed write records nothing, so the next run passes the secret again", () => {
    const failed = runStep(existing(), { failing: true });
    expect(failed.status).not.toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(runStep(existing()).calls.at(-1)).toEqual(["admin", "auth", "update-oauth", "--id", "117", ...flags, "--secret", "s3cr3t"]);
  });
});
