import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { backupPlan, ServiceBackup } from "../../backup/plan";
import { primaryHost } from "../../homelab/derive";
import { HomelabSpec } from "../../homelab/types";
import { goodSpec } from "../fixtures/specs";
import { corruptPacks, jobHost, JobHost, MariadbServer, PostgresServer, scratchDir, startMariadb, startPostgres, startS3 } from "./harness";

/**
 * The job's own scripts against real Postgres, MariaDB and restic: write data, back up, drill,
 * destroy the volumes and the databases, restore, and compare row for row; then corrupt the
 * repository and watch the drill fail. The plan comes from the homelab description, so the
 * services exercised are whichever ones hold a Postgres database, a MariaDB and a SQLite file.
 */

const primary = primaryHost(goodSpec).name;
const other = goodSpec.hosts.find((h) => h.name !== primary)!.name;
// The rollback spec: the non-primary host's Authentik on its own Postgres.
const rollbackSpec: HomelabSpec = { ...goodSpec, sharedPostgres: { ...goodSpec.sharedPostgres!, authentikLocalFallbackOn: [other] } };

let root: string;
let pg: PostgresServer;
let pgOther: PostgresServer;
let maria: MariadbServer;
let job: JobHost;
let otherJob: JobHost;
let repository: string;
let plan: ServiceBackup[];

const withPg = () => plan.find((b) => b.postgresDatabases.length > 0 && b.volumes.length > 0)!;
const withMaria = () => plan.find((b) => b.mariadb.length > 0)!;
const filesOnly = () => plan.find((b) => b.postgresDatabases.length === 0 && b.mariadb.length === 0)!;

function remap(b: ServiceBackup): ServiceBackup {
  return { ...b, volumes: b.volumes.map((v) => ({ ...v, dir: join(root, "volumes", v.volume) })) };
}

const pgPassword = "pw-for-tests-only";
const dumpTable = (server: PostgresServer, db: string, table: string) => server.psql(db, `COPY (SELECT * FROM ${table} ORDER BY 1) TO STDOUT`);
const mariaDump = (db: string, table: string) => maria.sql(`SELECT * FROM \`${table}\` ORDER BY 1`, db);

function treeHash(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash("sha256").update(readFileSync(p)).digest("hex");
    }
  };
  walk(dir);
  return out;
}

function seedPostgres(server: PostgresServer, db: string, rows: number) {
  server.psql("postgres", `CREATE ROLE "${db}" LOGIN PASSWORD '${pgPassword}'`);
  server.psql("postgres", `CREATE DATABASE "${db}" OWNER "${db}"`);
  server.psql(db, `SET ROLE "${db}"; CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL, payload bytea, created timestamptz DEFAULT now());
    CREATE SCHEMA app AUTHORIZATION "${db}"; CREATE TABLE app.events (id bigint PRIMARY KEY, item int REFERENCES items(id), kind text);
    INSERT INTO items (name, payload) SELECT 'item ' || g || E' \\t quote'' "x"', decode(md5(g::text), 'hex') FROM generate_series(1, ${rows}) g;
    INSERT INTO app.events SELECT g, 1 + g % ${rows}, 'kind' || (g % 7) FROM generate_series(1, ${rows * 2}) g;`);
}

function containersFor(p: ServiceBackup[], server: PostgresServer): Record<string, Record<string, string>> {
  const containers: Record<string, Record<string, string>> = {};
  for (const b of p) {
    for (const c of b.containers) containers[c] = {};
    if (b.postgresContainer) containers[b.postgresContainer] = { PGHOST: server.socketDir, PGPORT: String(server.port) };
    for (const m of b.mariadb) {
      // Debian's /etc/mysql/my.cnf names the system socket; ~/.my.cnf is read last and wins.
      const home = join(root, "maria-home");
      mkdirSync(home, { recursive: true });
      writeFileSync(join(home, ".my.cnf"), `[client]\nsocket=${maria.socket}\n`);
      // As the MariaDB container has it: the password as a file (MARIADB_PASSWORD_FILE), read as root.
      writeFileSync(join(root, `maria-${m.database}-password`), pgPassword, { mode: 0o400 });
      containers[m.container] = { HOME: home, MARIADB_USER: m.database, MARIADB_PASSWORD_FILE: join(root, `maria-${m.database}-password`), MARIADB_DATABASE: m.database };
    }
  }
  return containers;
}

