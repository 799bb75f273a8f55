import { existsSync, readFileSync } from "node:fs";
import { mariadbContainerName } from "../backup/plan";
import { publicHostnames, servicesOn } from "./derive";
import { HomelabSpec, ServiceSpec } from "./types";

/**
 * The adoption file: what already exists before this code manages the homelab (the owner's
 * compose projects, the Cloudflare tunnel and its records, the Hetzner server), so the first
 * deploy imports it instead of creating a second copy, and every service keeps its data.
 *
 * It is COMMITTED (adoption.json at the repo root), because it stays part of the configuration
 * after the first deploy: an adopted volume keeps its old Docker name for good (a docker_volume
 * whose name changes is replaced), so every checkout and CI must synthesize with it. It holds
 * identifiers only (UUIDs, record ids, numeric Hetzner ids, Docker volume names, host paths),
 * none of which grants access: the Cloudflare account and zone ids stay sensitive variables and
 * are joined to the record ids inside Terraform. `npm run adopt:discover` writes it.
 *
 * Every key names something the homelab description declares (a host, a service, a volume of
 * that service, a public hostname): nothing here is a second list of services.
 */
export const ADOPTION_FILE = "adoption.json";
export const ADOPTION_VERSION = 1;

/**
 * The old container that mounts an adopted volume, when its name differs from the stack's
 * (`bookstack_db` for the stack's `bookstack-mariadb`): the pre-cut-over backup dumps from it
 * and stops it while the files are captured. @default the stack's container name
 */
export interface OldContainer {
  readonly container?: string;
}

/** Where a service volume's existing data lives on a host. */
export type AdoptedVolume =
  /** An existing Docker volume: imported under its own name (kept for good). */
  | ({ readonly volume: string } & OldContainer)
  /** A host directory (a compose bind mount): a local volume bound to it, the data stays in place. */
  | ({ readonly bindPath: string } & OldContainer)
  /** Nothing existed on this host (the service never ran here): created empty, on purpose. */
  | { readonly fresh: string };

/** Does the entry hold data to take over (an existing volume or folder, not `fresh`)? */
export const holdsData = (v: AdoptedVolume | undefined): boolean => v !== undefined && ("volume" in v || "bindPath" in v);

/**
 * The shared Postgres's existing data directory, and the superuser its cluster was made with:
 * the image only creates POSTGRES_USER on an empty directory, so a cluster made by Authentik's
 * compose file (PG_USER, `authentik` by default) has no `postgres` role, and the stack's
 * healthcheck, provisioning and backups must connect as the role that is there.
 */
export type AdoptedPostgres = AdoptedVolume & {
  /** The cluster's superuser (the old container's POSTGRES_USER). @default "postgres" */
  readonly superuser?: string;
};

/** A compose project that runs on a host today (what cut-over stops, and restarts on failure). */
export interface ComposeProject {
  /** `com.docker.compose.project` */
  readonly project: string;
  /** `com.docker.compose.project.working_dir` */
  readonly workingDir: string;
  /** `com.docker.compose.project.config_files` */
  readonly configFiles: readonly string[];
}

export interface AdoptedHost {
  /** Id of the existing Docker network named like spec.dockerNetwork, to import. @default created */
  readonly network?: string;
  /** The compose projects running there today. @default [] */
  readonly compose?: readonly ComposeProject[];
  /**
   * Per service placed on this host (its name in the description), per volume key: the
   * service's volume names, and `mariadb-<database>` for its per-host MariaDB's data.
   * @default {}
   */
  readonly services?: Readonly<Record<string, Readonly<Record<string, AdoptedVolume>>>>;
  /** The shared Postgres's data directory, on the host that runs it. @default created */
  readonly sharedPostgres?: AdoptedPostgres;
}

export interface AdoptedHetznerHost {
  readonly server: { readonly id: number; readonly location: string; readonly serverType: string };
  readonly firewall?: number;
  readonly sshKey?: number;
}

