/**
 * The homelab in a box: both host stacks applied for real, with Terraform and the Docker
 * provider over SSH, on two simulated hosts (e2e/harness/hosts.ts), in deploy order, then
 * checked from the outside. What is real and what is a stand-in: docs/testing.md.
 *
 * Assertions are derived from the homelab description (services, placement, ports, SSO,
 * databases) and from the synthesized stacks, never from service names written here.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { stackNames } from "../app";
import { BACKUP_STATUS_HOST_DIR, backupPlan, backupSettings, ServiceBackup } from "../backup/plan";
import { BACKUP_CONTAINER, BACKUP_PATHS } from "../constructs/backup-job";
import { dockerHostUrl, hostNamesOf, portalCards, servicesOn } from "../homelab/derive";
import { parse as parseYaml } from "yaml";
import { kitestacks as spec } from "../homelab/homelab";
import { ServiceSpec } from "../homelab/types";
import { Lab, SimHost, TAILNET_PREFIX_LEN } from "./harness/hosts";
import { applyHostStacks, bringUpHomelab, HomelabLab, reportAndDestroy } from "./harness/homelab-lab";
import { RunResult, waitFor } from "./harness/run";
import { SynthesizedStack, synthesize } from "./harness/synth";
import { prepareStack } from "./harness/terraform";

const ARTIFACTS = join(__dirname, "artifacts");
const REPO_ROOT = resolve(__dirname, "..");
const MANAGED = "org.kitestacks.managed-by=kitestacks-iac";

let h: HomelabLab | undefined;
let lab: Lab | undefined;
let stacks: readonly SynthesizedStack[] = [];
/** Host stacks in deploy order, with their simulated host. */
let hostStacks: readonly { stack: SynthesizedStack; host: SimHost }[] = [];
const timed = <T>(what: string, fn: () => Promise<T>): Promise<T> => h!.timed(what, fn);

const tfIn = (s: SynthesizedStack, args: string[], allowFailure = false): Promise<RunResult> => h!.terraform(s, args, allowFailure);

/** Terraform state of a host stack, as written by apply (the stacks' own local backend). */
function stateOf(stack: SynthesizedStack): { resources: { type: string; name: string; instances: { attributes: Record<string, unknown> }[] }[] } {
  return JSON.parse(readFileSync(join(lab!.dir, `terraform.${stack.name}.tfstate`), "utf8"));
}

/** A generated password by its GeneratedSecrets key, read from the state that owns it. */
function generatedSecret(key: string): string {
  for (const { stack } of hostStacks) {
    if (!existsSync(join(lab!.dir, `terraform.${stack.name}.tfstate`))) continue;
    const r = stateOf(stack).resources.find((x) => x.type === "random_password" && x.name.startsWith(`secrets_${key}_`));
    if (r) return String(r.instances[0].attributes.result);
  }
  throw new Error(`no random_password for ${key} in any host state`);
}

interface Inspected {
  Name: string;
  State: { Status: string; Running: boolean; ExitCode: number; Health?: { Status: string } };
  Config: { Env: string[]; Labels: Record<string, string>; Image: string };
  NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
  HostConfig: { PortBindings?: Record<string, { HostIp: string; HostPort: string }[] | null> };
}

async function inspectAll(host: SimHost): Promise<Inspected[]> {
  const ids = (await host.docker(["ps", "-aq", "--filter", `label=${MANAGED}`])).stdout.split("\n").filter(Boolean);
  if (ids.length === 0) return [];
  return JSON.parse((await host.docker(["inspect", ...ids])).stdout) as Inspected[];
}

