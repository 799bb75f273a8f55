import { existsSync } from "node:fs";
import { checkSecurityRules } from "./validate-security";
import { join } from "node:path";
import { hostNamesOf, isPublic } from "./derive";
import { hostMemoryMb, HCLOUD_SERVER_TYPES, DEFAULT_HCLOUD_SERVER_TYPE } from "./capacity";
import { HomelabSpec, PlacementSpec, ServiceSpec } from "./types";

/** One thing wrong with the spec: where, what, and how to fix it. */
export interface SpecProblem {
  /** Field path, e.g. `services[grafana].port`. */
  readonly field: string;
  /** The offending value, as written. */
  readonly value: unknown;
  /** What is wrong. */
  readonly problem: string;
  /** What to do about it. */
  readonly fix: string;
}

/** Thrown when the spec has problems; the message lists every one of them. */
export class SpecValidationError extends Error {
  constructor(public readonly problems: readonly SpecProblem[]) {
    super(
      `The homelab spec has ${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing was synthesized:\n` +
        problems.map((p) => `  - ${p.field}: ${show(p.value)} ${p.problem}. Fix: ${p.fix}.`).join("\n"),
    );
    this.name = "SpecValidationError";
  }
}

function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const TF_IDENTIFIER = /^[a-z][a-z0-9_]*$/;
/** Ports that must never face the internet: SSH, the Docker API, Postgres, Redis. */
export const NEVER_PUBLIC_PORTS = [22, 2375, 2376, 5432, 6379] as const;
const WORLD_CIDRS = ["0.0.0.0/0", "::/0"];

export function isDnsName(name: string): boolean {
  return name.length <= 253 && name.split(".").every((label) => DNS_LABEL.test(label));
}

/** `repo[:tag][@digest]`: pinned means a digest, or a tag that is not `latest`. */
export function imagePinProblem(ref: string): string | undefined {
  if (/@sha256:[a-f0-9]{64}$/.test(ref)) return undefined;
  // Without this, "app@sha256:abc" would pass as repo "app@sha256" with tag "abc".
  if (ref.includes("@")) return "has a malformed digest (expected @sha256: and 64 hex characters)";
  const lastSlash = ref.lastIndexOf("/");
  const colon = ref.indexOf(":", lastSlash + 1);
  if (colon < 0) return "has no tag, so every pull may bring a different version";
  const tag = ref.slice(colon + 1);
  if (tag === "latest") return "uses the floating tag latest";
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) return "has an invalid tag";
  return undefined;
}

/** Port strings of Hetzner rules: "22" or "80-85". */
function portRange(port: string | undefined): [number, number] | undefined {
  if (port === undefined || port === "any") return [1, 65535];
  const m = /^(\d+)(?:-(\d+))?$/.exec(port);
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2] ?? m[1])];
}

const inRange = (n: number, lo: number, hi: number) => Number.isInteger(n) && n >= lo && n <= hi;

/**
 * Checks the whole spec and returns every problem found (empty when it is sound).
 * `repoRoot` is where build folders (portal/, metrics/) are looked up.
 */
