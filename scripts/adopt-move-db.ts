/**
 * npm run adopt:move-db -- <service> --from <host> [--from-container C] [--from-database D]
 *                          [--from-user U] [--database D] [--to <host>] [--dump-dir DIR] [--no-backup] [--dry-run]
 *
 * Moves a service's database when adoption changes where it lives (docs/adopt.md, "Data that
 * moves"): a per-host MariaDB whose service is now homed (BookStack, OSTicket: the copy on the
 * other host), or a per-host Postgres whose service now uses the shared Postgres. The target is
 * what the description says: the service's `<service>-mariadb` on its home, or the shared
 * Postgres (database owned by the service's role, which the stack provisions). The source is
 * the old container, named like the target unless --from-container says otherwise.
 *
 *   1. backup of the service on the target host by its backup job (the way back: npm run restore);
 *   2. the service's containers on the target host stop (nothing writes during the load);
 *   3. dump from the source, with the job's own functions (backup/image/lib.sh:
 *      mariadb-dump --single-transaction / pg_dump -Fc) into ./adopt-dumps/ (kept);
 *   4. load into the target: the MariaDB database dropped and reloaded (lib.sh), the Postgres one
 *      pg_restore'd with --clean, objects owned by the service's role;
 *   5. the table lists of both sides must agree; the containers start again (also on failure).
 * Docker runs over `DOCKER_HOST=ssh://<user>@<host>`, as npm run restore does.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { mariadbContainerName } from "../backup/plan";
import { BACKUP_PATHS } from "../constructs/backup-job";
import { dockerHostUrl, findHost } from "../homelab/derive";
import { isHomed } from "../homelab/placement";
import { DatabaseSpec, HomelabSpec } from "../homelab/types";
import { BACKUP_CONTAINER } from "./restore";
import { takeFlagValue } from "./cli-args";

export interface MoveDbOptions {
  readonly service: string;
  readonly database?: string;
  readonly from: string;
  readonly fromContainer?: string;
  readonly fromDatabase?: string;
  /** Postgres role the source dump runs as. @default postgres */
  readonly fromUser?: string;
  readonly to?: string;
  readonly backup: boolean;
  readonly dryRun: boolean;
  /** Where dumps are kept. @default ./adopt-dumps */
  readonly dumpDir?: string;
}

export interface MoveStep {
  readonly why: string;
  /** DOCKER_HOST of the host the step runs against. */
  readonly dockerHost: string;
  readonly script: string;
  readonly args: readonly string[];
}

export class MoveDbUsageError extends Error {}

const USAGE =
  "usage: npm run adopt:move-db -- <service> --from <host> [--from-container C] [--from-database D] [--from-user U] [--database D] [--to <host>] [--dump-dir DIR] [--no-backup] [--dry-run]";

export function parseMoveDbArgs(argv: readonly string[]): MoveDbOptions {
  const rest = [...argv];
  const o: { -readonly [K in keyof MoveDbOptions]?: MoveDbOptions[K] } = { backup: true, dryRun: false };
  const value = (flag: string) => takeFlagValue(rest, flag, (m) => new MoveDbUsageError(`${m}\n${USAGE}`));
  while (rest.length > 0) {
    const a = rest.shift()!;
    if (a === "--from") o.from = value(a);
    else if (a === "--from-container") o.fromContainer = value(a);
    else if (a === "--from-database") o.fromDatabase = value(a);
    else if (a === "--from-user") o.fromUser = value(a);
    else if (a === "--database") o.database = value(a);
    else if (a === "--to") o.to = value(a);
    else if (a === "--dump-dir") o.dumpDir = value(a);
    else if (a === "--no-backup") o.backup = false;
    else if (a === "--dry-run") o.dryRun = true;
    else if (a.startsWith("--")) throw new MoveDbUsageError(`unknown option ${a}\n${USAGE}`);
    else if (o.service) throw new MoveDbUsageError(`one service at a time\n${USAGE}`);
    else o.service = a;
  }
  if (!o.service || !o.from) throw new MoveDbUsageError(USAGE);
  return o as MoveDbOptions;
}

/** The job's shell library: the dump and load functions the backups use. */
export const LIB_SH = resolve(__dirname, "..", "backup", "image", "lib.sh");

