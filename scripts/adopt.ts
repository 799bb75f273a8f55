/**
 * npm run adopt -- <host> [--target ADDRESS ...] [--compose "docker compose"] [--timeout SECONDS]
 *                         [--no-backup] [--dry-run]
 *
 * The cut-over of one host from the owner's compose projects to its `<host>-docker` stack
 * (docs/adopt.md), after `npm run synth` with adoption.json in place:
 *   1. backup: applies the stack's backup job alone (`terraform apply -target` of its container:
 *      it imports the adopted volumes it mounts, which changes no data) and runs its backup.sh for
 *      the services with data to take over (preCutOverBackup), on the old containers that hold it
 *      (KITE_CONTAINER_ALIASES from the `container` fields), so that data is in the off-host
 *      repository before anything stops (restore:
 *      `npm run restore -- <service> --host <host>`). A failure here stops the cut-over with the
 *      old homelab untouched;
 *   2. plans the host stack (`terraform plan -out`, or only --target addresses, to move a host one
 *      service at a time) and runs the deploy's data guard on it (scripts/plan-summary.ts: no
 *      volume, generated password or server deleted or replaced); a refused plan stops here, with
 *      the old homelab untouched;
 *   3. stops each compose project the adoption file lists: `docker compose ... down` (containers
 *      and compose's own networks go, volumes and bind directories stay: no -v); one that fails
 *      is tried again after the others (eachProjectInTurn: a project on another's network);
 *   4. applies exactly the plan checked in 2;
 *   5. waits until every long-running container the stack manages on the host is healthy;
 *   6. on a failure in 4 or 5, rolls back: removes the stack's containers on the host (never a
 *      volume) and starts the compose projects again (`docker compose ... up -d`) on the same data.
 * Every command is printed before it runs. Docker and compose run on the host over SSH with the
 * doctor's options (StrictHostKeyChecking=yes, BatchMode).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { stackNames } from "../app";
import { BACKUP_PATHS } from "../constructs/backup-job";
import { LABELS, MANAGED_BY } from "../constructs/kite-service";
import { SSH_HOST_KEY_OPTIONS } from "../constructs/ssh-options";
import { backupPlan } from "../backup/plan";
import { Adoption, ADOPTION_FILE, ComposeProject, holdsData, loadAdoption, oldContainerNames } from "../homelab/adoption";
import { findHost, tailscaleName } from "../homelab/derive";
import { HomelabSpec, HostSpec } from "../homelab/types";
import { dataLosses, renderDataLosses, TerraformPlanJson } from "./plan-summary";
import { BACKUP_CONTAINER } from "./restore";
import { takeFlagValue } from "./cli-args";

/** The saved plan step 2 checks and step 4 applies (in the stack folder; the CLI removes it on exit). */
const ADOPT_PLAN = "adopt.tfplan";

export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CutOverOptions {
  readonly host: string;
  readonly targets: readonly string[];
  readonly compose: readonly string[];
  readonly timeoutSeconds: number;
  readonly backup: boolean;
  readonly dryRun: boolean;
}

export interface CutOverDeps {
  /** Runs argv on the host (over SSH in production). */
  readonly onHost: (host: HostSpec, argv: readonly string[]) => CommandResult;
  /** Runs terraform in the stack's directory. */
  readonly terraform: (args: readonly string[]) => CommandResult;
  readonly log: (line: string) => void;
  readonly sleep: (ms: number) => Promise<void>;
}

export class AdoptUsageError extends Error {}

const USAGE = 'usage: npm run adopt -- <host> [--target ADDRESS ...] [--compose "docker compose"] [--timeout SECONDS] [--no-backup] [--dry-run]';

