import { BACKUP_CONTAINER } from "../constructs/backup-job";
import { mariadbName } from "../constructs/hosted-service";
import { MAX_PIDS_LIMIT, MIN_PIDS_LIMIT } from "../constructs/pids-limit";
import { CONNECTOR_CONTAINER } from "../constructs/tunnel-connector";
import { hostNamesOf } from "./derive";
import { CapabilitySpec, HomelabSpec, PrivilegeGrant, ServiceSpec } from "./types";

type Add = (field: string, value: unknown, problem: string, fix: string) => void;

/** The Docker socket, wherever a mount names it. */
const DOCKER_SOCKET = /(^|\/)docker\.sock$/;
/** Every Linux capability (linux include/uapi/linux/capability.h), as Docker names them. */
const LINUX_CAPABILITIES = new Set([
  "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
  "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
  "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
  "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
  "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
  "CHECKPOINT_RESTORE",
]);

/**
 * A container's capability set must be declared: `{ add: [...] }` (Docker's set dropped) or
 * `{ dockerDefault: reason }`. Field `at` is where it is (services[x].capabilities, ...agent...).
 */
function checkCapabilities(caps: CapabilitySpec | undefined, at: string, add: Add): void {
  const shapes = '{ add: [...] } (Docker\'s default set is dropped and only these are given back: read the image\'s entrypoint at its pinned tag and note the upstream path beside it), or { dockerDefault: "why" }';
  if (caps === undefined || caps === null || typeof caps !== "object") {
    add(at, caps, "is not declared", `declare ${shapes}`);
    return;
  }
  const hasAdd = "add" in caps;
  const hasDefault = "dockerDefault" in caps;
  if (hasAdd === hasDefault) {
    add(at, caps, hasAdd ? "has both add and dockerDefault" : "has neither add nor dockerDefault", `declare ${shapes}`);
    return;
  }
  if (hasDefault) {
    const reason = (caps as { dockerDefault: unknown }).dockerDefault;
    if (typeof reason !== "string" || !reason.trim()) add(`${at}.dockerDefault`, reason, "is empty", "say why this container keeps Docker's default capability set, or list what it needs in add");
    return;
  }
  const list = (caps as { add: unknown }).add;
  if (!Array.isArray(list)) {
    add(`${at}.add`, list, "is not a list", 'list capability names, e.g. ["CHOWN", "SETUID"], or [] for none');
    return;
  }
  const seen = new Set<string>();
  list.forEach((c, k) => {
    const name = typeof c === "string" ? c : "";
    if (!LINUX_CAPABILITIES.has(name)) {
      add(`${at}.add[${k}]`, c, "is not a Linux capability", `write its name as Docker takes it, without CAP_ (${typeof c === "string" && c.toUpperCase().replace(/^CAP_/, "") !== c ? `e.g. ${JSON.stringify(c.toUpperCase().replace(/^CAP_/, ""))}` : "e.g. \"CHOWN\""})`);
    } else if (seen.has(name)) {
      add(`${at}.add[${k}]`, c, "is listed twice", "list each capability once");
    }
    seen.add(name);
  });
}

/** `user` values that mean root inside the container. */
const ROOT_USER = /^(root|0)(:.*)?$/;

/** Every container a service puts on a host, with the spec field that names it. */
function containersOf(svc: ServiceSpec, at: string): { name: string; field: string }[] {
  return [
    { name: svc.name, field: `${at}.name` },
    ...(svc.companions ?? []).map((c) => ({ name: `${svc.name}-${c.name}`, field: `${at}.companions[${c.name}].name` })),
    ...(svc.databases ?? []).filter((d) => d.engine === "mariadb").map((d) => ({ name: mariadbName(svc.name), field: `${at}.databases[${d.name}]` })),
    ...(svc.agent ? [{ name: `${svc.name}-${svc.agent.name}`, field: `${at}.agent.name` }] : []),
  ];
}

/**
 * Security rules of the spec (docs/security.md), reported like every other spec problem:
 *   - a host port that clashes with the shared Postgres's port on its host;
 *   - a container name that another container already has (a service named
 *     `bookstack-mariadb`, `authentik-worker`, the Postgres container, `cloudflared`, ...);
 *   - a Docker socket mount or a root user without a `privileges` grant that says why;
 *   - a pids limit that is not a whole number the host can use;
 *   - a service (or agent) whose capability set is not declared, or names no real capability.
 * (Service-against-service host port clashes are checked with the other host port rules; a
 * credential written into a connection string is checked on the synthesized env, by the
 * no-secret-literal policy, where the values are known.)
 */