/** Every step of a move, in order; throws with every problem of the request at once. */
export function planMove(spec: HomelabSpec, o: MoveDbOptions, stamp: string): { steps: MoveStep[]; engine: DatabaseSpec["engine"]; dump: string; containers: string[]; target: { host: string; container: string; database: string } } {
  const problems: string[] = [];
  const svc = spec.services.find((s) => s.name === o.service);
  if (!svc) throw new MoveDbUsageError(`service ${JSON.stringify(o.service)} is not in the homelab description; known: ${spec.services.map((s) => s.name).join(", ")}`);
  const dbs = (svc.databases ?? []).filter((d) => !o.database || d.name === o.database);
  if (dbs.length !== 1) problems.push(dbs.length === 0 ? `${svc.name} declares no database${o.database ? ` ${o.database}` : ""}: use one of ${(svc.databases ?? []).map((d) => d.name).join(", ") || "(none)"}` : `${svc.name} has several databases: add --database (${dbs.map((d) => d.name).join(", ")})`);
  const hosts = spec.hosts.map((h) => h.name);
  if (!hosts.includes(o.from)) problems.push(`--from ${o.from} is not a host of the homelab; use one of: ${hosts.join(", ")}`);
  if (o.to && !hosts.includes(o.to)) problems.push(`--to ${o.to} is not a host of the homelab; use one of: ${hosts.join(", ")}`);
  if (problems.length > 0) throw new MoveDbUsageError(problems.join("\n"));
  const db = dbs[0];
  const pg = spec.sharedPostgres;
  if (db.engine === "shared-postgres" && !pg) throw new MoveDbUsageError(`${svc.name}'s database is on the shared Postgres, but the description has none`);
  const toHost = o.to ?? (db.engine === "shared-postgres" ? pg!.host : isHomed(svc) ? svc.placement.home : undefined);
  if (!toHost) throw new MoveDbUsageError(`${svc.name} is replicated with a per-host MariaDB: say which host's copy to replace with --to`);
  const container = db.engine === "mariadb" ? mariadbContainerName(svc.name) : pg!.containerName;
  const fromContainer = o.fromContainer ?? container;
  const fromDatabase = o.fromDatabase ?? db.name;
  if (o.from === toHost && fromContainer === container && fromDatabase === db.name) throw new MoveDbUsageError(`--from ${o.from} and the target are the same database (${container}/${db.name}): name the old container with --from-container`);
  const src = dockerHostUrl(findHost(spec, o.from));
  const dst = dockerHostUrl(findHost(spec, toHost));
  const dump = join(resolve(o.dumpDir ?? "adopt-dumps"), `${svc.name}-${db.name}-from-${o.from}-${stamp}.${db.engine === "mariadb" ? "sql" : "dump"}`);
  const containers = [svc.name, ...(svc.companions ?? []).map((c) => `${svc.name}-${c.name}`)];
  const lib = (body: string) => `. "$KITE_LIB"; ${body}`;
  const steps: MoveStep[] = [];
  if (o.backup) steps.push({ why: `back up ${svc.name} on ${toHost} first (the way back: npm run restore -- ${svc.name} --host ${toHost})`, dockerHost: dst, script: 'docker exec "$1" "$2" "$3"', args: [BACKUP_CONTAINER, `${BACKUP_PATHS.scripts}/backup.sh`, svc.name] });
  steps.push({ why: `stop ${svc.name} on ${toHost}: nothing writes while its database is replaced`, dockerHost: dst, script: 'docker stop "$@"', args: containers });
  if (db.engine === "mariadb") {
    steps.push({ why: `dump ${fromDatabase} from ${fromContainer} on ${o.from}`, dockerHost: src, script: lib('kite_mariadb_dump "$1" "$2" "$3" && tail -c 200 "$3" | grep -q "Dump completed"'), args: [fromContainer, fromDatabase, dump] });
    steps.push({ why: `replace ${db.name} on ${container} (${toHost}) with it`, dockerHost: dst, script: lib('kite_mariadb_load "$1" "$2" "$3"'), args: [container, db.name, dump] });
  } else {
    steps.push({ why: `dump ${fromDatabase} from ${fromContainer} on ${o.from}`, dockerHost: src, script: lib('KITE_PG_SUPERUSER=$4; kite_pg_dump "$1" "$2" "$3"'), args: [fromContainer, fromDatabase, dump, o.fromUser ?? "postgres"] });
    steps.push({
      why: `load it into ${db.name} on ${container} (${toHost}), owned by ${db.user}`,
      dockerHost: dst,
      script: 'docker exec -i "$1" pg_restore -U postgres --clean --if-exists --no-owner --role="$3" --exit-on-error -d "$2" <"$4"',
      args: [container, db.name, db.user, dump],
    });
  }
  return { steps, engine: db.engine, dump, containers, target: { host: toHost, container, database: db.name } };
}

