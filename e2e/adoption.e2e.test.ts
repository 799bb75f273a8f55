/**
 * Adoption for real, on the two simulated hosts of the e2e harness (e2e/harness/homelab-lab.ts):
 *
 *   1. the old homelab: the owner's compose files (__tests__/adopt/fixtures/owner-<host>/, one
 *      folder per compose project, or one docker-compose.yml) copied into the deploy user's
 *      home on each host and brought up there with Debian's docker-compose over SSH, as the
 *      owner runs them; rows written into every shared-Postgres database and every MariaDB
 *      (BookStack's, made with its own user and password), a marker file into every mount of
 *      every other container (named volumes and bind folders);
 *   2. `npm run adopt:discover` (the real script, from the deployer: docker over SSH to each
 *      host; no Cloudflare or Hetzner token, so those parts are skipped: the edge is a fixture
 *      state here and the VM stack is not applied); the services the old homelab did not run
 *      are set to `fresh` by hand, as docs/adopt.md step 2 says;
 *   3. synth again with KITESTACKS_ADOPTION=<that file>;
 *   4. docs/adopt.md step 3 for each adopted MariaDB: its password imported into the stack's
 *      generated secret, the state fixed up as the step says, that secret's plan empty;
 *      then `npm run adopt -- <host>` (scripts/adopt.ts) for every host in deploy order, with the
 *      lab's Terraform variables as TF_VAR_* and compose v1 (`--compose docker-compose`);
 *   5. checks: every row and marker is there, seen from the new containers; every adopted
 *      volume is the old one (same name, same data folder); the old compose containers are
 *      gone and their volumes and folders kept; a second plan of each host stack is empty.
 *
 * Stand-ins: the docker provider and the app images (docs/testing.md); the old homelab's apps
 * are busybox (only where their data lives matters); the backup repository's S3 store is moto
 * (e2e/harness/s3-store.ts). adopt runs WITH its pre-cut-over backup: each host's job backs up
 * the services whose data is taken over there, from the old containers (`bookstack_db` for the
 * stack's `bookstack-mariadb`, from discovery's `container` field), before compose goes down;
 * the test reads each snapshot back with restic through the job (the MariaDB dumps hold the
 * old rows) and checks the skipped services (nothing adopted) have none.
 */
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { backupPlan, mariadbContainerName } from "../backup/plan";
import { BACKUP_PATHS } from "../constructs/backup-job";
import { preCutOverBackup } from "../scripts/adopt";
import { BACKUP_CONTAINER } from "../scripts/restore";
import { LABELS, MANAGED_BY } from "../constructs/kite-service";
import { adoptableVolumeKeys, Adoption, AdoptedVolume, POSTGRES_DATA_PATH } from "../homelab/adoption";
import { hostsInDeployOrder, servicesOn } from "../homelab/derive";
import { kitestacks as spec } from "../homelab/homelab";
import { importBusybox, OWNER_IMAGE, OWNER_PROJECT } from "../__tests__/adopt/owner-homelab";
import { SimHost } from "./harness/hosts";
import { bringUpHomelab, HomelabLab, HostStack, reportAndDestroy, resynthesize } from "./harness/homelab-lab";
import { RunResult, waitFor } from "./harness/run";
import { terraformEnv } from "./harness/terraform";

const REPO_ROOT = resolve(__dirname, "..");
const ARTIFACTS = join(__dirname, "artifacts");
const FIXTURES = join(REPO_ROOT, "__tests__", "adopt", "fixtures");
const TSX = join(REPO_ROOT, "node_modules", ".bin", "tsx");
const MANAGED = `${LABELS.managedBy}=${MANAGED_BY}`;
const COMPOSE_PROJECT_LABEL = "com.docker.compose.project";

let h: HomelabLab | undefined;
let hostStacks: readonly HostStack[] = [];
let adoptionFile = "";
let adoption: Adoption | undefined;
const timed = <T>(what: string, fn: () => Promise<T>): Promise<T> => h!.timed(what, fn);