export function parseAdoptArgs(argv: readonly string[]): CutOverOptions {
  const rest = [...argv];
  let host: string | undefined;
  const targets: string[] = [];
  let compose = ["docker", "compose"];
  let timeoutSeconds = 600;
  let backup = true;
  let dryRun = false;
  const value = (flag: string) => takeFlagValue(rest, flag, (m) => new AdoptUsageError(`${m}\n${USAGE}`));
  while (rest.length > 0) {
    const a = rest.shift()!;
    if (a === "--target") targets.push(value(a));
    else if (a === "--compose") compose = value(a).split(/\s+/).filter(Boolean);
    else if (a === "--timeout") {
      timeoutSeconds = Number(value(a));
      if (!Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0) throw new AdoptUsageError(`--timeout: a whole number of seconds\n${USAGE}`);
    } else if (a === "--no-backup") backup = false;
    else if (a === "--dry-run") dryRun = true;
    else if (a.startsWith("--")) throw new AdoptUsageError(`unknown option ${a}\n${USAGE}`);
    else if (host) throw new AdoptUsageError(`one host at a time (got ${host} and ${a})\n${USAGE}`);
    else host = a;
  }
  if (!host) throw new AdoptUsageError(USAGE);
  return { host, targets, compose, timeoutSeconds, backup, dryRun };
}

/**
 * Seconds compose v1 waits for one Docker API call (its default, 60, is shorter than stopping a
 * busy Authentik on a slow home machine: `down` then fails half-way, and so can the rollback's
 * `up -d`). Compose v2 ignores it. Passed with `env`, because the command runs over SSH.
 */
export const COMPOSE_HTTP_TIMEOUT_SECONDS = 600;

/** `env COMPOSE_HTTP_TIMEOUT=… docker compose -p <project> --project-directory <dir> -f <file>... <verb...>` */
export function composeArgv(compose: readonly string[], p: ComposeProject, verb: readonly string[]): string[] {
  return ["env", `COMPOSE_HTTP_TIMEOUT=${COMPOSE_HTTP_TIMEOUT_SECONDS}`, ...compose, "-p", p.project, "--project-directory", p.workingDir, ...p.configFiles.flatMap((f) => ["-f", f]), ...verb];
}

/**
 * Runs `step` on every project; a project whose step fails is tried again after the others,
 * pass after pass while one makes progress. Compose projects can depend on each other: one
 * joins another's network as external (the owner's Forgejo on `authentik_default`), so
 * `down` of the network's project fails ("has active endpoints") until the other is down,
 * and `up -d` of the other fails until the network's project is up. Returns those that still fail.
 */
export function eachProjectInTurn(projects: readonly ComposeProject[], step: (p: ComposeProject) => boolean): ComposeProject[] {
  let pending = [...projects];
  for (;;) {
    const failed = pending.filter((p) => !step(p));
    if (failed.length === 0 || failed.length === pending.length) return failed;
    pending = failed;
  }
}

/** The address of the backup job's container in the host stack (from the synthesized JSON). */
export function backupContainerAddress(stackJson: Record<string, any>): string | undefined {
  const containers = (stackJson.resource?.docker_container ?? {}) as Record<string, any>;
  const found = Object.entries(containers).find(([, body]) => body.name === BACKUP_CONTAINER);
  return found ? `docker_container.${found[0]}` : undefined;
}

/** What the pre-cut-over backup covers on a host (step 1). */
export interface PreCutOverBackup {
  /** Services of the host's backup plan with data to take over, in plan order. */
  readonly services: readonly string[];
  /** The stack's container names → the old containers that hold their data (`container` fields). */
  readonly aliases: ReadonlyMap<string, string>;
  /** One line per service of the plan: backed up or skipped, and why. */
  readonly report: readonly string[];
}

/**
 * The services whose data the cut-over takes over on the host: at least one adopted volume or
 * bind folder (not `fresh`), or databases on the adopted shared Postgres there. The others have
 * nothing yet (a service that never ran here) and their containers do not exist, so backing them
 * up could only fail.
 */
export function preCutOverBackup(spec: HomelabSpec, adoption: Adoption, host: string): PreCutOverBackup {
  const entry = adoption.hosts?.[host];
  const pgAdopted = holdsData(entry?.sharedPostgres);
  const services: string[] = [];
  const report: string[] = [];
  for (const b of backupPlan(spec, host)) {
    const adopted = Object.entries(entry?.services?.[b.service] ?? {}).filter(([, v]) => holdsData(v)).map(([k]) => k);
    const pg = pgAdopted && b.postgresDatabases.length > 0 ? b.postgresDatabases : [];
    if (adopted.length > 0 || pg.length > 0) {
      services.push(b.service);
      report.push(`backing up ${b.service}: ${[...adopted.map((k) => `adopted ${k}`), ...pg.map((d) => `database ${d} on the adopted shared Postgres`)].join(", ")}`);
    } else report.push(`skipping ${b.service}: nothing of it is taken over on ${host} (${entry?.services?.[b.service] ? "its volumes are fresh" : `no entry in ${ADOPTION_FILE}`})`);
  }
  return { services, aliases: oldContainerNames(spec, adoption, host), report };
}

