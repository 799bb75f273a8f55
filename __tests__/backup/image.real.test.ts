/**
 * The backup job as it runs on a host: its image built from backup/image/Dockerfile on a real
 * dockerd (over bases made from Debian packages, no registry), its container created from the
 * synthesized docker_container (command, user, uploads, volumes, docker socket: read from the
 * stack's JSON, not re-typed), next to the real shared Postgres (Debian's server in the e2e image,
 * created from its synthesized container too) and the service containers whose volumes it holds.
 * busybox crond in the image fires the schedules, a backup of the databases and the volumes lands
 * in an S3 repository (moto on 127.0.0.1), the status files /api/backups reads say ok (judged by
 * the metrics API's own reader), a drill passes; then every pack in the bucket is corrupted and
 * the next drill cron runs fails, loudly.
 *
 * The description is the homelab's own with two changes: the primary host keeps only the
 * services on the shared Postgres (so every container the job stops exists here), and both
 * schedules are every minute (`backup.schedule`/`drillSchedule`, the spec's own settings).
 * Stand-ins: the app containers run a `sleep` that exits on SIGTERM, in a Debian image under the synthesized names,
 * volumes and uploads (the job only stops, starts and reads their volumes); the job joins the
 * host's network instead of the kitestacks bridge, to reach moto on 127.0.0.1 (it talks to nothing
 * on the bridge: Docker's socket and S3 only); Alpine's restic image is Debian's restic with
 * busybox (e2e/images/restic-base).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { backupPlan, ServiceBackup } from "../../backup/plan";
import { BACKUP_CONTAINER, BACKUP_PATHS } from "../../constructs/backup-job";
import { ensureFlavour } from "../../e2e/harness/debian";
import { FLAVOURS } from "../../e2e/harness/flavours";
import { baseBuildArgs, build, flavourTag, IMAGES_DIR, ImageEngine, importFlavours, provideBackupBases } from "../../e2e/harness/images";
import { run } from "../../e2e/harness/run";
import { primaryHost, servicesOn } from "../../homelab/derive";
import { kitestacks } from "../../homelab/homelab";
import { HomelabSpec } from "../../homelab/types";
import { findSpecProblems } from "../../homelab/validate";
import { readBackups } from "../../metrics/src/backups";
import { buildContextFolder } from "../../constructs/built-image";
import { DockerEngine, startDockerEngine } from "../terraform/docker-engine";
import { repoRoot, resourcesOf, synthHomelab } from "../helpers/synth";
import { testInputs } from "../terraform/stack-inputs";
import { motoServer, startS3 } from "./harness";

const primary = primaryHost(kitestacks).name;
const onSharedPostgres = servicesOn(kitestacks, primary).filter((s) => (s.databases ?? []).some((d) => d.engine === "shared-postgres"));
const spec: HomelabSpec = {
  ...kitestacks,
  services: kitestacks.services.filter((s) => onSharedPostgres.includes(s) || !servicesOn(kitestacks, primary).includes(s)),
  backup: { ...kitestacks.backup!, schedule: "* * * * *", drillSchedule: "* * * * *" },
};
const plan: ServiceBackup[] = backupPlan(spec, primary);
const lab = synthHomelab(spec);
const primaryStack = lab.stacks.hosts.get(primary)!;
const stackJson = lab.json(primaryStack);
const containers = Object.values(resourcesOf(stackJson, "docker_container")) as Record<string, any>[];
const containerNamed = (name: string) => {
  const c = containers.find((x) => x.name === name);
  if (!c) throw new Error(`no docker_container named ${name} in ${primary}-docker`);
  return c;
};
const job = containerNamed(BACKUP_CONTAINER);
const pgName = plan.find((b) => b.postgresContainer)!.postgresContainer!;

const root = mkdtempSync(join(tmpdir(), "ksb2-image-"));
chmodSync(root, 0o755);
// Where the job's host directories land (see hostPath).
const statusDir = join(root, "host", BACKUP_PATHS.hostStatusDir);
const bucket = "ksb2-backups";
const s3Keys = { id: "ksb2-test-key", secret: "ksb2-test-secret" };
const passwords = new Map<string, string>();
const started = Date.now();
const timings: string[] = [];
let engine: DockerEngine;
let s3: { endpoint: string; stop: () => void };
let vars: Record<string, string>;

const docker = (args: string[], input?: string) =>
  execFileSync("docker", ["-H", engine.host, ...args], { encoding: "utf8", input, maxBuffer: 64 * 1024 * 1024 }).trim();
const engineAdapter = (): ImageEngine => ({ name: "ksb2", docker: (args, options = {}) => run(["docker", "-H", engine.host, ...args], options) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const lap = (what: string, t0: number) => timings.push(`${what} ${((Date.now() - t0) / 1000).toFixed(1)} s`);

/**
 * A synthesized attribute with its Terraform references resolved the way an apply would:
 * variables from the test's values, random passwords generated once per address, volume and
 * image names from their resources. Anything else is an error, so nothing passes unresolved.
 */