beforeAll(() => {
  root = scratchDir("restore");
  pg = startPostgres(join(root, "pg-primary"));
  pgOther = startPostgres(join(root, "pg-other"));
  maria = startMariadb(join(root, "maria"));
  repository = join(root, "repo");
  writeFileSync(join(root, "restic-password"), "correct horse battery staple\n", { mode: 0o600 });
  plan = backupPlan(goodSpec, primary).map(remap);

  for (const b of plan) {
    for (const db of b.postgresDatabases) seedPostgres(pg, db, 500);
    for (const m of b.mariadb) {
      maria.sql(`CREATE DATABASE \`${m.database}\`; CREATE USER '${m.database}'@'localhost' IDENTIFIED BY '${pgPassword}'; GRANT ALL ON \`${m.database}\`.* TO '${m.database}'@'localhost';`);
      maria.sql(`CREATE TABLE pages (id INT PRIMARY KEY AUTO_INCREMENT, title VARCHAR(200), body LONGTEXT) ENGINE=InnoDB;
        CREATE TABLE tags (id INT PRIMARY KEY, page INT, name VARCHAR(50));
        INSERT INTO pages (title, body) SELECT CONCAT('page ', seq, ' \\'q\\' "d"'), REPEAT('x', seq) FROM seq_1_to_300;
        INSERT INTO tags SELECT seq, 1 + seq % 300, CONCAT('t', seq % 9) FROM seq_1_to_600;`, m.database);
    }
    for (const v of b.volumes) {
      mkdirSync(join(v.dir, "sub"), { recursive: true });
      writeFileSync(join(v.dir, "sub", "note.txt"), `${v.volume}\n`.repeat(100));
      writeFileSync(join(v.dir, "blob.bin"), createHash("sha512").update(v.volume).digest());
    }
  }
  // A SQLite database in a volume of a files-only service (Grafana keeps grafana.db like this).
  const sqliteDir = filesOnly().volumes[0].dir;
  execFileSync("sqlite3", [join(sqliteDir, "app.db"), "CREATE TABLE dashboard (id INTEGER PRIMARY KEY, title TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO dashboard SELECT i, 'dash ' || i FROM n;"]);

  job = jobHost(join(root, `job-${primary}`), {
    host: primary,
    repository,
    passwordFile: join(root, "restic-password"),
    plan,
    containers: containersFor(plan, pg),
    prune: true,
  });
}, 120_000);