/** `docker exec [-e KITE_CONTAINER_ALIASES=...] kitestacks-backup .../backup.sh <service>...` (names only, no secret). */
export function preCutOverBackupArgv(b: PreCutOverBackup): string[] {
  const aliases = [...b.aliases].map(([stack, old]) => `${stack}=${old}`).join(" ");
  return ["docker", "exec", ...(aliases ? ["-e", `KITE_CONTAINER_ALIASES=${aliases}`] : []), BACKUP_CONTAINER, `${BACKUP_PATHS.scripts}/backup.sh`, ...b.services];
}

interface ContainerHealth {
  readonly name: string;
  readonly status: string;
  readonly health: string;
  readonly role: string;
}

function managedContainers(deps: CutOverDeps, host: HostSpec): { names: string[]; error?: string } {
  const r = deps.onHost(host, ["docker", "ps", "-a", "--filter", `label=${LABELS.managedBy}=${MANAGED_BY}`, "--filter", `label=${LABELS.host}=${host.name}`, "--format", "{{.Names}}"]);
  if (r.status !== 0) return { names: [], error: (r.stderr || r.stdout).trim() };
  return { names: r.stdout.split(/\s+/).filter(Boolean).sort() };
}

function healthOf(deps: CutOverDeps, host: HostSpec, names: readonly string[]): ContainerHealth[] {
  if (names.length === 0) return [];
  const r = deps.onHost(host, ["docker", "inspect", "--format", `{{.Name}}|{{.State.Status}}|{{if .State.Health}}{{.State.Health.Status}}{{end}}|{{index .Config.Labels "${LABELS.role}"}}`, ...names]);
  return r.stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [name, status, health, role] = line.split("|");
      return { name: name.replace(/^\//, ""), status, health, role };
    });
}

/** Waits until every long-running managed container is running and healthy (or has no check). */
async function waitHealthy(deps: CutOverDeps, host: HostSpec, timeoutSeconds: number): Promise<{ ok: boolean; detail: string }> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let last = "";
  for (;;) {
    const { names, error } = managedContainers(deps, host);
    if (error) last = `docker ps failed: ${error}`;
    const all = healthOf(deps, host, names).filter((c) => c.role !== "job");
    const bad = all.filter((c) => c.status !== "running" || (c.health !== "" && c.health !== "healthy"));
    if (!error && all.length > 0 && bad.length === 0) return { ok: true, detail: `${all.length} containers healthy: ${all.map((c) => c.name).join(", ")}` };
    if (!error) last = all.length === 0 ? "no container of the stack on the host" : bad.map((c) => `${c.name} ${c.status}${c.health ? `/${c.health}` : ""}`).join(", ");
    const dead = bad.filter((c) => c.health === "unhealthy" || c.status === "exited" || c.status === "dead");
    if (dead.length > 0) return { ok: false, detail: `failed: ${dead.map((c) => `${c.name} ${c.status}${c.health ? `/${c.health}` : ""}`).join(", ")}` };
    if (Date.now() > deadline) return { ok: false, detail: `not healthy after ${timeoutSeconds} s: ${last}` };
    await deps.sleep(2000);
  }
}

