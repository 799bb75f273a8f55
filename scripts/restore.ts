/**
 * npm run restore -- <service> [--host H] [--snapshot ID] [--to-new-volume]
 *                    [--from-host H] [--databases-only | --volumes-only] [--into-postgres C] [--dry-run]
 *
 * Restores a service's volumes and databases from the backup repository, on every host that holds
 * some of its data (or on --host), over the docker CLI (`DOCKER_HOST=ssh://<user>@<host>`): it runs
 * the job container's restore.sh on each host, which downloads and verifies the snapshot, saves the
 * current state as a pre-restore snapshot, stops the service's containers there, refills the
 * volumes and databases, and starts them again. A database on the shared Postgres is written by
 * the service on every host, so for an in-place database restore the service is stopped on every
 * host first and started after. Every command and its output is printed.
 */
import { spawnSync } from "node:child_process";
import { backupHostsOf, ServiceBackup } from "../backup/plan";
import { BACKUP_PATHS } from "../constructs/backup-job";
import { dockerHostUrl, findHost, hostNamesOf } from "../homelab/derive";
import { HomelabSpec } from "../homelab/types";
import { takeFlagValue } from "./cli-args";

/** The job container every host runs (BackupJob). */
export const BACKUP_CONTAINER = "kitestacks-backup";

export interface RestoreOptions {
  readonly service: string;
  readonly host?: string;
  readonly snapshot?: string;
  readonly toNewVolume: boolean;
  readonly fromHost?: string;
  readonly databasesOnly: boolean;
  readonly volumesOnly: boolean;
  readonly intoPostgres?: string;
  readonly dryRun: boolean;
}

/** One docker CLI call on one host. */
export interface RestoreStep {
  readonly host: string;
  readonly dockerHost: string;
  readonly args: readonly string[];
  readonly why: string;
}

export class RestoreUsageError extends Error {}

const USAGE =
  "usage: npm run restore -- <service> [--host H] [--snapshot ID] [--to-new-volume] [--from-host H] [--databases-only | --volumes-only] [--into-postgres CONTAINER] [--dry-run]";

export function parseRestoreArgs(argv: readonly string[]): RestoreOptions {
  const rest = [...argv];
  let service: string | undefined;
  const opts: { -readonly [K in keyof RestoreOptions]?: RestoreOptions[K] } = { toNewVolume: false, databasesOnly: false, volumesOnly: false, dryRun: false };
  const value = (flag: string) => takeFlagValue(rest, flag, (m) => new RestoreUsageError(`${m}\n${USAGE}`));
  while (rest.length > 0) {
    const a = rest.shift()!;
    if (a === "--host") opts.host = value(a);
    else if (a === "--snapshot") opts.snapshot = value(a);
    else if (a === "--from-host") opts.fromHost = value(a);
    else if (a === "--into-postgres") opts.intoPostgres = value(a);
    else if (a === "--to-new-volume") opts.toNewVolume = true;
    else if (a === "--databases-only") opts.databasesOnly = true;
    else if (a === "--volumes-only") opts.volumesOnly = true;
    else if (a === "--dry-run") opts.dryRun = true;
    else if (a.startsWith("--")) throw new RestoreUsageError(`unknown option ${a}\n${USAGE}`);
    else if (service) throw new RestoreUsageError(`one service at a time (got ${service} and ${a})\n${USAGE}`);
    else service = a;
  }
  if (!service) throw new RestoreUsageError(USAGE);
  if (opts.databasesOnly && opts.volumesOnly) throw new RestoreUsageError(`--databases-only and --volumes-only exclude each other\n${USAGE}`);
  return { ...opts, service } as RestoreOptions;
}

