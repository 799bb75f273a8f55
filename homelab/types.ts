/**
 * The shape of the homelab spec: the one place where hosts and services are declared.
 *
 * Everything else (containers, tunnel ingress, DNS records, Authentik apps, portal cards,
 * docs) is derived from a value of {@link HomelabSpec}. Field paths in validation errors use
 * these names, so keep them descriptive.
 */

/** Where a service keeps the state that matters to users. */
export type StateMode =
  /** No user data: any host can answer any request. */
  | "stateless"
  /** One store used by every host (the shared Postgres): consistent everywhere. */
  | "shared"
  /** Each host keeps its own data; divergence between hosts is an accepted trade-off. */
  | "per-host";

/**
 * Where a service runs. Cloudflare hands each request to the connector nearest to where it
 * entered Cloudflare (../shared/reference/active-active.md), so a user's next request may reach
 * any connector host: a copy per host is only correct when no per-request state is per host.
 */
export type PlacementSpec =
  /**
   * A copy on every host. Only for a stateless service, or one whose every piece of per-request
   * state (sessions, OAuth state, CSRF, signing keys, files a user writes) is shared by all hosts.
   */
  | {
      readonly mode: "replicated";
      /** Why any host may answer any request: where sessions, keys and files live. */
      readonly reason: string;
    }
  /**
   * One copy, on `home`. Every other connector host runs a forwarder under the service's
   * container name and port, proxying to the home over Tailscale.
   */
  | {
      readonly mode: "homed";
      /** The host it runs on; its volumes live there. */
      readonly home: string;
      /** Why this host (what the service needs: always on, disk, memory...). */
      readonly reason: string;
      /**
       * Port the home publishes the service on, bound to its Tailscale address only: where the
       * forwarders and the portal's home probe reach it.
       */
      readonly tailnetPort: number;
    };

/** A service's agent on the hosts that are not its home (Portainer's agent). */
export interface AgentSpec {
  /** Suffix: the container is `<service>-<name>`. */
  readonly name: string;
  /** Pinned image. */
  readonly image: string;
  /** Port the agent listens on; published on the host's Tailscale address only. */
  readonly port: number;
  /** @default [] */
  readonly bindMounts?: readonly BindMountSpec[];
  /** Env of the agent; may read the service's secrets. */
  readonly env?: (ctx: ServiceEnvContext) => Readonly<Record<string, string>>;
  readonly healthcheck: HealthcheckSpec;
  /** @default 128 */
  readonly memoryMb?: number;
  /** Most processes and threads at once (see ServiceSpec.pidsLimit). @default 128 */
  readonly pidsLimit?: number;
  /** Its capabilities (see ServiceSpec.capabilities): required, it is another image. */
  readonly capabilities: CapabilitySpec;
}

/** How a host comes to exist. */
export type HostProvisioning =
  /** A machine that already exists (monk). Only its Docker workloads are managed. */
  | { readonly kind: "existing" }
  /** A Hetzner Cloud VM created by the vm stack of this app. */
  | ({ readonly kind: "hcloud" } & HcloudServerSpec);

/** An inbound firewall rule that the spec opens on purpose. */
export interface FirewallInboundRule {
  readonly protocol: "tcp" | "udp" | "icmp";
  /** A port ("22") or a range ("60000-61000"); not used for icmp. */
  readonly port?: string;
  /** CIDRs allowed in. */
  readonly sourceCidrs: readonly string[];
  /** Why the rule exists: shown in the Hetzner console and in reviews. */
  readonly reason: string;
}

