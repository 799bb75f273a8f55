import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { backupHostsOf } from "../../backup/plan";
import { dockerHostUrl, hostNamesOf, primaryHost } from "../../homelab/derive";
import { parseRestoreArgs, planRestore, RestoreUsageError, runRestore } from "../../scripts/restore";
import { goodSpec } from "../fixtures/specs";
import { repoRoot } from "../helpers/synth";

const primary = primaryHost(goodSpec).name;
const other = goodSpec.hosts.find((h) => h.name !== primary)!.name;
// Derived: a service with a shared-Postgres database, one with only per-host data, one with none.
const shared = goodSpec.services.find((s) => (s.databases ?? []).some((d) => d.engine === "shared-postgres") && (s.volumes ?? []).length > 0)!;
const perHost = goodSpec.services.find((s) => (s.databases ?? []).some((d) => d.engine === "mariadb"))!;
const stateless = goodSpec.services.find((s) => backupHostsOf(goodSpec, s.name).length === 0)!;
const opts = (argv: string[]) => parseRestoreArgs(argv);

describe("npm run restore", () => {
  test("a shared-database service: stopped on every host, restored where its data is, started again", () => {
    const steps = planRestore(goodSpec, opts([shared.name]));
    const runners = hostNamesOf(goodSpec, shared);
    expect(steps.map((s) => `${s.host} ${s.args[0]}`)).toEqual([
      ...runners.map((h) => `${h} stop`),
      ...backupHostsOf(goodSpec, shared.name).map((h) => `${h.host} exec`),
      ...runners.map((h) => `${h} start`),
    ]);
    const onPrimary = steps.find((s) => s.args[0] === "exec" && s.host === primary)!;
    expect(onPrimary.dockerHost).toBe(dockerHostUrl(goodSpec.hosts.find((h) => h.name === primary)!));
    expect(onPrimary.args).toEqual(["exec", "kitestacks-backup", "/opt/kitestacks/restore.sh", shared.name]);
    expect(onPrimary.why).toMatch(/postgres /);
  });

  test("--host limits it to one host; per-host data needs no stop elsewhere; flags pass through", () => {
    // Where the per-host service keeps its data: its home (placement), one host.
    const [perHostHost] = hostNamesOf(goodSpec, perHost);
    const steps = planRestore(goodSpec, opts([perHost.name, "--host", perHostHost, "--snapshot", "abc123", "--to-new-volume"]));
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ host: perHostHost, args: ["exec", "kitestacks-backup", "/opt/kitestacks/restore.sh", perHost.name, "--snapshot", "abc123", "--to-new-volume"] });
    // The volumes-only host of a shared service: nothing to stop elsewhere.
    expect(planRestore(goodSpec, opts([shared.name, "--host", other])).map((s) => s.args[0])).toEqual(["exec"]);
  });

  test("lists every problem of a request at once, and unknown services with the known ones", () => {
    expect(() => planRestore(goodSpec, opts(["nope"]))).toThrow(/service "nope" is not in the homelab description; known: .*portal/);
    expect(() => planRestore(goodSpec, opts([stateless.name]))).toThrow(new RegExp(`${stateless.name} has no volume and no database`));
    expect(() => planRestore(goodSpec, opts([shared.name, "--host", "mars", "--from-host", "venus"]))).toThrow(/--host mars is not a host[\s\S]*--from-host venus is not a host/);
    expect(() => planRestore(goodSpec, opts([shared.name, "--snapshot", "abc"]))).toThrow(/snapshots belong to one host; add --host/);
    expect(() => parseRestoreArgs(["--host"])).toThrow(RestoreUsageError);
    expect(() => parseRestoreArgs([shared.name, "--databases-only", "--volumes-only"])).toThrow(/exclude each other/);
  });

  test("prints every command, and on a failure says how to start what it stopped", () => {
    const lines: string[] = [];
    const calls: string[] = [];
    const code = runRestore(goodSpec, opts([shared.name]), (s) => {
      calls.push(`${s.host} ${s.args[0]}`);
      return { status: s.args[0] === "exec" ? 1 : 0 };
    }, (l) => lines.push(l));
    expect(code).toBe(1);
    expect(calls.filter((c) => c.endsWith("start"))).toEqual([]);
    expect(lines.join("\n")).toMatch(/restore: failed on .* \(exit 1\)[\s\S]*docker start /);
  });

  test("the npm script runs (dry run: prints the commands, changes nothing)", () => {
    const r = spawnSync(join(repoRoot, "node_modules/.bin/tsx"), ["scripts/restore.ts", shared.name, "--dry-run"], { cwd: repoRoot, encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/DOCKER_HOST=ssh:\/\/\S+ docker exec kitestacks-backup \/opt\/kitestacks\/restore\.sh/);
    expect(r.stdout).toMatch(/dry run, nothing was changed/);
    const bad = spawnSync(join(repoRoot, "node_modules/.bin/tsx"), ["scripts/restore.ts"], { cwd: repoRoot, encoding: "utf8", timeout: 60_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/usage: npm run restore/);
  });
});
