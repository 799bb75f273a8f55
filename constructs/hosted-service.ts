import { ContainerUpload } from "@cdktf/provider-docker/lib/container";
import { Network } from "@cdktf/provider-docker/lib/network";
import { Volume } from "@cdktf/provider-docker/lib/volume";
import { Construct } from "constructs";
import { makeUniqueId } from "cdktf/lib/private/unique";
import { mariadbContainerName, volumeName } from "../backup/plan";
import { CapabilitySpec, HostSpec, ServiceEnvContext, ServiceSpec } from "../homelab/types";
import { AdoptedVolume } from "../homelab/adoption";
import { adoptedVolumeConfig, importAdoptedVolume } from "./adopted-volume";
import { IContainerImage } from "./container-image";
import { KiteService, LABELS, MANAGED_BY } from "./kite-service";

/** Label on a service's containers: "replicated" or "homed" (the policies read it). */
export const PLACEMENT_LABEL = LABELS.placement;
import { PostStartStep } from "./post-start-step";

export interface HostedServiceProps {
  readonly service: ServiceSpec;
  readonly host: HostSpec;
  readonly network: Network;
  readonly image: IContainerImage;
  /** Values the spec's env builder and post-start steps read, resolved for this host. */
  readonly context: ServiceEnvContext;
  /** Address host ports bind: the host's Tailscale address. */
  readonly tailscaleAddress: string;
  /** `ssh://<user>@<host>` for post-start steps. */
  readonly dockerHost: string;
  /**
   * Image of the per-host MariaDB; required when the service declares a mariadb database.
   * @default none
   */
  readonly mariadbImage?: IContainerImage;
  /**
   * Files written into a container at creation, by container suffix ("" = the main one,
   * "worker" = the `<service>-worker` companion).
   * @default {}
   */
  readonly uploads?: Readonly<Record<string, readonly ContainerUpload[]>>;
  /**
   * Secret files the env builder asked for (ServiceEnvContext.secretFile), read after the env is
   * built; written into the main container and every companion (they share the env).
   * @default none
   */
  readonly secretFiles?: () => readonly ContainerUpload[];
  /**
   * The generated root password of each per-host MariaDB, by database name; required when the
   * service declares a mariadb database.
   * @default none
   */
  readonly mariadbRootPassword?: (database: string) => string;
  /**
   * On a homed service's home: the port its main container is published on, on the Tailscale
   * address only, for the forwarders on the other connector hosts.
   * @default none (replicated)
   */
  readonly tailnetPort?: number;
  /**
   * What already holds each volume's data on this host (adoption.json), by volume key (the
   * volume's name, `mariadb-<db>` for a MariaDB's data): imported or bound instead of created.
   * @default nothing: new, empty volumes
   */
  readonly adopted?: (key: string) => AdoptedVolume | undefined;
}

/**
 * Where a MariaDB container reads its passwords. The image's entrypoint reads `*_FILE` as root
 * before `exec gosu mysql` (MariaDB/mariadb-docker `11.4/docker-entrypoint.sh`: `docker_setup_env`
 * → `_mariadb_file_env`/`file_env`), so the files can be root-only.
 */
export const MARIADB_SECRET_FILES = {
  password: "/kitestacks/secrets/mariadb-password",
  rootPassword: "/kitestacks/secrets/mariadb-root-password",
} as const;

/** Processes and threads of a per-host MariaDB: one thread per connection, InnoDB's own. */
export const MARIADB_PIDS_LIMIT = 512;

/**
 * The capabilities a spec entry gives back after Docker's set is dropped, or undefined to keep
 * Docker's default set (`dockerDefault`, with its reason in the spec).
 */
export function capAddOf(caps: CapabilitySpec | undefined): readonly string[] | undefined {
  return caps && "add" in caps ? caps.add : undefined;
}

/**
 * MariaDB's entrypoint as root (MariaDB/mariadb-docker 11.4/docker-entrypoint.sh
 * docker_create_db_directories: `find "$DATADIR" \! -user mysql -exec chown mysql:` through
 * mysql's 0700 directories, then `exec gosu mysql`): CHOWN, DAC_OVERRIDE, FOWNER, SETGID, SETUID.
 */
export const MARIADB_CAPABILITIES = ["CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"] as const;

/** Port MariaDB listens on inside the Docker network. */
export const MARIADB_PORT = 3306;