export function findSpecProblems(spec: HomelabSpec, repoRoot: string = process.cwd()): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const add = (field: string, value: unknown, problem: string, fix: string) =>
    problems.push({ field, value, problem, fix });

  if (!isDnsName(spec.domain) || !spec.domain.includes(".")) {
    add("domain", spec.domain, "is not a valid DNS zone name", "use a zone such as kitestacks.com");
  }

  // Hosts.
  if (spec.hosts.length === 0) add("hosts", [], "is empty", "declare at least one host");
  const hostNames = new Set<string>();
  spec.hosts.forEach((host, i) => {
    const at = `hosts[${host.name || i}]`;
    if (!DNS_LABEL.test(host.name)) {
      add(`${at}.name`, host.name, "is not a lowercase DNS label", "use letters, digits and hyphens, e.g. kscloud2");
    }
    if (hostNames.has(host.name)) add(`${at}.name`, host.name, "is declared twice", "give each host a unique name");
    hostNames.add(host.name);
    if (!/^[a-z_][a-z0-9_-]*$/.test(host.sshUser)) {
      add(`${at}.sshUser`, host.sshUser, "is not a valid Unix user name", "use the deploy user that is in the docker group, e.g. deploy");
    }
    if (host.tailscaleName !== undefined && !isDnsName(host.tailscaleName)) {
      add(`${at}.tailscaleName`, host.tailscaleName, "is not a valid DNS name", "use the host's MagicDNS name, e.g. monk or monk.tail1234.ts.net");
    }
    // Capacity: the memory rule (policies/host-memory-fits.ts) needs every host's RAM.
    if (host.provisioning.kind === "hcloud" && host.memoryMb === undefined) {
      const type = host.provisioning.serverType ?? DEFAULT_HCLOUD_SERVER_TYPE;
      if (!HCLOUD_SERVER_TYPES[type]) {
        add(`${at}.provisioning.serverType`, type, "is not in the server type table, so its RAM is unknown", `use one of ${Object.keys(HCLOUD_SERVER_TYPES).join(", ")}, or add it to homelab/capacity.ts with its RAM from Hetzner's list`);
      }
    } else if (host.memoryMb === undefined) {
      add(`${at}.memoryMb`, undefined, "is missing, so the memory limits on this host cannot be checked", "declare the machine's RAM in MB, e.g. memoryMb: 16384 (free -m on the host)");
    }
    const ram = hostMemoryMb(host);
    if (host.memoryMb !== undefined && !inRange(host.memoryMb, 512, 4194304)) {
      add(`${at}.memoryMb`, host.memoryMb, "is outside 512-4194304 MB", "write the machine's RAM in MB");
    }
    if (host.osReserveMb !== undefined && (!inRange(host.osReserveMb, 0, 1048576) || (ram !== undefined && host.osReserveMb >= ram))) {
      add(`${at}.osReserveMb`, host.osReserveMb, "leaves no memory for containers or is not a whole number of MB", "keep about 1024 MB for the OS");
    }
    if (host.provisioning.kind === "hcloud") {
      (host.provisioning.firewallInbound ?? []).forEach((rule, r) => {
        const field = `${at}.provisioning.firewallInbound[${r}]`;
        const range = portRange(rule.port);
        if (rule.protocol !== "icmp" && (!range || !inRange(range[0], 1, 65535) || !inRange(range[1], range[0], 65535))) {
          add(`${field}.port`, rule.port, "is not a port or range within 1-65535", 'write "22" or "60000-61000"');
        }
        if (!rule.reason?.trim()) add(`${field}.reason`, rule.reason, "is empty", "say why this port is open");
        if (rule.sourceCidrs.length === 0) add(`${field}.sourceCidrs`, [], "is empty", "list the CIDRs allowed in");
        const world = rule.sourceCidrs.filter((c) => WORLD_CIDRS.includes(c));
        if (world.length > 0 && range && rule.protocol === "tcp") {
          const exposed = NEVER_PUBLIC_PORTS.filter((p) => p >= range[0] && p <= range[1]);
          if (exposed.length > 0) {
            add(
              field,
              { port: rule.port, sourceCidrs: world },
              `opens port ${exposed.join(", ")} to the whole internet`,
              "reach SSH, the Docker API and databases over Tailscale; narrow sourceCidrs or remove the rule",
            );
          }
        }
      });
    }
  });

  // The shared Postgres.
  const pg = spec.sharedPostgres;
  if (pg) {
    if (!hostNames.has(pg.host)) {
      add("sharedPostgres.host", pg.host, "is not a declared host", `use one of: ${[...hostNames].join(", ")}`);
    }
    const pin = imagePinProblem(pg.image);
    if (pin) add("sharedPostgres.image", pg.image, pin, "pin a version tag such as postgres:16.11-bookworm");
    if (!DNS_LABEL.test(pg.containerName)) {
      add("sharedPostgres.containerName", pg.containerName, "is not a lowercase DNS label", "use e.g. authentik-postgres");
    }
    if (pg.port !== undefined && !inRange(pg.port, 1, 65535)) {
      add("sharedPostgres.port", pg.port, "is outside 1-65535", "use 5432");
    }
    for (const h of pg.authentikLocalFallbackOn ?? []) {
      if (!hostNames.has(h)) {
        add("sharedPostgres.authentikLocalFallbackOn", h, "is not a declared host", `use one of: ${[...hostNames].join(", ")}`);
      }
    }
  }

  // Services.
  const serviceNames = new Set<string>();
  const hostnameOwner = new Map<string, string>();
  const identityProviders = spec.services.filter((s) => s.sso.mode === "identity-provider");
  const hostPortsByHost = new Map<string, Map<number, string>>();

  const forwarderPin = imagePinProblem(spec.forwarderImage ?? "");
  if (forwarderPin) {
    add("forwarderImage", spec.forwarderImage, forwarderPin, "pin a release tag such as nginxinc/nginx-unprivileged:1.30.4-alpine");
  }
  const cloudflaredPin = imagePinProblem(spec.cloudflaredImage);
  if (cloudflaredPin) {
    add("cloudflaredImage", spec.cloudflaredImage, cloudflaredPin, "pin a release tag such as cloudflare/cloudflared:2025.11.1");
  }
  const b = spec.backup;
  if (b) {
    for (const [field, cron] of [["backup.schedule", b.schedule], ["backup.drillSchedule", b.drillSchedule]] as const) {
      if (cron !== undefined && !/^(\S+\s+){4}\S+$/.test(cron.trim())) add(field, cron, "is not five cron fields", 'write minute hour day month weekday, e.g. "15 3 * * *" (UTC)');
    }
    for (const k of ["daily", "weekly", "monthly"] as const) {
      const n = b.retention?.[k];
      if (b.retention && !(Number.isInteger(n) && n! >= 0 && n! <= 1000)) add(`backup.retention.${k}`, n, "is not a whole number in 0-1000", "keep e.g. 7 daily, 4 weekly, 6 monthly snapshots");
    }
    if (b.retention && b.retention.daily + b.retention.weekly + b.retention.monthly === 0) add("backup.retention", b.retention, "keeps nothing", "keep at least one snapshot");
    if (b.repositoryPath !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(b.repositoryPath)) add("backup.repositoryPath", b.repositoryPath, "is not a path inside a bucket", "use e.g. kitestacks");
    if (b.image && "ref" in b.image) {
      const problem = imagePinProblem(b.image.ref);
      if (problem) add("backup.image.ref", b.image.ref, problem, "pin a tag of an image built from backup/image");
    } else if (b.image && !existsSync(join(repoRoot, b.image.build, "Dockerfile"))) {
      add("backup.image.build", b.image.build, "has no Dockerfile", "point at backup/image");
    }
  }
  const mariadbPin = imagePinProblem(spec.mariadbImage);
  if (mariadbPin) add("mariadbImage", spec.mariadbImage, mariadbPin, "pin a version tag such as mariadb:11.4.8");
  if (identityProviders.length > 1) {
    add("services", identityProviders.map((s) => s.name), "declares more than one identity provider", "keep one service with sso.mode identity-provider");
  }

  spec.services.forEach((svc, i) => {
    const at = `services[${svc.name || i}]`;
    if (!DNS_LABEL.test(svc.name)) {
      add(`${at}.name`, svc.name, "is not a lowercase DNS label", "use letters, digits and hyphens, e.g. open-webui");
    }
    if (serviceNames.has(svc.name)) add(`${at}.name`, svc.name, "is declared twice", "give each service a unique name");
    serviceNames.add(svc.name);

    if (!inRange(svc.port, 1, 65535)) add(`${at}.port`, svc.port, "is outside 1-65535", "use the port the app listens on inside its container");

    if ("ref" in svc.image) {
      const problem = imagePinProblem(svc.image.ref);
      if (problem) add(`${at}.image.ref`, svc.image.ref, problem, "pin an exact version tag (e.g. grafana/grafana:12.3.0) or a digest");
    } else if (!existsSync(join(repoRoot, svc.image.build, "Dockerfile"))) {
      add(`${at}.image.build`, svc.image.build, "has no Dockerfile", "point at a folder of this repo that holds a Dockerfile");
    }

    // Placement.
    const placement = svc.placement as PlacementSpec | undefined;
    if (!placement || (placement.mode !== "replicated" && placement.mode !== "homed")) {
      add(`${at}.placement`, placement, "is not a placement", 'write { mode: "replicated", reason } or { mode: "homed", home, reason, tailnetPort }');
    } else {
      if (!placement.reason?.trim()) {
        add(`${at}.placement.reason`, placement.reason, "is empty", placement.mode === "homed" ? "say why this host is its home (always on, disk, memory...)" : "say why any host may answer any request (where sessions, keys and files live)");
      }
      if (placement.mode === "homed") {
        if (!hostNames.has(placement.home)) {
          add(`${at}.placement.home`, placement.home, "is not a declared host", `use one of: ${[...hostNames].join(", ")}`);
        }
        if (!inRange(placement.tailnetPort, 1, 65535)) {
          add(`${at}.placement.tailnetPort`, placement.tailnetPort, "is outside 1-65535", "use a free port on the home host");
        }
      } else {
        // Per-request state kept per host breaks as soon as Cloudflare picks the other connector.
        const perHost: string[] = [];
        if (svc.state === "per-host") perHost.push("its state is per-host");
        for (const db of svc.databases ?? []) if (db.engine === "mariadb") perHost.push(`database ${db.name} is a MariaDB on each host`);
        for (const v of [...(svc.volumes ?? []), ...(svc.companions ?? []).flatMap((c) => c.volumes ?? [])]) {
          if (!v.replicaSafe?.trim()) perHost.push(`volume ${v.name} (${v.mountPath}) has no replicaSafe reason`);
        }
        if (svc.agent) perHost.push("it has an agent, which only a homed service can have");
        for (const why of [...new Set(perHost)]) {
          add(
            `${at}.placement`,
            "replicated",
            `keeps per-host state (${why}), so a user's next request on another connector host would not find it`,
            `home it on one host ({ mode: "homed", home, reason, tailnetPort }), or share that state and say why in volumes[].replicaSafe`,
          );
        }
      }
    }

    // Hostnames.
    for (const hostname of svc.hostnames ?? []) {
      if (!isDnsName(hostname)) {
        add(`${at}.hostnames`, hostname, "is not a valid DNS name", "use lowercase labels of letters, digits and hyphens");
      } else if (hostname !== spec.domain && !hostname.endsWith(`.${spec.domain}`)) {
        add(`${at}.hostnames`, hostname, `is outside the zone ${spec.domain}`, `use a name under ${spec.domain}`);
      }
      const owner = hostnameOwner.get(hostname);
      if (owner !== undefined) {
        add(`${at}.hostnames`, hostname, `is already used by service ${owner}`, "give each hostname to one service");
      } else {
        hostnameOwner.set(hostname, svc.name);
      }
    }
    if (isPublic(svc)) {
      if (svc.hostNamespaces) {
        add(`${at}.hostNamespaces`, true, "cannot be combined with public hostnames: the tunnel reaches services by container name", "serve it behind another service (as the portal serves the metrics API)");
      }
    }
    // Tunnel origin settings reach cloudflared as the ingress rule's originRequest.
    if (svc.origin) {
      if (!isPublic(svc)) add(`${at}.origin`, svc.origin, "is set on a service with no hostnames; the tunnel never reaches it", "remove it, or give the service a hostname");
      const timeout = svc.origin.connectTimeoutSeconds;
      // The API and cloudflared take whole seconds (provider Int64; cloudflared config/configuration.go CustomDuration.UnmarshalJSON parses an integer).
      if (timeout !== undefined && !inRange(timeout, 1, 86400)) {
        add(`${at}.origin.connectTimeoutSeconds`, timeout, "is not a whole number of seconds from 1 to 86400", "use e.g. 30 (cloudflared's default)");
      }
      const host = svc.origin.httpHostHeader;
      if (host !== undefined && !(isDnsName(host.replace(/:\d{1,5}$/, "")) || /^\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?$/.test(host))) {
        add(`${at}.origin.httpHostHeader`, host, "is not a host name (optionally with :port)", "use the name the origin expects, e.g. grafana.kitestacks.com");
      }
    }

    // State and databases.
    const dbNames = new Set<string>();
    for (const [d, db] of (svc.databases ?? []).entries()) {
      const field = `${at}.databases[${d}]`;
      if (!TF_IDENTIFIER.test(db.name)) add(`${field}.name`, db.name, "is not a valid database name", "use lowercase letters, digits and underscores");
      if (!TF_IDENTIFIER.test(db.user)) add(`${field}.user`, db.user, "is not a valid role name", "use lowercase letters, digits and underscores");
      if (dbNames.has(db.name)) add(`${field}.name`, db.name, "is declared twice", "declare each database once");
      dbNames.add(db.name);
      if (db.engine === "shared-postgres" && !pg) {
        add(`${field}.engine`, db.engine, "needs the shared Postgres, but spec.sharedPostgres is not set", "declare sharedPostgres, or use a per-host database");
      }
    }
    const sharedDbs = (svc.databases ?? []).filter((db) => db.engine === "shared-postgres");
    if (svc.state === "shared" && sharedDbs.length === 0) {
      add(`${at}.state`, svc.state, "is shared but the service has no shared-postgres database", 'add a databases entry with engine "shared-postgres", or mark the state per-host');
    }
    if (svc.state === "per-host" && !svc.stateNote?.trim()) {
      add(`${at}.stateNote`, svc.stateNote, "is missing for a per-host service", "say why divergence between hosts is acceptable");
    }

    // SSO.
    if (svc.sso.mode === "oidc") {
      if (identityProviders.length === 0) {
        add(`${at}.sso.mode`, "oidc", "needs Authentik, but no service has sso.mode identity-provider", "declare the Authentik service, or set sso.mode none");
      }
      if (!isPublic(svc)) add(`${at}.sso.mode`, "oidc", "needs a public hostname for its redirect URIs", "add a hostname");
      if (svc.sso.redirectPaths.length === 0) add(`${at}.sso.redirectPaths`, [], "is empty", 'list the app\'s callback paths, e.g. "/oidc/callback"');
      for (const path of svc.sso.redirectPaths) {
        if (!path.startsWith("/")) add(`${at}.sso.redirectPaths`, path, "does not start with /", "write a path on the app's hostname");
      }
      if (svc.sso.restrictToGroup !== undefined && !svc.sso.restrictToGroup.trim()) {
        add(`${at}.sso.restrictToGroup`, svc.sso.restrictToGroup, "is empty", `name an Authentik group such as ${spec.adminGroup}`);
      }
    }

    // Volumes, mounts, ports, secrets.
    for (const v of [...(svc.volumes ?? []), ...(svc.companions ?? []).flatMap((c) => c.volumes ?? [])]) {
      if (!DNS_LABEL.test(v.name)) add(`${at}.volumes`, v.name, "is not a valid volume name", "use lowercase letters, digits and hyphens");
      if (!v.mountPath.startsWith("/")) add(`${at}.volumes[${v.name}].mountPath`, v.mountPath, "is not an absolute path", "write the path inside the container, e.g. /data");
    }
    for (const m of svc.bindMounts ?? []) {
      if (!m.hostPath.startsWith("/") || !m.containerPath.startsWith("/")) {
        add(`${at}.bindMounts`, m, "uses a relative path", "write absolute host and container paths");
      }
    }
    for (const hp of svc.hostPorts ?? []) {
      if (!inRange(hp.hostPort, 1, 65535)) add(`${at}.hostPorts`, hp.hostPort, "is outside 1-65535", "use a free port on the host");
      if (!inRange(hp.containerPort, 1, 65535)) add(`${at}.hostPorts`, hp.containerPort, "is outside 1-65535", "use the container's port");
      if (!hp.reason?.trim()) add(`${at}.hostPorts`, hp.hostPort, "has no reason", "say why the port is published");
      // A Set: a host declared twice must not make a service clash with itself.
      for (const h of new Set(hostNamesOf(spec, svc))) {
        const used = hostPortsByHost.get(h) ?? new Map<number, string>();
        const other = used.get(hp.hostPort);
        if (other !== undefined) {
          add(`${at}.hostPorts`, hp.hostPort, `is already published on ${h} by ${other}`, "pick another host port");
        }
        used.set(hp.hostPort, svc.name);
        hostPortsByHost.set(h, used);
      }
    }
    // The home's tailnet port and the agents' ports are published too: no clash on a host.
    const tailnetPublished: { host: string; port: number; field: string }[] = [];
    if (svc.placement?.mode === "homed") {
      const p = svc.placement;
      const sameAsHostPort = (svc.hostPorts ?? []).some((hp) => hp.hostPort === p.tailnetPort && hp.containerPort === svc.port);
      if (!sameAsHostPort) tailnetPublished.push({ host: p.home, port: p.tailnetPort, field: `${at}.placement.tailnetPort` });
      if (svc.agent) {
        for (const h of new Set(spec.hosts.map((x) => x.name).filter((n) => n !== p.home))) {
          tailnetPublished.push({ host: h, port: svc.agent.port, field: `${at}.agent.port` });
        }
      }
    }
    for (const { host: h, port, field } of tailnetPublished) {
      const used = hostPortsByHost.get(h) ?? new Map<number, string>();
      const other = used.get(port);
      // A service declared twice is reported as such, not as clashing with itself.
      if (other !== undefined && other !== svc.name) add(field, port, `is already published on ${h} by ${other}`, "pick another port");
      used.set(port, svc.name);
      hostPortsByHost.set(h, used);
    }
    const secretNames = new Set<string>();
    for (const s of svc.secrets ?? []) {
      if (!TF_IDENTIFIER.test(s.name)) add(`${at}.secrets`, s.name, "is not a valid secret name", "use lowercase letters, digits and underscores");
      if (secretNames.has(s.name)) add(`${at}.secrets`, s.name, "is declared twice", "declare each secret once");
      secretNames.add(s.name);
      if (s.source === "generated" && s.length !== undefined && !inRange(s.length, 16, 256)) {
        add(`${at}.secrets[${s.name}].length`, s.length, "is outside 16-256", "use at least 16 characters");
      }
    }
    if (svc.memoryMb !== undefined && !inRange(svc.memoryMb, 16, 65536)) {
      add(`${at}.memoryMb`, svc.memoryMb, "is outside 16-65536", "give the container a realistic memory limit in MB");
    }
    if (svc.healthcheck.test.length === 0) add(`${at}.healthcheck.test`, [], "is empty", 'give a command such as ["CMD", "wget", "-qO-", "http://127.0.0.1:<port>/"]');
  });

  checkSecretVariablesAgree(spec, add);
  // Former names of renamed services: they name old Terraform addresses and Docker volumes.
  const current = new Set(spec.services.map((s) => s.name));
  spec.services.forEach((svc, i) => {
    (svc.formerNames ?? []).forEach((former, j) => {
      const field = `services[${svc.name}].formerNames[${j}]`;
      if (!DNS_LABEL.test(former)) add(field, former, "is not a lowercase DNS label", "write the name the service had, e.g. gitea");
      else if (current.has(former)) add(field, former, "is the name of a current service", "list only names no service uses now");
      else if (spec.services.some((o, k) => k !== i && (o.formerNames ?? []).includes(former))) add(field, former, "is a former name of two services", "keep it on the service that had it");
    });
  });
  // Retired services: their entries name volumes every host's stack forgets (never deletes).
  const formerNames = new Set(spec.services.flatMap((s) => s.formerNames ?? []));
  const retiredNames = new Set<string>();
  (spec.retired ?? []).forEach((r, i) => {
    const at = `retired[${r.service.name || i}]`;
    if (current.has(r.service.name)) add(`${at}.service.name`, r.service.name, "is also a current service", "remove the service from services (retiring it) or from retired (keeping it)");
    if (formerNames.has(r.service.name)) add(`${at}.service.name`, r.service.name, "is a former name of a current service, whose moved blocks already took its volumes", "drop this retired entry, or the formerNames entry if the service really went");
    if (retiredNames.has(r.service.name)) add(`${at}.service.name`, r.service.name, "is retired twice", "keep one entry per retired service");
    retiredNames.add(r.service.name);
    if (r.reason.trim().length < 8) add(`${at}.reason`, r.reason, "does not say why the service went or where its data goes", "write a sentence, e.g. \"replaced by Outline; pages exported 2026-12\"");
  });
  checkSecurityRules(spec, add);
  return problems;
}

/** A variable secret shared by several services must be described the same way everywhere. */
function checkSecretVariablesAgree(
  spec: HomelabSpec,
  add: (field: string, value: unknown, problem: string, fix: string) => void,
): void {
  const seen = new Map<string, { service: ServiceSpec; description: string }>();
  for (const svc of spec.services) {
    for (const s of svc.secrets ?? []) {
      if (s.source !== "variable") continue;
      const first = seen.get(s.name);
      if (first && first.description !== s.description) {
        add(
          `services[${svc.name}].secrets[${s.name}].description`,
          s.description,
          `differs from the description given by ${first.service.name} for the same variable`,
          "declare the variable once as a shared constant in the spec",
        );
      } else if (!first) {
        seen.set(s.name, { service: svc, description: s.description });
      }
    }
  }
}

/** Throws a {@link SpecValidationError} listing every problem, or returns the spec. */
export function validateSpec(spec: HomelabSpec, repoRoot?: string): HomelabSpec {
  const problems = findSpecProblems(spec, repoRoot);
  if (problems.length > 0) throw new SpecValidationError(problems);
  return spec;
}
