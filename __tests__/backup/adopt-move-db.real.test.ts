/**
 * npm run adopt:move-db against real servers: a per-host MariaDB of a service that is now homed
 * (the old copy's rows replace the home's), and a per-host Postgres of a service that now uses
 * the shared Postgres (pg_dump -Fc, pg_restore owned by the service's role). The dump and load
 * are the backup job's own lib.sh functions; `docker exec` is the backup suite's stand-in, which
 * runs the real client tools against the real servers (fixtures/docker).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mariadbContainerName } from "../../backup/plan";
import { kitestacks } from "../../homelab/homelab";
import { isHomed } from "../../homelab/placement";
import { parseMoveDbArgs, planMove, runMove, shellRunner } from "../../scripts/adopt-move-db";
import { MariadbServer, PostgresServer, scratchDir, startMariadb, startPostgres } from "./harness";

const spec = kitestacks;
// A homed service with a per-host MariaDB, and a service on the shared Postgres: from the description.
const mariaSvc = spec.services.find((s) => isHomed(s) && (s.databases ?? []).some((d) => d.engine === "mariadb"))!;
const mariaDb = mariaSvc.databases!.find((d) => d.engine === "mariadb")!;
const pgSvc = spec.services.find((s) => s.sso.mode !== "identity-provider" && (s.databases ?? []).some((d) => d.engine === "shared-postgres"))!;
const pgDb = pgSvc.databases!.find((d) => d.engine === "shared-postgres")!;
const otherHost = (home: string) => spec.hosts.find((h) => h.name !== home)!.name;

let root: string;
let oldMaria: MariadbServer;
let homeMaria: MariadbServer;
let oldPg: PostgresServer;
let sharedPg: PostgresServer;
let shim: string;
let env: NodeJS.ProcessEnv;

function container(name: string, vars: Record<string, string>) {
  writeFileSync(join(shim, "containers", `${name}.env`), Object.entries(vars).map(([k, v]) => `${k}='${v}'\n`).join(""));
}

function mariaContainer(name: string, server: MariadbServer, db: string, user: string) {
  const home = join(root, `home-${name}`);
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, ".my.cnf"), `[client]\nsocket=${server.socket}\n`);
  server.sql(`CREATE USER IF NOT EXISTS '${user}'@'localhost' IDENTIFIED BY 'ksa2-pw'; GRANT ALL ON \`${db}\`.* TO '${user}'@'localhost';`);
  container(name, { HOME: home, MARIADB_USER: user, MARIADB_PASSWORD: "ksa2-pw", MARIADB_DATABASE: db });
}

beforeAll(() => {
  root = scratchDir("ksa2-movedb");
  shim = join(root, "shim");
  mkdirSync(join(shim, "containers"), { recursive: true });
  oldMaria = startMariadb(join(root, "maria-old"));
  homeMaria = startMariadb(join(root, "maria-home"));
  oldPg = startPostgres(join(root, "pg-old"), 55432);
  sharedPg = startPostgres(join(root, "pg-shared"), 55433);
  env = { ...process.env, PATH: `${join(__dirname, "fixtures")}:${process.env.PATH}`, SHIM_DIR: shim };
  for (const c of [mariaSvc.name, pgSvc.name]) container(c, {});
}, 120_000);

afterAll(() => {
  for (const s of [oldMaria, homeMaria, oldPg, sharedPg]) s?.stop();
  rmSync(root, { recursive: true, force: true });
});

const calls = () => readFileSync(join(shim, "calls"), "utf8").trim().split("\n");

describe("adopt:move-db", () => {
  test("the plan backs up and stops the service on the target before anything is replaced", () => {
    const home = (mariaSvc.placement as { home: string }).home;
    const plan = planMove(spec, parseMoveDbArgs([mariaSvc.name, "--from", otherHost(home)]), "t");
    expect(plan.target).toEqual({ host: home, container: mariadbContainerName(mariaSvc.name), database: mariaDb.name });
    expect(plan.steps.map((s) => s.why.split(" ")[0])).toEqual(["back", "stop", "dump", "replace"]);
    expect(plan.steps[0].args).toEqual(["kitestacks-backup", "/opt/kitestacks/backup.sh", mariaSvc.name]);
    expect(() => planMove(spec, parseMoveDbArgs(["nosuch", "--from", "mars"]), "t")).toThrow(/not in the homelab description/);
    expect(() => planMove(spec, parseMoveDbArgs([mariaSvc.name, "--from", home]), "t")).toThrow(/same database.*--from-container/);
  });

  test("MariaDB: the old host's rows replace the home's copy, row for row", () => {
    const home = (mariaSvc.placement as { home: string }).home;
    const target = mariadbContainerName(mariaSvc.name);
    oldMaria.sql(`CREATE DATABASE \`${mariaDb.name}\` CHARACTER SET utf8mb4; CREATE TABLE \`${mariaDb.name}\`.pages (id INT PRIMARY KEY, title TEXT); CREATE TABLE \`${mariaDb.name}\`.books (id INT); INSERT INTO \`${mariaDb.name}\`.pages VALUES (1, 'written through the other host'), (2, 'ünïcode ✓');`);
    homeMaria.sql(`CREATE DATABASE \`${mariaDb.name}\` CHARACTER SET utf8mb4; CREATE TABLE \`${mariaDb.name}\`.pages (id INT PRIMARY KEY, title TEXT); INSERT INTO \`${mariaDb.name}\`.pages VALUES (9, 'the home copy');`);
    mariaContainer(`${target}-old`, oldMaria, mariaDb.name, mariaDb.user);
    mariaContainer(target, homeMaria, mariaDb.name, mariaDb.user);
    const lines: string[] = [];
    const code = runMove(spec, parseMoveDbArgs([mariaSvc.name, "--from", otherHost(home), "--from-container", `${target}-old`, "--no-backup", "--dump-dir", join(root, "dumps")]), shellRunner(env), (l) => lines.push(l), "ksa2");
    expect({ code, log: code === 0 ? "" : lines.join("\n") }).toEqual({ code: 0, log: "" });
    expect(homeMaria.sql(`SELECT id, title FROM \`${mariaDb.name}\`.pages ORDER BY id`)).toBe("1\twritten through the other host\n2\tünïcode ✓");
    expect(homeMaria.sql(`SHOW TABLES FROM \`${mariaDb.name}\``).split("\n").sort()).toEqual(["books", "pages"]);
    expect(lines.join("\n")).toMatch(/2 tables in .* as in the source; dump kept at/);
    // Stopped before the load, started after.
    const c = calls();
    expect(c.indexOf(`stop ${mariaSvc.name}`)).toBeLessThan(c.findIndex((x) => x.startsWith(`exec ${target} sh`)));
    expect(c[c.length - 1]).toBe(`start ${mariaSvc.name}`);
  });

  test("Postgres: a per-host database moves into the shared Postgres, owned by the service's role", () => {
    const pg = spec.sharedPostgres!;
    oldPg.psql("postgres", `CREATE ROLE ${pgDb.user} LOGIN`);
    oldPg.psql("postgres", `CREATE DATABASE ${pgDb.name} OWNER ${pgDb.user}`);
    oldPg.psql(pgDb.name, `SET ROLE ${pgDb.user}; CREATE TABLE repository (id int primary key, name text); INSERT INTO repository SELECT g, 'repo-' || g FROM generate_series(1, 500) g; CREATE TABLE "user" (id int)`);
    // What SharedPostgres provisions: the role and an empty database it owns.
    sharedPg.psql("postgres", `CREATE ROLE ${pgDb.user} LOGIN`);
    sharedPg.psql("postgres", `CREATE DATABASE ${pgDb.name} OWNER ${pgDb.user}`);
    container(`${pgSvc.name}-postgres-old`, { PGHOST: oldPg.socketDir, PGPORT: String(oldPg.port) });
    container(pg.containerName, { PGHOST: sharedPg.socketDir, PGPORT: String(sharedPg.port) });
    const lines: string[] = [];
    const code = runMove(spec, parseMoveDbArgs([pgSvc.name, "--from", otherHost(pg.host), "--from-container", `${pgSvc.name}-postgres-old`, "--no-backup", "--dump-dir", join(root, "dumps")]), shellRunner(env), (l) => lines.push(l), "ksa2");
    expect({ code, log: code === 0 ? "" : lines.join("\n") }).toEqual({ code: 0, log: "" });
    expect(sharedPg.psql(pgDb.name, "SELECT count(*), max(name) FROM repository")).toBe("500|repo-99");
    expect(sharedPg.psql(pgDb.name, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")).toBe(pgDb.user);
  });

  test("a failing dump changes nothing and starts the service again", () => {
    const home = (mariaSvc.placement as { home: string }).home;
    const before = homeMaria.sql(`SELECT count(*) FROM \`${mariaDb.name}\`.pages`);
    const lines: string[] = [];
    const code = runMove(spec, parseMoveDbArgs([mariaSvc.name, "--from", otherHost(home), "--from-container", "no-such-container", "--no-backup", "--dump-dir", join(root, "dumps")]), shellRunner(env), (l) => lines.push(l), "ksa2b");
    expect(code).toBe(1);
    expect(homeMaria.sql(`SELECT count(*) FROM \`${mariaDb.name}\`.pages`)).toBe(before);
    expect(calls()[calls().length - 1]).toBe(`start ${mariaSvc.name}`);
  });
});
