import { App, TerraformStack, Testing } from "cdktf";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { buildHomelab } from "../../app";
import { BACKUP_STATUS_HOST_DIR } from "../../backup/plan";
import { buildContextFolder, folderContentHash } from "../../constructs/built-image";
import { POSTGRES_PASSWORD_FILE, PROVISION_SH, PROVISION_SQL } from "../../constructs/shared-postgres";
import { hostNamesOf, identityProvider, servicesOn } from "../../homelab/derive";
import { kitestacks } from "../../homelab/homelab";
import { agentHostsOf, servicesHomedOn } from "../../homelab/placement";
import { HomelabSpec } from "../../homelab/types";
import { normalizePaths, repoRoot, resourcesOf, synthHomelab, TerraformJson } from "../helpers/synth";
import { containerNamed, envOf, resolveCrossStack } from "./cross-stack";
import { appSettingsOf } from "../helpers/app-settings";

const spec = kitestacks;
const lab = synthHomelab(spec);
const stackJson = new Map<string, TerraformJson>(
  [lab.stacks.edge, ...lab.stacks.hosts.values(), ...lab.stacks.vms.values()].map((s) => [s.node.id, lab.json(s)]),
);
const pg = spec.sharedPostgres!;
const primary = lab.stacks.hosts.get(pg.host)!;
const others = [...lab.stacks.hosts.values()].filter((s) => s !== primary);
const idp = identityProvider(spec)!;

/** Every long-running container (not the one-shot provisioning job). */
function longRunning(json: TerraformJson): Record<string, any>[] {
  return Object.values(resourcesOf(json, "docker_container")).filter(
    (c) => !c.labels.some((l: any) => l.label === "org.kitestacks.role" && l.value === "job"),
  );
}

describe("every host stack", () => {
  test.each([...lab.stacks.hosts.keys()])("%s runs every service the spec puts on it, plus the connector", (host) => {
    const json = lab.json(lab.stacks.hosts.get(host)!);
    const names = Object.values(resourcesOf(json, "docker_container")).map((c) => c.name);
    for (const svc of servicesOn(spec, host)) {
      expect(names).toContain(svc.name);
      for (const companion of svc.companions ?? []) expect(names).toContain(`${svc.name}-${companion.name}`);
    }
    expect(names).toContain("cloudflared");
  });

  test.each([...lab.stacks.hosts.keys()])("%s: every long-running container follows the KiteService rules", (host) => {
    const json = lab.json(lab.stacks.hosts.get(host)!);
    for (const c of longRunning(json)) {
      expect(c.restart).toBe("unless-stopped");
      expect(c.healthcheck.test.length).toBeGreaterThan(1);
      expect(c.log_driver).toBe("json-file");
      expect(c.log_opts).toEqual({ "max-size": "10m", "max-file": "3" });
      expect(c.security_opts).toContain("no-new-privileges:true");
      expect(c.memory).toBeGreaterThan(0);
      const labels = Object.fromEntries(c.labels.map((l: any) => [l.label, l.value]));
      expect(labels["org.kitestacks.host"]).toBe(host);
      expect(labels["org.kitestacks.managed-by"]).toBe("kitestacks-iac");
      expect(labels["org.kitestacks.service"]).toBeTruthy();
      // Containers run an image resource of this stack, never a free-form string.
      expect(c.image).toMatch(/^\$\{docker_image\.[^.]+\.image_id\}$/);
      if (c.network_mode !== "host") {
        expect(c.networks_advanced).toEqual([expect.objectContaining({ name: "${docker_network.network.name}" })]);
      }
    }
  });

  test.each([...lab.stacks.hosts.keys()])("%s publishes host ports only on its Tailscale address", (host) => {
    const json = lab.json(lab.stacks.hosts.get(host)!);
    const variable = `\${var.tailscale_ip_${host}}`;
    const published = Object.values(resourcesOf(json, "docker_container")).flatMap((c) =>
      (c.ports ?? []).map((p: any) => ({ name: c.name, ...p })),
    );
    expect(published.length).toBeGreaterThan(0);
    for (const p of published) expect(p.ip).toBe(variable);
    // Only ports the spec lists: host ports, the tailnet port of services homed here, agents of
    // servers homed elsewhere (plus the shared Postgres on its host).
    const allowed = new Set(servicesOn(spec, host).flatMap((s) => (s.hostPorts ?? []).map((hp) => hp.hostPort)));
    for (const s of servicesHomedOn(spec, host)) if (s.placement.mode === "homed") allowed.add(s.placement.tailnetPort);
    for (const s of spec.services) if (s.agent && agentHostsOf(spec, s).includes(host)) allowed.add(s.agent.port);
    if (host === pg.host) allowed.add(pg.port ?? 5432);
    for (const p of published) expect(allowed).toContain(p.external);
  });

  test("the kitestacks network has the spec's fixed subnet (the metrics API binds its gateway)", () => {
    for (const stack of lab.stacks.hosts.values()) {
      const network = Object.values(resourcesOf(lab.json(stack), "docker_network"))[0];
      expect(network).toMatchObject({
        name: spec.dockerNetwork.name,
        driver: "bridge",
        ipam_config: [{ subnet: spec.dockerNetwork.subnet, gateway: spec.dockerNetwork.gateway }],
      });
    }
  });

  test("the Docker provider dials the host over SSH through Tailscale with pinned host keys and one shared connection", () => {
    for (const [name, stack] of lab.stacks.hosts) {
      const host = spec.hosts.find((h) => h.name === name)!;
      const provider = lab.json(stack).provider!.docker[0];
      expect(provider.host).toBe(`ssh://${host.sshUser}@${host.tailscaleName ?? host.name}`);
      expect(provider.ssh_opts.join(" ")).toContain("-o StrictHostKeyChecking=yes");
      expect(provider.ssh_opts.join(" ")).not.toMatch(/StrictHostKeyChecking=(no|accept-new)/);
      expect(provider.ssh_opts.join(" ")).toContain("ControlMaster=auto");
    }
  });
});