afterAll(() => {
  pg?.stop();
  pgOther?.stop();
  maria?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("backup.sh", () => {
  test("backs up every planned service: one snapshot each, dumps and volumes together, apps stopped around it", () => {
    const r = job.run("backup.sh");
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.status).toBe(0);
    for (const b of plan) {
      const s = job.status("backup", b.service);
      expect(s).toMatchObject({ kind: "backup", host: primary, service: b.service, ok: true, error: "" });
      // restic 0.14 reports the short id, 0.18 the full one.
      expect(s.details.snapshot).toMatch(/^[0-9a-f]{8,64}$/);
      expect(Date.parse(s.lastSuccessAt)).toBeGreaterThan(Date.now() - 600_000);
    }
    expect(job.status("retention", "repository").ok).toBe(true);

    // One snapshot per service, tagged, with the dumps beside the volumes.
    const snaps = JSON.parse(execFileSync("restic", ["-r", repository, "--password-file", join(root, "restic-password"), "snapshots", "--json"], { encoding: "utf8" }));
    expect(snaps.map((s: any) => s.tags.find((t: string) => t.startsWith("service="))).sort()).toEqual(plan.map((b) => `service=${b.service}`).sort());
    const pgSnap = snaps.find((s: any) => s.tags.includes(`service=${withPg().service}`));
    expect(pgSnap.paths).toEqual(expect.arrayContaining(withPg().volumes.map((v) => v.dir)));

    // The service with volumes and a database: stopped, dumped, started, in that order.
    const calls = job.calls();
    const svc = withPg();
    const stop = calls.indexOf(`stop ${svc.containers[0]}`);
    const dump = calls.indexOf(`exec ${svc.postgresContainer} pg_dump`);
    const start = calls.indexOf(`start ${svc.containers[0]}`);
    expect(stop).toBeGreaterThanOrEqual(0);
    expect(dump).toBeGreaterThan(stop);
    expect(start).toBeGreaterThan(dump);
    // Every container stopped is started again.
    const stopped = calls.filter((c) => c.startsWith("stop ")).map((c) => c.slice(5)).sort();
    expect(calls.filter((c) => c.startsWith("start ")).map((c) => c.slice(6)).sort()).toEqual(stopped);
    expect(stopped).toEqual(plan.filter((b) => b.volumes.length > 0).flatMap((b) => b.containers).sort());
  });
});

describe("drill.sh", () => {
  test("restores every newest snapshot into scratch space and checks it: pg_restore row counts, MariaDB tables, SQLite integrity", () => {
    const r = job.run("drill.sh");
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.status).toBe(0);
    const pgService = withPg();
    const d = job.status("drill", pgService.service);
    expect(d.ok).toBe(true);
    expect(d.details.snapshotAgeSeconds).toBeGreaterThanOrEqual(0);
    expect(d.details.snapshotAgeSeconds).toBeLessThan(600);
    const restored = d.details.postgres.find((p: any) => p.database === pgService.postgresDatabases[0]);
    expect(restored.rowsPerTable).toEqual({ "public.items": 500, "app.events": 1000 });
    expect(restored.rows).toBe(Number(pg.psql(pgService.postgresDatabases[0], "SELECT (SELECT count(*) FROM items) + (SELECT count(*) FROM app.events)")));
    expect(job.status("drill", withMaria().service).details.mariadb).toEqual([{ database: withMaria().mariadb[0].database, tables: 2 }]);
    expect(job.status("drill", filesOnly().service).details.sqlite).toEqual([{ file: `${filesOnly().volumes[0].volume}/app.db`, integrity: "ok" }]);
    expect(job.status("check", "repository").ok).toBe(true);
    // The scratch databases are gone again.
    expect(pg.psql("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'kitestacks_drill_%'")).toBe("0");
  });

  test("fails a SQLite file that does not pass integrity_check", () => {
    const dir = filesOnly().volumes[0].dir;
    const good = readFileSync(join(dir, "app.db"));
    const bad = Buffer.from(good);
    // Keep the file header, break the b-tree page headers behind it.
    const pageSize = good.readUInt16BE(16);
    for (let page = 1; page * pageSize < good.length; page++) bad.fill(0xff, page * pageSize, page * pageSize + 12);
    writeFileSync(join(dir, "app.db"), bad);
    try {
      expect(job.run("backup.sh", [filesOnly().service]).status).toBe(0);
      const r = job.run("drill.sh", [filesOnly().service]);
      expect(r.status).toBe(1);
      const d = job.status("drill", filesOnly().service);
      expect(d.ok).toBe(false);
      expect(d.error).toMatch(/app\.db: PRAGMA integrity_check/);
    } finally {
      writeFileSync(join(dir, "app.db"), good);
      expect(job.run("backup.sh", [filesOnly().service]).status).toBe(0);
    }
  });
});

