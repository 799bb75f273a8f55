/**
 * npm run adopt:discover [-- --out adoption.json] [--dry-run]
 *
 * Fills the adoption file (homelab/adoption.ts) from what exists:
 *   - Cloudflare API v4 (TF_VAR_cloudflare_api_token, TF_VAR_cloudflare_account_id,
 *     TF_VAR_cloudflare_zone_id): the tunnel named like the description's tunnelName
 *     (GET /accounts/{a}/cfd_tunnel), the CNAME of each public hostname
 *     (GET /zones/{z}/dns_records), the Access application of each guarded target and the
 *     admin-surface policy (GET /accounts/{a}/access/apps, /access/policies);
 *   - Hetzner Cloud API v1 (TF_VAR_hcloud_token): each hcloud host's server, firewall
 *     (GET /servers?name=, /firewalls?name=) and the deploy SSH key (GET /ssh_keys);
 *   - each host over SSH (the doctor's options: StrictHostKeyChecking=yes, BatchMode):
 *     `docker ps -aq`, `docker inspect`, `docker volume ls`, `docker network inspect`: the mount
 *     of each service volume at the mount path the description gives it, in the container named
 *     like the service (or its compose service), and the compose projects that run there.
 * Prints what it matched and what it could not (with what to do), writes the file, then checks
 * it like synth does. CLOUDFLARE_API_BASE and HCLOUD_ENDPOINT override the API addresses (the
 * tests' fake APIs on 127.0.0.1).
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { SSH_HOST_KEY_OPTIONS } from "../constructs/ssh-options";
import { SSH_KEY_NAME } from "../constructs/hcloud-docker-host";
import {
  accessTargets,
  AdoptedHost,
  AdoptedPostgres,
  AdoptedVolume,
  Adoption,
  ADOPTION_FILE,
  AdoptionError,
  ComposeProject,
  POSTGRES_DATA_PATH,
  stackContainerOf,
  validateAdoption,
  volumeMountPaths,
} from "../homelab/adoption";
import { publicHostnames, servicesOn, tailscaleName } from "../homelab/derive";
import { HomelabSpec, HostSpec } from "../homelab/types";

export const CLOUDFLARE_API = "https://api.cloudflare.com/client/v4";
export const HCLOUD_API = "https://api.hetzner.cloud/v1";

export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `docker <args>` on a host. */
export type DockerOnHost = (host: HostSpec, args: readonly string[]) => CommandResult;