/** The whole cut-over; returns the exit code (0 adopted, 1 failed and rolled back, 2 failed before anything stopped, 3 rollback failed). */
export async function cutOver(spec: HomelabSpec, adoption: Adoption, stackJson: Record<string, any>, o: CutOverOptions, deps: CutOverDeps): Promise<number> {
  const host = findHost(spec, o.host);
  const projects = adoption.hosts?.[host.name]?.compose ?? [];
  const say = (what: string, argv: readonly string[], where = host.name) => deps.log(`# ${what}\n[${where}] ${argv.join(" ")}`);
  const hostRun = (what: string, argv: readonly string[]): CommandResult => {
    say(what, argv);
    if (o.dryRun) return { status: 0, stdout: "", stderr: "" };
    const r = deps.onHost(host, argv);
    if (r.stdout.trim()) deps.log(r.stdout.trimEnd());
    if (r.status !== 0 && r.stderr.trim()) deps.log(r.stderr.trimEnd());
    return r;
  };
  const tf = (what: string, args: readonly string[]): CommandResult => {
    say(what, ["terraform", ...args], "here");
    if (o.dryRun) return { status: 0, stdout: "", stderr: "" };
    const r = deps.terraform(args);
    deps.log((r.stdout + r.stderr).trimEnd().split("\n").slice(-15).join("\n"));
    return r;
  };

  if (projects.length === 0) deps.log(`adopt: ${ADOPTION_FILE} lists no compose project on ${host.name}: nothing to stop (npm run adopt:discover finds them)`);
  const init = tf("providers and state of the host stack", ["init", "-input=false", "-no-color"]);
  if (init.status !== 0) {
    deps.log("adopt: terraform init failed; nothing was changed");
    return 2;
  }

  const selection = preCutOverBackup(spec, adoption, host.name);
  if (o.backup) for (const line of selection.report) deps.log(`adopt: ${line}`);
  if (o.backup && selection.services.length === 0) {
    deps.log(`adopt: no service's data is taken over on ${host.name}: nothing to back up before the cut-over`);
  } else if (o.backup) {
    const address = backupContainerAddress(stackJson);
    if (!address) {
      deps.log(`adopt: the ${stackNames.host(host.name)} stack has no backup job (${BACKUP_CONTAINER}); nothing to back up with. Run again with --no-backup only if you have another copy of the data`);
      return 2;
    }
    const job = tf("1. the backup job alone (imports the adopted volumes it mounts; no data changes)", ["apply", "-input=false", "-no-color", "-auto-approve", `-target=${address}`]);
    if (job.status !== 0) {
      deps.log("adopt: the backup job could not be applied; the old homelab is untouched");
      return 2;
    }
    const b = hostRun(`1. back up ${selection.services.join(", ")} before anything stops`, preCutOverBackupArgv(selection));
    if (b.status !== 0) {
      deps.log("adopt: the backup failed; the old homelab is untouched (docker logs kitestacks-backup)");
      return 2;
    }
  } else {
    deps.log("adopt: WARNING: --no-backup: no backup is taken before the cut-over");
  }

  // The data guard (as npm run deploy): the plan is saved and checked while the old homelab
  // still runs; step 3 applies exactly that plan.
  const planArgs = ["plan", "-input=false", "-no-color", `-out=${ADOPT_PLAN}`, ...o.targets.map((t) => `-target=${t}`)];
  const planned = tf(`2. plan ${stackNames.host(host.name)} and check it loses no data`, planArgs);
  if (planned.status !== 0) {
    deps.log("adopt: the plan failed; the old homelab is untouched");
    return 2;
  }
  if (!o.dryRun) {
    const show = deps.terraform(["show", "-json", ADOPT_PLAN]);
    const losses = show.status === 0 ? dataLosses(stackNames.host(host.name), JSON.parse(show.stdout) as TerraformPlanJson) : undefined;
    if (!losses) {
      deps.log(`adopt: terraform show of the plan failed; the old homelab is untouched\n${show.stderr.trim()}`);
      return 2;
    }
    if (losses.length > 0) {
      deps.log(`${renderDataLosses(losses)}\nadopt: the old homelab is untouched (check adoption.json: npm run adopt:discover)`);
      return 2;
    }
  }

  const running = eachProjectInTurn(projects, (p) => hostRun(`3. stop the old compose project ${p.project} (volumes and bind directories stay)`, composeArgv(o.compose, p, ["down"])).status === 0);
  if (running.length > 0) {
    deps.log(`adopt: stopping ${running.map((p) => p.project).join(", ")} failed; starting what was stopped again`);
    return (await rollback()) ? 1 : 3;
  }

  const apply = tf(`4. apply ${stackNames.host(host.name)}${o.targets.length ? ` (only ${o.targets.join(", ")})` : ""}: the checked plan`, ["apply", "-input=false", "-no-color", ADOPT_PLAN]);
  let failure: string | undefined = apply.status !== 0 ? "terraform apply failed" : undefined;
  if (!failure && !o.dryRun) {
    deps.log(`# 5. wait until the stack's containers on ${host.name} are healthy (up to ${o.timeoutSeconds} s)`);
    const health = await waitHealthy(deps, host, o.timeoutSeconds);
    deps.log(`adopt: ${health.detail}`);
    if (!health.ok) failure = "the stack did not become healthy";
  }
  if (!failure) {
    deps.log(`adopt: ${host.name} runs on its stack now. The old compose files are left where they are (not running); keep them until you no longer want the way back (docs/adopt.md)`);
    return 0;
  }
  deps.log(`adopt: ${failure}: rolling back to the old compose projects`);
  return (await rollback()) ? 1 : 3;

  async function rollback(): Promise<boolean> {
    const { names, error } = o.dryRun ? { names: ["<the stack's containers>"], error: undefined } : managedContainers(deps, host);
    if (error) deps.log(`adopt: could not list the stack's containers: ${error}`);
    if (names.length > 0) {
      const rm = hostRun("5. remove the stack's containers on the host (never a volume)", ["docker", "rm", "-f", ...names]);
      if (rm.status !== 0) deps.log("adopt: removing them failed; the old containers may not get their names back");
    }
    const ok = eachProjectInTurn(projects, (p) => hostRun(`5. start the old compose project ${p.project} again, on the same volumes`, composeArgv(o.compose, p, ["up", "-d"])).status === 0).length === 0;
    deps.log(
      ok
        ? `adopt: rolled back: the old compose projects run again. Terraform state keeps the imported volumes (prevent_destroy: never deleted); the next apply recreates the removed containers. If the new containers changed data (migrations), restore it: npm run restore -- <service> --host ${host.name}`
        : `adopt: ROLLBACK FAILED: start the compose projects by hand (${projects.map((p) => composeArgv(o.compose, p, ["up", "-d"]).join(" ")).join("; ")})`,
    );
    return ok;
  }
}

