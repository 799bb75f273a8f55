import { execFileSync, spawnSync, SpawnSyncReturns } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join, resolve } from "node:path";
import { planFile, ServiceBackup } from "../../backup/plan";

/**
 * Real servers and the real job scripts for the backup tests: a Postgres and a MariaDB from
 * Debian started in temporary directories on Unix sockets only (no TCP port at all), restic
 * from Debian with a local repository, and backup/image/*.sh run as the job container runs them,
 * with the docker stand-in (fixtures/docker) first on PATH.
 */

export const repoRoot = resolve(__dirname, "../..");
export const scriptsDir = join(repoRoot, "backup/image");
const shimDir = join(__dirname, "fixtures");

export function which(tool: string): string | undefined {
  const r = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function postgresBin(): string {
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base) ? execFileSync("ls", [base], { encoding: "utf8" }).split(/\s+/).filter(Boolean) : [];
  const v = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!v) throw new Error("Postgres server binaries not found under /usr/lib/postgresql: apt-get install postgresql");
  return join(base, v, "bin");
}

/** Runs a command as `user` when we are root (Postgres and MariaDB refuse to run as root). */
function asUser(user: string, cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): string {
  const [file, argv] = userInfo().uid === 0 ? ["runuser", ["-u", user, "--", cmd, ...args]] : [cmd, args];
  return execFileSync(file, argv, { encoding: "utf8", env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
}

/** A scratch directory the database users can enter (prefixed with the helper tag). */
export function scratchDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `ksbk-${label}-`));
  chmodSync(dir, 0o755);
  return dir;
}

function ownedDir(path: string, user: string): string {
  mkdirSync(path, { recursive: true });
  if (userInfo().uid === 0) {
    const id = (flag: string) => Number(execFileSync("id", [flag, user], { encoding: "utf8" }).trim());
    chownSync(path, id("-u"), id("-g"));
  }
  return path;
}

export interface PostgresServer {
  /** Socket directory: PGHOST for clients. */
  readonly socketDir: string;
  readonly port: number;
  /** psql as the superuser, returning trimmed unaligned output. */
  psql(database: string, sql: string): string;
  stop(): void;
}