describe("restore.sh", () => {
  test("after the volumes and the databases are destroyed, brings back every row and every file", () => {
    const pgService = withPg();
    const pgDb = pgService.postgresDatabases[0];
    const mariaDb = withMaria().mariadb[0].database;
    const before = {
      items: dumpTable(pg, pgDb, "items"),
      events: dumpTable(pg, pgDb, "app.events"),
      pages: mariaDump(mariaDb, "pages"),
      tags: mariaDump(mariaDb, "tags"),
      files: Object.fromEntries(plan.flatMap((b) => b.volumes).map((v) => [v.volume, treeHash(v.dir)])),
    };
    expect(before.items.split("\n")).toHaveLength(500);

    // Disaster: every volume emptied, the Postgres database and the MariaDB database dropped.
    for (const v of plan.flatMap((b) => b.volumes)) rmSync(v.dir, { recursive: true, force: true });
    for (const v of plan.flatMap((b) => b.volumes)) mkdirSync(v.dir);
    pg.psql("postgres", `DROP DATABASE "${pgDb}" WITH (FORCE)`);
    maria.sql(`DROP DATABASE \`${mariaDb}\``);

    job.resetCalls();
    for (const b of plan) {
      const r = job.run("restore.sh", [b.service]);
      expect({ service: b.service, status: r.status, stderr: r.status === 0 ? "" : r.stderr }).toEqual({ service: b.service, status: 0, stderr: "" });
      expect(r.stdout).toMatch(new RegExp(`^snapshot [0-9a-f]{64} taken .* \\(${b.service} on ${primary}\\)`));
      expect(r.stdout).toMatch(/current state saved as snapshot [0-9a-f]{8,64} \(tag pre-restore\)/);
      expect(r.stdout).toMatch(new RegExp(`done: ${b.service} restored from snapshot`));
    }
    expect(dumpTable(pg, pgDb, "items")).toBe(before.items);
    expect(dumpTable(pg, pgDb, "app.events")).toBe(before.events);
    // The database was gone: its owner comes from the dump (the app's role), not the superuser,
    // so the app can still create tables in its public schema (Postgres 15+).
    expect(pg.psql("postgres", `SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '${pgDb}'`)).toBe(pgDb);
    expect(pg.psql(pgDb, `SET ROLE "${pgDb}"; CREATE TABLE made_after_restore (id int); DROP TABLE made_after_restore; SELECT 'ok'`)).toBe("ok");
    expect(mariaDump(mariaDb, "pages")).toBe(before.pages);
    expect(mariaDump(mariaDb, "tags")).toBe(before.tags);
    for (const v of plan.flatMap((b) => b.volumes)) expect(treeHash(v.dir)).toEqual(before.files[v.volume]);
    // Stopped for the restore, started after it.
    const calls = job.calls();
    expect(calls.filter((c) => c.startsWith("start ")).length).toBe(calls.filter((c) => c.startsWith("stop ")).length);
    expect(readdirSync(join(job.root, "scratch", "restore"))).toEqual([]);
  });

  test("an in-place restore keeps the database owner, and a second restore is idempotent", () => {
    const pgService = withPg();
    const pgDb = pgService.postgresDatabases[0];
    pg.psql("postgres", `ALTER DATABASE "${pgDb}" OWNER TO "${pgDb}"`);
    pg.psql(pgDb, "INSERT INTO items (name) VALUES ('written after the backup')");
    const r = job.run("restore.sh", [pgService.service, "--databases-only"]);
    expect(r.status).toBe(0);
    expect(pg.psql("postgres", `SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '${pgDb}'`)).toBe(pgDb);
    expect(pg.psql(pgDb, "SELECT count(*) FROM items WHERE name = 'written after the backup'")).toBe("0");
    // The pre-restore snapshot has the row that the restore replaced: the way back.
    const pre = /current state saved as snapshot ([0-9a-f]{8,64})/.exec(r.stdout)![1];
    const back = job.run("restore.sh", [pgService.service, "--databases-only", "--snapshot", pre]);
    expect(back.status).toBe(0);
    expect(pg.psql(pgDb, "SELECT count(*) FROM items WHERE name = 'written after the backup'")).toBe("1");
  });

  test("--to-new-volume leaves everything live alone and fills new volumes and a new database", () => {
    const pgService = withPg();
    const pgDb = pgService.postgresDatabases[0];
    const liveBefore = dumpTable(pg, pgDb, "items");
    job.resetCalls();
    const r = job.run("restore.sh", [pgService.service, "--to-new-volume"]);
    expect(r.status).toBe(0);
    const newDb = /restored into new database (\S+) on/.exec(r.stdout)![1];
    expect(newDb).toMatch(new RegExp(`^${pgDb}_restored_\\d{14}$`));
    expect(pg.psql(newDb, "SELECT count(*) FROM items")).toBe("500");
    for (const v of pgService.volumes) {
      const created = new RegExp(`volume ${v.volume} restored into new volume (\\S+)`).exec(r.stdout)![1];
      expect(treeHash(join(job.shimDir, "volumes", created))).toEqual(treeHash(v.dir));
    }
    expect(job.calls().filter((c) => c.startsWith("stop "))).toEqual([]);
    expect(dumpTable(pg, pgDb, "items")).toBe(liveBefore);
    expect(r.stdout).toMatch(/done: nothing live was changed/);
  });

  test("the Authentik rollback: the shared database's newest dump onto the other host's local Postgres, and the way back", () => {
    const idp = goodSpec.services.find((s) => s.sso.mode === "identity-provider")!.name;
    const otherPlan = backupPlan(rollbackSpec, other).map(remap);
    const idpPlan = otherPlan.find((b) => b.service === idp)!;
    expect(idpPlan.postgresDatabases.length).toBeGreaterThan(0);
    const db = idpPlan.postgresDatabases[0];
    pgOther.psql("postgres", `CREATE ROLE "${db}" LOGIN PASSWORD '${pgPassword}'`);
    pgOther.psql("postgres", `CREATE DATABASE "${db}" OWNER "${db}"`);
    otherJob = jobHost(join(root, `job-${other}`), {
      host: other,
      repository,
      passwordFile: join(root, "restic-password"),
      plan: otherPlan,
      containers: containersFor(otherPlan, pgOther),
    });
    // Tonight's backup of the shared database, then monk starts on its rows, not empty.
    expect(job.run("backup.sh", [idp]).status).toBe(0);
    const r = otherJob.run("restore.sh", [idp, "--from-host", primary, "--databases-only", "--into-postgres", idpPlan.postgresContainer!]);
    expect(r.stdout + r.stderr).not.toMatch(/error:/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`postgres database ${db} restored on ${idpPlan.postgresContainer}`));
    expect(dumpTable(pgOther, db, "items")).toBe(dumpTable(pg, db, "items"));

    // During the outage monk writes; its backup captures that; the way back replays it onto the shared Postgres.
    pgOther.psql(db, "INSERT INTO items (name) VALUES ('login during the outage')");
    expect(otherJob.run("backup.sh", [idp]).status).toBe(0);
    const back = job.run("restore.sh", [idp, "--from-host", other, "--databases-only"]);
    expect(back.status).toBe(0);
    expect(pg.psql(db, "SELECT count(*) FROM items WHERE name = 'login during the outage'")).toBe("1");
  });
});

