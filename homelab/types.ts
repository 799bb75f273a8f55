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
   * @default "cx23" (2 shared vCPU, 4 GB, 40 GB disk)
   */
  readonly serverType?: string;
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
}

/** A host path mounted into the container (read-only unless said otherwise). */
export interface BindMountSpec {
  readonly hostPath: string;
  readonly containerPath: string;
  /** @default true */
  readonly readOnly?: boolean;
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
   * URL of another service's first host port on this host (`http://<tailscale ip>:<port>`),
   * for callers outside the Docker network such as host-networked containers.
   */
  readonly publishedUrl: (service: string) => string;
  /** Public URL (`https://<first hostname>`) of another service. */
  readonly publicUrlOf: (service: string) => string;
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
  | { readonly name: string; readonly source: "generated"; readonly length?: number }
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

export interface ServiceSpec {
  /** Container name and id: lowercase DNS label. */
  readonly name: string;
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
  /** Hosts that run it: host names, or "all". */
  readonly hosts: readonly string[] | "all";
  readonly state: StateMode;
  /** Why per-host state is acceptable (required for per-host services; shown in docs). */
  readonly stateNote?: string;
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
   * Memory limit in MB.
   * @default 512
   */
  readonly memoryMb?: number;
  /** @default [] */
  readonly hostPorts?: readonly HostPortSpec[];
  /**
   * Share the host's network namespace and pid namespace: the metrics API reads the host's
   * interfaces and processes this way.
   * @default false
   */
  readonly hostNamespaces?: boolean;
  /** @default [] */
  readonly companions?: readonly CompanionSpec[];
  /**
   * Put Cloudflare Access (emails from `access_allowed_emails`) in front of it: defence in
   * depth for admin surfaces.
   * @default false
   */
  readonly adminSurface?: boolean;
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
}

export interface DockerNetworkSpec {
  /** @default "kitestacks" */
  readonly name: string;
  /** Fixed subnet, so the host-networked metrics API can be bound to the gateway address. */
  readonly subnet: string;
  readonly gateway: string;
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
  /** Pinned MariaDB image for services with per-host mariadb databases. */
  readonly mariadbImage: string;
  /** Authentik group whose members administer the homelab. */
  readonly adminGroup: string;
}