export function startPostgres(root: string, port = 5432): PostgresServer {
  const bin = postgresBin();
  const data = ownedDir(join(root, "pgdata"), "postgres");
  const socketDir = ownedDir(join(root, "pgsock"), "postgres");
  asUser("postgres", join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
  asUser("postgres", join(bin, "pg_ctl"), [
    "-D", data, "-w", "-l", join(data, "server.log"),
    "-o", `-k ${socketDir} -p ${port} -c listen_addresses='' -c fsync=off -c full_page_writes=off`,
    "start",
  ]);
  const env = { ...process.env, PGHOST: socketDir, PGPORT: String(port), PGUSER: "postgres" };
  return {
    socketDir,
    port,
    psql: (database, sql) =>
      execFileSync("psql", ["-XAtq", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql], { env, encoding: "utf8" }).trim(),
    stop: () => {
      try {
        asUser("postgres", join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        /* already down */
      }
    },
  };
}

export interface MariadbServer {
  readonly socket: string;
  /** SQL as root over the socket. */
  sql(sql: string, database?: string): string;
  stop(): void;
}

export function startMariadb(root: string): MariadbServer {
  const data = ownedDir(join(root, "mydata"), "mysql");
  const run = ownedDir(join(root, "myrun"), "mysql");
  const socket = join(run, "mysqld.sock");
  execFileSync("mariadb-install-db", ["--user=mysql", `--datadir=${data}`, "--auth-root-authentication-method=socket", "--skip-test-db"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const server = spawnSync("sh", ["-c", `mariadbd --no-defaults --user=mysql --datadir="$1" --socket="$2" --pid-file="$3" --skip-networking --log-error="$4" --innodb-buffer-pool-size=64M --innodb-flush-log-at-trx-commit=0 >/dev/null 2>&1 &`, "sh", data, socket, join(run, "mysqld.pid"), join(run, "error.log")]);
  if (server.status !== 0) throw new Error("mariadbd did not start");
  const sql = (text: string, database?: string) =>
    execFileSync("mariadb", ["--no-defaults", "-S", socket, "-u", "root", "-N", "-B", ...(database ? [database] : []), "-e", text], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
  for (let i = 0; ; i++) {
    try {
      sql("SELECT 1");
      break;
    } catch (e) {
      if (i > 100) throw new Error(`mariadbd not ready: ${existsSync(join(run, "error.log")) ? readFileSync(join(run, "error.log"), "utf8").slice(-2000) : e}`);
      execFileSync("sleep", ["0.2"]);
    }
  }
  return {
    socket,
    sql,
    stop: () => {
      const pidFile = join(run, "mysqld.pid");
      if (!existsSync(pidFile)) return;
      const pid = Number(readFileSync(pidFile, "utf8").trim());
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        return;
      }
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(pid, 0);
          execFileSync("sleep", ["0.1"]);
        } catch {
          return;
        }
      }
    },
  };
}

/** One host's job, laid out as the BackupJob construct lays it out in the container. */
export interface JobHost {
  readonly root: string;
  readonly config: string;
  readonly statusDir: string;
  readonly shimDir: string;
  /** Runs one of the job's scripts; never throws. */
  run(script: "backup.sh" | "drill.sh" | "restore.sh", args?: string[], runEnv?: NodeJS.ProcessEnv): SpawnSyncReturns<string>;
  /** The shim's record of stops, starts and execs. */
  calls(): string[];
  resetCalls(): void;
  status(kind: string, service: string): any;
}

export interface JobHostOptions {
  readonly host: string;
  readonly repository: string;
  readonly passwordFile: string;
  readonly plan: readonly ServiceBackup[];
  /** Environment of each "container" (docker exec runs commands with it). */
  readonly containers: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly prune?: boolean;
  /** Extra config lines (S3 credentials files). */
  readonly extraConfig?: Readonly<Record<string, string>>;
  readonly env?: NodeJS.ProcessEnv;
  /**
   * The shell that runs the scripts: ["sh"] (dash), or ["busybox", "sh"], which is what the job
   * image (Alpine) runs, with busybox's own find, date, sed, tar and friends.
   * @default ["sh"]
   */
  readonly shell?: readonly string[];
}

export function jobHost(root: string, opts: JobHostOptions): JobHost {
  const planDir = join(root, "plan");
  const statusDir = join(root, "status");
  const scratch = join(root, "scratch");
  const shim = join(root, "shim");
  mkdirSync(planDir, { recursive: true });
  mkdirSync(join(shim, "containers"), { recursive: true });
  for (const b of opts.plan) writeFileSync(join(planDir, `${b.service}.env`), planFile(b));
  for (const [name, env] of Object.entries(opts.containers)) {
    writeFileSync(join(shim, "containers", `${name}.env`), Object.entries(env).map(([k, v]) => `${k}='${v}'\n`).join(""));
  }
  const config = join(root, "config.env");
  const settings: Record<string, string> = {
    KITE_HOST: opts.host,
    RESTIC_REPOSITORY: opts.repository,
    RESTIC_PASSWORD_FILE: opts.passwordFile,
    KITE_PLAN_DIR: planDir,
    KITE_STATUS_DIR: statusDir,
    KITE_SCRATCH_DIR: scratch,
    KITE_KEEP_DAILY: "7",
    KITE_KEEP_WEEKLY: "4",
    KITE_KEEP_MONTHLY: "6",
    KITE_PRUNE: opts.prune ? "1" : "0",
    KITE_IMAGE: "kitestacks/backup:test",
    ...opts.extraConfig,
  };
  writeFileSync(config, Object.entries(settings).map(([k, v]) => `${k}='${v}'\n`).join(""));
  const env = {
    ...process.env,
    ...opts.env,
    PATH: `${shimDir}:${process.env.PATH}`,
    KITE_CONFIG: config,
    SHIM_DIR: shim,
    // restic's cache stays inside the test's directory.
    RESTIC_CACHE_DIR: join(root, "restic-cache"),
  };
  const callsFile = join(shim, "calls");
  return {
    root,
    config,
    statusDir,
    shimDir: shim,
    run: (script, args = [], runEnv = {}) => {
      const [shell, ...shellArgs] = opts.shell ?? ["sh"];
      return spawnSync(shell, [...shellArgs, join(scriptsDir, script), ...args], { env: { ...env, ...runEnv }, encoding: "utf8", timeout: 300_000 });
    },
    calls: () => (existsSync(callsFile) ? readFileSync(callsFile, "utf8").trim().split("\n").filter(Boolean) : []),
    resetCalls: () => rmSync(callsFile, { force: true }),
    status: (kind, service) => JSON.parse(readFileSync(join(statusDir, kind, `${service}.json`), "utf8")),
  };
}

/** Flips bytes in the middle of every pack file under a local restic repository's data/. */
export function corruptPacks(repository: string): number {
  const packs = execFileSync("find", [join(repository, "data"), "-type", "f"], { encoding: "utf8" }).split("\n").filter(Boolean);
  for (const pack of packs) {
    const bytes = readFileSync(pack);
    chmodSync(pack, 0o644);
    // Every 256th byte: each blob of the pack (and its encrypted header) fails its MAC.
    for (let i = 0; i < bytes.length; i += 256) bytes[i] ^= 0xff;
    writeFileSync(pack, bytes);
  }
  return packs.length;
}

/** Where .ci/run installs moto (an S3-compatible server from PyPI, run on 127.0.0.1). */
export function motoServer(): string {
  const candidates = [process.env.KITE_MOTO_SERVER, join(process.env.HOME ?? "/root", ".cache/kitestacks/moto/bin/moto_server")].filter(Boolean) as string[];
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new Error(
      `moto_server not found (looked in ${candidates.join(", ")}): .ci/run installs it with ` +
        `python3 -m venv ~/.cache/kitestacks/moto && ~/.cache/kitestacks/moto/bin/pip install 'moto[server]==5.2.5'`,
    );
  }
  return found;
}

/** Starts moto's S3 on a free 127.0.0.1 port; resolves once it answers. */
export async function startS3(): Promise<{ endpoint: string; stop: () => void }> {
  const { spawn } = await import("node:child_process");
  const { createServer } = await import("node:net");
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const child = spawn(motoServer(), ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    try {
      await fetch(endpoint);
      return { endpoint, stop: () => child.kill("SIGTERM") };
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  child.kill("SIGTERM");
  throw new Error(`moto_server did not answer on ${endpoint}`);
}