interface Mount {
  Type: string;
  Name?: string;
  Source: string;
  Destination: string;
}
interface Inspected {
  Name: string;
  State: { Status: string; Running: boolean };
  Config: { Env: string[] | null; Labels: Record<string, string> | null };
  Mounts: Mount[];
}
const nameOf = (c: Inspected) => c.Name.replace(/^\//, "");
const envOf = (c: Inspected) => Object.fromEntries((c.Config.Env ?? []).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));

/** What the old homelab held before the cut-over. */
interface OldProject {
  readonly host: SimHost;
  readonly project: string;
  /** The project's folder inside the host (the deploy user's home). */
  readonly dir: string;
}
interface Marker {
  readonly host: string;
  readonly container: string;
  /** A Docker volume name or a bind folder. */
  readonly source: { volume: string } | { bindPath: string };
  readonly file: string;
  readonly content: string;
}
interface Rows {
  readonly database: string;
  readonly role: string;
  readonly rows: string;
}
/** An old MariaDB (a per-host database of a service) and the rows written into it. */
interface OldMariadb {
  readonly host: string;
  readonly service: string;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  readonly rows: string;
}
const mariadbs: OldMariadb[] = [];
const projects: OldProject[] = [];
const markers: Marker[] = [];
const rows: Rows[] = [];
/**
 * Per host: every named volume of the old homelab, with the inode of its data directory: a
 * volume deleted and made again under the same name gets a new directory. (Not CreatedAt: the
 * local driver reports the mtime of the volume's folder, which moves when the folder does.)
 */
const oldVolumes = new Map<string, Map<string, string>>();
/** Per host: the old containers (name, compose service). */
const oldContainers = new Map<string, { name: string; service: string }[]>();
let oldSuperuser = "";
/** The old shared Postgres's data volume. */
let oldPgVolume: string | undefined;

/** The service of an old container: by its name, its compose service, or `<service>-<companion>`. */
const serviceOfContainer = (c: { name: string; service: string }) =>
  spec.services.find((s) => s.name === c.name || s.name === c.service || (s.companions ?? []).some((x) => `${s.name}-${x.name}` === c.name));

/** `<mountpoint> inode <n>` of a Docker volume, or the error. */
async function volumeIdentity(host: SimHost, name: string): Promise<string> {
  const mp = await host.docker(["volume", "inspect", "--format", "{{.Mountpoint}}", name], { allowFailure: true });
  if (mp.code !== 0) return `no volume ${name}: ${mp.stderr.trim()}`;
  const st = await host.exec(["stat", "-c", "%n inode %i", mp.stdout.trim()]);
  return st.stdout.trim();
}

async function inspect(host: SimHost, filter: string[]): Promise<Inspected[]> {
  const ids = (await host.docker(["ps", "-aq", ...filter])).stdout.split("\n").filter(Boolean);
  return ids.length === 0 ? [] : (JSON.parse((await host.docker(["inspect", ...ids])).stdout) as Inspected[]);
}

/** `ssh deploy@<host> <script>` from the deployer: how the owner (and scripts/adopt.ts) reach a host. */
const overSsh = (host: SimHost, script: string, allowFailure = false): Promise<RunResult> =>
  h!.lab.deployer.exec(["ssh", `${host.sshUser}@${host.name}`, script], { allowFailure, timeoutMs: 10 * 60_000 });

/**
 * argv of `npm run <script>`, run in `dir` (npm itself would cd to the repo root; nsenter
 * into the deployer's mount namespace starts in /, so the shell changes directory).
 */
function npmScript(script: string, dir: string): string[] {
  const line = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).scripts[script] as string;
  const [bin, file, ...rest] = line.split(/\s+/);
  if (bin !== "tsx") throw new Error(`npm run ${script} is "${line}", not a tsx script: update this test`);
  return ["/bin/sh", "-c", 'cd "$0" && exec "$@"', dir, TSX, join(REPO_ROOT, file), ...rest];
}

const psql = (host: SimHost, container: string, user: string, database: string, sql: string) =>
  host.docker(["exec", container, "psql", "-X", "-v", "ON_ERROR_STOP=1", "-U", user, "-d", database, "-Atc", sql]);