/** The docker calls a restore takes, in order; throws with every problem of the request at once. */
export function planRestore(spec: HomelabSpec, o: RestoreOptions): RestoreStep[] {
  const problems: string[] = [];
  const svc = spec.services.find((s) => s.name === o.service || (s.formerNames ?? []).includes(o.service));
  if (!svc) throw new RestoreUsageError(`service ${JSON.stringify(o.service)} is not in the homelab description; known: ${spec.services.map((s) => s.name).join(", ")}`);
  const holders = backupHostsOf(spec, svc.name);
  if (holders.length === 0) throw new RestoreUsageError(`service ${svc.name} has no volume and no database: there is nothing to restore`);
  const hostNames = spec.hosts.map((h) => h.name);
  for (const [flag, h] of [["--host", o.host], ["--from-host", o.fromHost]] as const) {
    if (h && !hostNames.includes(h)) problems.push(`${flag} ${h} is not a host of the homelab; use one of: ${hostNames.join(", ")}`);
  }
  const targets = o.host ? holders.filter((x) => x.host === o.host) : holders;
  if (o.host && hostNames.includes(o.host) && targets.length === 0) {
    problems.push(`--host ${o.host}: ${svc.name} keeps no data there; it does on ${holders.map((x) => x.host).join(", ")}`);
  }
  if (o.snapshot && targets.length > 1 && !o.fromHost) {
    problems.push(`--snapshot ${o.snapshot}: snapshots belong to one host; add --host (one of ${targets.map((x) => x.host).join(", ")})`);
  }
  if (problems.length > 0) throw new RestoreUsageError(problems.join("\n"));

  const passthrough = [
    ...(o.snapshot ? ["--snapshot", o.snapshot] : []),
    ...(o.toNewVolume ? ["--to-new-volume"] : []),
    ...(o.fromHost ? ["--from-host", o.fromHost] : []),
    ...(o.databasesOnly ? ["--databases-only"] : []),
    ...(o.volumesOnly ? ["--volumes-only"] : []),
    ...(o.intoPostgres ? ["--into-postgres", o.intoPostgres] : []),
  ];
  const stepOn = (host: string, args: string[], why: string): RestoreStep => ({ host, dockerHost: dockerHostUrl(findHost(spec, host)), args, why });
  const sharedDb = (b: ServiceBackup) => b.postgresDatabases.length > 0;
  // A shared-Postgres database is written by the service on every host that runs it.
  const stopEverywhere = !o.toNewVolume && !o.volumesOnly && targets.some((t) => sharedDb(t.backup) && !o.intoPostgres);
  const runners = stopEverywhere ? hostNamesOf(spec, svc) : [];
  const containersOn = (host: string) => holders.find((x) => x.host === host)?.backup.containers ?? [svc.name, ...(svc.companions ?? []).map((c) => `${svc.name}-${c.name}`)];
  return [
    ...runners.map((h) => stepOn(h, ["stop", ...containersOn(h)], `${svc.name} writes to the shared database from ${h}: stop it there first`)),
    ...targets.map((t) =>
      stepOn(t.host, ["exec", BACKUP_CONTAINER, `${BACKUP_PATHS.scripts}/restore.sh`, svc.name, ...passthrough], describe(t.host, t.backup, o)),
    ),
    ...runners.map((h) => stepOn(h, ["start", ...containersOn(h)], `start ${svc.name} on ${h} again`)),
  ];
}

function describe(host: string, b: ServiceBackup, o: RestoreOptions): string {
  const what = [
    ...(o.databasesOnly ? [] : b.volumes.map((v) => `volume ${v.volume}`)),
    ...(o.volumesOnly ? [] : [...b.postgresDatabases.map((d) => `postgres ${d}`), ...b.mariadb.map((m) => `mariadb ${m.database}`)]),
  ];
  return `restore ${what.join(", ") || "the snapshot's dumps"} on ${host}${o.toNewVolume ? " into new volumes and databases" : ""}`;
}

export type Runner = (step: RestoreStep) => { status: number | null };

const dockerRunner: Runner = (step) =>
  spawnSync("docker", [...step.args], { stdio: "inherit", env: { ...process.env, DOCKER_HOST: step.dockerHost } });

export function runRestore(spec: HomelabSpec, o: RestoreOptions, run: Runner = dockerRunner, log: (line: string) => void = console.log): number {
  const steps = planRestore(spec, o);
  for (const step of steps) {
    log(`# ${step.why}`);
    log(`DOCKER_HOST=${step.dockerHost} docker ${step.args.join(" ")}`);
    if (o.dryRun) continue;
    const r = run(step);
    if (r.status !== 0) {
      log(`restore: failed on ${step.host} (exit ${r.status}); containers stopped for it stay stopped until you start them:`);
      for (const s of steps.filter((x) => x.args[0] === "start")) log(`  DOCKER_HOST=${s.dockerHost} docker ${s.args.join(" ")}`);
      return 1;
    }
  }
  log(o.dryRun ? "restore: dry run, nothing was changed" : `restore: ${o.service} restored (${steps.length} step${steps.length === 1 ? "" : "s"})`);
  return 0;
}

if (require.main === module) {
  void (async () => {
    try {
      const specPath = process.env.KITESTACKS_SPEC;
      const spec: HomelabSpec = specPath ? (await import(require("node:path").resolve(specPath))).spec : (await import("../homelab/homelab")).kitestacks;
      process.exitCode = runRestore(spec, parseRestoreArgs(process.argv.slice(2)));
    } catch (e) {
      if (e instanceof RestoreUsageError) {
        console.error(`restore: ${e.message}`);
        process.exitCode = 2;
      } else throw e;
    }
  })();
}