/** The container name of a service's per-host MariaDB. */
export const mariadbName = mariadbContainerName;

/** Construct id of a service's HostedService in its host stack (HostStack uses it). */
export const hostedServiceId = (service: string) => `service-${service}`;

/**
 * The Terraform address a service's volume had under a former service name: the hashed logical
 * id cdktf gives `<stack>/service-<former>/volume-<name>` (what TerraformStack.allocateLogicalId
 * computes from the construct path below the stack).
 */
export function formerVolumeAddress(former: string, volume: string): string {
  return `docker_volume.${makeUniqueId([hostedServiceId(former), `volume-${volume}`])}`;
}

/** Construct ids of the volumes HostedService creates for a service (`volume-<name>`). */
export function hostedVolumeIds(svc: ServiceSpec): string[] {
  const names = new Set<string>();
  for (const db of svc.databases ?? []) if (db.engine === "mariadb") names.add(`mariadb-${db.name}`);
  for (const v of svc.volumes ?? []) names.add(v.name);
  for (const c of svc.companions ?? []) for (const v of c.volumes ?? []) names.add(v.name);
  return [...names].map((n) => `volume-${n}`);
}

/**
 * One spec service on one host: its volumes, per-host databases, main container, companion
 * containers (Authentik's worker) and post-start steps.
 */
export class HostedService extends Construct {
  /** The container the tunnel routes to. */
  public readonly main: KiteService;
  public readonly companions: ReadonlyMap<string, KiteService>;
  public readonly databases: ReadonlyMap<string, KiteService>;
  public readonly volumes: ReadonlyMap<string, Volume>;