export function checkSecurityRules(spec: HomelabSpec, add: Add): void {
  const pg = spec.sharedPostgres;
  const pgPort = pg?.port ?? 5432;

  // Container names: infrastructure first, so a service is the one told to move.
  const owners = new Map<string, string>([
    [CONNECTOR_CONTAINER, "the tunnel connector"],
    [BACKUP_CONTAINER, "the backup job"],
  ]);
  if (pg) owners.set(pg.containerName, "the shared Postgres (sharedPostgres.containerName)");
  spec.services.forEach((svc, i) => {
    const at = `services[${svc.name || i}]`;
    for (const c of containersOf(svc, at)) {
      const other = owners.get(c.name);
      if (other !== undefined && other !== `${at}`) {
        add(c.field, c.name, `is also the container name of ${other}`, "rename the service (or the companion/agent) so every container name is unique on a host");
      } else {
        owners.set(c.name, at);
      }
    }
  });

  const pidsLimit = (field: string, value: unknown) => {
    if (value === undefined) return;
    if (typeof value !== "number" || !Number.isInteger(value) || value < MIN_PIDS_LIMIT || value > MAX_PIDS_LIMIT) {
      add(field, value, `is not a whole number of ${MIN_PIDS_LIMIT}-${MAX_PIDS_LIMIT}`, "give the most processes and threads the container may hold at once (its worker pools and per-connection threads, with room to spare), or leave it out for the default 512");
    }
  };
  if (pg) pidsLimit("sharedPostgres.pidsLimit", pg.pidsLimit);

  spec.services.forEach((svc, i) => {
    const at = `services[${svc.name || i}]`;
    pidsLimit(`${at}.pidsLimit`, svc.pidsLimit);
    checkCapabilities(svc.capabilities, `${at}.capabilities`, add);
    if (svc.agent) checkCapabilities(svc.agent.capabilities, `${at}.agent.capabilities`, add);
    (svc.companions ?? []).forEach((c) => pidsLimit(`${at}.companions[${c.name}].pidsLimit`, c.pidsLimit));
    if (svc.agent) pidsLimit(`${at}.agent.pidsLimit`, svc.agent.pidsLimit);
    // A service without a placement is reported by the placement rules; its hosts are unknown.
    const hosts = new Set(svc.placement ? hostNamesOf(spec, svc) : []);

    if (pg && hosts.has(pg.host)) {
      (svc.hostPorts ?? []).forEach((hp, k) => {
        if (hp.hostPort === pgPort) {
          add(`${at}.hostPorts[${k}].hostPort`, hp.hostPort, `clashes with the shared Postgres, published on ${pg.host}'s Tailscale address at ${pgPort}`, "pick another host port");
        }
      });
      if (svc.placement?.mode === "homed" && svc.placement.home === pg.host && svc.placement.tailnetPort === pgPort) {
        add(`${at}.placement.tailnetPort`, pgPort, `clashes with the shared Postgres on ${pg.host}`, "pick another tailnet port");
      }
    }

    (svc.adminPaths ?? []).forEach((path, k) => {
      if (!/^\/[A-Za-z0-9._~\/-]*$/.test(path)) add(`${at}.adminPaths[${k}]`, path, "is not an absolute URL path", "write the path on the hostname, e.g. /if/admin/");
      if ((svc.hostnames ?? []).length === 0) add(`${at}.adminPaths[${k}]`, path, "is on a service without a hostname", "give the service a hostname, or drop the admin path");
    });
    const grants = new Map<PrivilegeGrant["kind"], PrivilegeGrant>((svc.privileges ?? []).map((g) => [g.kind, g]));
    (svc.privileges ?? []).forEach((g, k) => {
      if (!g.reason?.trim()) add(`${at}.privileges[${k}].reason`, g.reason ?? "", "is empty", "say why the service needs this power over its host");
    });
    const mounts = [
      ...(svc.bindMounts ?? []).map((m, k) => ({ m, field: `${at}.bindMounts[${k}]` })),
      ...(svc.companions ?? []).flatMap((c) => (c.bindMounts ?? []).map((m, k) => ({ m, field: `${at}.companions[${c.name}].bindMounts[${k}]` }))),
      ...(svc.agent?.bindMounts ?? []).map((m, k) => ({ m, field: `${at}.agent.bindMounts[${k}]` })),
    ];
    for (const { m, field } of mounts) {
      if ((DOCKER_SOCKET.test(m.hostPath) || DOCKER_SOCKET.test(m.containerPath)) && !grants.has("docker-socket")) {
        add(field, m.hostPath, "mounts the Docker socket, which is root on the host", `remove it, or add privileges: [{ kind: "docker-socket", reason: "..." }] to ${at} if the service cannot work without it`);
      }
    }
    const users = [
      { user: svc.user, field: `${at}.user` },
      ...(svc.companions ?? []).map((c) => ({ user: c.user, field: `${at}.companions[${c.name}].user` })),
    ];
    for (const { user, field } of users) {
      if (user !== undefined && ROOT_USER.test(user.trim()) && !grants.has("root-user")) {
        add(field, user, "runs the container as root", `use the image's own user, or add privileges: [{ kind: "root-user", reason: "..." }] to ${at}`);
      }
    }
  });
}