export interface HcloudServerSpec {
  /**
   * Hetzner server type. cx22 (CX Gen 2) was removed from the API at the end of 2025;
   * cx23 is its successor.
   * Changing it on an existing server resizes it in place (the provider powers it off and calls
   * change_type; terraform-provider-hcloud internal/server/resource.go): nothing is destroyed.
   * Its RAM comes from the server type table (homelab/capacity.ts).
   * @default "cx23" (2 shared vCPU, 4 GB, 40 GB disk)
   */
  readonly serverType?: string;
  /**
   * Keep the disk size when the server type changes (`keep_disk`), so the server can be moved
   * back to a smaller type later. false grows the disk with the type, for good.
   * @default true
   */
  readonly keepDisk?: boolean;
  /**
   * OS image: a Debian or Ubuntu image (the cloud-init apt sources are Debian-family).
   * @default "debian-13"
   */
  readonly image?: string;
  /**
   * Hetzner location.
   * @default "nbg1" (Nuremberg; the owner's docs place kscloud1 in Germany)
   */
  readonly location?: string;
  /**
   * Hetzner's daily backups (20% of the server price).
   * @default false
   */
  readonly backups?: boolean;
  /**
   * Tailscale ACL tags the host advertises when it joins.
   * @default ["tag:server"]
   */
  readonly tailscaleTags?: readonly string[];
  /**
   * Inbound rules on top of the closed default. SSH and the Docker API are reached over
   * Tailscale, and cloudflared dials out, so nothing needs to be open.
   * @default []
   */
  readonly firewallInbound?: readonly FirewallInboundRule[];
}

export interface HostSpec {
  /** Short host name: Terraform ids, container labels, Tailscale hostname. */
  readonly name: string;
  /** Human description for docs. */
  readonly description: string;
  readonly provisioning: HostProvisioning;
  /** Login the Docker provider uses over SSH (must be in the host's docker group). */
  readonly sshUser: string;
  /**
   * The name the host answers to on the tailnet (MagicDNS), used as
   * `ssh://<sshUser>@<tailscaleName>` by the Docker provider.
   * @default the host name
   */
  readonly tailscaleName?: string;
  /**
   * Whether this host runs a cloudflared connector of the tunnel. Every public service must
   * run on every connector host, because Cloudflare sends each request to whichever
   * connector is nearest and healthy.
   * @default true
   */
  readonly tunnelConnector?: boolean;
  /**
   * RAM of the machine in MB: required for existing machines; Hetzner VMs take it from their
   * server type (homelab/capacity.ts).
   * @default from the server type (hcloud)
   */
  readonly memoryMb?: number;
  /**
   * Memory kept free for the OS, dockerd, containerd, tailscaled and one-shot step containers;
   * the long-running containers' limits must fit in the rest.
   * @default 1024
   */
  readonly osReserveMb?: number;
  /**
   * Whether the host's kernel limits swap per container (`docker info --format '{{.SwapLimit}}'`;
   * `npm run doctor` compares). Without it Docker stores `memory_swap = -1` whatever is asked,
   * so the stack writes -1 there (constructs/no-swap-limit.ts) to keep plans empty.
   * @default true
   */
  readonly swapLimit?: boolean;
  /**
   * Whether the host is expected to be up all the time (docs: what survives when it is not).
   * @default true for Hetzner VMs, false for existing machines
   */
  readonly alwaysOn?: boolean;
}

/** A database a service uses. */
export type DatabaseSpec =
  /** A database and role of its own on the shared Postgres (kscloud1, Tailscale only). */
  | { readonly engine: "shared-postgres"; readonly name: string; readonly user: string }
  /** A MariaDB container next to the service on every host it runs on (per-host data). */
  | { readonly engine: "mariadb"; readonly name: string; readonly user: string };

export interface VolumeSpec {
  /** Volume name suffix; the Docker volume is `<service>-<name>`. */
  readonly name: string;
  /** Where it is mounted in the container. */
  readonly mountPath: string;
  /**
   * Why a separate copy on each host is harmless: nothing a user writes, and no per-request
   * state, lands in it. Required for every volume of a replicated service.
   * @default none (the volume holds per-host state)
   */
  readonly replicaSafe?: string;
}