function resolve(text: string, lenient = false): string {
  const out = text
    .replace(/\$\{var\.([a-z0-9_]+)\}/g, (_, v: string) => {
      if (!(v in vars)) throw new Error(`no test value for var.${v}`);
      return vars[v];
    })
    .replace(/\$\{random_password\.([^.}]+)\.result\}/g, (_, id: string) => {
      if (!passwords.has(id)) passwords.set(id, `ksb2${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`);
      return passwords.get(id)!;
    })
    .replace(/\$\{docker_volume\.([^.}]+)\.name\}/g, (_, id: string) => resourcesOf(stackJson, "docker_volume")[id].name)
    .replace(/\$\{docker_image\.([^.}]+)\.image_id\}/g, (_, id: string) => resourcesOf(stackJson, "docker_image")[id].name);
  if (out.includes("${")) {
    // The stand-in apps do not read their settings: other stacks' outputs may stay unresolved there.
    if (lenient) return out.replace(/\$\{[^}]*\}/g, "ksb2-unresolved");
    throw new Error(`unresolved reference in ${JSON.stringify(text.slice(0, 200))}`);
  }
  return out;
}

/** Host paths of the synthesized container remapped into the test's directory (the socket to the test engine's). */
function hostPath(path: string): string {
  if (path === "/var/run/docker.sock") return engine.host.replace(/^unix:\/\//, "");
  const dir = join(root, "host", path);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * `docker create` from a synthesized docker_container (name, env, user, command, volumes,
 * host dirs, bind mounts, memory, security options), then its uploads copied in before it
 * starts, as the provider does.
 */
function createFromSynth(body: Record<string, any>, overrides: { image?: string; network: string; entrypoint?: string[] }): string {
  const args = ["create", "--name", body.name, "--network", overrides.network];
  const lenient = overrides.entrypoint !== undefined;
  for (const e of body.env ?? []) args.push("-e", resolve(e, lenient));
  if (body.user) args.push("--user", body.user);
  if (body.memory) args.push("-m", `${body.memory}m`);
  for (const o of body.security_opts ?? []) args.push("--security-opt", o);
  for (const v of body.volumes ?? []) {
    const source = v.volume_name ? resolve(v.volume_name) : hostPath(v.host_path);
    args.push("-v", `${source}:${v.container_path}${v.read_only ? ":ro" : ""}`);
  }
  for (const m of body.mounts ?? []) args.push("--mount", `type=${m.type},source=${hostPath(m.source)},target=${m.target}${m.read_only ? ",readonly" : ""}`);
  if (overrides.entrypoint) args.push("--entrypoint", overrides.entrypoint[0]);
  args.push(overrides.image ?? resolve(body.image));
  args.push(...(overrides.entrypoint ? overrides.entrypoint.slice(1) : (body.command ?? [])));
  docker(args);
  if ((body.upload ?? []).length > 0) {
    const tree = mkdtempSync(join(root, "upload-"));
    for (const u of body.upload) {
      const file = join(tree, u.file);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, resolve(u.content, lenient));
      chmodSync(file, parseInt(u.permissions ?? "0644", 8));
    }
    docker(["cp", `${tree}/.`, `${body.name}:/`]);
    rmSync(tree, { recursive: true, force: true });
  }
  return body.name;
}

const psql = (db: string, sql: string) => docker(["exec", pgName, "psql", "-U", "postgres", "-d", db, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql]);

/** Object keys in the bucket under a prefix (moto speaks S3's ListObjectsV2; no signature checks by default). */
async function keys(prefix: string): Promise<string[]> {
  const out: string[] = [];
  let token = "";
  for (;;) {
    const r = await fetch(`${s3.endpoint}/${bucket}?list-type=2&prefix=${encodeURIComponent(prefix)}${token ? `&continuation-token=${encodeURIComponent(token)}` : ""}`);
    const xml = await r.text();
    for (const m of xml.matchAll(/<Key>([^<]+)<\/Key>/g)) out.push(m[1]);
    const next = /<NextContinuationToken>([^<]+)<\/NextContinuationToken>/.exec(xml);
    if (!next) return out;
    token = next[1];
  }
}

const status = (kind: string, service: string): any => {
  const f = join(statusDir, kind, `${service}.json`);
  return existsSync(f) ? JSON.parse(readFileSync(f, "utf8")) : undefined;
};

/** Waits until the status of `kind` of every one of `names` is finished after `since` and passes `test`. */
async function waitForStatus(kind: string, since: number, test: (s: any) => boolean, timeoutMs: number, names = plan.map((b) => b.service)): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = names.map((n) => status(kind, n));
    if (all.every((s) => s && Date.parse(s.finishedAt) >= since - 1000 && test(s))) return;
    if (Date.now() > deadline) {
      throw new Error(`no ${kind} result for every service after ${timeoutMs / 1000} s: ${JSON.stringify(all)}\n--- job log:\n${docker(["logs", "--tail", "60", BACKUP_CONTAINER]).slice(-4000)}`);
    }
    await sleep(2000);
  }
}