  constructor(scope: Construct, id: string, props: HostedServiceProps) {
    super(scope, id);
    const { service: svc, host, context } = props;
    const env = svc.env?.(context) ?? {};
    const secretFiles = props.secretFiles?.() ?? [];
    const uploadsOf = (suffix: string): ContainerUpload[] | undefined => {
      const all = [...(props.uploads?.[suffix] ?? []), ...secretFiles];
      return all.length > 0 ? all : undefined;
    };

    const volumes = new Map<string, Volume>();
    const replicaSafe = new Map<string, string>();
    for (const v of [...(svc.volumes ?? []), ...(svc.companions ?? []).flatMap((c) => c.volumes ?? [])]) {
      if (v.replicaSafe) replicaSafe.set(v.name, v.replicaSafe);
    }
    const volumeFor = (name: string) => {
      let volume = volumes.get(name);
      if (!volume) {
        const safe = replicaSafe.get(name);
        const adopted = props.adopted?.(name);
        volume = new Volume(
          this,
          `volume-${name}`,
          adoptedVolumeConfig(adopted, {
            // The oldest name: a docker_volume whose name changes is destroyed and recreated.
            name: volumeName(svc, name),
            labels: [
              { label: LABELS.service, value: svc.formerNames?.[0] ?? svc.name },
              { label: LABELS.managedBy, value: MANAGED_BY },
              ...(safe ? [{ label: LABELS.replicaSafe, value: safe }] : []),
            ],
            // User data: `terraform destroy`, a rename or a replacing change fails the plan instead
            // of deleting it (docs/backups.md says how to destroy on purpose).
            lifecycle: { preventDestroy: true },
          }),
        );
        importAdoptedVolume(volume, adopted);
        // Renamed service: state still has the volume at the previous name's address.
        const previous = svc.formerNames?.[svc.formerNames.length - 1];
        if (previous) volume.moveFromId(formerVolumeAddress(previous, name));
        volumes.set(name, volume);
      }
      return volume;
    };
    this.volumes = volumes;

    const databases = new Map<string, KiteService>();
    for (const db of svc.databases ?? []) {
      if (db.engine !== "mariadb") continue;
      if (!props.mariadbImage || !props.mariadbRootPassword) throw new Error(`HostedService ${svc.name}: a mariadb database needs mariadbImage and mariadbRootPassword`);
      const conn = context.database(db.name);
      const dataVolume = volumeFor(`mariadb-${db.name}`);
      databases.set(
        db.name,
        new KiteService(this, `mariadb-${db.name}`, {
          name: conn.host,
          service: svc.name,
          host: host.name,
          role: "database",
          image: props.mariadbImage,
          port: MARIADB_PORT,
          network: props.network,
          env: {
            MARIADB_DATABASE: conn.name,
            MARIADB_USER: conn.user,
            MARIADB_PASSWORD_FILE: MARIADB_SECRET_FILES.password,
            // A generated root password (state only) instead of MARIADB_RANDOM_ROOT_PASSWORD, which
            // the entrypoint prints to the log ("GENERATED ROOT PASSWORD: ..."). Nobody uses it.
            MARIADB_ROOT_PASSWORD_FILE: MARIADB_SECRET_FILES.rootPassword,
          },
          uploads: [
            { file: MARIADB_SECRET_FILES.password, content: conn.password, permissions: "0400" },
            { file: MARIADB_SECRET_FILES.rootPassword, content: props.mariadbRootPassword(db.name), permissions: "0400" },
          ],
          volumes: [{ volume: dataVolume, mountPath: "/var/lib/mysql" }],
          healthcheck: { test: ["CMD", "healthcheck.sh", "--connect", "--innodb_initialized"], interval: "15s" },
          memoryMb: 256,
          // A thread per connection (max_connections 151 by default) plus InnoDB's own threads.
          pidsLimit: MARIADB_PIDS_LIMIT,
          capAdd: MARIADB_CAPABILITIES,
          dockerHost: props.dockerHost,
        }),
      );
    }
    this.databases = databases;

    const hostPorts = (svc.hostPorts ?? []).map((p) => ({
      containerPort: p.containerPort,
      hostPort: p.hostPort,
      address: props.tailscaleAddress,
    }));
    // The home publishes the service for its forwarders (once, if a host port already does).
    if (props.tailnetPort !== undefined && !hostPorts.some((p) => p.hostPort === props.tailnetPort && p.containerPort === svc.port)) {
      hostPorts.push({ containerPort: svc.port, hostPort: props.tailnetPort, address: props.tailscaleAddress });
    }

    this.main = new KiteService(this, "main", {
      name: svc.name,
      service: svc.name,
      host: host.name,
      image: props.image,
      port: svc.port,
      network: svc.hostNamespaces ? undefined : props.network,
      hostNamespaces: svc.hostNamespaces,
      capAdd: capAddOf(svc.capabilities),
      readOnlyTmpfs: svc.readOnlyRootFs?.tmpfs,
      env,
      command: svc.command,
      user: svc.user,
      volumes: (svc.volumes ?? []).map((v) => ({ volume: volumeFor(v.name), mountPath: v.mountPath })),
      bindMounts: svc.bindMounts,
      healthcheck: svc.healthcheck,
      memoryMb: svc.memoryMb,
      pidsLimit: svc.pidsLimit,
      dockerHost: props.dockerHost,
      shmSizeMb: svc.shmSizeMb,
      hostPorts,
      uploads: uploadsOf(""),
      extraLabels: { [PLACEMENT_LABEL]: svc.placement.mode },
    });
    // Databases first: apps fail their first migration when the database is not there yet.
    for (const db of databases.values()) this.main.container.node.addDependency(db.container);

    const companions = new Map<string, KiteService>();
    for (const companion of svc.companions ?? []) {
      companions.set(
        companion.name,
        new KiteService(this, `companion-${companion.name}`, {
          name: `${svc.name}-${companion.name}`,
          service: svc.name,
          host: host.name,
          image: props.image,
          port: svc.port,
          network: props.network,
          env,
          command: companion.command,
          user: companion.user,
          volumes: (companion.volumes ?? []).map((v) => ({ volume: volumeFor(v.name), mountPath: v.mountPath })),
          bindMounts: companion.bindMounts,
          healthcheck: companion.healthcheck ?? svc.healthcheck,
          memoryMb: companion.memoryMb ?? svc.memoryMb,
          // The same image as the main container: the same capabilities.
          capAdd: capAddOf(svc.capabilities),
          pidsLimit: companion.pidsLimit ?? svc.pidsLimit,
          dockerHost: props.dockerHost,
          shmSizeMb: companion.shmSizeMb ?? svc.shmSizeMb,
          uploads: uploadsOf(companion.name),
          extraLabels: { [PLACEMENT_LABEL]: svc.placement.mode },
        }),
      );
    }
    this.companions = companions;

    for (const step of svc.postStart?.(context) ?? []) {
      new PostStartStep(this, `post-start-${step.description.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`, {
        container: this.main.container,
        dockerHost: props.dockerHost,
        step,
      });
    }
  }
}