/** A host path mounted into the container (read-only unless said otherwise). */
export interface BindMountSpec {
  readonly hostPath: string;
  readonly containerPath: string;
  /** @default true */
  readonly readOnly?: boolean;
  /**
   * Let Docker create the host directory when it is missing (a `-v host:container` volume
   * rather than a bind mount, which fails on a missing source): for a directory another
   * container of the host fills, such as the backup job's status files.
   * @default false
   */
  readonly createIfMissing?: boolean;
}

/** A port published on a host, bound to one address only, never 0.0.0.0. */
export interface HostPortSpec {
  /** Port inside the container. */
  readonly containerPort: number;
  /** Port on the host. */
  readonly hostPort: number;
  /** Which host address it binds: the host's Tailscale address is the only choice today. */
  readonly bind: "tailscale";
  /** Why the port exists. */
  readonly reason: string;
}

export interface HealthcheckSpec {
  /** Docker healthcheck test, e.g. ["CMD", "wget", "-qO-", "http://127.0.0.1:3000/"]. */
  readonly test: readonly string[];
  /** @default "30s" */
  readonly interval?: string;
  /** @default "5s" */
  readonly timeout?: string;
  /** @default 3 */
  readonly retries?: number;
  /** @default "30s" */
  readonly startPeriod?: string;
}

/** Image of a service: a pinned registry image, or a folder of this repo built by the plan. */
export type ImageSpec =
  | { readonly ref: string }
  /** Folder (relative to the repo root) holding a Dockerfile; built on each host by the plan. */
  | { readonly build: string };

/**
 * What a service's env builder gets: typed values resolved per host, so the spec entry can
 * say how the app is configured without knowing Terraform tokens.
 */
export interface ServiceEnvContext {
  /** The host this container runs on. */
  readonly host: HostSpec;
  /** `https://<first hostname>`, or undefined for internal services. */
  readonly publicUrl?: string;
  /** The spec's domain, e.g. kitestacks.com. */
  readonly domain: string;
  /** Generated or supplied secrets of this service, by the names it declared in `secrets`. */
  readonly secret: (name: string) => string;
  /** Connection to each declared database, by database name. */
  readonly database: (name: string) => DatabaseConnection;
  /** OIDC settings, when the service's SSO mode is "oidc". */
  readonly oidc?: OidcClientSettings;
  /** Internal URL (`http://<container>:<port>`) of another service on the same host. */
  readonly serviceUrl: (service: string) => string;
  /**
   * URL of another service on the tailnet (`http://<tailscale ip>:<port>`), for callers outside
   * the Docker network such as host-networked containers: a homed service's tailnet port on its
   * home's address, otherwise its first host port on this host.
   */
  readonly publishedUrl: (service: string) => string;
  /**
   * The hosts that run this service's agent (every host but its home), with their Tailscale
   * addresses: where a homed server such as Portainer reaches its agents.
   */
  readonly agentHosts: readonly { readonly name: string; readonly address: string }[];
  /** Public URL (`https://<first hostname>`) of another service. */
  readonly publicUrlOf: (service: string) => string;
  /**
   * Every homed service's tailnet URL on its home (`http://<home tailscale ip>:<tailnetPort>/`),
   * for the metrics API's probe of the home hosts (`/api/homes`).
   */
  readonly homes: readonly { readonly service: string; readonly title: string; readonly home: string; readonly url: string }[];
  /** Address the host-networked containers bind: the Docker network's gateway. */
  readonly dockerGateway: string;
  /**
   * Writes `value` into the container as a file and returns its path, for apps that read a
   * secret from a file (`*_FILE` variables, Authentik's `file://` values, linuxserver's
   * `FILE__` prefix): the value then shows in neither `docker inspect` nor Portainer. The file is
   * written into every container that shares the env (the main one and its companions), at
   * creation, owned by root (the Docker provider cannot set an owner).
   * @param readableBy "root" (mode 0400) when the image's entrypoint reads it as root before it
   *   drops privileges; "any" (0444) when the app runs as its own uid from the start. Either
   *   way only processes inside that container (and root on the host) can read it.
   */
  readonly secretFile: (name: string, value: string, readableBy: SecretFileReader) => string;
}