const envOf = (c: Inspected) => Object.fromEntries(c.Config.Env.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
const nameOf = (c: Inspected) => c.Name.replace(/^\//, "");

/** Containers a synthesized stack declares, with their role label. */
function declaredContainers(stack: SynthesizedStack): { name: string; role: string; mustRun: boolean }[] {
  return Object.values((stack.json.resource?.docker_container ?? {}) as Record<string, { name: string; must_run?: boolean; labels?: { label: string; value: string }[] }>).map((c) => ({
    name: c.name,
    role: c.labels?.find((l) => l.label === "org.kitestacks.role")?.value ?? "app",
    mustRun: c.must_run !== false,
  }));
}

beforeAll(async () => {
  // With the backup repository's S3 store, for the backup and restore test.
  h = await bringUpHomelab({ spec, artifactsDir: ARTIFACTS, backupStore: true });
  lab = h.lab;
  stacks = h.stacks;
  hostStacks = h.hostStacks;
  await applyHostStacks(h);
}, 45 * 60 * 1000);

afterAll(() => reportAndDestroy(h, ARTIFACTS, "timings.json"), 5 * 60 * 1000);

describe("apply", () => {
  test("every container each host stack declares exists; long-running ones run and are healthy, jobs exited 0", async () => {
    for (const { stack, host } of hostStacks) {
      const declared = declaredContainers(stack);
      expect(declared.length).toBeGreaterThan(0);
      const report = await waitFor(
        `${host.name}: every container healthy`,
        async () => {
          const seen = new Map((await inspectAll(host)).map((c) => [nameOf(c), c]));
          const rows = declared.map((d) => {
            const c = seen.get(d.name);
            if (!c) return { name: d.name, ok: false, state: "missing" };
            if (!d.mustRun) return { name: d.name, ok: c.State.Status === "exited" && c.State.ExitCode === 0, state: `${c.State.Status} ${c.State.ExitCode}` };
            const health = c.State.Health?.Status ?? "none";
            return { name: d.name, ok: c.State.Running && health === "healthy", state: `${c.State.Status} ${health}` };
          });
          return rows.every((r) => r.ok) ? rows : undefined;
        },
        4 * 60_000,
        3_000,
      ).catch(async (e) => {
        const seen = await inspectAll(host);
        throw new Error(`${e.message}\n${seen.map((c) => `${nameOf(c)}: ${c.State.Status} ${c.State.Health?.Status ?? ""} exit=${c.State.ExitCode}`).join("\n")}`);
      });
      expect(report.length).toBe(declared.length);
    }
  });

  test("the provisioning job created each shared-Postgres role and database with its generated password", async () => {
    const consumers = spec.services.flatMap((svc) => (svc.databases ?? []).filter((d) => d.engine === "shared-postgres").map((d) => ({ svc: svc.name, ...d })));
    expect(consumers.length).toBeGreaterThan(0);
    const pg = spec.sharedPostgres!;
    const home = lab!.hosts.get(pg.host)!;
    for (const c of consumers) {
      const password = generatedSecret(`${c.svc}-db-${c.name}`);
      // Over TCP with password auth, as the apps connect (the image's pg_hba: scram-sha-256).
      const ok = await home.docker(["exec", "-e", `PGPASSWORD=${password}`, pg.containerName, "psql", "-h", "127.0.0.1", "-p", String(pg.port ?? 5432), "-U", c.user, "-d", c.name, "-Atc", "select current_user || ' ' || current_database()"]);
      expect(ok.stdout.trim()).toBe(`${c.user} ${c.name}`);
      const wrong = await home.docker(["exec", "-e", "PGPASSWORD=not-the-password", pg.containerName, "psql", "-h", "127.0.0.1", "-p", String(pg.port ?? 5432), "-U", c.user, "-d", c.name, "-Atc", "select 1"], { allowFailure: true });
      expect(wrong.code).not.toBe(0);
    }
  });

  test("each per-host MariaDB has its app's database and user with the generated password", async () => {
    for (const { host } of hostStacks) {
      for (const c of await inspectAll(host)) {
        const env = envOf(c);
        if (!env.MARIADB_DATABASE) continue;
        // The password as the container has it: a value, or a file (MARIADB_PASSWORD_FILE).
        const password = env.MARIADB_PASSWORD ?? (await host.docker(["exec", nameOf(c), "cat", env.MARIADB_PASSWORD_FILE])).stdout;
        const r = await host.docker(["exec", nameOf(c), "mariadb", "-h", "127.0.0.1", `-u${env.MARIADB_USER}`, `-p${password}`, env.MARIADB_DATABASE, "-Nse", "select database()"]);
        expect(r.stdout.trim()).toBe(env.MARIADB_DATABASE);
        const svc = c.Config.Labels["org.kitestacks.service"];
        expect(password).toBe(generatedSecret(`${svc}-db-${env.MARIADB_DATABASE}`));
      }
    }
  });

  test("containers on other hosts reach the shared Postgres over the tailnet with their own settings; the outsider cannot", async () => {
    const pg = spec.sharedPostgres!;
    const pgHost = lab!.hosts.get(pg.host)!;
    let checked = 0;
    for (const { host } of hostStacks) {
      if (host === pgHost) continue;
      for (const c of await inspectAll(host)) {
        const env = envOf(c);
        // Whatever a container is configured with for the shared Postgres: host = its tailnet address.
        const hostVar = Object.keys(env).find((k) => /POSTGRES(QL)?__HOST$|DATABASE__HOST$/.test(k) && env[k].startsWith(pgHost.tailscaleIp));
        if (!hostVar) continue;
        const [addr, port] = env[hostVar].includes(":") ? env[hostVar].split(":") : [env[hostVar], env[hostVar.replace(/HOST$/, "PORT")] ?? String(pg.port ?? 5432)];
        const network = Object.keys(c.NetworkSettings.Networks)[0];
        // A client in the same Docker network as that container, on its host: the same path.
        const user = env[hostVar.replace(/HOST$/, "USER")];
        const db = env[hostVar.replace(/HOST$/, "NAME")];
        let password = env[hostVar.replace(/HOST$/, "PASSWORD")] ?? env[hostVar.replace(/HOST$/, "PASSWD")];
        // Authentik's file:// references and *_FILE variables: read the file in that container.
        const file = password?.startsWith("file://") ? password.slice("file://".length) : env[`${hostVar.replace(/HOST$/, "PASSWORD")}_FILE`];
        if (file) password = (await host.docker(["exec", nameOf(c), "cat", file])).stdout;
        const r = await host.docker(["run", "--rm", "--network", network, "-e", `PGPASSWORD=${password}`, pg.image, "psql", "-h", addr, "-p", port, "-U", user, "-d", db, "-Atc", "select current_user"]);
        expect(r.stdout.trim()).toBe(user);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
    // The internet: kscloud1's public address has nothing on the Postgres port, and the
    // tailnet address has no route from there.
    for (const addr of [pgHost.publicIp, pgHost.tailscaleIp]) {
      const r = await lab!.outsider.exec(["timeout", "5", "bash", "-c", `exec 3<>/dev/tcp/${addr}/${pg.port ?? 5432}`], { allowFailure: true });
      expect([addr, r.code]).not.toEqual([addr, 0]);
    }
  });

  test("every homed service answers on each other connector host through its forwarder", async () => {
    const homed = spec.services.filter((s) => s.placement.mode === "homed");
    let checked = 0;
    for (const svc of homed) {
      if (svc.placement.mode !== "homed") continue;
      const home = lab!.hosts.get(svc.placement.home)!;
      const homeContainer = (await inspectAll(home)).find((c) => nameOf(c) === svc.name && c.Config.Labels["org.kitestacks.role"] !== "forwarder");
      expect([svc.name, Boolean(homeContainer)]).toEqual([svc.name, true]);
      for (const { host } of hostStacks) {
        if (host === home) continue;
        const fwd = (await inspectAll(host)).find((c) => nameOf(c) === svc.name);
        if (!fwd) continue; // not a connector host for it
        expect(fwd.Config.Labels["org.kitestacks.role"]).toBe("forwarder");
        const ip = Object.values(fwd.NetworkSettings.Networks)[0].IPAddress;
        // What cloudflared on this host would do: http://<service>:<port>/ on the Docker network.
        const { body, code } = await getOn(host, ip, svc.port);
        expect([svc.name, host.name, code]).toEqual([svc.name, host.name, "200"]);
        // The answer comes from the home's container (stand-ins name their container).
        if (body.includes('"container"')) {
          const homeHostname = (await home.docker(["inspect", "-f", "{{.Config.Hostname}}", nameOf(homeContainer!)])).stdout.trim();
          expect([svc.name, JSON.parse(body).container]).toEqual([svc.name, homeHostname]);
        }
        checked++;
      }
    }
    if (homed.length > 0) expect(checked).toBeGreaterThan(0);
  });

  test("post-start steps ran once each: one terraform_data per step in state, one effect per step in the app", async () => {
    for (const { stack, host } of hostStacks) {
      const declared = Object.keys(stack.json.resource?.terraform_data ?? {});
      const inState = stateOf(stack).resources.filter((r) => r.type === "terraform_data");
      expect(inState.map((r) => r.name).sort()).toEqual(declared.sort());
      for (const r of inState) expect(r.instances).toHaveLength(1);
      // Stand-ins log each state change a step makes; none may appear twice.
      for (const c of await inspectAll(host)) {
        const effects = await host.docker(["exec", nameOf(c), "cat", "/var/lib/kse2e/effects.log"], { allowFailure: true });
        if (effects.code !== 0) continue;
        const lines = effects.stdout.split("\n").filter((l) => l && !l.includes("tunnel-token"));
        const counts = new Map<string, number>();
        for (const l of lines) counts.set(l.split(" ")[1], (counts.get(l.split(" ")[1]) ?? 0) + 1);
        for (const [kind, n] of counts) expect([host.name, nameOf(c), kind, n]).toEqual([host.name, nameOf(c), kind, 1]);
      }
    }
  });

  test("cloudflared on every connector host holds the edge's tunnel token in its token file", async () => {
    for (const { host } of hostStacks) {
      const cf = (await inspectAll(host)).find((c) => c.Config.Labels["org.kitestacks.role"] === "connector");
      if (!cf) continue;
      const file = envOf(cf).TUNNEL_TOKEN_FILE;
      expect((await host.docker(["exec", nameOf(cf), "cat", file])).stdout).toBe(h!.fakeTunnelToken);
      expect(cf.Config.Env.join("\n")).not.toContain(h!.fakeTunnelToken);
    }
  });

  test("the portal, in headless Chromium through the tunnel's origin URL, shows the cards and live figures of its own host", async () => {
    const { chromium } = await import("playwright-core");
    const { CHROMIUM_ARGS, CHROMIUM_BIN } = await import("../portal/build/browser");
    const portal = spec.services.find((s) => "build" in s.image && s.image.build === "portal")!;
    const cards = portalCards(spec);
    for (const { host } of hostStacks) {
      const c = (await inspectAll(host)).find((x) => nameOf(x) === portal.name);
      if (!c) continue;
      const ip = Object.values(c.NetworkSettings.Networks)[0].IPAddress;
      // Chromium runs inside the host; the ingress origin http://<service>:<port> resolves to the container.
      const wrapper = join(host.dir, "chromium-in-host.sh");
      writeFileSync(wrapper, `#!/bin/sh\nexec nsenter -t ${host.holderPid} -m -n -u -- ${CHROMIUM_BIN} "$@"\n`, { mode: 0o755 });
      const browser = await chromium.launch({ executablePath: wrapper, args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${portal.name} ${ip}`] });
      try {
        const page = await browser.newPage();
        await page.goto(`http://${portal.name}:${portal.port}/`, { waitUntil: "load" });
        const shown = await page.$$eval(".card", (els) => els.map((el) => el.getAttribute("data-service")));
        expect(shown).toEqual(cards.map((x) => x.name));
        await page.waitForFunction(() => document.getElementById("w-host")?.dataset.state === "live", undefined, { timeout: 30_000 });
        expect(await page.textContent('#w-host [data-field="hostname"]')).toBe(host.name);
        expect(await page.textContent('#w-host [data-field="cpu"]')).toMatch(/^\d+\.\d% of \d+ cores$/);
      } finally {
        await browser.close();
      }
    }
  });
});

describe("idempotent", () => {
  test("a second plan of each host stack, right after apply, is empty", async () => {
    for (const { stack } of hostStacks) {
      const r = await timed(`no-change plan ${stack.name}`, () => tfIn(stack, ["plan", "-detailed-exitcode", "-input=false", "-no-color", "-lock=false"], true));
      expect([stack.name, r.code, r.code === 2 ? r.stdout.split("\n").filter((l) => /^\s+[~+-]|must be replaced|will be/.test(l)).join("\n") : ""]).toEqual([stack.name, 0, ""]);
    }
  });
});

describe("a change in portal/", () => {
  test("rebuilds the portal image and replaces only the portal containers", async () => {
    // One file of the copy the plan builds from changed in place (the real portal/ is not
    // touched), synthesized into another folder; put back afterwards.
    const portal = spec.services.find((s) => "build" in s.image && s.image.build === "portal")!;
    const changedFile = join(h!.repoCopy, "portal", "site", "index.html");
    const original = readFileSync(changedFile, "utf8");
    writeFileSync(changedFile, original + "\n<!-- kse2e: one changed file -->\n");
    let changed: SynthesizedStack[];
    try {
      changed = await synthesize(lab!.dir, h!.buildArgs, { outdir: join(lab!.dir, "cdktf.out-changed"), repoRoot: h!.repoCopy });
    } finally {
      writeFileSync(changedFile, original);
    }
    for (const { stack } of hostStacks) {
      const s = changed.find((x) => x.name === stack.name)!;
      prepareStack(h!.tf, s);
      await tfIn(s, ["init", "-input=false", "-no-color"]);
      await tfIn(s, ["plan", "-input=false", "-no-color", "-lock=false", "-out", "portal.plan"]);
      const plan = JSON.parse((await tfIn(s, ["show", "-json", "portal.plan"])).stdout) as { resource_changes: { address: string; type: string; change: { actions: string[] } }[] };
      const touched = plan.resource_changes.filter((r) => !(r.change.actions.length === 1 && ["no-op", "read"].includes(r.change.actions[0])));
      const portalContainers = Object.entries((s.json.resource?.docker_container ?? {}) as Record<string, { name: string }>)
        .filter(([, c]) => c.name === portal.name)
        .map(([k]) => `docker_container.${k}`);
      const portalImages = Object.entries((s.json.resource?.docker_image ?? {}) as Record<string, { build?: { context: string } }>)
        .filter(([, i]) => i.build && i.build.context.endsWith("/portal"))
        .map(([k]) => `docker_image.${k}`);
      // What is tied to a portal container re-runs with it (its pids limit; post-start steps).
      const portalSteps = Object.entries((s.json.resource?.terraform_data ?? {}) as Record<string, unknown>)
        .filter(([, d]) => portalContainers.some((c) => JSON.stringify(d).includes(`\${${c}.`)))
        .map(([k]) => `terraform_data.${k}`);
      const allowed = new Set([...portalContainers, ...portalImages, ...portalSteps]);
      expect([s.name, touched.map((r) => r.address).filter((a) => !allowed.has(a))]).toEqual([s.name, []]);
      for (const c of portalContainers) {
        expect([c, touched.find((r) => r.address === c)?.change.actions.sort()]).toEqual([c, ["create", "delete"]]);
      }
    }
  });
});

describe("one backup and one restore, for real", () => {
  /**
   * The service: its snapshot on the shared Postgres's host holds a database there and a volume;
   * of those, the one that runs on the most hosts (the restore then stops and starts it on each).
   */
  function chosenService(): { backup: ServiceBackup; svc: ServiceSpec } {
    const pg = spec.sharedPostgres!;
    const svcOf = (b: ServiceBackup) => spec.services.find((s) => s.name === b.service)!;
    const candidates = backupPlan(spec, pg.host).filter((b) => b.postgresDatabases.length > 0 && b.volumes.length > 0);
    if (candidates.length === 0) throw new Error(`no service keeps both a database and a volume on ${pg.host}: nothing for this test to back up`);
    const backup = [...candidates].sort((a, b) => hostNamesOf(spec, svcOf(b)).length - hostNamesOf(spec, svcOf(a)).length)[0];
    return { backup, svc: svcOf(backup) };
  }

  test("the scheduled backup command in the job puts one snapshot into the S3 store; the data destroyed, `npm run restore` from the deployer brings back every row and file and the service is healthy", async () => {
    const store = h!.backupStore!;
    const pg = spec.sharedPostgres!;
    const host = lab!.hosts.get(pg.host)!;
    const { backup, svc } = chosenService();
    const db = backup.postgresDatabases[0];
    const dbUser = svc.databases!.find((d) => d.name === db)!.user;
    const password = generatedSecret(`${svc.name}-db-${db}`);
    const inJob = (args: string[], allowFailure = false) => host.docker(["exec", BACKUP_CONTAINER, ...args], { allowFailure });
    // As the app connects (TCP, its role and generated password), and as the job does (the superuser).
    const asApp = (sql: string) =>
      host.docker(["exec", "-e", `PGPASSWORD=${password}`, pg.containerName, "psql", "-h", "127.0.0.1", "-p", String(pg.port ?? 5432), "-U", dbUser, "-d", db, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql]);
    const asSuperuser = (database: string, sql: string) => host.docker(["exec", pg.containerName, "psql", "-U", "postgres", "-d", database, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql]);
    const rows = async () => (await asApp("COPY (SELECT * FROM kse2e_probe ORDER BY id) TO STDOUT")).stdout;
    const tables = async () => (await asSuperuser(db, "SELECT schemaname || '.' || tablename || ' ' || tableowner FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1")).stdout;
    // Every file of every volume with its checksum, as the job sees the volumes (its plan's directories).
    const files = async () => {
      const out: Record<string, string> = {};
      for (const v of backup.volumes) out[v.volume] = (await inJob(["sh", "-c", 'cd "$0" && find . -type f -exec sha256sum {} + | sort', v.dir])).stdout;
      return out;
    };

    // Known data: rows written by the app's role, a file in every volume.
    await asApp(`CREATE TABLE kse2e_probe (id int PRIMARY KEY, note text NOT NULL, payload bytea);
      INSERT INTO kse2e_probe SELECT g, 'row ' || g || E' \\t ''q'' "d"', decode(md5(g::text), 'hex') FROM generate_series(1, 2000) g`);
    const note = `kse2e ${lab!.id} ${randomBytes(8).toString("hex")}`;
    for (const v of backup.volumes) {
      await inJob(["sh", "-c", 'mkdir -p "$0/kse2e" && printf %s "$1" > "$0/kse2e/note.txt" && head -c 262144 /dev/urandom > "$0/kse2e/blob.bin"', v.dir, note]);
    }
    const before = { rows: await rows(), tables: await tables(), files: await files() };
    expect(before.rows.split("\n").filter(Boolean)).toHaveLength(2000);
    expect(before.tables).toContain(`public.kse2e_probe ${dbUser}`);

    // ONE backup, the way the schedule runs it: the crontab's command (read from the synthesized
    // job), for this one service.
    const stack = hostStacks.find((x) => x.host === host)!.stack;
    const job = Object.values((stack.json.resource?.docker_container ?? {}) as Record<string, { name: string; upload?: { file: string; content: string }[] }>).find((c) => c.name === BACKUP_CONTAINER)!;
    const crontab = job.upload!.find((u) => u.file === BACKUP_PATHS.crontab)!.content;
    const line = crontab.split("\n").find((l) => l.includes(`${BACKUP_PATHS.scripts}/backup.sh`))!;
    const words = line.trim().split(/\s+/).slice(5);
    const command = words.slice(0, words.findIndex((w) => /^\d*>/.test(w)));
    expect(command[command.length - 1]).toBe(`${BACKUP_PATHS.scripts}/backup.sh`);
    await timed(`backup: ${svc.name} on ${host.name}`, () => inJob([...command, svc.name]));

    // The job's record of it (the status file on the host), and the snapshot in the bucket.
    const status = JSON.parse((await host.exec(["cat", `${BACKUP_STATUS_HOST_DIR}/backup/${svc.name}.json`])).stdout) as { ok: boolean; host: string; details: { snapshot: string } };
    expect([status.ok, status.host]).toEqual([true, host.name]);
    const snapshot = status.details.snapshot;
    expect(snapshot).toMatch(/^[0-9a-f]{64}$/);
    const prefix = backupSettings(spec).repositoryPath;
    expect(await store.listKeys(`${prefix}/snapshots/`)).toContain(`${prefix}/snapshots/${snapshot}`);
    expect((await store.listKeys(`${prefix}/data/`)).length).toBeGreaterThan(0);
    const listed = JSON.parse((await inJob([`${BACKUP_PATHS.scripts}/restic.sh`, "snapshots", "--json", "--tag", `service=${svc.name}`])).stdout) as { id: string; hostname: string }[];
    expect(listed.map((s) => [s.id, s.hostname])).toEqual([[snapshot, host.name]]);

    // The metrics API on that host reports it ok (it reads the same status directory).
    const metricsContainer = (await inspectAll(host)).find((c) => envOf(c).BACKUP_STATUS_DIR);
    expect(metricsContainer).toBeDefined();
    const metricsSvc = spec.services.find((s) => s.name === metricsContainer!.Config.Labels["org.kitestacks.service"])!;
    // It listens on the kitestacks bridge's gateway (host networking): reachable from the host.
    const api = await host.exec(["curl", "-sS", "-m", "20", "--fail", `http://${envOf(metricsContainer!).HOST}:${metricsSvc.port}/api/backups`]);
    const body = JSON.parse(api.stdout) as { host: string; services: { service: string; backup: { status: string; details: { snapshot?: string } | null } }[] };
    expect(body.host).toBe(host.name);
    const reported = body.services.find((s) => s.service === svc.name);
    expect([reported?.backup.status, reported?.backup.details?.snapshot]).toEqual(["ok", snapshot]);

    // The disaster: the database dropped, every volume emptied.
    await asSuperuser("postgres", `DROP DATABASE "${db}" WITH (FORCE)`);
    for (const v of backup.volumes) await inJob(["sh", "-c", 'find "$0" -mindepth 1 -maxdepth 1 -exec rm -rf {} + && test -z "$(ls -A "$0")"', v.dir]);

    // The restore CLI from the deployer, over ssh:// to each host's engine, as a person runs it.
    const restored = await timed(`restore: npm run restore -- ${svc.name} --host ${host.name}`, () =>
      lab!.deployer.exec(["sh", "-c", 'cd "$0" && exec npm run --silent restore -- "$1" --host "$2"', REPO_ROOT, svc.name, host.name], {
        // Debian's docker CLI first, as for the post-start steps (e2e/harness/terraform.ts).
        env: { ...process.env, PATH: `/usr/bin:${process.env.PATH ?? "/usr/local/bin:/bin"}` },
      }),
    );
    process.stderr.write(restored.stdout.replace(/^/gm, "[e2e restore] "));
    expect(restored.stdout).toContain(`snapshot ${snapshot} taken`);
    expect(restored.stdout).toContain(`restore: ${svc.name} restored`);
    // A shared-database service is stopped on every host that runs it, and started again.
    for (const name of hostNamesOf(spec, svc)) {
      const hostSpec = spec.hosts.find((x) => x.name === name)!;
      expect(restored.stdout).toContain(`DOCKER_HOST=${dockerHostUrl(hostSpec)} docker stop`);
      expect(restored.stdout).toContain(`DOCKER_HOST=${dockerHostUrl(hostSpec)} docker start`);
    }

    // Row for row, file for file; the database is its role's again, which can still create tables.
    expect(await rows()).toBe(before.rows);
    expect(await tables()).toBe(before.tables);
    expect(await files()).toEqual(before.files);
    expect((await asSuperuser("postgres", `SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '${db}'`)).stdout.trim()).toBe(dbUser);
    expect((await asApp("CREATE TABLE kse2e_after (id int); DROP TABLE kse2e_after; SELECT 'ok'")).stdout.trim()).toBe("ok");
    // Where the app sees its volumes.
    for (const v of svc.volumes ?? []) {
      expect((await host.docker(["exec", svc.name, "cat", `${v.mountPath}/kse2e/note.txt`])).stdout).toBe(note);
    }
    // And the service runs again, healthy, on every host (everything else too).
    await allHealthy(3 * 60_000);
  }, 15 * 60_000);
});

/** A container's client settings for the shared Postgres, found in its env (host = the tailnet address). */
interface PgClient {
  readonly host: SimHost;
  readonly container: string;
  readonly network: string;
  readonly addr: string;
  readonly port: string;
  readonly user: string;
  readonly db: string;
  readonly password: string;
}

async function sharedPostgresClients(host: SimHost, pgHost: SimHost): Promise<PgClient[]> {
  const pg = spec.sharedPostgres!;
  const out: PgClient[] = [];
  for (const c of await inspectAll(host)) {
    const env = envOf(c);
    const hostVar = Object.keys(env).find((k) => /POSTGRES(QL)?__HOST$|DATABASE__HOST$/.test(k) && env[k].startsWith(pgHost.tailscaleIp));
    if (!hostVar) continue;
    const [addr, port] = env[hostVar].includes(":") ? env[hostVar].split(":") : [env[hostVar], env[hostVar.replace(/HOST$/, "PORT")] ?? String(pg.port ?? 5432)];
    let password = env[hostVar.replace(/HOST$/, "PASSWORD")] ?? env[hostVar.replace(/HOST$/, "PASSWD")];
    // Authentik's file:// references and *_FILE variables: read the file in that container.
    const file = password?.startsWith("file://") ? password.slice("file://".length) : env[`${hostVar.replace(/HOST$/, "PASSWORD")}_FILE`];
    if (file) password = (await host.docker(["exec", nameOf(c), "cat", file])).stdout;
    out.push({
      host,
      container: nameOf(c),
      network: Object.keys(c.NetworkSettings.Networks)[0],
      addr,
      port,
      user: env[hostVar.replace(/HOST$/, "USER")],
      db: env[hostVar.replace(/HOST$/, "NAME")],
      password,
    });
  }
  return out;
}

/** psql from a fresh container in the client's own Docker network, the path the app takes. */
function psqlAs(c: PgClient, timeoutSeconds = 20): Promise<RunResult> {
  return c.host.docker(
    ["run", "--rm", "--network", c.network, "-e", `PGPASSWORD=${c.password}`, "-e", `PGCONNECT_TIMEOUT=${timeoutSeconds}`, spec.sharedPostgres!.image, "psql", "-h", c.addr, "-p", c.port, "-U", c.user, "-d", c.db, "-Atc", "select current_user"],
    { allowFailure: true },
  );
}

/** GET through a container's address on its host's Docker network: status, headers, body. */
async function getOn(host: SimHost, ip: string, port: number): Promise<{ code: string; headers: string; body: string }> {
  const dir = `/tmp/kse2-get-${randomBytes(4).toString("hex")}`;
  const r = await host.sh(`mkdir -p ${dir} && curl -sS -m 20 -D ${dir}/h -o ${dir}/b -w '%{http_code}' http://${ip}:${port}/; echo; cat ${dir}/h; echo '----'; cat ${dir}/b; rm -rf ${dir}`, { allowFailure: true });
  const [code, rest] = [r.stdout.slice(0, r.stdout.indexOf("\n")), r.stdout.slice(r.stdout.indexOf("\n") + 1)];
  const cut = rest.indexOf("----\n");
  return { code, headers: rest.slice(0, cut), body: rest.slice(cut + 5) };
}

/** The forwarders on `via` for services homed on `home`, with their address on via's network. */
async function forwardersFor(via: SimHost, home: SimHost): Promise<{ svc: string; port: number; ip: string }[]> {
  const out: { svc: string; port: number; ip: string }[] = [];
  for (const svc of spec.services) {
    if (svc.placement.mode !== "homed" || svc.placement.home !== home.name) continue;
    const fwd = (await inspectAll(via)).find((c) => nameOf(c) === svc.name && c.Config.Labels["org.kitestacks.role"] === "forwarder");
    if (fwd) out.push({ svc: svc.name, port: svc.port, ip: Object.values(fwd.NetworkSettings.Networks)[0].IPAddress });
  }
  return out;
}

/** Services whose own containers run on a host (not forwarders), with a port to GET. */
async function ownServicesOn(host: SimHost): Promise<{ svc: string; port: number; ip: string }[]> {
  const out: { svc: string; port: number; ip: string }[] = [];
  for (const svc of servicesOn(spec, host.name)) {
    const c = (await inspectAll(host)).find((x) => nameOf(x) === svc.name && x.Config.Labels["org.kitestacks.role"] !== "forwarder");
    const ip = c && Object.values(c.NetworkSettings.Networks)[0]?.IPAddress;
    if (ip) out.push({ svc: svc.name, port: svc.port, ip });
  }
  return out;
}

/** Every long-running container of every host stack runs and is healthy again. */
async function allHealthy(timeoutMs: number): Promise<void> {
  for (const { stack, host } of hostStacks) {
    const declared = declaredContainers(stack).filter((d) => d.mustRun);
    await waitFor(
      `${host.name}: every container healthy`,
      async () => {
        const seen = new Map((await inspectAll(host)).map((c) => [nameOf(c), c]));
        return declared.every((d) => seen.get(d.name)?.State.Running && seen.get(d.name)?.State.Health?.Status === "healthy");
      },
      timeoutMs,
      2_000,
    );
  }
}

describe("faults", () => {
  /** The always-on host that holds the shared Postgres (kscloud1) and another host (monk). */
  const downHostName = () => spec.sharedPostgres!.host;
  const down = () => lab!.hosts.get(downHostName())!;
  const others = () => hostStacks.map((h) => h.host).filter((h) => h !== down());

  test("the shared Postgres' host down: the other hosts' forwarders serve the 503 page naming it, their own services answer, Authentik's database is out of reach", async () => {
    const pgHost = down();
    const clients = (await Promise.all(others().map((h) => sharedPostgresClients(h, pgHost)))).flat();
    expect(clients.length).toBeGreaterThan(0);
    await lab!.setLink(pgHost, "ts0", false);
    await lab!.setLink(pgHost, "pub0", false);
    for (const via of others()) {
      const fwds = await forwardersFor(via, pgHost);
      expect(fwds.length).toBeGreaterThan(0);
      for (const f of fwds) {
        const r = await getOn(via, f.ip, f.port);
        // docs/architecture.md "kscloud1 down": the hostname still answers, a 503 naming the home, Retry-After.
        expect([f.svc, r.code]).toEqual([f.svc, "503"]);
        expect([f.svc, /^retry-after: \d+/im.test(r.headers)]).toEqual([f.svc, true]);
        expect([f.svc, r.headers.match(/^x-kitestacks-home: (.*)$/im)?.[1].trim()]).toEqual([f.svc, pgHost.name]);
        expect([f.svc, r.body.includes(pgHost.name)]).toEqual([f.svc, true]);
      }
      // "Keeps working": every service whose own container runs here.
      for (const o of await ownServicesOn(via)) {
        const r = await getOn(via, o.ip, o.port);
        expect([via.name, o.svc, r.code]).toEqual([via.name, o.svc, "200"]);
      }
    }
    // "Also down": Authentik (and every other client of the shared Postgres on these hosts)
    // cannot reach its database. The Authentik stand-in does not use it: this checks the path
    // real Authentik would take, from its own network with its own settings.
    for (const c of clients) {
      const r = await psqlAs(c, 5);
      expect([c.host.name, c.container, r.code === 0]).toEqual([c.host.name, c.container, false]);
    }
  }, 10 * 60_000);

  test("the host back: forwarders answer from the home again, the database is reachable, every container healthy, no deploy (plans stay empty)", async () => {
    const pgHost = down();
    await lab!.setLink(pgHost, "ts0", true);
    await lab!.setLink(pgHost, "pub0", true);
    for (const via of others()) {
      for (const f of await forwardersFor(via, pgHost)) {
        const r = await waitFor(`${via.name}: ${f.svc} through its forwarder`, async () => {
          const got = await getOn(via, f.ip, f.port);
          return got.code === "200" ? got : undefined;
        }, 60_000, 1_000);
        expect([f.svc, r.code]).toEqual([f.svc, "200"]);
      }
    }
    for (const c of (await Promise.all(others().map((h) => sharedPostgresClients(h, pgHost)))).flat()) {
      const r = await waitFor(`${c.container} reaches the shared Postgres`, async () => {
        const got = await psqlAs(c);
        return got.code === 0 ? got : undefined;
      }, 60_000, 2_000);
      expect(r.stdout.trim()).toBe(c.user);
    }
    await allHealthy(3 * 60_000);
    for (const { stack } of hostStacks) {
      const r = await tfIn(stack, ["plan", "-detailed-exitcode", "-input=false", "-no-color", "-lock=false"], true);
      expect([stack.name, r.code]).toEqual([stack.name, 0]);
    }
  }, 10 * 60_000);

  test("a reboot-like restart of the engine, the Tailscale address coming up after Docker: without the generated sysctl the tailnet-bound containers stay down; with it they come back", async () => {
    const host = down();
    const bound = async () =>
      (await inspectAll(host)).filter((c) => Object.values(c.HostConfig.PortBindings ?? {}).some((bs) => (bs ?? []).some((b) => b.HostIp === host.tailscaleIp)));
    const names = (await bound()).map(nameOf).sort();
    expect(names.length).toBeGreaterThan(0);
    // The setting the generated host setup writes (the VM stack's cloud-init), read from the synth.
    const sysctls = generatedSysctls(host.name);
    expect(sysctls.length).toBeGreaterThan(0);

    const reboot = async () => {
      await host.stopDocker();
      await host.ip("addr", "del", `${host.tailscaleIp}/${TAILNET_PREFIX_LEN}`, "dev", "ts0");
      await host.startDocker();
      // Docker restarts its containers while tailscale0 has no address yet; give it time to try.
      await waitFor(`${host.name}: engine restored its containers`, async () => (await inspectAll(host)).every((c) => c.State.Status !== "restarting" && c.State.Status !== "created"), 60_000, 1_000);
      await new Promise((r) => setTimeout(r, 5_000));
      await host.ip("addr", "add", `${host.tailscaleIp}/${TAILNET_PREFIX_LEN}`, "dev", "ts0");
      await new Promise((r) => setTimeout(r, 10_000));
    };

    // Without the setting (what the harness's host is before applying the generated setup).
    for (const [key] of sysctls) await host.exec(["sysctl", "-q", "-w", `${key}=0`]);
    await reboot();
    const without = (await bound()).filter((c) => !c.State.Running).map(nameOf).sort();
    expect(without).toEqual(names);

    // With the generated setting.
    for (const [key, value] of sysctls) await host.exec(["sysctl", "-q", "-w", `${key}=${value}`]);
    await reboot();
    await allHealthy(3 * 60_000);
    const running = (await bound()).filter((c) => c.State.Running).map(nameOf).sort();
    expect(running).toEqual(names);
    for (const via of others()) {
      for (const f of await forwardersFor(via, host)) {
        const r = await waitFor(`${via.name}: ${f.svc} through its forwarder after the restart`, async () => {
          const got = await getOn(via, f.ip, f.port);
          return got.code === "200" ? got : undefined;
        }, 60_000, 1_000);
        expect([f.svc, r.code]).toEqual([f.svc, "200"]);
      }
    }
  }, 15 * 60_000);
});

/** key/value pairs of the /etc/sysctl.d files a host's generated cloud-init writes. */
function generatedSysctls(hostName: string): [string, string][] {
  const vm = stacks.find((s) => s.name === stackNames.vm(hostName));
  if (!vm) throw new Error(`no VM stack for ${hostName}: its host setup is not generated`);
  const servers = Object.values((vm.json.resource?.hcloud_server ?? {}) as Record<string, { user_data: string }>);
  const out: [string, string][] = [];
  for (const server of servers) {
    const doc = parseYaml(server.user_data) as { write_files?: { path: string; content: string }[] };
    for (const f of doc.write_files ?? []) {
      if (!f.path.startsWith("/etc/sysctl.d/")) continue;
      for (const line of f.content.split("\n")) {
        const m = /^\s*([a-z0-9_.]+)\s*=\s*(\S+)\s*$/.exec(line);
        if (m) out.push([m[1], m[2]]);
      }
    }
  }
  return out;
}