describe("swap limit per host", () => {
  test("every container asks for Docker's default swap (2 × memory); on a host with swapLimit: false, -1, what that engine stores", () => {
    const noSwap = spec.hosts[0];
    const variant: HomelabSpec = { ...spec, hosts: spec.hosts.map((h) => (h === noSwap ? { ...h, swapLimit: false } : h)) };
    const other = synthHomelab(variant);
    for (const [name, stack] of other.stacks.hosts) {
      const containers = Object.values(resourcesOf(other.json(stack), "docker_container"));
      expect(containers.length).toBeGreaterThan(0);
      for (const c of containers) expect([name, c.name, c.memory_swap]).toEqual([name, c.name, name === noSwap.name ? -1 : c.memory * 2]);
    }
  });
});

describe("the invalid_grant incident stays fixed", () => {
  // Authorization codes written by one host's Authentik must be readable by the other's: every
  // Authentik container (server and worker, on every host) must use one database and one key.
  const authentikContainers = [...lab.stacks.hosts.values()].flatMap((stack) => {
    const json = lab.json(stack);
    return [idp.name, ...(idp.companions ?? []).map((c) => `${idp.name}-${c.name}`)].map((name) => ({
      host: stack.host.name,
      env: appSettingsOf(containerNamed(json, name)),
      json,
    }));
  });

  test("there is an Authentik server and worker on every host", () => {
    expect(authentikContainers).toHaveLength(spec.hosts.length * 2);
  });

  test("database name, user, password and secret key resolve to the same values everywhere", () => {
    const resolved = authentikContainers.map(({ env }) =>
      Object.fromEntries(
        ["AUTHENTIK_POSTGRESQL__NAME", "AUTHENTIK_POSTGRESQL__USER", "AUTHENTIK_POSTGRESQL__PASSWORD", "AUTHENTIK_SECRET_KEY", "AUTHENTIK_POSTGRESQL__PORT"].map((k) => [
          k,
          resolveCrossStack(env[k], stackJson),
        ]),
      ),
    );
    for (const r of resolved) expect(r).toEqual(resolved[0]);
    expect(resolved[0].AUTHENTIK_SECRET_KEY).toMatch(/^\$\{random_password\..*authentik-secret_key.*\.result\}$/);
  });

  test("the database host is the shared Postgres: its container on kscloud1, its Tailscale address elsewhere", () => {
    const server = containerNamed(lab.json(primary), pg.containerName);
    for (const { host, env } of authentikContainers) {
      const dbHost = resolveCrossStack(env.AUTHENTIK_POSTGRESQL__HOST, stackJson);
      if (host === pg.host) {
        expect(dbHost).toBe(pg.containerName);
      } else {
        // The same address the Postgres container is published on.
        expect(dbHost).toBe(server.ports[0].ip);
        expect(dbHost).toBe(`\${var.tailscale_ip_${pg.host}}`);
      }
    }
  });
});