beforeAll(async () => {
  expect(findSpecProblems(spec, repoRoot)).toEqual([]);
  let t0 = Date.now();
  const flavours = { restic: await ensureFlavour(FLAVOURS.restic), dockercli: await ensureFlavour(FLAVOURS.dockercli), postgres: await ensureFlavour(FLAVOURS.postgres) };
  lap("flavours", t0);
  [engine, s3] = await Promise.all([startDockerEngine("ksb2-backup-image", process.env.KSE2E_STORAGE_DRIVER === "vfs" ? "vfs" : "overlay2"), startS3()]);
  vars = {
    // Every other variable of the stack gets a test value (the app stand-ins' settings).
    ...Object.fromEntries(Object.entries(testInputs(stackJson as any).env).map(([k, v]) => [k.replace(/^TF_VAR_/, ""), String(v)])),
    backup_s3_endpoint: s3.endpoint,
    backup_s3_bucket: bucket,
    backup_s3_access_key_id: s3Keys.id,
    backup_s3_secret_access_key: s3Keys.secret,
  };
  const eng = engineAdapter();
  t0 = Date.now();
  await importFlavours(eng, flavours);
  lap("import", t0);
  t0 = Date.now();
  const bases = await provideBackupBases(eng, flavours);
  // The job image: backup/image/Dockerfile, under the tag its docker_image resource names.
  const [imageId] = Object.entries(resourcesOf(stackJson, "docker_image")).find(([, i]) => i.build && relative(repoRoot, buildContextFolder(primaryStack, i.build.context)) === "backup/image")!;
  const image = resourcesOf(stackJson, "docker_image")[imageId];
  await build(eng, image.name, buildContextFolder(primaryStack, image.build.context), baseBuildArgs(["backup/image"], bases)["backup/image"]);
  lap("backup image build", t0);
  t0 = Date.now();
  await build(eng, kitestacks.sharedPostgres!.image, join(IMAGES_DIR, "postgres"), { BASE: flavourTag("postgres", flavours.postgres.hash) });
  lap("postgres image build", t0);
  for (const v of Object.values(resourcesOf(stackJson, "docker_volume"))) docker(["volume", "create", v.name]);

  // The shared Postgres, as synthesized; the roles and databases the provisioning step makes.
  createFromSynth(containerNamed(pgName), { network: "none" });
  docker(["start", pgName]);
  for (let i = 0; ; i++) {
    if (spawnSync("docker", ["-H", engine.host, "exec", pgName, "pg_isready", "-U", "postgres", "-q"]).status === 0) break;
    if (i > 120) throw new Error(`postgres did not start:\n${docker(["logs", pgName])}`);
    await sleep(500);
  }
  for (const b of plan) {
    for (const db of b.postgresDatabases) {
      psql("postgres", `CREATE ROLE "${db}" LOGIN`);
      psql("postgres", `CREATE DATABASE "${db}" OWNER "${db}"`);
      psql(db, `SET ROLE "${db}"; CREATE TABLE items (id serial PRIMARY KEY, name text); INSERT INTO items (name) SELECT '${db} ' || g FROM generate_series(1, 300) g`);
    }
  }
  // The service containers: synthesized names, volumes and uploads; `sleep` stands in for the app.
  const sleeper = flavourTag("restic", flavours.restic.hash);
  for (const c of new Set(plan.flatMap((b) => b.containers))) {
    createFromSynth(containerNamed(c), { image: sleeper, network: "none", entrypoint: ["sh", "-c", "trap 'exit 0' TERM; sleep infinity & wait"] });
    docker(["start", c]);
  }
  // Files in every volume, written by the container that mounts it; a SQLite database in one.
  for (const b of plan) {
    for (const c of b.containers) {
      for (const v of containerNamed(c).volumes ?? []) {
        if (v.volume_name) docker(["exec", c, "sh", "-c", `echo "${b.service} data" > "$0/ksb2-file.txt"`, v.container_path]);
      }
    }
  }
  const first = containerNamed(plan.find((b) => b.volumes.length > 0)!.containers[0]).volumes[0].container_path;
  docker(["exec", plan.find((b) => b.volumes.length > 0)!.containers[0], "sqlite3", `${first}/ksb2.db`, "CREATE TABLE t (x); INSERT INTO t VALUES (1), (2);"]);
}, 20 * 60_000);