const sourceOf = (m: Mount): Marker["source"] | undefined => (m.Type === "volume" && m.Name ? { volume: m.Name } : m.Type === "bind" ? { bindPath: m.Source } : undefined);
const sameSource = (a: AdoptedVolume | Marker["source"], b: Marker["source"]) =>
  ("volume" in a && "volume" in b && a.volume === b.volume) || ("bindPath" in a && "bindPath" in b && a.bindPath === b.bindPath);

beforeAll(async () => {
  h = await bringUpHomelab({ spec, artifactsDir: ARTIFACTS, backupStore: true });
  hostStacks = h.hostStacks;
}, 45 * 60 * 1000);

afterAll(() => reportAndDestroy(h, ARTIFACTS, "adoption-timings.json"), 5 * 60 * 1000);

describe("the old homelab", () => {
  test("the owner's compose projects run on every host, with rows in the shared Postgres and a marker in every mount", async () => {
    const pg = spec.sharedPostgres!;
    const env = [
      `OWNER_IMAGE=${OWNER_IMAGE}`,
      `POSTGRES_IMAGE=${pg.image}`,
      `PG_PASS=${randomBytes(16).toString("hex")}`,
      `AUTHENTIK_SECRET_KEY=${randomBytes(32).toString("hex")}`,
      `FORGEJO_DB_PASS=${randomBytes(16).toString("hex")}`,
      `MARIADB_IMAGE=${spec.mariadbImage}`,
      // Longer than the stack's generated passwords, with characters they never have: kept as it is.
      `BOOKSTACK_DB_PASS=Old-${randomBytes(24).toString("base64url")}.x`,
      `BOOKSTACK_DB_ROOT_PASS=${randomBytes(16).toString("hex")}`,
      `BOOKSTACK_APP_KEY=base64:${randomBytes(32).toString("base64")}`,
      ...hostStacks.map(({ host }) => `${host.name.toUpperCase()}_TAILSCALE_IP=${host.tailscaleIp}`),
      "",
    ].join("\n");
    await timed("old homelab: compose up on every host", async () => {
      for (const { host } of hostStacks) {
        const fixture = join(FIXTURES, `owner-${host.name}`);
        if (!existsSync(fixture)) throw new Error(`no compose files for ${host.name} at ${fixture}`);
        // One docker-compose.yml: the project OWNER_PROJECT; else one folder per project.
        const names = existsSync(join(fixture, "docker-compose.yml")) ? [OWNER_PROJECT] : readdirSync(fixture).sort();
        // The owner's images: busybox (imported: no registry) and the pinned ones already there.
        importBusybox(() => ({ status: 0, stdout: "", stderr: "" }), `unix://${host.dockerSocketOutside}`, OWNER_IMAGE);
        const net = spec.dockerNetwork;
        await host.docker(["network", "create", "--driver", "bridge", "--subnet", net.subnet, "--gateway", net.gateway, net.name]);
        for (const project of names) {
          const home = `/run/home/${host.sshUser}`;
          const outside = join(host.dir, "run", "home", host.sshUser, project);
          cpSync(names.length === 1 && project === OWNER_PROJECT ? fixture : join(fixture, project), outside, { recursive: true });
          writeFileSync(join(outside, ".env"), env);
          await host.exec(["chown", "-R", `${SimHost.DEPLOY_UID}:${SimHost.DEPLOY_UID}`, `${home}/${project}`]);
          await overSsh(host, `cd ~/${project} && docker-compose up -d`);
          projects.push({ host, project, dir: `${home}/${project}` });
        }
      }
    });

    await timed("old homelab: data written", async () => {
      for (const { host } of hostStacks) {
        const containers = await inspect(host, ["--filter", `label=${COMPOSE_PROJECT_LABEL}`]);
        oldContainers.set(host.name, containers.map((c) => ({ name: nameOf(c), service: c.Config.Labels?.["com.docker.compose.service"] ?? "" })));
        const vols = new Map<string, string>();
        for (const c of containers) {
          for (const m of c.Mounts) {
            if (m.Type === "volume" && m.Name) vols.set(m.Name, await volumeIdentity(host, m.Name));
          }
          // The database's files are written by the server; its data goes in as rows.
          if (c.Mounts.some((m) => m.Destination === POSTGRES_DATA_PATH)) continue;
          const env = envOf(c);
          if (env.MARIADB_DATABASE) {
            const svc = spec.services.find((s) => (s.databases ?? []).some((d) => d.engine === "mariadb" && d.name === env.MARIADB_DATABASE));
            if (!svc) throw new Error(`old MariaDB ${nameOf(c)}: no service of the description has the database ${env.MARIADB_DATABASE}`);
            const sql = (q: string) => host.docker(["exec", "-e", `MYSQL_PWD=${env.MARIADB_PASSWORD}`, nameOf(c), "mariadb", "-h", "127.0.0.1", `-u${env.MARIADB_USER}`, "-N", "-B", env.MARIADB_DATABASE, "-e", q], { allowFailure: true });
            await waitFor(`${nameOf(c)} accepts ${env.MARIADB_USER}`, async () => (await sql("SELECT 1")).code === 0, 120_000, 1000);
            const values = [1, 2, 3].map((i) => `(${i}, '${env.MARIADB_DATABASE}-${randomBytes(6).toString("hex")}')`).join(", ");
            const made = await sql(`CREATE TABLE kse2e_old_rows (id INT PRIMARY KEY, note TEXT NOT NULL); INSERT INTO kse2e_old_rows VALUES ${values}`);
            if (made.code !== 0) throw new Error(`rows in ${nameOf(c)}: ${made.stderr}`);
            const read = (await sql("SELECT CONCAT(id, ':', note) FROM kse2e_old_rows ORDER BY id")).stdout.trim();
            mariadbs.push({ host: host.name, service: svc.name, database: env.MARIADB_DATABASE, user: env.MARIADB_USER, password: env.MARIADB_PASSWORD, rows: read });
            continue;
          }
          for (const m of c.Mounts) {
            const source = sourceOf(m);
            if (!source) continue;
            const file = `kite-marker-${nameOf(c)}`;
            const content = `${host.name}:${nameOf(c)}:${m.Destination}:${randomBytes(6).toString("hex")}`;
            await host.docker(["exec", nameOf(c), "sh", "-c", `echo '${content}' > '${m.Destination}/${file}'`]);
            markers.push({ host: host.name, container: nameOf(c), source, file, content });
          }
        }
        oldVolumes.set(host.name, vols);
      }

      // Rows in every database the description puts in the shared Postgres, written by its own
      // role. The cluster's superuser is what the old container was started with (Authentik's
      // compose: PG_USER); a database it does not have yet is made as the owner did for Forgejo.
      const home = h!.lab.hosts.get(pg.host)!;
      const [server] = (await inspect(home, ["--filter", `name=^${pg.containerName}$`])).filter((c) => nameOf(c) === pg.containerName);
      if (!server) throw new Error(`the old homelab on ${pg.host} has no container ${pg.containerName}`);
      oldSuperuser = envOf(server).POSTGRES_USER ?? "postgres";
      oldPgVolume = server.Mounts.find((m) => m.Destination === POSTGRES_DATA_PATH)?.Name;
      await waitFor(`${pg.containerName} healthy`, async () => (await home.docker(["inspect", "--format", "{{.State.Health.Status}}", pg.containerName])).stdout.trim() === "healthy", 120_000, 1000);
      const consumers = spec.services.flatMap((svc) => (svc.databases ?? []).filter((d) => d.engine === "shared-postgres"));
      expect(consumers.length).toBeGreaterThan(0);
      for (const d of consumers) {
        const q = (sql: string) => psql(home, pg.containerName, oldSuperuser, "postgres", sql);
        if ((await q(`SELECT 1 FROM pg_roles WHERE rolname = '${d.user}'`)).stdout.trim() !== "1") await q(`CREATE ROLE "${d.user}" LOGIN PASSWORD '${randomBytes(12).toString("hex")}'`);
        if ((await q(`SELECT 1 FROM pg_database WHERE datname = '${d.name}'`)).stdout.trim() !== "1") await q(`CREATE DATABASE "${d.name}" OWNER "${d.user}"`);
        const values = [1, 2, 3].map((i) => `(${i}, '${d.name}-${randomBytes(6).toString("hex")}')`).join(", ");
        await psql(home, pg.containerName, d.user, d.name, `CREATE TABLE kse2e_old_rows (id int PRIMARY KEY, note text NOT NULL); INSERT INTO kse2e_old_rows VALUES ${values}`);
        rows.push({ database: d.name, role: d.user, rows: (await psql(home, pg.containerName, d.user, d.name, "SELECT id || ':' || note FROM kse2e_old_rows ORDER BY id")).stdout.trim() });
      }
    });
    expect(projects.length).toBeGreaterThan(hostStacks.length - 1);
    expect(markers.some((m) => "volume" in m.source)).toBe(true);
    expect(markers.some((m) => "bindPath" in m.source)).toBe(true);
    for (const r of [...rows, ...mariadbs]) expect(r.rows.split("\n")).toHaveLength(3);
    expect(mariadbs.length).toBeGreaterThan(0);
  }, 20 * 60_000);
});

