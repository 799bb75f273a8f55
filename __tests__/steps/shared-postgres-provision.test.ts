import { spawnSync, SpawnSyncReturns } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROVISION_SH, PROVISION_SQL } from "../../constructs/shared-postgres";

/**
 * The shared Postgres's provisioning job (constructs/shared-postgres.provision.sh and .sql) run
 * against a real Postgres: a throwaway cluster in a temp dir on 127.0.0.1, password auth over
 * TCP as in the container. Applied twice (the job re-runs whenever a consumer or password
 * changes), then each role logs in to its own database with its password.
 */

/** A PostgreSQL server binary dir: Debian's /usr/lib/postgresql/<major>/bin, newest first. */
function postgresBinDir(): string {
  const base = "/usr/lib/postgresql";
  const majors = existsSync(base) ? readdirSync(base).filter((d) => existsSync(join(base, d, "bin", "initdb"))) : [];
  majors.sort((a, b) => Number(b) - Number(a));
  if (majors.length === 0) throw new Error("no PostgreSQL server found under /usr/lib/postgresql: apt-get install postgresql (.ci/run does)");
  return join(base, majors[0], "bin");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

const NOBODY = { uid: 65534, gid: 65534 };

describe("shared Postgres provisioning against a real Postgres", () => {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), "aud-pg-"));
  const data = join(dir, "data");
  const superuserPassword = "super-Pw-1";
  const consumers = [
    { role: "authentik", database: "authentik", password: "a-Pw-'quoted\"-1" },
    { role: "forgejo", database: "forgejo", password: "f-Pw-2" },
  ];
  let port = 0;
  // initdb and postgres refuse to run as root: the cluster belongs to nobody.
  const asNobody = process.getuid?.() === 0 ? NOBODY : {};
  const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, opts: object = {}): SpawnSyncReturns<string> =>
    spawnSync(cmd, args, { encoding: "utf8", timeout: 120_000, env: { PATH: process.env.PATH!, ...env }, ...opts });

  beforeAll(async () => {
    port = await freePort();
    chmodSync(dir, 0o755);
    if (process.getuid?.() === 0) chownSync(dir, NOBODY.uid, NOBODY.gid);
    writeFileSync(join(dir, "pw"), superuserPassword);
    if (process.getuid?.() === 0) chownSync(join(dir, "pw"), NOBODY.uid, NOBODY.gid);
    const init = run(join(bin, "initdb"), ["-D", data, "-U", "postgres", `--pwfile=${join(dir, "pw")}`, "--auth=scram-sha-256"], {}, asNobody);
    expect({ status: init.status, err: init.status === 0 ? "" : init.stderr }).toEqual({ status: 0, err: "" });
    const start = run(
      join(bin, "pg_ctl"),
      ["-D", data, "-l", join(dir, "log"), "-w", "-o", `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir}`, "start"],
      {},
      asNobody,
    );
    expect({ status: start.status, err: start.status === 0 ? "" : start.stderr }).toEqual({ status: 0, err: "" });
  }, 240_000); // initdb and the first start, on a loaded machine

  afterAll(() => {
    if (existsSync(join(data, "postmaster.pid"))) run(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"], {}, asNobody);
    rmSync(dir, { recursive: true, force: true });
  });

  /** The job as the container runs it: `sh /provision/provision.sh` beside provision.sql. */
  function provision(): SpawnSyncReturns<string> {
    const job = mkdtempSync(join(tmpdir(), "aud-pgjob-"));
    try {
      writeFileSync(join(job, "provision.sh"), PROVISION_SH);
      writeFileSync(join(job, "provision.sql"), PROVISION_SQL);
      return run("sh", [join(job, "provision.sh")], {
        PGHOST: "127.0.0.1",
        PGPORT: String(port),
        PGUSER: "postgres",
        PGPASSWORD: superuserPassword,
        KITE_CONSUMERS: consumers.map((c) => `${c.role}:${c.database}`).join(" "),
        ...Object.fromEntries(consumers.map((c, i) => [`KITE_ROLE_PASSWORD_${i}`, c.password])),
      });
    } finally {
      rmSync(job, { recursive: true, force: true });
    }
  }

  const query = (user: string, password: string, database: string, sql: string) =>
    run("psql", ["-X", "-A", "-t", "-h", "127.0.0.1", "-p", String(port), "-U", user, "-d", database, "-c", sql], { PGPASSWORD: password });

  test("creates each role and database, and applies again without error", () => {
    for (let i = 0; i < 2; i++) {
      const r = provision();
      expect({ pass: i, status: r.status, stderr: r.stderr }).toEqual({ pass: i, status: 0, stderr: "" });
    }
    const owners = query("postgres", superuserPassword, "postgres", "SELECT datname || '=' || pg_get_userbyid(datdba) FROM pg_database WHERE datname IN ('authentik', 'forgejo') ORDER BY 1");
    expect(owners.stdout.trim().split("\n")).toEqual(["authentik=authentik", "forgejo=forgejo"]);
  });

  test("each role logs in to its own database with its password, and not to the other's", () => {
    for (const c of consumers) {
      const own = query(c.role, c.password, c.database, "SELECT current_user");
      expect({ role: c.role, status: own.status, out: own.stdout.trim() }).toEqual({ role: c.role, status: 0, out: c.role });
    }
    // PUBLIC's CONNECT is revoked: a role cannot open another consumer's database.
    const other = query("forgejo", consumers[1].password, "authentik", "SELECT 1");
    expect(other.status).not.toBe(0);
    expect(other.stderr).toMatch(/permission denied for database "authentik"/);
  });

  test("a rotated password takes effect on the next run", () => {
    const old = consumers[1].password;
    consumers[1].password = "f-Pw-rotated";
    try {
      expect(provision().status).toBe(0);
      expect(query("forgejo", "f-Pw-rotated", "forgejo", "SELECT 1").status).toBe(0);
      expect(query("forgejo", old, "forgejo", "SELECT 1").status).not.toBe(0);
    } finally {
      consumers[1].password = old;
    }
  });
});