export interface AdoptedCloudflare {
  readonly tunnel?: { readonly id: string; readonly name: string };
  /** Record id per public hostname. */
  readonly dnsRecords?: Readonly<Record<string, string>>;
  /** Access application id per guarded target (a hostname, or hostname + admin path). */
  readonly accessApplications?: Readonly<Record<string, string>>;
  /** Id of the reusable Access policy of the admin surfaces. */
  readonly accessPolicy?: string;
}

export interface Adoption {
  readonly version: typeof ADOPTION_VERSION;
  readonly cloudflare?: AdoptedCloudflare;
  /** Per hcloud host. */
  readonly hetzner?: Readonly<Record<string, AdoptedHetznerHost>>;
  /** Per host. */
  readonly hosts?: Readonly<Record<string, AdoptedHost>>;
}

/** One thing wrong with the adoption file. */
export interface AdoptionProblem {
  readonly field: string;
  readonly value: unknown;
  readonly problem: string;
  readonly fix: string;
}

export class AdoptionError extends Error {
  constructor(
    public readonly file: string,
    public readonly problems: readonly AdoptionProblem[],
  ) {
    super(
      `${file} has ${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing was synthesized:\n` +
        problems.map((p) => `  - ${p.field}: ${JSON.stringify(p.value) ?? String(p.value)} ${p.problem}. Fix: ${p.fix}.`).join("\n"),
    );
    this.name = "AdoptionError";
  }
}

/** One Cloudflare Access application the edge builds: its target, construct id and title. */
export interface AccessTarget {
  readonly target: string;
  readonly hostname: string;
  readonly constructId: string;
  readonly name: string;
  readonly service: ServiceSpec;
}

const hostnameId = (hostname: string) => hostname.replace(/\./g, "_");

/**
 * Every Access application the edge stack builds, in order: a whole hostname for admin surfaces,
 * a path-scoped one per admin path otherwise. EdgeStack builds exactly these (one rule, once).
 */
export function accessTargets(spec: HomelabSpec): AccessTarget[] {
  const routes = publicHostnames(spec);
  const whole = routes
    .filter((r) => r.service.adminSurface === true)
    .map(({ hostname, service }) => ({ target: hostname, hostname, constructId: `access-${hostnameId(hostname)}`, name: `${service.title} (${hostname})`, service }));
  const paths = routes
    .filter((r) => r.service.adminSurface !== true && (r.service.adminPaths ?? []).length > 0)
    .flatMap(({ hostname, service }) =>
      service.adminPaths!.map((path) => {
        const target = `${hostname}${path.replace(/\/+$/, "")}`;
        return {
          target,
          hostname,
          constructId: `access-${hostnameId(hostname)}-${path.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "")}`,
          name: `${service.title} admin (${target})`,
          service,
        };
      }),
    );
  return [...whole, ...paths];
}

/**
 * The volume keys of a service on a host: its volumes (main container and companions) and
 * `mariadb-<db>` for each per-host MariaDB. The same keys HostedService names its volumes by.
 */
export function adoptableVolumeKeys(svc: ServiceSpec): string[] {
  const keys = new Set<string>();
  for (const db of svc.databases ?? []) if (db.engine === "mariadb") keys.add(`mariadb-${db.name}`);
  for (const v of svc.volumes ?? []) keys.add(v.name);
  for (const c of svc.companions ?? []) for (const v of c.volumes ?? []) keys.add(v.name);
  return [...keys];
}

/** Where the service's container mounts each volume key: what discovery matches mounts by. */
export function volumeMountPaths(svc: ServiceSpec): Map<string, { container: "main" | "mariadb" | string; mountPath: string }> {
  const paths = new Map<string, { container: string; mountPath: string }>();
  for (const db of svc.databases ?? []) if (db.engine === "mariadb") paths.set(`mariadb-${db.name}`, { container: "mariadb", mountPath: "/var/lib/mysql" });
  for (const v of svc.volumes ?? []) paths.set(v.name, { container: "main", mountPath: v.mountPath });
  for (const c of svc.companions ?? []) for (const v of c.volumes ?? []) if (!paths.has(v.name)) paths.set(v.name, { container: c.name, mountPath: v.mountPath });
  return paths;
}