export type MoveRunner = (step: MoveStep) => { status: number | null; stdout: string; stderr: string };

export const shellRunner = (env: NodeJS.ProcessEnv): MoveRunner => (step) => {
  const r = spawnSync("sh", ["-c", `umask 077; ${step.script}`, "sh", ...step.args], { encoding: "utf8", env: { ...env, DOCKER_HOST: step.dockerHost, KITE_LIB: LIB_SH }, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.error ? null : r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
};

/** The table list of the database on one side (the same query the drill uses). */
function tables(run: MoveRunner, engine: DatabaseSpec["engine"], dockerHost: string, container: string, database: string, pgUser: string): string[] | undefined {
  const r = run({
    why: "tables",
    dockerHost,
    script: engine === "mariadb" ? '. "$KITE_LIB"; kite_mariadb_tables "$1" "$2"' : '. "$KITE_LIB"; KITE_PG_SUPERUSER=$3; kite_pg_tables "$1" "$2"',
    args: [container, database, pgUser],
  });
  return r.status === 0 ? r.stdout.split("\n").map((l) => l.trim()).filter(Boolean).sort() : undefined;
}

export function runMove(spec: HomelabSpec, o: MoveDbOptions, run: MoveRunner, log: (line: string) => void = console.log, stamp = new Date().toISOString().replace(/[:.]/g, "-")): number {
  const plan = planMove(spec, o, stamp);
  // The dumps hold the service's data: readable by this user only.
  mkdirSync(resolve(plan.dump, ".."), { recursive: true, mode: 0o700 });
  const startAgain: MoveStep = { why: `start ${o.service} on ${plan.target.host} again`, dockerHost: plan.steps[plan.steps.length - 1].dockerHost, script: 'docker start "$@"', args: plan.containers };
  let stopped = false;
  for (const step of [...plan.steps, startAgain]) {
    log(`# ${step.why}\nDOCKER_HOST=${step.dockerHost} sh -c '${step.script}' ${step.args.join(" ")}`);
    if (o.dryRun) continue;
    const r = run(step);
    if (r.stdout.trim()) log(r.stdout.trimEnd());
    if (step.script.startsWith("docker stop")) stopped = true;
    if (step === startAgain) break;
    if (r.status !== 0) {
      log(r.stderr.trimEnd());
      log(`adopt:move-db: failed (exit ${r.status}): ${step.why}`);
      if (stopped) run(startAgain);
      log(stopped ? `adopt:move-db: ${o.service} started again on ${plan.target.host}; if the load had begun, restore: npm run restore -- ${o.service} --host ${plan.target.host} --databases-only` : "adopt:move-db: nothing was changed");
      return 1;
    }
    // After the load, both sides must hold the same tables.
    if (step === plan.steps[plan.steps.length - 1]) {
      const from = plan.steps.find((s) => s.why.startsWith("dump"))!;
      const before = tables(run, plan.engine, from.dockerHost, from.args[0], from.args[1], o.fromUser ?? "postgres");
      const after = tables(run, plan.engine, step.dockerHost, plan.target.container, plan.target.database, "postgres");
      if (!before || !after || before.join() !== after.join()) {
        log(`adopt:move-db: the tables differ after the load (source ${before?.length ?? "?"}, target ${after?.length ?? "?"})`);
        run(startAgain);
        log(`adopt:move-db: ${o.service} started again; restore the target: npm run restore -- ${o.service} --host ${plan.target.host} --databases-only`);
        return 1;
      }
      log(`adopt:move-db: ${after.length} tables in ${plan.target.database} on ${plan.target.container} (${plan.target.host}), as in the source; dump kept at ${plan.dump}`);
    }
  }
  if (o.dryRun) log("adopt:move-db: dry run, nothing was changed");
  return 0;
}

if (require.main === module) {
  void (async () => {
    try {
      const spec: HomelabSpec = process.env.KITESTACKS_SPEC ? (await import(resolve(process.env.KITESTACKS_SPEC))).spec : (await import("../homelab/homelab")).kitestacks;
      process.exitCode = runMove(spec, parseMoveDbArgs(process.argv.slice(2)), shellRunner(process.env));
    } catch (e) {
      if (e instanceof MoveDbUsageError) {
        console.error(`adopt:move-db: ${e.message}`);
        process.exitCode = 2;
      } else throw e;
    }
  })();
}