describe("KITE_CONTAINER_ALIASES (npm run adopt's backup of the owner's old containers)", () => {
  test("the named service is dumped from the old MariaDB container and its old app container is stopped around it", () => {
    const b = withMaria();
    const m = b.mariadb[0];
    const [main] = b.containers;
    const containers = join(job.shimDir, "containers");
    // The owner's compose containers have other names: the stack's are not there at all.
    const renames: [string, string][] = [
      [m.container, `${b.service}_db`],
      [main, `${b.service}_app_1`],
    ];
    for (const [from, to] of renames) cpSync(join(containers, `${from}.env`), join(containers, `${to}.env`));
    for (const [from] of renames) rmSync(join(containers, `${from}.env`));
    const aliases = renames.map(([from, to]) => `${from}=${to}`).join(" ");
    job.resetCalls();
    try {
      // Without the aliases the stack's names are not found: the backup fails.
      const without = job.run("backup.sh", [b.service]);
      expect(without.status).toBe(1);
      expect(job.status("backup", b.service).error).toMatch(new RegExp(`No such container: ${m.container}`));
      job.resetCalls();
      const r = job.run("backup.sh", [b.service], { KITE_CONTAINER_ALIASES: aliases });
      expect({ status: r.status, stderr: r.status === 0 ? "" : r.stderr.slice(-1500) }).toEqual({ status: 0, stderr: "" });
      expect(r.stderr).toMatch(new RegExp(`${m.container}: using the old container ${b.service}_db`));
      const calls = job.calls();
      const at = (c: string) => calls.indexOf(c);
      expect(calls).toEqual(expect.arrayContaining([`stop ${b.service}_app_1`, `exec ${b.service}_db sh`, `start ${b.service}_app_1`]));
      expect(at(`stop ${b.service}_app_1`)).toBeLessThan(at(`exec ${b.service}_db sh`));
      expect(at(`exec ${b.service}_db sh`)).toBeLessThan(at(`start ${b.service}_app_1`));
      // The snapshot holds the dump of the real rows, read back with restic.
      const s = job.status("backup", b.service);
      expect(s.ok).toBe(true);
      const dump = execFileSync("restic", ["dump", s.details.snapshot, join(root, `job-${primary}`, "scratch", "dumps", b.service, "mariadb", `${m.database}.sql`)], {
        env: { ...process.env, RESTIC_REPOSITORY: repository, RESTIC_PASSWORD_FILE: join(root, "restic-password"), RESTIC_CACHE_DIR: join(root, "restic-cache-alias") },
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(dump).toMatch(/INSERT INTO `pages`/);
      expect(dump).toContain("page 300");
    } finally {
      for (const [from, to] of renames) {
        cpSync(join(containers, `${to}.env`), join(containers, `${from}.env`));
        rmSync(join(containers, `${to}.env`));
      }
    }
  });
});

describe("failures are loud", () => {
  test("a database that cannot be dumped fails that service's backup, names it, and restarts the app", () => {
    const b = withMaria();
    const env = join(root, `maria-${b.mariadb[0].database}-password`);
    const saved = readFileSync(env, "utf8");
    rmSync(env, { force: true });
    writeFileSync(env, "wrong", { mode: 0o400 });
    job.resetCalls();
    try {
      const r = job.run("backup.sh");
      expect(r.status).toBe(1);
      const s = job.status("backup", b.service);
      expect(s.ok).toBe(false);
      expect(s.error).toMatch(/Access denied/);
      // The last success is still known, so "failed since" can be shown.
      expect(Date.parse(s.lastSuccessAt)).toBeGreaterThan(0);
      for (const other of plan.filter((p) => p !== b)) expect(job.status("backup", other.service).ok).toBe(true);
      for (const c of b.containers) expect(job.calls()).toContain(`start ${c}`);
      expect(existsSync(join(job.shimDir, "stopped", b.containers[0]))).toBe(false);
    } finally {
      rmSync(env, { force: true });
      writeFileSync(env, saved, { mode: 0o400 });
    }
  });

  test("a corrupted pack file makes the drill fail (and restic check)", () => {
    const copy = join(root, "repo-corrupt");
    cpSync(repository, copy, { recursive: true });
    const corruptJob = jobHost(join(root, "job-corrupt"), {
      host: primary,
      repository: copy,
      passwordFile: join(root, "restic-password"),
      plan,
      containers: containersFor(plan, pg),
    });
    expect(corruptPacks(copy)).toBeGreaterThan(0);
    const r = corruptJob.run("drill.sh");
    expect(r.status).toBe(1);
    for (const b of plan) {
      const d = corruptJob.status("drill", b.service);
      expect({ service: b.service, ok: d.ok }).toEqual({ service: b.service, ok: false });
      expect(d.error.length).toBeGreaterThan(0);
    }
    expect(corruptJob.status("check", "repository").ok).toBe(false);
    expect(statSync(copy).isDirectory()).toBe(true);
  });
});

describe("against an S3-compatible server (moto on 127.0.0.1)", () => {
  test("backup, drill and restore through restic's S3 backend, with the keys read from files", async () => {
    const s3 = await startS3();
    try {
      writeFileSync(join(root, "s3-key-id"), "ksbk-test-key");
      writeFileSync(join(root, "s3-secret"), "ksbk-test-secret");
      const b = withPg();
      const s3Job = jobHost(join(root, "job-s3"), {
        host: primary,
        repository: `s3:${s3.endpoint}/ksbk-backups/kitestacks`,
        passwordFile: join(root, "restic-password"),
        plan: [b],
        containers: containersFor([b], pg),
        extraConfig: { KITE_S3_ACCESS_KEY_FILE: join(root, "s3-key-id"), KITE_S3_SECRET_KEY_FILE: join(root, "s3-secret") },
        // Nothing from the environment: the scripts must take the keys from the files.
        env: { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" },
      });
      const db = b.postgresDatabases[0];
      const before = dumpTable(pg, db, "items");
      const backup = s3Job.run("backup.sh");
      expect(backup.stderr).not.toMatch(/error:/);
      expect(backup.status).toBe(0);
      expect(s3Job.run("drill.sh").status).toBe(0);
      expect(s3Job.status("drill", b.service).details.postgres[0].rowsPerTable["public.items"]).toBe(before.split("\n").length);
      pg.psql(db, "TRUNCATE items CASCADE");
      const r = s3Job.run("restore.sh", [b.service, "--databases-only"]);
      expect(r.status).toBe(0);
      expect(dumpTable(pg, db, "items")).toBe(before);
      // moto checks no signatures by default, so this proves the S3 backend and the file path,
      // not R2's authentication.
      expect(readFileSync(join(s3Job.root, "config.env"), "utf8")).toContain("KITE_S3_ACCESS_KEY_FILE=");
    } finally {
      s3.stop();
    }
  });
});

describe("under busybox sh, as in the job image (Alpine)", () => {
  test("backup, drill and restore with busybox's applets", () => {
    const services = [withMaria(), filesOnly()];
    const bb = jobHost(join(root, "job-busybox"), {
      host: primary,
      repository: join(root, "repo-busybox"),
      passwordFile: join(root, "restic-password"),
      plan: services,
      containers: containersFor(services, pg),
      shell: ["busybox", "sh"],
    });
    const backup = bb.run("backup.sh");
    expect(backup.stderr).not.toMatch(/error:|applet not found|invalid option/);
    expect(backup.status).toBe(0);
    const drill = bb.run("drill.sh");
    expect(drill.stderr).not.toMatch(/error:|applet not found|invalid option/);
    expect(drill.status).toBe(0);
    expect(bb.status("drill", filesOnly().service).details.sqlite).toHaveLength(1);
    expect(bb.status("drill", withMaria().service).details.snapshotAgeSeconds).toBeLessThan(600);
    const db = withMaria().mariadb[0].database;
    const before = mariaDump(db, "pages");
    maria.sql(`DROP DATABASE \`${db}\``);
    const dir = filesOnly().volumes[0].dir;
    const files = treeHash(dir);
    rmSync(join(dir, "sub"), { recursive: true, force: true });
    for (const s of services) {
      const r = bb.run("restore.sh", [s.service]);
      expect({ service: s.service, status: r.status, stderr: r.status === 0 ? "" : r.stderr.slice(-1500) }).toEqual({ service: s.service, status: 0, stderr: "" });
    }
    expect(mariaDump(db, "pages")).toBe(before);
    expect(treeHash(dir)).toEqual(files);
  });
});