afterAll(async () => {
  if (engine) {
    try {
      for (const c of docker(["ps", "-aq"]).split("\n").filter(Boolean)) docker(["rm", "-f", c]);
    } catch {
      /* the engine stops anyway */
    }
  }
  try {
    await engine?.stop();
  } finally {
    s3?.stop();
    rmSync(root, { recursive: true, force: true });
  }
  process.stdout.write(`backup image test: ${((Date.now() - started) / 1000).toFixed(1)} s (${timings.join(", ")})\n`);
});

describe(`the backup job container of ${primary}, from backup/image/Dockerfile, on a real Docker engine`, () => {
  let firstBackup: number;

  test("starts as synthesized: busybox crond is PID 1 with the crontab from the description", async () => {
    createFromSynth(job, { network: "host" });
    docker(["start", BACKUP_CONTAINER]);
    firstBackup = Date.now();
    await sleep(1500);
    expect(docker(["exec", BACKUP_CONTAINER, "cat", "/proc/1/cmdline"]).split("\0").filter(Boolean)).toEqual(["crond", "-f", "-l", "8", "-c", "/etc/crontabs"]);
    const crontab = job.upload.find((u: any) => u.file === BACKUP_PATHS.crontab).content;
    expect(docker(["exec", BACKUP_CONTAINER, "cat", BACKUP_PATHS.crontab])).toBe(crontab.trim());
    expect(crontab).toContain(`* * * * * flock ${BACKUP_PATHS.scratch}/.lock ${BACKUP_PATHS.scripts}/backup.sh`);
    // The entrypoint published what the metrics API expects.
    expect(JSON.parse(readFileSync(join(statusDir, "schedule.json"), "utf8")).services).toEqual(plan.map((b) => b.service));
    // Secrets are files, not environment.
    expect(docker(["exec", BACKUP_CONTAINER, "env"])).not.toMatch(/ksb2-test-secret|AWS_SECRET/);
    expect(docker(["exec", BACKUP_CONTAINER, "stat", "-c", "%a", "/run/secrets/kitestacks/restic-password"])).toBe("400");
  });

  test("crond fires the backup: every service's snapshot lands in the S3 bucket", async () => {
    // Up to a minute until crond's next minute, then restic init and one backup per service:
    // 150 s was not enough on 2 cores shared with two e2e runs (the later drill found the snapshots).
    await waitForStatus("backup", firstBackup, (s) => s.ok === true, 300_000);
    lap("first cron backup", firstBackup);
    for (const b of plan) expect(status("backup", b.service).details.snapshot).toMatch(/^[0-9a-f]{64}$/);
    const objects = await keys(`${spec.backup!.repositoryPath}/`);
    expect(objects).toContain(`${spec.backup!.repositoryPath}/config`);
    expect(objects.filter((k) => k.includes("/snapshots/")).length).toBeGreaterThanOrEqual(plan.length);
    expect(objects.filter((k) => k.includes("/data/")).length).toBeGreaterThan(0);
    // Read back from outside with Debian's restic: the snapshots hold the dumps and the volume files.
    const env = {
      ...process.env,
      RESTIC_REPOSITORY: `s3:${s3.endpoint}/${bucket}/${spec.backup!.repositoryPath}`,
      RESTIC_PASSWORD: passwords.get(Object.keys(resourcesOf(stackJson, "random_password")).find((id) => id.includes("backup-repository-password"))!)!,
      AWS_ACCESS_KEY_ID: s3Keys.id,
      AWS_SECRET_ACCESS_KEY: s3Keys.secret,
      RESTIC_CACHE_DIR: join(root, "restic-cache"),
    };
    for (const b of plan) {
      const files = execFileSync("restic", ["ls", "--host", primary, "--tag", `service=${b.service}`, "latest"], { env, encoding: "utf8" });
      for (const db of b.postgresDatabases) expect(files).toContain(`/dumps/${b.service}/postgres/${db}.dump`);
      for (const v of b.volumes) expect(files).toContain(`${v.dir}/ksb2-file.txt`);
    }
    // The app containers run again after their snapshot.
    for (const c of plan.flatMap((b) => b.containers)) expect(docker(["inspect", "-f", "{{.State.Running}}", c])).toBe("true");
  });

  test("crond fires the drill: it passes, and /api/backups' reader says ok", async () => {
    await waitForStatus("drill", firstBackup, (s) => s.ok === true, 150_000);
    lap("first passing drill", firstBackup);
    for (const b of plan) {
      const d = status("drill", b.service);
      for (const db of b.postgresDatabases) expect(d.details.postgres.find((p: any) => p.database === db).rowsPerTable).toEqual({ "public.items": 300 });
    }
    expect(plan.flatMap((b) => status("drill", b.service).details.sqlite).map((s: any) => s.file)).toEqual([expect.stringMatching(/ksb2\.db$/)]);
    // Retention (this is the primary host) and the repository check ran too.
    await waitForStatus("check", firstBackup, (s) => s.ok === true, 90_000, ["repository"]);
    await waitForStatus("retention", firstBackup, (s) => s.ok === true, 90_000, ["repository"]);
    const body = readBackups(statusDir);
    expect({ status: body.status, problems: body.problems }).toEqual({ status: "ok", problems: [] });
    expect(body.host).toBe(primary);
  });

  // What `npm run restore -- <service>` runs on the host (scripts/restore.ts): docker exec of restore.sh in the job.
  const restorable = () => plan.find((b) => b.postgresDatabases.length > 0 && b.volumes.length > 0)!;
  const volumePaths = (c: string) => (containerNamed(c).volumes ?? []).filter((v: any) => v.volume_name).map((v: any) => v.container_path as string);

  test("restore.sh in the job, on the real engine: the database dropped and the volumes emptied come back, the app runs again", () => {
    const b = restorable();
    const db = b.postgresDatabases[0];
    const before = psql(db, "SELECT string_agg(name, ',' ORDER BY id) FROM items");
    // A snapshot of the data as written (cron backs up every minute here: the newest one may
    // be taken after the data is gone, as it would be for an operator after a nightly run).
    const snapshot = status("backup", b.service).details.snapshot as string;
    // Emptied under the crontab's lock, so a cron backup does not stop the app meanwhile.
    for (const c of b.containers) {
      for (const p of volumePaths(c)) docker(["exec", BACKUP_CONTAINER, "flock", `${BACKUP_PATHS.scratch}/.lock`, "docker", "exec", c, "sh", "-c", 'rm -rf "$0"/* && test -z "$(ls -A "$0")"', p]);
    }
    psql("postgres", `DROP DATABASE "${db}" WITH (FORCE)`);
    const t0 = Date.now();
    // Under the crontab's lock: it waits for a backup or drill that cron started meanwhile.
    const out = docker(["exec", BACKUP_CONTAINER, `${BACKUP_PATHS.scripts}/restore.sh`, b.service, "--snapshot", snapshot]);
    lap("in-place restore", t0);
    expect(out).toMatch(new RegExp(`done: ${b.service} restored from snapshot`));
    expect(psql(db, "SELECT string_agg(name, ',' ORDER BY id) FROM items")).toBe(before);
    for (const c of b.containers) {
      for (const p of volumePaths(c)) expect(docker(["exec", c, "cat", `${p}/ksb2-file.txt`])).toBe(`${b.service} data`);
      expect(docker(["inspect", "-f", "{{.State.Running}}", c])).toBe("true");
    }
  });

  test("restore.sh --to-new-volume: new Docker volumes filled by a container of the job's own image, a new database", () => {
    const b = restorable();
    const out = docker(["exec", BACKUP_CONTAINER, `${BACKUP_PATHS.scripts}/restore.sh`, b.service, "--to-new-volume"]);
    expect(out).toMatch(/done: nothing live was changed/);
    const newDb = /restored into new database (\S+) on/.exec(out)![1];
    expect(psql(newDb, "SELECT count(*) FROM items")).toBe("300");
    const created = [...out.matchAll(/volume (\S+) restored into new volume (\S+)/g)].map((m) => m[2]);
    expect(created.length).toBe(b.volumes.length);
    const sleeper = docker(["inspect", "-f", "{{.Config.Image}}", b.containers[0]]);
    for (const v of created) expect(docker(["run", "--rm", "--network", "none", "-v", `${v}:/x`, "--entrypoint", "cat", sleeper, "/x/ksb2-file.txt"])).toBe(`${b.service} data`);
  });

  test("a corrupted pack in the bucket makes the next cron drill fail, and /api/backups says failed", async () => {
    // Paused between two runs (crond and its jobs frozen), so no run is half way through the bucket.
    for (;;) {
      docker(["pause", BACKUP_CONTAINER]);
      if (!/backup\.sh|drill\.sh/.test(docker(["top", BACKUP_CONTAINER, "-o", "pid,args"]))) break;
      docker(["unpause", BACKUP_CONTAINER]);
      await sleep(3000);
    }
    // Every pack rewritten with bytes flipped, through boto3 from moto's own venv (moto refuses
    // unsigned writes; boto3 signs them).
    const packs = (await keys(`${spec.backup!.repositoryPath}/data/`)).filter((k) => !k.endsWith("/"));
    expect(packs.length).toBeGreaterThan(0);
    const python = join(dirname(motoServer()), "python3");
    const flip = spawnSync(
      python,
      [
        "-c",
        `import sys, boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1], aws_access_key_id="k", aws_secret_access_key="s", region_name="us-east-1")
for key in sys.argv[3:]:
    b = bytearray(s3.get_object(Bucket=sys.argv[2], Key=key)["Body"].read())
    for i in range(0, len(b), 256): b[i] ^= 0xFF
    s3.put_object(Bucket=sys.argv[2], Key=key, Body=bytes(b))
print(len(sys.argv) - 3)`,
        s3.endpoint,
        bucket,
        ...packs,
      ],
      { encoding: "utf8" },
    );
    expect({ status: flip.status, stderr: flip.stderr, out: flip.stdout.trim() }).toEqual({ status: 0, stderr: "", out: String(packs.length) });
    const corrupted = Date.now();
    docker(["unpause", BACKUP_CONTAINER]);
    await waitForStatus("drill", corrupted + 1000, (s) => s.ok === false, 200_000);
    lap("failing drill after corruption", corrupted);
    for (const b of plan) expect(status("drill", b.service).error.length).toBeGreaterThan(0);
    const body = readBackups(statusDir);
    expect(body.status).toBe("failed");
    expect(body.problems.join("\n")).toMatch(/drill/);
  });
});