describe("adoption", () => {
  test("npm run adopt:discover (docker over SSH to every host) finds every old volume, bind folder, compose project and the shared Postgres", async () => {
    adoptionFile = join(h!.lab.dir, "adoption.json");
    const env: NodeJS.ProcessEnv = { ...process.env };
    // No Cloudflare or Hetzner here: discovery says it skips them.
    for (const k of Object.keys(env)) if (/^TF_VAR_(cloudflare|hcloud)/.test(k) || /^(CLOUDFLARE_API_BASE|HCLOUD_ENDPOINT)$/.test(k)) delete env[k];
    const r = await timed("npm run adopt:discover", () => h!.lab.deployer.exec([...npmScript("adopt:discover", h!.lab.dir), "--out", adoptionFile], { env, allowFailure: true }));
    const report = r.stdout;
    process.stderr.write(`[e2e] adopt:discover (exit ${r.code}):\n${report}\n`);
    expect(report).toMatch(/cloudflare: skipped/);
    expect(report).toMatch(/hetzner: skipped/);
    const found = JSON.parse(readFileSync(adoptionFile, "utf8")) as Adoption;

    for (const { host } of hostStacks) {
      const entry = found.hosts?.[host.name];
      expect([host.name, Boolean(entry)]).toEqual([host.name, true]);
      expect((entry!.compose ?? []).map((p) => `${p.project} ${p.workingDir}`).sort()).toEqual(projects.filter((p) => p.host === host).map((p) => `${p.project} ${p.dir}`).sort());
      const placed = servicesOn(spec, host.name);
      for (const m of markers.filter((x) => x.host === host.name)) {
        const owner = oldContainers.get(host.name)!.find((c) => c.name === m.container)!;
        const svc = serviceOfContainer(owner);
        const adoptedBy = Object.entries(entry!.services ?? {}).flatMap(([s, vols]) => Object.entries(vols).filter(([, v]) => sameSource(v, m.source)).map(([k]) => `${s}.${k}`));
        if (svc && placed.includes(svc)) expect([m.container, m.source, adoptedBy.length > 0]).toEqual([m.container, m.source, true]);
        else {
          // A service the description no longer places here: its data is not taken over, and discovery says so.
          expect([m.container, adoptedBy]).toEqual([m.container, []]);
          expect(report).toContain(`${host.name}: ${svc?.name ?? m.container}.`);
          expect(report).toMatch(/not taken over/);
        }
      }
    }
    const pg = spec.sharedPostgres!;
    expect(oldPgVolume).toBeDefined();
    expect(found.hosts?.[pg.host]?.sharedPostgres).toEqual({ volume: oldPgVolume, ...(oldSuperuser !== "postgres" ? { superuser: oldSuperuser } : {}) });

    // docs/adopt.md step 2: what discovery could not place is set by hand. Here that is only
    // what the old homelab did not run: a service with no container of its name on the host.
    const hosts: Record<string, any> = { ...found.hosts };
    for (const { host } of hostStacks) {
      const entry = { ...hosts[host.name], services: { ...(hosts[host.name].services ?? {}) } };
      for (const svc of servicesOn(spec, host.name)) {
        for (const key of adoptableVolumeKeys(svc)) {
          if (entry.services[svc.name]?.[key]) continue;
          expect([host.name, svc.name, key, oldContainers.get(host.name)!.some((c) => serviceOfContainer(c) === svc)]).toEqual([host.name, svc.name, key, false]);
          entry.services[svc.name] = { ...entry.services[svc.name], [key]: { fresh: `${svc.name} did not run on ${host.name} before (not part of the e2e's old homelab)` } };
        }
      }
      hosts[host.name] = entry;
    }
    adoption = { ...found, hosts };
    writeFileSync(adoptionFile, `${JSON.stringify(adoption, null, 2)}\n`);
  }, 10 * 60_000);

  test("synth with KITESTACKS_ADOPTION imports the old volumes and network", async () => {
    const again = await timed("synth with the adoption file", () => resynthesize(h!, { KITESTACKS_ADOPTION: adoptionFile }));
    hostStacks = again.hostStacks;
    for (const { stack, host } of hostStacks) {
      const volumes = Object.values((stack.json.resource?.docker_volume ?? {}) as Record<string, { name: string }>).map((v) => v.name);
      for (const name of oldVolumes.get(host.name)!.keys()) {
        const takenOver = Object.values(adoption!.hosts![host.name].services ?? {}).some((vols) => Object.values(vols).some((v) => "volume" in v && v.volume === name)) || (adoption!.hosts![host.name].sharedPostgres as { volume?: string } | undefined)?.volume === name;
        expect([host.name, name, volumes.includes(name)]).toEqual([host.name, name, takenOver]);
      }
      expect((stack.json.import ?? []).length).toBeGreaterThan(0);
    }
  }, 10 * 60_000);

  for (const [i, name] of hostsInDeployOrder(spec).map((x) => x.name).entries()) {
    test(`npm run adopt -- ${name}: old compose stopped, host stack applied, healthy`, async () => {
      const { stack, host } = hostStacks[i];
      // docs/adopt.md step 3: the database passwords an adopted MariaDB data directory was made
      // with are imported into the stack's generated secrets, and the state fixed up as it says.
      for (const m of mariadbs) {
        const address = Object.keys(stack.json.resource?.random_password ?? {}).find((id) => id.startsWith(`secrets_${m.service}-db-${m.database}_`));
        if (!address) continue;
        await timed(`docs step 3: import ${m.service}'s database password into ${stack.name}`, async () => {
          await h!.terraform(stack, ["init", "-input=false", "-no-color"]);
          await h!.terraform(stack, ["import", "-input=false", "-no-color", `random_password.${address}`, m.password]);
          const state = JSON.parse((await h!.terraform(stack, ["state", "pull"])).stdout);
          const attrs = state.resources.find((r: { type: string; name: string }) => r.type === "random_password" && r.name === address).instances[0].attributes;
          attrs.length = stack.json.resource.random_password[address].length;
          attrs.special = stack.json.resource.random_password[address].special;
          state.serial += 1;
          const fixed = join(h!.lab.dir, `ksad-${address}.tfstate`);
          writeFileSync(fixed, JSON.stringify(state), { mode: 0o600 });
          await h!.terraform(stack, ["state", "push", fixed]);
          rmSync(fixed);
          const plan = await h!.terraform(stack, ["plan", "-input=false", "-no-color", "-detailed-exitcode", `-target=random_password.${address}`], true);
          expect([address, plan.code]).toEqual([address, 0]);
        });
      }
      const env = { ...terraformEnv(h!.lab.deployer, h!.tf, stack.name, h!.varsFor(stack)), KITESTACKS_ADOPTION: adoptionFile };
      // Compose v1 on these hosts (Debian's docker-compose); with the backup before the cut-over.
      const r = await timed(`npm run adopt -- ${host.name}`, () =>
        h!.lab.deployer.exec([...npmScript("adopt", h!.lab.dir), host.name, "--compose", "docker-compose", "--timeout", "600"], { env, allowFailure: true, echo: process.env.KSE2E_ECHO === "1" }),
      );
      writeFileSync(join(h!.lab.dir, `adopt-${host.name}.log`), r.stdout + r.stderr);
      expect({ host: host.name, code: r.code, log: r.code === 0 ? "" : `${r.stdout}\n${r.stderr}`.split("\n").slice(-80).join("\n") }).toEqual({ host: host.name, code: 0, log: "" });
      expect(r.stdout).toMatch(/containers healthy/);

      // The backup of step 1, read back through the job's restic: one snapshot of each service
      // taken over (the job ran once: before compose went down), none of the skipped ones.
      const selection = preCutOverBackup(spec, adoption!, host.name);
      const stepBackup = r.stdout.indexOf("# 1. back up");
      const stepStop = r.stdout.indexOf("# 3. stop the old compose project");
      if (selection.services.length > 0) expect([host.name, stepBackup >= 0, stepBackup < stepStop || stepStop < 0]).toEqual([host.name, true, true]);
      const restic = (args: string[]) => host.docker(["exec", BACKUP_CONTAINER, `${BACKUP_PATHS.scripts}/restic.sh`, ...args], { allowFailure: true });
      for (const b of backupPlan(spec, host.name)) {
        const snaps = await restic(["snapshots", "--json", "--host", host.name, "--tag", `service=${b.service}`]);
        expect([b.service, snaps.code, snaps.stderr.trim() && snaps.code !== 0 ? snaps.stderr.trim() : ""]).toEqual([b.service, 0, ""]);
        const count = (JSON.parse(snaps.stdout || "[]") as unknown[]).length;
        expect([host.name, b.service, count]).toEqual([host.name, b.service, selection.services.includes(b.service) ? 1 : 0]);
      }
      for (const m of mariadbs.filter((x) => x.host === host.name)) {
        expect(selection.services).toContain(m.service);
        const dump = await restic(["dump", "--host", host.name, "--tag", `service=${m.service}`, "latest", `${BACKUP_PATHS.scratch}/dumps/${m.service}/mariadb/${m.database}.sql`]);
        expect([m.service, dump.code, dump.stderr.trim().slice(-300)]).toEqual([m.service, 0, expect.any(String)]);
        for (const row of m.rows.split("\n")) expect([m.service, dump.stdout.includes(row.slice(row.indexOf(":") + 1))]).toEqual([m.service, true]);
      }
    }, 25 * 60_000);
  }
});