/** Where the shared Postgres keeps its data (the key of `sharedPostgres` in the file). */
export const POSTGRES_DATA_PATH = "/var/lib/postgresql/data";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CF_RECORD_ID = /^[0-9a-f]{32}$/;
/** Docker's own rule for volume names (daemon/names: [a-zA-Z0-9][a-zA-Z0-9_.-]). */
const DOCKER_VOLUME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const COMPOSE_PROJECT = /^[a-z0-9][a-z0-9_-]*$/;
/** Docker's rule for container names (daemon/names: [a-zA-Z0-9][a-zA-Z0-9_.-]+). */
const DOCKER_CONTAINER = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
/** An unquoted Postgres identifier (at most 63 bytes). */
const PG_ROLE = /^[a-z_][a-z0-9_$]{0,62}$/;
const ABSOLUTE_PATH = /^\/(?!.*(^|\/)\.\.?(\/|$))[^\0]*$/;

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Checks a parsed adoption file against the description and returns it typed; throws one
 * AdoptionError listing every problem.
 */
export function validateAdoption(raw: unknown, spec: HomelabSpec, file = ADOPTION_FILE): Adoption {
  const problems: AdoptionProblem[] = [];
  const problem = (field: string, value: unknown, what: string, fix: string) => problems.push({ field, value, problem: what, fix });
  const onlyKeys = (field: string, obj: Raw, allowed: readonly string[]) => {
    for (const k of Object.keys(obj)) {
      if (!allowed.includes(k)) problem(`${field}.${k}`, obj[k], "is not a field of the adoption file", `remove it, or use one of: ${allowed.join(", ")}`);
    }
  };
  const object = (field: string, v: unknown): v is Raw => {
    if (isObject(v)) return true;
    problem(field, v, "is not an object", "write a JSON object ({...})");
    return false;
  };
  const matching = (field: string, v: unknown, re: RegExp, what: string): boolean => {
    if (typeof v === "string" && re.test(v)) return true;
    problem(field, v, `is not ${what}`, `copy ${what} from the API (npm run adopt:discover writes it)`);
    return false;
  };
  const positiveInt = (field: string, v: unknown) => {
    if (!(typeof v === "number" && Number.isInteger(v) && v > 0)) problem(field, v, "is not a Hetzner id (a positive integer)", "copy the id from the Hetzner API or console (npm run adopt:discover writes it)");
  };

  if (!object("(file)", raw)) throw new AdoptionError(file, problems);
  onlyKeys("(file)", raw, ["version", "cloudflare", "hetzner", "hosts"]);
  if (raw.version !== ADOPTION_VERSION) problem("version", raw.version, `is not ${ADOPTION_VERSION}`, `set "version": ${ADOPTION_VERSION}`);

  const cf = raw.cloudflare;
  if (cf !== undefined && object("cloudflare", cf)) {
    onlyKeys("cloudflare", cf, ["tunnel", "dnsRecords", "accessApplications", "accessPolicy"]);
    if (cf.tunnel !== undefined && object("cloudflare.tunnel", cf.tunnel)) {
      onlyKeys("cloudflare.tunnel", cf.tunnel, ["id", "name"]);
      matching("cloudflare.tunnel.id", cf.tunnel.id, UUID, "a tunnel UUID");
      if (cf.tunnel.name !== spec.tunnelName) {
        problem(
          "cloudflare.tunnel.name",
          cf.tunnel.name,
          `differs from the description's tunnelName ${JSON.stringify(spec.tunnelName)}: the import would rename the tunnel`,
          `set tunnelName to ${JSON.stringify(cf.tunnel.name)} in homelab/settings.ts (or rename the tunnel in the Zero Trust dashboard first)`,
        );
      }
    }
    const hostnames = publicHostnames(spec).map((r) => r.hostname);
    if (cf.dnsRecords !== undefined && object("cloudflare.dnsRecords", cf.dnsRecords)) {
      for (const [hostname, id] of Object.entries(cf.dnsRecords)) {
        const field = `cloudflare.dnsRecords[${hostname}]`;
        if (!hostnames.includes(hostname)) {
          problem(field, id, "is a record of a hostname no service declares", `remove it (the record stays in Cloudflare, unmanaged), or add ${hostname} to a service's hostnames; declared: ${hostnames.join(", ")}`);
        }
        matching(field, id, CF_RECORD_ID, "a DNS record id (32 hex)");
      }
    }
    const targets = accessTargets(spec).map((t) => t.target);
    if (cf.accessApplications !== undefined && object("cloudflare.accessApplications", cf.accessApplications)) {
      for (const [target, id] of Object.entries(cf.accessApplications)) {
        const field = `cloudflare.accessApplications[${target}]`;
        if (!targets.includes(target)) problem(field, id, "is not an admin surface or admin path of the description", `remove it, or use one of: ${targets.join(", ") || "(none)"}`);
        matching(field, id, UUID, "an Access application UUID");
      }
    }
    if (cf.accessPolicy !== undefined) {
      matching("cloudflare.accessPolicy", cf.accessPolicy, UUID, "an Access policy UUID");
      if (targets.length === 0) problem("cloudflare.accessPolicy", cf.accessPolicy, "is given, but the description has no admin surface that uses it", "remove it");
    }
  }

  const hetzner = raw.hetzner;
  if (hetzner !== undefined && object("hetzner", hetzner)) {
    for (const [hostName, entry] of Object.entries(hetzner)) {
      const field = `hetzner[${hostName}]`;
      const host = spec.hosts.find((h) => h.name === hostName);
      if (!host || host.provisioning.kind !== "hcloud") {
        problem(field, hostName, "is not a Hetzner host of the description", `use one of: ${spec.hosts.filter((h) => h.provisioning.kind === "hcloud").map((h) => h.name).join(", ") || "(none)"}`);
        continue;
      }
      if (!object(field, entry)) continue;
      onlyKeys(field, entry, ["server", "firewall", "sshKey"]);
      if (object(`${field}.server`, entry.server)) {
        onlyKeys(`${field}.server`, entry.server, ["id", "location", "serverType"]);
        positiveInt(`${field}.server.id`, entry.server.id);
        const wanted = host.provisioning.location ?? "nbg1";
        // location is ForceNew on hcloud_server: a mismatch would replace the server and its disk.
        if (entry.server.location !== wanted) {
          problem(
            `${field}.server.location`,
            entry.server.location,
            `differs from the description's location ${JSON.stringify(wanted)}: the import would destroy and recreate the server, and every volume on it`,
            `set provisioning.location: ${JSON.stringify(entry.server.location)} for ${hostName} in homelab/hosts.ts`,
          );
        }
        if (typeof entry.server.serverType !== "string" || entry.server.serverType === "") {
          problem(`${field}.server.serverType`, entry.server.serverType, "is not a server type name", "copy server_type.name from the API (npm run adopt:discover writes it)");
        }
      }
      if (entry.firewall !== undefined) positiveInt(`${field}.firewall`, entry.firewall);
      if (entry.sshKey !== undefined) positiveInt(`${field}.sshKey`, entry.sshKey);
    }
  }

  const hosts = raw.hosts;
  if (hosts !== undefined && object("hosts", hosts)) {
    for (const [hostName, entry] of Object.entries(hosts)) {
      const field = `hosts[${hostName}]`;
      if (!spec.hosts.some((h) => h.name === hostName)) {
        problem(field, hostName, "is not a host of the description", `use one of: ${spec.hosts.map((h) => h.name).join(", ")}`);
        continue;
      }
      if (!object(field, entry)) continue;
      onlyKeys(field, entry, ["network", "compose", "services", "sharedPostgres"]);
      if (entry.network !== undefined) matching(`${field}.network`, entry.network, /^[0-9a-f]{12,64}$/, "a Docker network id");
      if (entry.compose !== undefined) {
        if (!Array.isArray(entry.compose)) problem(`${field}.compose`, entry.compose, "is not a list", "write a list of {project, workingDir, configFiles}");
        else
          entry.compose.forEach((p: unknown, i: number) => {
            const pf = `${field}.compose[${i}]`;
            if (!object(pf, p)) return;
            onlyKeys(pf, p, ["project", "workingDir", "configFiles"]);
            matching(`${pf}.project`, p.project, COMPOSE_PROJECT, "a compose project name");
            matching(`${pf}.workingDir`, p.workingDir, ABSOLUTE_PATH, "an absolute path");
            if (!Array.isArray(p.configFiles) || p.configFiles.length === 0) problem(`${pf}.configFiles`, p.configFiles, "is not a non-empty list of paths", "list the compose files (com.docker.compose.project.config_files)");
            else p.configFiles.forEach((f: unknown, j: number) => matching(`${pf}.configFiles[${j}]`, f, ABSOLUTE_PATH, "an absolute path"));
          });
      }
      const placed = servicesOn(spec, hostName);
      const seen = new Map<string, string>();
      const adoptedVolume = (vf: string, v: unknown, extraKeys: readonly string[] = []) => {
        if (!object(vf, v)) return;
        const kinds = ["volume", "bindPath", "fresh"].filter((k) => v[k] !== undefined);
        onlyKeys(vf, v, ["volume", "bindPath", "fresh", "container", ...extraKeys]);
        if (v.container !== undefined) {
          if (!(typeof v.container === "string" && DOCKER_CONTAINER.test(v.container))) {
            problem(`${vf}.container`, v.container, "is not a Docker container name", "copy the old container's name from docker ps ([a-zA-Z0-9][a-zA-Z0-9_.-]+; npm run adopt:discover writes it)");
          } else if (v.fresh !== undefined) problem(`${vf}.container`, v.container, "is given for a volume that is created empty", "remove it (no old container holds its data)");
        }
        if (kinds.length !== 1) {
          problem(vf, v, "must say exactly one of volume, bindPath, fresh", `{"volume": "<docker volume>"}, {"bindPath": "/abs/dir"} or {"fresh": "<why nothing existed>"}`);
          return;
        }
        if (v.volume !== undefined && matching(`${vf}.volume`, v.volume, DOCKER_VOLUME, "a Docker volume name")) {
          const before = seen.get(String(v.volume));
          if (before) problem(`${vf}.volume`, v.volume, `is already adopted by ${before}`, "give each volume key its own Docker volume");
          else seen.set(String(v.volume), vf);
        }
        if (v.bindPath !== undefined) matching(`${vf}.bindPath`, v.bindPath, ABSOLUTE_PATH, "an absolute host path");
        if (v.fresh !== undefined && (typeof v.fresh !== "string" || v.fresh.trim() === "")) problem(`${vf}.fresh`, v.fresh, "is not a reason", "say why no data existed on this host");
      };
      if (entry.services !== undefined && object(`${field}.services`, entry.services)) {
        for (const [svcName, volumes] of Object.entries(entry.services)) {
          const sf = `${field}.services[${svcName}]`;
          const svc = spec.services.find((s) => s.name === svcName);
          if (!svc) {
            problem(sf, svcName, "is not a service of the description", `use a service name from homelab/homelab.ts: ${spec.services.map((s) => s.name).join(", ")}`);
            continue;
          }
          if (!placed.includes(svc)) {
            problem(
              sf,
              svcName,
              `is not placed on ${hostName}, so its data there is not taken over`,
              `remove the entry; move the data to the service's home first (docs/adopt.md, "Data that moves")`,
            );
            continue;
          }
          if (!object(sf, volumes)) continue;
          const keys = adoptableVolumeKeys(svc);
          const oldOf = new Map<string, { container: string; key: string }>();
          for (const [key, v] of Object.entries(volumes)) {
            if (!keys.includes(key)) {
              problem(`${sf}.${key}`, v, `is not a volume of ${svcName}`, `use one of: ${keys.join(", ") || "(it has none)"}`);
              continue;
            }
            adoptedVolume(`${sf}.${key}`, v);
            // Volumes of one stack container name one old container, or the alias is ambiguous.
            if (isObject(v) && typeof v.container === "string") {
              const stackName = stackContainerOf(svc, key);
              const before = oldOf.get(stackName);
              if (before && before.container !== v.container) {
                problem(`${sf}.${key}.container`, v.container, `differs from ${before.key}'s ${JSON.stringify(before.container)}, and both are volumes of the stack's container ${stackName}`, "name the one old container that mounts both");
              } else oldOf.set(stackName, { container: v.container, key });
            }
          }
        }
      }
      if (entry.sharedPostgres !== undefined) {
        const pg = spec.sharedPostgres;
        if (!pg || pg.host !== hostName) problem(`${field}.sharedPostgres`, entry.sharedPostgres, `is given, but the shared Postgres runs on ${pg?.host ?? "no host"}`, "move it under that host, or remove it");
        else {
          adoptedVolume(`${field}.sharedPostgres`, entry.sharedPostgres, ["superuser"]);
          const su = isObject(entry.sharedPostgres) ? entry.sharedPostgres.superuser : undefined;
          if (su !== undefined) {
            if (!(typeof su === "string" && PG_ROLE.test(su))) problem(`${field}.sharedPostgres.superuser`, su, "is not a Postgres role name", "copy POSTGRES_USER of the old Postgres container (npm run adopt:discover writes it)");
            else if (isObject(entry.sharedPostgres) && entry.sharedPostgres.volume === undefined && entry.sharedPostgres.bindPath === undefined) {
              problem(`${field}.sharedPostgres.superuser`, su, "is given for a data directory that is created empty", "remove it (a new cluster's superuser is postgres)");
            }
          }
        }
      }
    }
  }
  if (problems.length > 0) throw new AdoptionError(file, problems);
  return raw as unknown as Adoption;
}