/** Runs argv on a host over SSH with the doctor's host-key options. */
export function sshOnHost(env: NodeJS.ProcessEnv): CutOverDeps["onHost"] {
  return (host, argv) => {
    const quoted = argv.map((a) => (/^[A-Za-z0-9_.,:/=@{}+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`));
    const r = spawnSync("ssh", [...SSH_HOST_KEY_OPTIONS, "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", `${host.sshUser}@${tailscaleName(host)}`, ...quoted], { encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024 });
    return { status: r.error ? null : r.status, stdout: r.stdout ?? "", stderr: r.error ? r.error.message : r.stderr ?? "" };
  };
}

if (require.main === module) {
  void (async () => {
    try {
      const o = parseAdoptArgs(process.argv.slice(2));
      const spec: HomelabSpec = process.env.KITESTACKS_SPEC ? (await import(resolve(process.env.KITESTACKS_SPEC))).spec : (await import("../homelab/homelab")).kitestacks;
      const adoptionPath = resolve(process.env.KITESTACKS_ADOPTION ?? ADOPTION_FILE);
      const adoption = loadAdoption(adoptionPath, spec);
      if (!adoption?.hosts?.[o.host]) throw new AdoptUsageError(`${adoptionPath} names nothing on ${o.host}. Fix: npm run adopt:discover, then npm run synth`);
      const stackDir = resolve("cdktf.out", "stacks", stackNames.host(o.host));
      if (!existsSync(join(stackDir, "cdk.tf.json"))) throw new AdoptUsageError(`${stackDir}/cdk.tf.json is missing. Fix: npm run synth (with ${ADOPTION_FILE} in place)`);
      const stackJson = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
      // The saved plan holds the plan's values in clear: never left behind.
      const planFile = join(stackDir, ADOPT_PLAN);
      process.on("exit", () => rmSync(planFile, { force: true }));
      process.exitCode = await cutOver(spec, adoption, stackJson, o, {
        onHost: sshOnHost(process.env),
        terraform: (args) => {
          const r = spawnSync("terraform", [...args], { cwd: stackDir, encoding: "utf8", env: process.env, maxBuffer: 256 * 1024 * 1024 });
          return { status: r.error ? null : r.status, stdout: r.stdout ?? "", stderr: r.error ? r.error.message : r.stderr ?? "" };
        },
        log: (line) => console.log(line),
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      });
    } catch (e) {
      if (e instanceof AdoptUsageError) {
        console.error(`adopt: ${e.message}`);
        process.exitCode = 2;
      } else {
        console.error(e instanceof Error ? e.message : String(e));
        process.exitCode = 2;
      }
    }
  })();
}