/** Who must be able to read a secret file in the container (see ServiceEnvContext.secretFile). */
export type SecretFileReader = "root" | "any";

/** Directory of the files ServiceEnvContext.secretFile writes. */
export const SECRET_FILE_DIR = "/kitestacks/secrets";

export interface DatabaseConnection {
  readonly host: string;
  readonly port: number;
  readonly name: string;
  readonly user: string;
  readonly password: string;
}

export interface OidcClientSettings {
  readonly clientId: string;
  readonly clientSecret: string;
  /** `https://auth.<domain>/application/o/<slug>/` */
  readonly issuer: string;
  readonly wellKnownUrl: string;
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly userinfoUrl: string;
  readonly endSessionUrl: string;
  /** Absolute redirect URIs registered with Authentik. */
  readonly redirectUris: readonly string[];
  readonly slug: string;
}

/** A secret a service needs. */
export type SecretSpec =
  /** Generated by the random provider; stays in Terraform state only. */
  | {
      readonly name: string;
      readonly source: "generated";
      /** Characters, or bytes when `encoding` is "base64". @default 40 */
      readonly length?: number;
      /**
       * "base64": `length` random bytes, standard base64-encoded (keys whose format fixes their
       * decoded length, such as Laravel's APP_KEY). @default alphanumeric characters
       */
      readonly encoding?: "base64";
    }
  /** Supplied by a person as a sensitive Terraform variable. */
  | { readonly name: string; readonly source: "variable"; readonly description: string };

/** Single sign-on of a service. */
export type SsoSpec =
  | { readonly mode: "none" }
  /** The service is the identity provider (Authentik). */
  | { readonly mode: "identity-provider" }
  /** Native OpenID Connect against Authentik. */
  | {
      readonly mode: "oidc";
      /** Redirect paths on the app's hostname, e.g. "/login/generic_oauth". */
      readonly redirectPaths: readonly string[];
      /**
       * Only members of this Authentik group may use the app (a policy binding).
       * @default every authenticated user
       */
      readonly restrictToGroup?: string;
    };

/** A second container of a service (the Authentik worker), sharing its image and env. */
export interface CompanionSpec {
  /** Suffix: the container is `<service>-<name>`. */
  readonly name: string;
  readonly command: readonly string[];
  readonly volumes?: readonly VolumeSpec[];
  readonly bindMounts?: readonly BindMountSpec[];
  readonly healthcheck?: HealthcheckSpec;
  /** @default the service's memoryMb */
  readonly memoryMb?: number;
  /** @default the service's pidsLimit */
  readonly pidsLimit?: number;
  /** Size of /dev/shm in MB. @default the service's shmSizeMb */
  readonly shmSizeMb?: number;
  /** Run as this user (the Authentik worker runs as root for the Docker socket). */
  readonly user?: string;
}

/** How the Cloudflare tunnel talks to the origin. */
export interface OriginSpec {
  /** Seconds to wait for the TCP connection. */
  readonly connectTimeoutSeconds?: number;
  /** Talk HTTP/2 to the origin. */
  readonly http2Origin?: boolean;
  /** Host header sent to the origin. */
  readonly httpHostHeader?: string;
}

/**
 * A writable tmpfs in a read-only root: a path (mode 1777, like /tmp), or a path owned by the
 * image's uid:gid (mode 0755), for a directory only the app writes, such as nginx's conf.d. A
 * tmpfs is root's otherwise whatever `mode` says: Docker gives it the image directory's mode.
 */
export type TmpfsSpec = string | { readonly path: string; readonly uid: number; readonly gid: number };

/** Linux capability names as Docker takes them (without `CAP_`). */
export type LinuxCapability =
  | "AUDIT_WRITE" | "CHOWN" | "DAC_OVERRIDE" | "DAC_READ_SEARCH" | "FOWNER" | "FSETID" | "KILL"
  | "MKNOD" | "NET_BIND_SERVICE" | "NET_RAW" | "SETFCAP" | "SETGID" | "SETPCAP" | "SETUID" | "SYS_CHROOT";