describe("after the cut-over", () => {
  test("the old compose containers are gone; their volumes and bind folders are kept, with the data", async () => {
    for (const { host } of hostStacks) {
      expect([host.name, (await inspect(host, ["--filter", `label=${COMPOSE_PROJECT_LABEL}`])).map(nameOf)]).toEqual([host.name, []]);
      for (const [name, identity] of oldVolumes.get(host.name)!) expect([host.name, name, await volumeIdentity(host, name)]).toEqual([host.name, name, identity]);
      for (const m of markers.filter((x) => x.host === host.name && "bindPath" in x.source)) {
        // The bind folders, read on the host's own disk.
        const path = join((m.source as { bindPath: string }).bindPath, m.file);
        expect([path, (await host.exec(["cat", path], { allowFailure: true })).stdout.trim()]).toEqual([path, m.content]);
      }
    }
  });

  test("every marker of a service taken over is there, in the new container, on the adopted volume", async () => {
    let checked = 0;
    for (const { host } of hostStacks) {
      const entry = adoption!.hosts![host.name];
      const running = (await inspect(host, ["--filter", `label=${MANAGED}`])).filter((c) => c.State.Running);
      const localVolumes = JSON.parse((await host.docker(["volume", "inspect", ...(await host.docker(["volume", "ls", "-q"])).stdout.split("\n").filter(Boolean)])).stdout) as { Name: string; Options: Record<string, string> | null }[];
      for (const m of markers.filter((x) => x.host === host.name)) {
        const takers = Object.entries(entry.services ?? {}).flatMap(([svc, vols]) => Object.values(vols).filter((v) => sameSource(v, m.source)).map(() => svc));
        // The Docker volume the stack mounts for it: the old one itself, or a local volume bound to the old folder.
        const volume = "volume" in m.source ? m.source.volume : localVolumes.find((v) => v.Options?.device === (m.source as { bindPath: string }).bindPath && v.Options?.o === "bind")?.Name;
        const users = running.filter((c) => c.Mounts.some((x) => x.Type === "volume" && x.Name === volume));
        if (takers.length === 0) {
          expect([m.container, users.map(nameOf)]).toEqual([m.container, []]);
          continue;
        }
        const mine = users.filter((c) => takers.includes(c.Config.Labels?.[LABELS.service] ?? ""));
        expect([m.container, m.source, volume !== undefined, mine.length > 0]).toEqual([m.container, m.source, true, true]);
        for (const c of mine) {
          const at = c.Mounts.find((x) => x.Name === volume)!.Destination;
          const read = await host.docker(["exec", nameOf(c), "cat", `${at}/${m.file}`], { allowFailure: true });
          expect([nameOf(c), at, read.stdout.trim()]).toEqual([nameOf(c), at, m.content]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  test("every row of the shared Postgres is there, and each role logs in over TCP with its generated password", async () => {
    const pg = spec.sharedPostgres!;
    const home = hostStacks.find(({ host }) => host.name === pg.host)!;
    const state = JSON.parse(readFileSync(h!.statePath(home.stack), "utf8")) as { resources: { type: string; name: string; instances: { attributes: Record<string, unknown> }[] }[] };
    const server = (await inspect(home.host, ["--filter", `label=${MANAGED}`])).find((c) => nameOf(c) === pg.containerName)!;
    expect(server.Mounts.find((m) => m.Destination === POSTGRES_DATA_PATH)?.Name).toBe((adoption!.hosts![pg.host].sharedPostgres as { volume: string }).volume);
    for (const r of rows) {
      const svc = spec.services.find((s) => (s.databases ?? []).some((d) => d.engine === "shared-postgres" && d.name === r.database))!;
      const password = String(state.resources.find((x) => x.type === "random_password" && x.name.startsWith(`secrets_${svc.name}-db-${r.database}_`))!.instances[0].attributes.result);
      const got = await home.host.docker(["exec", "-e", `PGPASSWORD=${password}`, pg.containerName, "psql", "-X", "-h", "127.0.0.1", "-p", String(pg.port ?? 5432), "-U", r.role, "-d", r.database, "-Atc", "SELECT id || ':' || note FROM kse2e_old_rows ORDER BY id"]);
      expect([r.database, got.stdout.trim()]).toEqual([r.database, r.rows]);
    }
  });

  test("every row of each adopted MariaDB is there, read by the app's user with the password the stack holds (the old one)", async () => {
    expect(mariadbs.length).toBeGreaterThan(0);
    for (const m of mariadbs) {
      const { host } = hostStacks.find((x) => x.host.name === m.host)!;
      const container = mariadbContainerName(m.service);
      const server = (await inspect(host, ["--filter", `label=${MANAGED}`])).find((c) => nameOf(c) === container)!;
      expect([container, server.State.Running]).toEqual([container, true]);
      // The password file the stack uploaded holds the imported value, not a new one.
      const file = envOf(server).MARIADB_PASSWORD_FILE;
      expect((await host.docker(["exec", container, "cat", file])).stdout).toBe(m.password);
      const got = await host.docker(["exec", "-e", `MYSQL_PWD=${m.password}`, container, "mariadb", "-h", "127.0.0.1", `-u${m.user}`, "-N", "-B", m.database, "-e", "SELECT CONCAT(id, ':', note) FROM kse2e_old_rows ORDER BY id"]);
      expect([m.database, got.stdout.trim()]).toEqual([m.database, m.rows]);
    }
  });

  test("a second plan of each host stack is empty", async () => {
    for (const { stack } of hostStacks) {
      const r = await timed(`terraform plan (second) ${stack.name}`, () => h!.terraform(stack, ["plan", "-detailed-exitcode", "-input=false", "-no-color", "-lock=false"], true));
      expect([stack.name, r.code, r.code === 2 ? r.stdout.split("\n").filter((l) => /^\s+[~+-]|must be replaced|will be/.test(l)).join("\n") : ""]).toEqual([stack.name, 0, ""]);
    }
  }, 10 * 60_000);
});
