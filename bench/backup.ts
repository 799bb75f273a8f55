/**
 * npm run bench:backup: backup and restore of a service whose Postgres database is seeded to
 * about 200 MB, through the job's own scripts (backup/image/*.sh) with Debian's restic and a
 * local repository, against the plain tools in the same run:
 *   - baseline dump:    pg_dump -Fc to a file
 *   - backup (full):    backup.sh into a fresh repository (dump + restic snapshot + status)
 *   - backup (again):   backup.sh with nothing changed (restic deduplicates)
 *   - baseline restore: pg_restore of that file into a dropped and recreated database
 *   - restore:          restore.sh in place (download + verify, pre-restore snapshot, pg_restore)
 * Prints medians of BENCH_RUNS runs (default 3), the ratios to the baselines, and the sizes of the
 * database, the dump and the repository. Real Postgres on a Unix socket in a temp directory.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ServiceBackup } from "../backup/plan";
import { jobHost, scratchDir, startPostgres } from "../__tests__/backup/harness";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGET_MB = Number(process.env.BENCH_DB_MB ?? 200);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const du = (path: string) => Number(execFileSync("du", ["-sb", path], { encoding: "utf8" }).split("\t")[0]);

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return (performance.now() - t) / 1000;
}

function main() {
  const root = scratchDir("bench");
  const pg = startPostgres(join(root, "pg"));
  try {
    const db = "benchdb";
    pg.psql("postgres", `CREATE ROLE ${db} LOGIN`);
    pg.psql("postgres", `CREATE DATABASE ${db} OWNER ${db}`);
    // ~130 bytes a row of hex text that compresses like real rows do (not like zeros).
    const rows = Math.round((TARGET_MB * 1e6) / 165);
    pg.psql(db, `SET ROLE ${db}; CREATE TABLE events (id bigint PRIMARY KEY, at timestamptz, kind int, body text);
      INSERT INTO events SELECT g, now() - g * interval '1 second', g % 17, md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text) || md5((g * 31)::text)
      FROM generate_series(1, ${rows}) g; ANALYZE events;`);
    const dbBytes = Number(pg.psql(db, `SELECT pg_database_size('${db}')`));
    const count = pg.psql(db, "SELECT count(*) FROM events");
    const env = { PGHOST: pg.socketDir, PGPORT: String(pg.port), PGUSER: "postgres" };

    const dumpFile = join(root, "baseline.dump");
    const baselineDump = Array.from({ length: RUNS }, () => time(() => execFileSync("pg_dump", ["-Fc", "-d", db, "-f", dumpFile], { env: { ...process.env, ...env } })));
    const dumpBytes = statSync(dumpFile).size;
    const baselineRestore = Array.from({ length: RUNS }, () =>
      time(() => {
        pg.psql("postgres", `DROP DATABASE ${db} WITH (FORCE)`);
        pg.psql("postgres", `CREATE DATABASE ${db} OWNER ${db}`);
        execFileSync("pg_restore", ["--exit-on-error", "-d", db, dumpFile], { env: { ...process.env, ...env } });
      }),
    );

    const plan: ServiceBackup[] = [
      { service: "bench", containers: ["bench"], volumes: [{ volume: "bench-data", dir: join(root, "volume") }], postgresContainer: "bench-postgres", postgresDatabases: [db], mariadb: [] },
    ];
    mkdirSync(plan[0].volumes[0].dir, { recursive: true });
    writeFileSync(join(plan[0].volumes[0].dir, "config.ini"), "[bench]\n");
    writeFileSync(join(root, "password"), "bench password\n");
    const repoFor = (i: number) => join(root, `repo-${i}`);
    const jobFor = (i: number) =>
      jobHost(join(root, `job-${i}`), { host: "bench-host", repository: repoFor(i), passwordFile: join(root, "password"), plan, containers: { bench: {}, "bench-postgres": env } });
    const must = (r: { status: number | null; stderr: string }) => {
      if (r.status !== 0) throw new Error(r.stderr.slice(-2000));
    };

    const full: number[] = [];
    const again: number[] = [];
    const restore: number[] = [];
    let repoBytes = 0;
    for (let i = 0; i < RUNS; i++) {
      const job = jobFor(i);
      full.push(time(() => must(job.run("backup.sh"))));
      repoBytes = du(repoFor(i));
      again.push(time(() => must(job.run("backup.sh"))));
      restore.push(time(() => must(job.run("restore.sh", ["bench", "--databases-only"]))));
      if (pg.psql(db, "SELECT count(*) FROM events") !== count) throw new Error("restore lost rows");
      if (i < RUNS - 1) rmSync(repoFor(i), { recursive: true, force: true });
    }

    const rowsOut = [
      ["pg_dump -Fc to a file (baseline)", median(baselineDump), 1],
      ["backup.sh, fresh repository", median(full), median(full) / median(baselineDump)],
      ["backup.sh, nothing changed", median(again), median(again) / median(baselineDump)],
      ["pg_restore from the file (baseline)", median(baselineRestore), 1],
      ["restore.sh in place", median(restore), median(restore) / median(baselineRestore)],
    ] as const;
    console.log(`backup bench: database ${mb(dbBytes)} (${count} rows), pg_dump -Fc ${mb(dumpBytes)}, restic repository ${mb(repoBytes)} (${((repoBytes / dumpBytes) * 100).toFixed(0)}% of the dump); medians of ${RUNS} runs`);
    for (const [what, s, ratio] of rowsOut) console.log(`  ${what.padEnd(38)} ${s.toFixed(2).padStart(7)} s   ×${ratio.toFixed(2)}`);
  } finally {
    pg.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

main();