/** What a container may do as root inside it (see ServiceSpec.capabilities). */
export type CapabilitySpec =
  /** Drop ALL, add back these (an empty list: none, e.g. an image that runs as its own uid). */
  | { readonly add: readonly LinuxCapability[] }
  /** Keep Docker's default set, and say why dropping any of it would not help or would break it. */
  | { readonly dockerDefault: string };

/** A power over its host a service holds on purpose (checked by the spec validation). */
export interface PrivilegeGrant {
  /**
   * "docker-socket": /var/run/docker.sock is mounted into the service, its companions or its
   * agent (root on the host, in effect). "root-user": one of its containers runs as root.
   */
  readonly kind: "docker-socket" | "root-user";
  /** Why it needs it: shown in reviews and docs/security.md. */
  readonly reason: string;
}

export interface ServiceSpec {
  /** Container name and id: lowercase DNS label. */
  readonly name: string;
  /**
   * Names the service had before, oldest first. A rename then moves its resources (Terraform
   * `moved` blocks from the previous name's addresses) and keeps its Docker volumes under the
   * oldest name, so no volume is destroyed and no backup tag is lost.
   * @default []
   */
  readonly formerNames?: readonly string[];
  /** Display name for the portal and docs. */
  readonly title: string;
  /** One line for the portal card and the inventory. */
  readonly description: string;
  /** Portal card icon: a short emoji or glyph. */
  readonly icon: string;
  readonly image: ImageSpec;
  /** Port the app listens on inside its container. */
  readonly port: number;
  /**
   * Public hostnames (FQDNs inside the domain) routed through the tunnel.
   * @default [] (internal only)
   */
  readonly hostnames?: readonly string[];
  /**
   * Where it runs: on every host (replicated), or on one home host that the other connector
   * hosts forward to over Tailscale (homed). See {@link PlacementSpec}.
   */
  readonly placement: PlacementSpec;
  readonly state: StateMode;
  /** What the state is and where it lives (required for per-host state; shown in docs). */
  readonly stateNote?: string;
  /**
   * A small container of this service on every host that is not its home (Portainer's agent),
   * published on that host's Tailscale address only, for the home's server to manage it.
   * Only for homed services.
   * @default none
   */
  readonly agent?: AgentSpec;
  readonly sso: SsoSpec;
  /** @default [] */
  readonly databases?: readonly DatabaseSpec[];
  /** @default [] */
  readonly volumes?: readonly VolumeSpec[];
  /** @default [] */
  readonly bindMounts?: readonly BindMountSpec[];
  /** @default [] */
  readonly secrets?: readonly SecretSpec[];
  /** App configuration; values may reference secrets and databases through the context. */
  readonly env?: (ctx: ServiceEnvContext) => Readonly<Record<string, string>>;
  /** @default the image's command */
  readonly command?: readonly string[];
  /** @default the image's user */
  readonly user?: string;
  /** How Docker checks the app is healthy. */
  readonly healthcheck: HealthcheckSpec;
  /**
   * Size of /dev/shm in MB, where upstream's compose sets `shm_size`.
   * @default Docker's (64)
   */
  readonly shmSizeMb?: number;
  /**
   * Memory limit in MB.
   * @default 512
   */
  readonly memoryMb?: number;
  /**
   * Most processes and threads its container may hold at once (Docker's PidsLimit, the pids
   * cgroup's pids.max; constructs/pids-limit.ts): a fork bomb or thread leak fails with EAGAIN
   * there, and the host and the other containers keep working. Threads count: size it for the
   * app's worker pools and per-connection threads, with room to spare.
   * @default 512
   */
  readonly pidsLimit?: number;
  /** @default [] */
  readonly hostPorts?: readonly HostPortSpec[];
  /**
   * Share the host's network namespace (not its PID namespace): the metrics API reads the host's
   * interface counters this way. CPU, memory, load and uptime in /proc are the host's anyway.
   * @default false
   */
  readonly hostNamespaces?: boolean;
  /**
   * Linux capabilities of its containers (the main one and its companions, which share the
   * image): Docker's default set is dropped entirely and only `add` is given back, decided from
   * the image's entrypoint at the pinned tag (root that chowns, switches user with gosu,
   * su-exec or s6, signals its children, binds a port below 1024...), with the upstream path in
   * a comment beside it. `{ dockerDefault: reason }` keeps Docker's default set, on purpose.
   * Required: a service without one fails validation.
   */
  readonly capabilities: CapabilitySpec;
  /**
   * A read-only root filesystem, with writable tmpfs at these paths. Only for containers that
   * get no uploaded files (Docker refuses copies into a read-only root filesystem).
   * @default writable root filesystem
   */
  readonly readOnlyRootFs?: { readonly tmpfs: readonly TmpfsSpec[] };
  /**
   * Powers over the host it holds on purpose, each with a reason. A Docker socket mount or a root
   * user anywhere in the service (main container, companions, agent) without the matching grant
   * fails validation.
   * @default []
   */
  readonly privileges?: readonly PrivilegeGrant[];
  /** @default [] */
  readonly companions?: readonly CompanionSpec[];
  /**
   * Put Cloudflare Access (emails from `access_allowed_emails`) in front of it: defence in
   * depth for admin surfaces.
   * @default false
   */
  readonly adminSurface?: boolean;
  /**
   * Admin paths on a hostname that must stay open otherwise (Authentik: its login flows and
   * OIDC endpoints serve everyone): Cloudflare Access guards `<hostname><path>` for each, with a
   * path-scoped application, in front of the app's own admin check.
   * @default [] (with adminSurface, the whole hostname is guarded)
   */
  readonly adminPaths?: readonly string[];
  /** @default Cloudflare's defaults */
  readonly origin?: OriginSpec;
  /**
   * Show a card on the portal.
   * @default true when the service has a hostname
   */
  readonly portalCard?: boolean;
  /**
   * A command run once after the container starts (and again whenever it is replaced),
   * through `docker exec` on the host. Must be idempotent.
   */
  readonly postStart?: (ctx: ServiceEnvContext) => readonly PostStartStep[];
  /**
   * Files written into the main container when it is created (e.g. Portainer's admin password
   * file). Content may be a secret: it reaches the host through the Docker API, never a command.
   * @default []
   */
  readonly files?: (ctx: ServiceEnvContext) => readonly ServiceFile[];
}