/** The real one: `ssh <doctor's options> <user>@<tailscale name> docker <args>` (ssh from env's PATH). */
export const dockerOverSshWith = (env: NodeJS.ProcessEnv): DockerOnHost => (host, args) => {
  const quoted = args.map((a) => (/^[A-Za-z0-9_.,:/=@{}+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`));
  const r = spawnSync("ssh", [...SSH_HOST_KEY_OPTIONS, "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", `${host.sshUser}@${tailscaleName(host)}`, "docker", ...quoted], {
    encoding: "utf8",
    env,
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.error ? null : r.status, stdout: r.stdout ?? "", stderr: r.error ? String(r.error.message) : r.stderr ?? "" };
};

export const dockerOverSsh: DockerOnHost = (host, args) => dockerOverSshWith(process.env)(host, args);

export interface DiscoverSources {
  /** Cloudflare API access; absent: the edge is not discovered. */
  readonly cloudflare?: { readonly baseUrl: string; readonly token: string; readonly accountId: string; readonly zoneId: string };
  /** Hetzner API access; absent: servers are not discovered. */
  readonly hetzner?: { readonly baseUrl: string; readonly token: string; readonly sshPublicKey?: string };
  /** How docker runs on a host; absent: hosts are not discovered. */
  readonly docker?: DockerOnHost;
  /** Hosts to look at. @default every host of the description */
  readonly hosts?: readonly string[];
  readonly fetch?: typeof fetch;
}

export interface DiscoveryReport {
  readonly adoption: Adoption;
  readonly matched: readonly string[];
  readonly unmatched: readonly string[];
}

class ApiError extends Error {}

async function getJson(f: typeof fetch, url: string, token: string): Promise<any> {
  let res: Response;
  try {
    res = await f(url, { headers: { Authorization: `Bearer ${token}`, Accept: "application/json" } });
  } catch (e) {
    throw new ApiError(`GET ${url.replace(/\?.*/, "")}: ${(e as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) throw new ApiError(`GET ${url.replace(/\?.*/, "")}: HTTP ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

/** Every `result` item of a paginated Cloudflare list (result_info.page / total_pages). */
async function cloudflareList(f: typeof fetch, base: string, path: string, token: string, query: Record<string, string> = {}): Promise<any[]> {
  const items: any[] = [];
  for (let page = 1; ; page++) {
    const qs = new URLSearchParams({ ...query, page: String(page), per_page: "100" });
    const body = await getJson(f, `${base}${path}?${qs}`, token);
    if (body.success === false) throw new ApiError(`GET ${path}: ${JSON.stringify(body.errors)}`);
    items.push(...(body.result ?? []));
    const info = body.result_info;
    if (!info || !info.total_pages || page >= info.total_pages) return items;
  }
}

/** Every item of a paginated Hetzner list (meta.pagination.next_page). */
async function hetznerList(f: typeof fetch, base: string, path: string, key: string, token: string, query: Record<string, string> = {}): Promise<any[]> {
  const items: any[] = [];
  for (let page = 1; ; ) {
    const qs = new URLSearchParams({ ...query, page: String(page), per_page: "50" });
    const body = await getJson(f, `${base}${path}?${qs}`, token);
    items.push(...(body[key] ?? []));
    const next = body.meta?.pagination?.next_page;
    if (!next) return items;
    page = next;
  }
}

interface DockerMount {
  readonly Type: string;
  readonly Name?: string;
  readonly Source: string;
  readonly Destination: string;
}
interface DockerContainer {
  readonly Id: string;
  readonly Name: string;
  readonly Config: { readonly Image: string; readonly Labels?: Record<string, string> | null; readonly Env?: readonly string[] | null };
  readonly Mounts: readonly DockerMount[];
}

const containerName = (c: DockerContainer) => c.Name.replace(/^\//, "");
const composeService = (c: DockerContainer) => c.Config.Labels?.["com.docker.compose.service"];
const composeProject = (c: DockerContainer) => c.Config.Labels?.["com.docker.compose.project"];

/** The container of `name`: by container name, else by compose service name (one of each). */
function findContainer(containers: readonly DockerContainer[], name: string): DockerContainer | undefined {
  return containers.find((c) => containerName(c) === name) ?? containers.find((c) => composeService(c) === name);
}

function mountAt(c: DockerContainer, path: string): { volume: string } | { bindPath: string } | undefined {
  const m = c.Mounts.find((x) => x.Destination === path);
  if (!m) return undefined;
  if (m.Type === "volume" && m.Name) return { volume: m.Name };
  if (m.Type === "bind") return { bindPath: m.Source };
  return undefined;
}

const describe = (v: AdoptedVolume) => ("volume" in v ? `volume ${v.volume}` : "bindPath" in v ? `bind ${v.bindPath}` : `fresh (${v.fresh})`);

/** The adoption entry of one host, from what its Docker engine reports. */
export function discoverHost(spec: HomelabSpec, host: HostSpec, docker: DockerOnHost, matched: string[], unmatched: string[]): AdoptedHost | undefined {
  const run = (args: string[]) => docker(host, args);
  const ps = run(["ps", "-aq"]);
  if (ps.status !== 0) {
    unmatched.push(`${host.name}: docker over SSH failed (${(ps.stderr || ps.stdout).trim().split("\n")[0]}). Fix: npm run doctor, then run this again`);
    return undefined;
  }
  const ids = ps.stdout.split(/\s+/).filter(Boolean);
  const containers: DockerContainer[] = ids.length > 0 ? JSON.parse(run(["inspect", ...ids]).stdout || "[]") : [];
  const entry: { network?: string; compose?: ComposeProject[]; services?: Record<string, Record<string, AdoptedVolume>>; sharedPostgres?: AdoptedPostgres } = {};

  const net = run(["network", "inspect", spec.dockerNetwork.name]);
  if (net.status === 0) {
    const n = JSON.parse(net.stdout)[0];
    entry.network = n.Id;
    const subnet = n.IPAM?.Config?.[0]?.Subnet;
    matched.push(`${host.name}: network ${spec.dockerNetwork.name} (${String(n.Id).slice(0, 12)}, subnet ${subnet ?? "none"})`);
    if (subnet !== spec.dockerNetwork.subnet) {
      unmatched.push(`${host.name}: network ${spec.dockerNetwork.name} has subnet ${subnet ?? "none"}, the description ${spec.dockerNetwork.subnet}: the deploy replaces the network (no data in it; cut-over stops the old containers first)`);
    }
  } else {
    matched.push(`${host.name}: no network ${spec.dockerNetwork.name} yet: the stack creates it`);
  }

  const projects = new Map<string, ComposeProject>();
  for (const c of containers) {
    const p = composeProject(c);
    const labels = c.Config.Labels ?? {};
    if (!p || projects.has(p)) continue;
    projects.set(p, {
      project: p,
      workingDir: labels["com.docker.compose.project.working_dir"] ?? "",
      // Compose v1 records them relative to the working directory, v2 absolute.
      configFiles: (labels["com.docker.compose.project.config_files"] ?? "")
        .split(",")
        .filter(Boolean)
        .map((f) => (f.startsWith("/") ? f : `${labels["com.docker.compose.project.working_dir"] ?? ""}/${f}`)),
    });
  }
  if (projects.size > 0) {
    entry.compose = [...projects.values()].sort((a, b) => a.project.localeCompare(b.project));
    for (const p of entry.compose) matched.push(`${host.name}: compose project ${p.project} (${p.configFiles.join(", ")})`);
  }

  const used = new Set<string>();
  const services: Record<string, Record<string, AdoptedVolume>> = {};
  for (const svc of servicesOn(spec, host.name)) {
    const main = findContainer(containers, svc.name);
    for (const [key, where] of volumeMountPaths(svc)) {
      const volSpec = [...(svc.volumes ?? []), ...(svc.companions ?? []).flatMap((c) => c.volumes ?? [])].find((v) => v.name === key);
      let c: DockerContainer | undefined;
      const stackName = stackContainerOf(svc, key);
      if (where.container === "main") c = main;
      else if (where.container === "mariadb") {
        c = findContainer(containers, stackName);
        // The owner's MariaDB may be named otherwise: the one in the service's compose project.
        if (!c && main && composeProject(main)) {
          c = containers.find((x) => composeProject(x) === composeProject(main) && x !== main && x.Mounts.some((m) => m.Destination === where.mountPath));
        }
      } else c = findContainer(containers, stackName) ?? main;
      const found = c ? mountAt(c, where.mountPath) : undefined;
      const label = `${host.name}: ${svc.name}.${key} (${where.mountPath})`;
      if (found) {
        // The old container of another name: the pre-cut-over backup works on it (scripts/adopt.ts).
        (services[svc.name] ??= {})[key] = containerName(c!) === stackName ? found : { ...found, container: containerName(c!) };
        if ("volume" in found) used.add(found.volume);
        matched.push(`${label} ← ${describe(found)} of container ${containerName(c!)}`);
      } else if (volSpec?.replicaSafe) {
        (services[svc.name] ??= {})[key] = { fresh: `holds nothing a user writes (${volSpec.replicaSafe})` };
        matched.push(`${label}: fresh (replica-safe, nothing to take over)`);
      } else {
        unmatched.push(
          `${label}: ${c ? `container ${containerName(c)} mounts nothing at ${where.mountPath}` : `no container named ${where.container === "mariadb" ? stackName : svc.name} (or compose service of that name)`}. ` +
            `Fix: set hosts[${host.name}].services[${svc.name}].${key} in ${ADOPTION_FILE} by hand: {"volume": ...}, {"bindPath": ...}, or {"fresh": "<why there is no data>"}`,
        );
      }
    }
  }
  if (Object.keys(services).length > 0) entry.services = services;

  const pg = spec.sharedPostgres;
  if (pg && pg.host === host.name) {
    const c = findContainer(containers, pg.containerName);
    const found = c ? mountAt(c, POSTGRES_DATA_PATH) : undefined;
    if (found) {
      // The image makes POSTGRES_USER the superuser of a new cluster only: an old one keeps its
      // own (Authentik's compose file: PG_USER, `authentik` by default).
      const superuser = (c!.Config.Env ?? []).find((e) => e.startsWith("POSTGRES_USER="))?.slice("POSTGRES_USER=".length) || "postgres";
      const named = containerName(c!) === pg.containerName ? found : { ...found, container: containerName(c!) };
      entry.sharedPostgres = superuser === "postgres" ? named : { ...named, superuser };
      if ("volume" in found) used.add(found.volume);
      matched.push(`${host.name}: shared Postgres data (${POSTGRES_DATA_PATH}) ← ${describe(found)} of container ${containerName(c!)}, superuser ${superuser}`);
    } else unmatched.push(`${host.name}: no container ${pg.containerName} mounting ${POSTGRES_DATA_PATH}. Fix: set hosts[${host.name}].sharedPostgres by hand`);
  }

  // Data of services that no longer live here: kept on the host, not taken over.
  for (const svc of spec.services.filter((s) => !servicesOn(spec, host.name).includes(s))) {
    const c = findContainer(containers, svc.name);
    if (!c) continue;
    for (const [key, where] of volumeMountPaths(svc)) {
      const found = mountAt(c, where.mountPath);
      if (found) {
        if ("volume" in found) used.add(found.volume);
        unmatched.push(`${host.name}: ${svc.name}.${key} runs here today (${describe(found)}) but ${svc.name} is not placed on ${host.name}: not taken over; move its data to its home first (docs/adopt.md, "Data that moves")`);
      }
    }
  }
  const vols = run(["volume", "ls", "--format", "{{.Name}}"]);
  for (const name of vols.stdout.split(/\s+/).filter(Boolean)) {
    if (!used.has(name) && !/^[0-9a-f]{64}$/.test(name)) unmatched.push(`${host.name}: volume ${name} belongs to no service of the description: left alone`);
  }
  return entry;
}

/** Asks every source and assembles the adoption file. */
export async function discover(spec: HomelabSpec, sources: DiscoverSources): Promise<DiscoveryReport> {
  const f = sources.fetch ?? fetch;
  const matched: string[] = [];
  const unmatched: string[] = [];
  const adoption: { version: 1; cloudflare?: Adoption["cloudflare"]; hetzner?: Record<string, any>; hosts?: Record<string, AdoptedHost> } = { version: 1 };

  const cf = sources.cloudflare;
  if (cf) {
    try {
      const out: { tunnel?: { id: string; name: string }; dnsRecords?: Record<string, string>; accessApplications?: Record<string, string>; accessPolicy?: string } = {};
      const tunnels = (await cloudflareList(f, cf.baseUrl, `/accounts/${cf.accountId}/cfd_tunnel`, cf.token, { is_deleted: "false" })).filter((t) => !t.deleted_at);
      const tunnel = tunnels.find((t) => t.name === spec.tunnelName);
      if (tunnel) {
        out.tunnel = { id: tunnel.id, name: tunnel.name };
        matched.push(`cloudflare: tunnel ${tunnel.name} (${tunnel.id})`);
      } else {
        unmatched.push(
          `cloudflare: no tunnel named ${spec.tunnelName}${tunnels.length ? ` (there are: ${tunnels.map((t) => `${t.name} ${t.id}`).join(", ")}; set tunnelName in homelab/settings.ts to adopt one)` : ""}: the edge stack would create a new one`,
        );
      }
      const records = await cloudflareList(f, cf.baseUrl, `/zones/${cf.zoneId}/dns_records`, cf.token);
      for (const { hostname } of publicHostnames(spec)) {
        const same = records.filter((r) => r.name === hostname);
        const cname = same.find((r) => r.type === "CNAME");
        if (cname) {
          (out.dnsRecords ??= {})[hostname] = cname.id;
          const target = tunnel ? `${tunnel.id}.cfargotunnel.com` : undefined;
          matched.push(`cloudflare: CNAME ${hostname} (${cname.id})${target && cname.content !== target ? ` → ${cname.content}, updated in place to ${target}` : ""}`);
        } else if (same.length > 0) {
          unmatched.push(`cloudflare: ${hostname} has ${same.map((r) => `${r.type} ${r.id}`).join(", ")}, no CNAME: creating the tunnel's CNAME would fail. Fix: delete that record in the dashboard (after the cut-over), then deploy edge`);
        } else {
          matched.push(`cloudflare: no record for ${hostname} yet: the edge stack creates it`);
        }
      }
      const targets = accessTargets(spec);
      if (targets.length > 0) {
        const apps = await cloudflareList(f, cf.baseUrl, `/accounts/${cf.accountId}/access/apps`, cf.token);
        for (const t of targets) {
          const app = apps.find((a) => a.domain === t.target || (a.destinations ?? []).some((d: any) => d.uri === t.target));
          if (app) {
            (out.accessApplications ??= {})[t.target] = app.id;
            matched.push(`cloudflare: Access application ${t.target} (${app.id}, "${app.name}")`);
          } else matched.push(`cloudflare: no Access application for ${t.target} yet: the edge stack creates it`);
        }
        const policies = await cloudflareList(f, cf.baseUrl, `/accounts/${cf.accountId}/access/policies`, cf.token);
        const wanted = `${spec.tunnelName} admin surfaces`;
        const policy = policies.find((p) => p.name === wanted);
        if (policy) {
          out.accessPolicy = policy.id;
          matched.push(`cloudflare: Access policy "${wanted}" (${policy.id})`);
        } else {
          unmatched.push(`cloudflare: no reusable Access policy named "${wanted}"${policies.length ? ` (there are: ${policies.map((p) => `"${p.name}"`).join(", ")})` : ""}: the edge stack creates one; the adopted applications are pointed at it`);
        }
      }
      adoption.cloudflare = out;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      unmatched.push(`cloudflare: ${e.message}. Fix: check TF_VAR_cloudflare_api_token (Zone:DNS:Read, Account:Cloudflare Tunnel:Read, Access:Read), the account and zone ids`);
    }
  }

  const hz = sources.hetzner;
  if (hz) {
    try {
      const keys = await hetznerList(f, hz.baseUrl, "/ssh_keys", "ssh_keys", hz.token);
      const ownKey = (pub: string) => pub.trim().split(/\s+/).slice(0, 2).join(" ");
      for (const host of spec.hosts.filter((h) => h.provisioning.kind === "hcloud")) {
        const [server] = await hetznerList(f, hz.baseUrl, "/servers", "servers", hz.token, { name: host.name });
        if (!server) {
          matched.push(`hetzner: no server named ${host.name} yet: its vm stack creates it`);
          continue;
        }
        const entry: Record<string, any> = { server: { id: server.id, location: server.datacenter?.location?.name, serverType: server.server_type?.name } };
        matched.push(`hetzner: server ${host.name} (${server.id}, ${entry.server.serverType} in ${entry.server.location})`);
        const fwIds: number[] = (server.public_net?.firewalls ?? []).map((x: any) => x.id);
        const [fw] = await hetznerList(f, hz.baseUrl, "/firewalls", "firewalls", hz.token, { name: host.name });
        if (fw) {
          entry.firewall = fw.id;
          matched.push(`hetzner: firewall ${fw.name} (${fw.id})${fwIds.includes(fw.id) ? "" : ", not attached to the server yet: the deploy attaches it"}`);
        } else unmatched.push(`hetzner: no firewall named ${host.name}${fwIds.length ? ` (the server has ${fwIds.join(", ")}, left alone)` : ""}: the vm stack creates one`);
        const key = keys.find((k) => k.name === SSH_KEY_NAME) ?? (hz.sshPublicKey ? keys.find((k) => ownKey(k.public_key) === ownKey(hz.sshPublicKey!)) : undefined);
        if (key) {
          entry.sshKey = key.id;
          matched.push(`hetzner: SSH key ${key.name} (${key.id})`);
        } else unmatched.push(`hetzner: no SSH key named ${SSH_KEY_NAME} or equal to TF_VAR_ssh_public_key: the vm stack creates one (Hetzner refuses a second key with the same fingerprint: set TF_VAR_ssh_public_key to discover it)`);
        (adoption.hetzner ??= {})[host.name] = entry;
      }
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      unmatched.push(`hetzner: ${e.message}. Fix: check TF_VAR_hcloud_token (read access to the project)`);
    }
  }

  if (sources.docker) {
    for (const host of spec.hosts.filter((h) => !sources.hosts || sources.hosts.includes(h.name))) {
      const entry = discoverHost(spec, host, sources.docker, matched, unmatched);
      if (entry) (adoption.hosts ??= {})[host.name] = entry;
    }
  }
  return { adoption: adoption as Adoption, matched, unmatched };
}

export function formatReport(report: DiscoveryReport): string {
  return [
    `Matched (${report.matched.length}):`,
    ...report.matched.map((m) => `  ✓ ${m}`),
    `Not matched (${report.unmatched.length}):`,
    ...(report.unmatched.length ? report.unmatched.map((m) => `  ✗ ${m}`) : ["  (nothing)"]),
  ].join("\n");
}

/** The sources from the environment (the same variables the stacks read). */
export function sourcesFromEnv(env: NodeJS.ProcessEnv): DiscoverSources {
  const cfToken = env.TF_VAR_cloudflare_api_token;
  const hzToken = env.TF_VAR_hcloud_token;
  return {
    cloudflare:
      cfToken && env.TF_VAR_cloudflare_account_id && env.TF_VAR_cloudflare_zone_id
        ? { baseUrl: env.CLOUDFLARE_API_BASE ?? CLOUDFLARE_API, token: cfToken, accountId: env.TF_VAR_cloudflare_account_id, zoneId: env.TF_VAR_cloudflare_zone_id }
        : undefined,
    hetzner: hzToken ? { baseUrl: env.HCLOUD_ENDPOINT ?? HCLOUD_API, token: hzToken, sshPublicKey: env.TF_VAR_ssh_public_key } : undefined,
    docker: dockerOverSshWith(env),
  };
}

/** Discovers, prints, writes, checks. Exit code 0 when the file is complete and valid. */
export async function main(spec: HomelabSpec, argv: readonly string[], env: NodeJS.ProcessEnv, sources = sourcesFromEnv(env), log = console.log): Promise<number> {
  const outIdx = argv.indexOf("--out");
  const out = resolve(outIdx >= 0 ? argv[outIdx + 1] : ADOPTION_FILE);
  const hostIdx = argv.indexOf("--host");
  const withHosts = hostIdx >= 0 ? { ...sources, hosts: [argv[hostIdx + 1]] } : sources;
  if (!sources.cloudflare) log("cloudflare: skipped (set TF_VAR_cloudflare_api_token, TF_VAR_cloudflare_account_id, TF_VAR_cloudflare_zone_id)");
  if (!sources.hetzner) log("hetzner: skipped (set TF_VAR_hcloud_token)");
  const report = await discover(spec, withHosts);
  log(formatReport(report));
  if (argv.includes("--dry-run")) {
    log(JSON.stringify(report.adoption, null, 2));
    return report.unmatched.length ? 1 : 0;
  }
  writeFileSync(out, `${JSON.stringify(report.adoption, null, 2)}\n`);
  log(`wrote ${out}`);
  try {
    validateAdoption(report.adoption, spec, out);
  } catch (e) {
    if (!(e instanceof AdoptionError)) throw e;
    log(`\nThe description disagrees with what exists (synth fails until fixed):\n${e.message}`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  void (async () => {
    const spec: HomelabSpec = process.env.KITESTACKS_SPEC
      ? (await import(resolve(process.env.KITESTACKS_SPEC))).spec
      : (await import("../homelab/homelab")).kitestacks;
    process.exitCode = await main(spec, process.argv.slice(2), process.env);
  })();
}