/** Reads and checks the adoption file; undefined when there is none (a fresh homelab). */
export function loadAdoption(path: string, spec: HomelabSpec): Adoption | undefined {
  if (!existsSync(path)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new AdoptionError(path, [{ field: "(file)", value: path, problem: `is not JSON (${(error as Error).message})`, fix: "rewrite it with npm run adopt:discover, or fix the syntax" }]);
  }
  return validateAdoption(raw, spec, path);
}

/** The stack's container that mounts a service's volume key (the names the backup plan uses). */
export function stackContainerOf(svc: ServiceSpec, key: string): string {
  const where = volumeMountPaths(svc).get(key);
  if (!where || where.container === "main") return svc.name;
  if (where.container === "mariadb") return mariadbContainerName(svc.name);
  return `${svc.name}-${where.container}`;
}

/**
 * The stack's container names whose data an old container of another name holds on a host
 * (the `container` fields), stack name → old name: what the pre-cut-over backup works on.
 */
export function oldContainerNames(spec: HomelabSpec, adoption: Adoption | undefined, host: string): Map<string, string> {
  const aliases = new Map<string, string>();
  const entry = adoption?.hosts?.[host];
  for (const [svcName, volumes] of Object.entries(entry?.services ?? {})) {
    const svc = spec.services.find((s) => s.name === svcName);
    if (!svc) continue;
    for (const [key, v] of Object.entries(volumes)) {
      const old = "fresh" in v ? undefined : v.container;
      const stackName = stackContainerOf(svc, key);
      if (old && old !== stackName) aliases.set(stackName, old);
    }
  }
  const pg = entry?.sharedPostgres;
  const pgOld = pg && !("fresh" in pg) ? pg.container : undefined;
  if (spec.sharedPostgres && pgOld && pgOld !== spec.sharedPostgres.containerName) aliases.set(spec.sharedPostgres.containerName, pgOld);
  return aliases;
}

/** What the file says about one volume of one service on one host. */
export function adoptedVolumeOf(adoption: Adoption | undefined, host: string, service: string, key: string): AdoptedVolume | undefined {
  return adoption?.hosts?.[host]?.services?.[service]?.[key];
}

/** The Docker volume name a volume ends up with: the adopted volume's own, else `fallback`. */
export function dockerVolumeName(adopted: AdoptedVolume | undefined, fallback: string): string {
  return adopted && "volume" in adopted ? adopted.volume : fallback;
}