/** A file written into a container at creation; changing it replaces the container. */
export interface ServiceFile {
  /** Absolute path inside the container. */
  readonly path: string;
  readonly content: string;
  /** @default "0400" */
  readonly permissions?: string;
}

export interface PostStartStep {
  /** What the step fixes, e.g. "BookStack cache directory writable by abc"; also its id. */
  readonly description: string;
  /** Command run with `docker exec <container> sh -c`. */
  readonly shell: string;
  /**
   * Run as this user inside the container.
   * @default the container's user
   */
  readonly user?: string;
  /**
   * Values passed to the command as environment variables rather than in its text, so
   * secrets never show in plan output.
   * @default {}
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Run the step in a one-shot container of this pinned image that shares the service
   * container's network namespace (`docker run --network container:<name>`), for images with no
   * shell (Portainer): the step reaches the app at 127.0.0.1.
   * @default none: `docker exec` in the service container
   */
  readonly image?: string;
  /**
   * Restart the service container after the step succeeds, for settings the app reads only at
   * startup (Kavita's OIDC authority, client id and secret).
   * @default false
   */
  readonly restartAfter?: boolean;
}

export interface SharedPostgresSpec {
  /** Host that runs it (kscloud1). */
  readonly host: string;
  /** Pinned postgres image. */
  readonly image: string;
  /** Container name; also how containers on that host reach it. */
  readonly containerName: string;
  /**
   * @default 5432
   */
  readonly port?: number;
  /**
   * Hosts whose Authentik uses a local Postgres instead (the documented rollback when
   * kscloud1 is unreachable). Authentik's data then diverges from the shared database.
   * @default []
   */
  readonly authentikLocalFallbackOn?: readonly string[];
  /** @default 1024 */
  readonly memoryMb?: number;
  /**
   * Most processes at once: one backend process per connection (max_connections 100) plus the
   * background workers and the provisioning step's psql.
   * @default 512
   */
  readonly pidsLimit?: number;
}