/** The terraform_data that provisions a Postgres's roles and databases. */
function provisionerOf(json: TerraformJson, construct = "shared-postgres"): any {
  const found = Object.entries(resourcesOf(json, "terraform_data")).filter(([id]) => id.startsWith(`${construct}_provisioner`));
  expect(found).toHaveLength(1);
  return found[0][1];
}

describe("SharedPostgres", () => {
  const json = lab.json(primary);
  const server = containerNamed(json, pg.containerName);
  const consumers = spec.services.flatMap((s) => (s.databases ?? []).filter((d) => d.engine === "shared-postgres"));

  test("runs only on its host, published on the Tailscale address and the Docker network only", () => {
    for (const other of others) {
      expect(Object.values(resourcesOf(lab.json(other), "docker_container")).map((c) => c.name)).not.toContain(pg.containerName);
    }
    expect(server.ports).toEqual([{ internal: 5432, external: 5432, ip: `\${var.tailscale_ip_${pg.host}}`, protocol: "tcp" }]);
    expect(server.image).toMatch(/docker_image\.images_postgres/);
    // The superuser password is a root-only file in the container, not an env value docker inspect shows.
    expect(envOf(server).POSTGRES_PASSWORD).toBeUndefined();
    expect(envOf(server).POSTGRES_PASSWORD_FILE).toBe(POSTGRES_PASSWORD_FILE);
    expect(server.upload).toEqual([{ file: POSTGRES_PASSWORD_FILE, content: expect.stringMatching(/^\$\{random_password\..*shared-postgres-superuser.*\.result\}$/), permissions: "0400" }]);
  });

  test("a provisioning step creates one role and database per consumer, idempotently, and leaves no container behind", () => {
    // No one-shot container any more: nothing stopped keeps a password in its config.
    expect(Object.values(resourcesOf(json, "docker_container")).map((c) => c.name)).not.toContain(`${pg.containerName}-provision`);
    const step = provisionerOf(json);
    expect(step.depends_on).toEqual([expect.stringMatching(/^docker_container\..*shared-postgres_server/)]);
    expect(step.triggers_replace.server_id).toMatch(/^\$\{docker_container\..*shared-postgres_server.*\.id\}$/);
    const exec = step.provisioner[0]["local-exec"];
    // The committed wrapper and SQL files (constructs/shared-postgres.provision.*) travel as env and stdin.
    expect(exec.environment.KITE_PROVISION_SH).toBe(PROVISION_SH);
    expect(exec.environment.KITE_PROVISION_SQL).toBe(PROVISION_SQL);
    expect(exec.environment.KITE_CONSUMERS).toBe(consumers.map((c) => `${c.user}:${c.name}`).join(" "));
    // Passwords reach psql through env (\getenv), never through the SQL text or the command line.
    expect(PROVISION_SQL).toContain("\\getenv password KITE_PASSWORD");
    expect(PROVISION_SQL).not.toMatch(/random_password|\$\{/);
    consumers.forEach((_, i) => expect(exec.environment[`KITE_ROLE_PASSWORD_${i}`]).toMatch(/^\$\{random_password\./));
    expect(exec.command).not.toMatch(/random_password|\$\{|-e [A-Z_0-9]+=/);
    consumers.forEach((_, i) => expect(exec.command).toContain(`-e KITE_ROLE_PASSWORD_${i} `));
    expect(exec.command).toContain(`docker exec -i -u postgres`);
  });

  test("each consumer reaches its own database by container name on kscloud1 and by Tailscale address elsewhere", () => {
    const forgejo = spec.services.find((s) => s.name === "forgejo")!;
    // Forgejo lives next to the shared Postgres.
    expect(hostNamesOf(spec, forgejo)).toEqual([pg.host]);
    const fenv = envOf(containerNamed(lab.json(primary), forgejo.name));
    expect(fenv.FORGEJO__database__HOST).toBe(`${pg.containerName}:5432`);
    expect([fenv.FORGEJO__database__NAME, fenv.FORGEJO__database__USER]).toEqual(["forgejo", "forgejo"]);
    // Authentik runs everywhere: by name on kscloud1, over Tailscale elsewhere.
    for (const stack of lab.stacks.hosts.values()) {
      const env = envOf(containerNamed(lab.json(stack), idp.name));
      const host = resolveCrossStack(env.AUTHENTIK_POSTGRESQL__HOST, stackJson);
      expect(host).toBe(stack === primary ? pg.containerName : `\${var.tailscale_ip_${pg.host}}`);
      expect(env.AUTHENTIK_POSTGRESQL__NAME).toBe("authentik");
    }
  });

  test("rolling Authentik back to a local Postgres on monk changes only monk's Authentik", () => {
    const fallback: HomelabSpec = { ...spec, sharedPostgres: { ...pg, authentikLocalFallbackOn: ["monk"] } };
    const fb = synthHomelab(fallback);
    const monk = fb.json(fb.stacks.hosts.get("monk")!);
    const local = containerNamed(monk, pg.containerName);
    expect(local.ports ?? []).toEqual([]);
    expect(envOf(containerNamed(monk, idp.name)).AUTHENTIK_POSTGRESQL__HOST).toBe(pg.containerName);
    expect(provisionerOf(monk, "local-authentik-postgres").provisioner[0]["local-exec"].environment.KITE_CONSUMERS).toBe("authentik:authentik");
    // Forgejo (on kscloud1) still uses the shared database.
    const ks = fb.json(fb.stacks.hosts.get(pg.host)!);
    expect(envOf(containerNamed(ks, "forgejo")).FORGEJO__database__HOST).toBe(`${pg.containerName}:5432`);
  });
});

describe("the tunnel connector", () => {
  test.each([...lab.stacks.hosts.keys()])("on %s reads the edge's token from a file, not from its env", (host) => {
    const c = containerNamed(lab.json(lab.stacks.hosts.get(host)!), "cloudflared");
    expect(c.command).toEqual(["tunnel", "--no-autoupdate", "--metrics", "0.0.0.0:2000", "run"]);
    expect(envOf(c)).toEqual({ TUNNEL_TOKEN_FILE: "/etc/cloudflared/token" });
    expect(c.upload).toEqual([
      expect.objectContaining({
        file: "/etc/cloudflared/token",
        content: expect.stringMatching(/^\$\{sensitive\(data\.terraform_remote_state\.cross-stack-reference-input-edge\.outputs\.[^)}]+\)\}$/),
      }),
    ]);
    expect(resolveCrossStack(c.upload[0].content, stackJson)).toMatch(/zero_trust_tunnel_cloudflared_token/);
  });
});

describe("built images", () => {
  const built = spec.services.filter((s) => "build" in s.image);

  test.each(built.map((s) => s.name))("%s is built on every host from its folder, keyed by the folder's content hash", (name) => {
    const svc = spec.services.find((s) => s.name === name)!;
    const folder = resolve(repoRoot, (svc.image as { build: string }).build);
    const hash = folderContentHash(folder);
    for (const host of hostNamesOf(spec, svc)) {
      const stack = lab.stacks.hosts.get(host)!;
      const images = Object.values(resourcesOf(lab.json(stack), "docker_image"));
      const image = images.find((i) => i.build && buildContextFolder(stack, i.build.context) === folder);
      expect(image).toBeDefined();
      expect(image!.triggers).toEqual({ content_hash: hash });
      expect(image!.name).toBe(`kitestacks/${(svc.image as { build: string }).build}:${hash.slice(0, 12)}`);
    }
  });

  test("two checkouts at different paths plan the same images (no rebuild from a CI runner or a laptop)", () => {
    // Every folder the stacks build from (the services' and the backup job's), relative to the repo.
    const folders = [
      ...new Set(
        [...lab.stacks.hosts.values()].flatMap((stack) =>
          Object.values(resourcesOf(lab.json(stack), "docker_image")).flatMap((i) => (i.build ? [relative(resolve(repoRoot), buildContextFolder(stack, i.build.context))] : [])),
        ),
      ),
    ];
    const imagesFrom = (checkout: string) => {
      for (const folder of folders) cpSync(resolve(repoRoot, folder), join(checkout, folder), { recursive: true, filter: (src) => !/node_modules|[/\\]dist$/.test(src) });
      const app = new App({ outdir: join(checkout, "cdktf.out") });
      const stacks = buildHomelab(app, spec, { repoRoot: checkout });
      app.node.findAll().filter(TerraformStack.isStack).forEach((s) => s.prepareStack());
      return [...stacks.hosts.values()].map((stack) => resourcesOf(JSON.parse(Testing.synth(stack)), "docker_image"));
    };
    const first = imagesFrom(mkdtempSync(join(tmpdir(), "kite-checkout-a-")));
    const second = imagesFrom(join(mkdtempSync(join(tmpdir(), "kite-checkout-b-")), "deeper", "path"));
    expect(first.flatMap((images) => Object.keys(images))).not.toHaveLength(0);
    // build.context is ForceNew in the docker provider: an absolute path would differ here.
    expect(second).toEqual(first);
  });

  test("the content hash changes with any file in the folder and with nothing else", () => {
    const dir = mkdtempSync(join(tmpdir(), "kite-hash-"));
    writeFileSync(join(dir, "Dockerfile"), "FROM scratch\n");
    const first = folderContentHash(dir);
    // Same bytes in another folder: same hash (the path of the checkout does not matter).
    const twin = mkdtempSync(join(tmpdir(), "kite-hash-"));
    writeFileSync(join(twin, "Dockerfile"), "FROM scratch\n");
    expect(folderContentHash(twin)).toBe(first);
    const changed = mkdtempSync(join(tmpdir(), "kite-hash-"));
    writeFileSync(join(changed, "Dockerfile"), "FROM scratch\n# changed\n");
    expect(folderContentHash(changed)).not.toBe(first);
  });

  test("the metrics API shares the host's namespaces and binds the network gateway; the portal proxies to it", () => {
    for (const stack of lab.stacks.hosts.values()) {
      const json = lab.json(stack);
      const metrics = containerNamed(json, "metrics");
      expect(metrics).toMatchObject({ network_mode: "host", read_only: true, capabilities: { drop: ["ALL"], add: [] } });
      expect(metrics.pid_mode).toBeUndefined();
      expect(metrics.mounts ?? []).toEqual([]);
      // One host path, read-only: the backup job's status files, where BACKUP_STATUS_DIR points.
      const hostPaths = (metrics.volumes as { host_path?: string; container_path: string; read_only?: boolean }[]).filter((v) => v.host_path);
      expect(hostPaths).toEqual([{ host_path: BACKUP_STATUS_HOST_DIR, container_path: envOf(metrics).BACKUP_STATUS_DIR, read_only: true }]);
      expect(metrics.networks_advanced).toBeUndefined();
      expect(envOf(metrics).HOST).toBe(spec.dockerNetwork.gateway);
      expect(envOf(containerNamed(json, "portal")).METRICS_UPSTREAM).toBe(`${spec.dockerNetwork.gateway}:${envOf(metrics).PORT}`);
    }
  });
});

describe("post-start steps", () => {
  test("BookStack's cache fix runs in its container on its home and re-runs when the container is replaced", () => {
    const bookstackHosts = hostNamesOf(spec, spec.services.find((s) => s.name === "bookstack")!);
    for (const stack of lab.stacks.hosts.values()) {
      const steps = Object.values(resourcesOf(lab.json(stack), "terraform_data")).filter((r) =>
        r.provisioner[0]["local-exec"].environment.KITE_STEP_SCRIPT?.includes("/config/www/framework/cache"),
      );
      if (!bookstackHosts.includes(stack.host.name)) {
        expect(steps).toHaveLength(0);
        continue;
      }
      expect(steps).toHaveLength(1);
      const exec = steps[0].provisioner[0]["local-exec"];
      expect(steps[0].triggers_replace.container_id).toMatch(/^\$\{docker_container\..*bookstack_main_container.*\.id\}$/);
      expect(exec.environment.DOCKER_HOST).toBe(`ssh://${stack.host.sshUser}@${stack.host.tailscaleName ?? stack.host.name}`);
      expect(exec.environment.KITE_STEP_SCRIPT).toContain("chown -R abc:abc /config/www/framework/cache");
    }
  });
});

describe("snapshots", () => {
  // A condensed view (containers, images, ports, env keys): reviewable, and any change to what
  // runs where shows up; values are asserted above.
  test.each([...lab.stacks.hosts.keys()])("%s host stack", (host) => {
    const json = lab.json(lab.stacks.hosts.get(host)!);
    const view = Object.values(resourcesOf(json, "docker_container"))
      .map((c) => ({
        name: c.name,
        image: c.labels.find((l: any) => l.label === "org.opencontainers.image.ref.name")?.value ?? c.image,
        network_mode: c.network_mode,
        ports: (c.ports ?? []).map((p: any) => `${p.ip}:${p.external}->${p.internal}`),
        env: Object.keys(envOf(c)).sort(),
        volumes: (c.volumes ?? []).map((v: any) => v.container_path),
        memory: c.memory,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(normalizePaths(JSON.stringify(view, null, 1)).replace(/kitestacks\/(portal|metrics|backup-image):[0-9a-f]{12}/g, "kitestacks/$1:<hash>")).toMatchSnapshot();
  });
});