export interface DockerNetworkSpec {
  /** @default "kitestacks" */
  readonly name: string;
  /** Fixed subnet, so the host-networked metrics API can be bound to the gateway address. */
  readonly subnet: string;
  readonly gateway: string;
}

/** Backups of every host (restic to an S3-compatible bucket, Cloudflare R2 by default). */
export interface BackupSettings {
  /**
   * When the backup runs: a cron line's five time fields, in UTC.
   * @default "15 3 * * *" (daily at 03:15 UTC)
   */
  readonly schedule?: string;
  /**
   * When the restore drill runs.
   * @default "45 4 * * 0" (Sundays at 04:45 UTC, after that night's backup)
   */
  readonly drillSchedule?: string;
  /** Snapshots kept per host and service. @default { daily: 7, weekly: 4, monthly: 6 } */
  readonly retention?: { readonly daily: number; readonly weekly: number; readonly monthly: number };
  /**
   * Path inside the bucket: the restic repository is `s3:<endpoint>/<bucket>/<path>`.
   * @default "kitestacks"
   */
  readonly repositoryPath?: string;
  /**
   * The job image: restic, the docker CLI, sqlite3 and the job's scripts, built on each host.
   * @default { build: "backup/image" }
   */
  readonly image?: ImageSpec;
}

export interface HomelabSpec {
  /** The zone, e.g. kitestacks.com. */
  readonly domain: string;
  readonly hosts: readonly HostSpec[];
  readonly services: readonly ServiceSpec[];
  /** The Postgres shared by every host (absent: no shared-state service may exist). */
  readonly sharedPostgres?: SharedPostgresSpec;
  /** The bridge network each host runs its services on. */
  readonly dockerNetwork: DockerNetworkSpec;
  /** Cloudflare tunnel name. */
  readonly tunnelName: string;
  /** Pinned cloudflared image. */
  readonly cloudflaredImage: string;
  /**
   * Pinned nginx-unprivileged image of the forwarders that stand in for homed services on the
   * other connector hosts (the portal's base image, so one nginx is kept current).
   */
  readonly forwarderImage: string;
  /** Pinned MariaDB image for services with per-host mariadb databases. */
  readonly mariadbImage: string;
  /** Authentik group whose members administer the homelab. */
  readonly adminGroup: string;
  /** @default daily backups with the defaults of {@link BackupSettings} */
  readonly backup?: BackupSettings;
  /**
   * Services taken out of the homelab whose data stays on the hosts. Removing a service's entry
   * alone would make the next plan DELETE its volumes (prevent_destroy guards only resources
   * still in the configuration); an entry here makes every host's stack forget them instead
   * (`removed { destroy = false }`), so the data stays for a restore or an export.
   * docs/backups.md, "Retiring a service".
   * @default none
   */
  readonly retired?: readonly RetiredService[];
}

/** A service taken out of the homelab with its data kept (see {@link HomelabSpec.retired}). */
export interface RetiredService {
  /**
   * The service's last entry, unchanged (import it from its file, or keep the file): the Docker
   * volume names and Terraform addresses to forget are derived from it, never retyped.
   */
  readonly service: ServiceSpec;
  /** Why it went and where its data is meant to go, e.g. "replaced by Outline; export pending". */
  readonly reason: string;
}
