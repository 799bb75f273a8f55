import { ContainerUpload } from "@cdktf/provider-docker/lib/container";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Network } from "@cdktf/provider-docker/lib/network";
import { Volume } from "@cdktf/provider-docker/lib/volume";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { makeUniqueId } from "cdktf/lib/private/unique";
import { Aspects, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { GeneratedSecrets } from "../constructs/generated-secrets";
import { FIXED_INPUTS, InputDefinition, serviceVariableInputs, tailscaleAddressInput } from "../constructs/homelab-inputs";
import { backupPlan, backupSchedule, backupSettings, volumeName } from "../backup/plan";
import { BackupJob } from "../constructs/backup-job";
import { capAddOf, HostedService, hostedServiceId, hostedVolumeIds, MARIADB_PORT, mariadbName, PLACEMENT_LABEL } from "../constructs/hosted-service";
import { KiteService, LABELS } from "../constructs/kite-service";
import { NoSwapLimit } from "../constructs/no-swap-limit";
import { ReleasedVolumes } from "../constructs/released-volumes";
import { ServiceForwarder } from "../constructs/service-forwarder";
import { ImageCatalog } from "../constructs/image-catalog";
import { OidcApp } from "../constructs/oidc-app";
import { PostgresConsumer, SharedPostgres } from "../constructs/shared-postgres";
import { TunnelConnector } from "../constructs/tunnel-connector";
import {
  findService,
  identityProvider,
  internalUrl,
  publicUrl,
  servicesOn,
  dockerHostUrl,
  findHost,
} from "../homelab/derive";
import { agentHostsOf, forwardedServicesOn, homedServices, isHomed } from "../homelab/placement";
import { DatabaseConnection, HostSpec, SECRET_FILE_DIR, SecretFileReader, ServiceEnvContext, ServiceSpec, SharedPostgresSpec } from "../homelab/types";
import { adoptedVolumeOf } from "../homelab/adoption";
import { EdgeStack } from "./edge-stack";
import { KiteStack, KiteStackProps } from "./kite-stack";
import { DOCKER_SSH_OPTIONS } from "../constructs/ssh-options";

export interface HostStackProps extends KiteStackProps {
  readonly host: HostSpec;
  /** The edge, for the tunnel token. */
  readonly edge: EdgeStack;
  /**
   * The primary host's stack, which owns the generated secrets and the shared Postgres.
   * @default this stack is the primary
   */
  readonly primary?: HostStack;
  /** Where build folders are resolved from. @default process.cwd() */
  readonly repoRoot?: string;
  /** Build arguments per build folder (tests select base images). @default none */
  readonly buildArgs?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/**
 * The Docker workloads of one host, over SSH through Tailscale: the kitestacks network, the
 * tunnel connector, every service the spec puts on the host, and on the primary host the
 * shared Postgres and the generated secrets every host uses.
 */
export class HostStack extends KiteStack {
  public readonly host: HostSpec;
  public readonly network: Network;
  /** The generated secrets every host uses (owned by the primary host's stack). */
  public readonly secrets: GeneratedSecrets;
  /** The shared Postgres (primary host only). */
  public readonly sharedPostgres?: SharedPostgres;
  /** A local Postgres for Authentik when the spec rolls it back to this host. */
  public readonly localAuthentikPostgres?: SharedPostgres;
  public readonly connector?: TunnelConnector;
  /** The backup job (every host that holds a volume or a database). */
  public readonly backup?: BackupJob;
  /** The services of this host, by spec name. */
  public readonly services = new Map<string, HostedService>();
  /** Forwarders of the homed services whose home is another host, by service name. */
  public readonly forwarders = new Map<string, ServiceForwarder>();
  /** Agents of homed services whose server lives on another host (Portainer's), by service name. */
  public readonly agents = new Map<string, KiteService>();
  /** Volumes of services homed elsewhere that this stack keeps on the host instead of destroying. */
  public readonly releasedVolumes: ReleasedVolumes;
  /**
   * Every OIDC app of the spec, by service name: the one source of client settings for the apps
   * on this host, and of the blueprints this host's Authentik worker applies.
   */
  public readonly oidcApps = new Map<string, OidcApp>();
  /** This host's Tailscale address (a sensitive variable). */
  public readonly tailscaleAddress: string;

  private readonly primary?: HostStack;
  /** Person-supplied secrets the spec's services declare, by name (read once per stack). */
  private readonly variableSecrets: ReadonlyMap<string, InputDefinition>;

  constructor(scope: Construct, id: string, props: HostStackProps) {
    super(scope, id, props);
    const { spec, host } = props;
    this.host = host;
    this.primary = props.primary;
    this.variableSecrets = serviceVariableInputs(spec);
    const dockerHost = dockerHostUrl(host);
    new DockerProvider(this, "docker", {
      host: dockerHost,
      // Strict host keys from the owner's known_hosts, one multiplexed SSH connection per plan.
      sshOpts: [...DOCKER_SSH_OPTIONS],
    });
    this.tailscaleAddress = this.inputs.string(tailscaleAddressInput(host));
    if (host.swapLimit === false) Aspects.of(this).add(new NoSwapLimit());

    if (props.primary) {
      this.secrets = props.primary.secrets;
    } else {
      new RandomProvider(this, "random");
      this.secrets = new GeneratedSecrets(this, "secrets", { spec });
      // The one way to read the backup repository's password for safekeeping (docs/backups.md).
      new TerraformOutput(this, "backup_repository_password", {
        value: this.secrets.value(GeneratedSecrets.BACKUP_REPOSITORY_PASSWORD),
        sensitive: true,
        description: "Password of the restic backup repository: keep a copy outside the homelab",
      });
    }

    const net = spec.dockerNetwork;
    this.network = new Network(this, "network", {
      name: net.name,
      driver: "bridge",
      ipamConfig: [{ subnet: net.subnet, gateway: net.gateway }],
    });
    const adoptedHost = this.adoption?.hosts?.[host.name];
    // The owner's hosts already have this network (their compose files join it as external).
    if (adoptedHost?.network) this.network.importFrom(adoptedHost.network);
    const images = new ImageCatalog(this, "images", { repoRoot: props.repoRoot, buildArgs: props.buildArgs });

    const pg = spec.sharedPostgres;
    // What every Postgres this host runs shares; built only when one is (it pulls the image).
    const postgresOnThisHost = (pgSpec: SharedPostgresSpec) => ({
      name: pgSpec.containerName,
      host: host.name,
      image: images.imageFor({ ref: pgSpec.image }),
      network: this.network,
      superuserPassword: this.secrets.value(GeneratedSecrets.POSTGRES_SUPERUSER),
      port: pgSpec.port,
      memoryMb: pgSpec.memoryMb,
      pidsLimit: pgSpec.pidsLimit,
      dockerHost,
    });
    if (pg && !props.primary) {
      this.sharedPostgres = new SharedPostgres(this, "shared-postgres", {
        ...postgresOnThisHost(pg),
        listenAddress: this.tailscaleAddress,
        consumers: this.postgresConsumers(spec.services),
        adoptedData: adoptedHost?.sharedPostgres,
        superuser: adoptedHost?.sharedPostgres?.superuser,
      });
    }
    const idp = identityProvider(spec);
    if (pg && idp && (pg.authentikLocalFallbackOn ?? []).includes(host.name)) {
      // The documented rollback: this host's Authentik on a Postgres of its own.
      this.localAuthentikPostgres = new SharedPostgres(this, "local-authentik-postgres", {
        ...postgresOnThisHost(pg),
        consumers: this.postgresConsumers([idp]),
      });
    }

    if (host.tunnelConnector !== false) {
      this.connector = new TunnelConnector(this, "tunnel-connector", {
        host: host.name,
        image: images.imageFor({ ref: spec.cloudflaredImage }),
        network: this.network,
        token: props.edge.tunnelToken,
        dockerHost,
      });
    }

    for (const svc of spec.services) {
      if (svc.sso.mode !== "oidc") continue;
      this.oidcApps.set(
        svc.name,
        new OidcApp(this, `oidc-${svc.name}`, {
          spec,
          service: svc,
          clientSecret: this.secrets.value(GeneratedSecrets.oidcKey(svc.name)),
        }),
      );
    }

    const mariadbNeeded = servicesOn(spec, host.name).some((s) => (s.databases ?? []).some((d) => d.engine === "mariadb"));
    const mariadbImage = mariadbNeeded ? images.imageFor({ ref: spec.mariadbImage }) : undefined;
    for (const svc of servicesOn(spec, host.name)) {
      const secretFiles = new Map<string, ContainerUpload>();
      const context = this.contextFor(svc, secretFiles);
      this.services.set(
        svc.name,
        new HostedService(this, hostedServiceId(svc.name), {
          service: svc,
          host,
          network: this.network,
          image: images.imageFor(svc.image),
          context,
          tailscaleAddress: this.tailscaleAddress,
          dockerHost,
          mariadbImage,
          mariadbRootPassword: (db) => this.secrets.value(GeneratedSecrets.mariadbRootKey(svc.name, db)),
          uploads: this.uploadsFor(svc, context),
          // Filled while the service's env is built (ctx.secretFile), so read after it.
          secretFiles: () => [...secretFiles.values()],
          tailnetPort: isHomed(svc) ? svc.placement.tailnetPort : undefined,
          adopted: (key) => adoptedVolumeOf(this.adoption, host.name, svc.name, key),
        }),
      );
    }

    // Homed services whose home is another connector: a forwarder under the same container name
    // and port, so the tunnel's one ingress resolves here too.
    const forwarded = forwardedServicesOn(spec, host.name);
    const forwarderImage = forwarded.length > 0 ? images.imageFor({ ref: spec.forwarderImage }) : undefined;
    for (const svc of forwarded) {
      if (!isHomed(svc)) continue;
      const home = findHost(spec, svc.placement.home);
      const forwarder = new ServiceForwarder(this, `forward-${svc.name}`, {
        service: svc.name,
        title: svc.title,
        host: host.name,
        homeHost: home.name,
        port: svc.port,
        homeAddress: this.tailscaleAddressOf(home),
        homePort: svc.placement.tailnetPort,
        image: forwarderImage!,
        network: this.network,
        dockerHost,
      });
      // Where the service itself ran before it was homed elsewhere: the same address becomes the
      // forwarder, so Terraform replaces that container in place (destroy, then create under the
      // same name) instead of racing a delete against a create of the same container name.
      forwarder.main.container.moveFromId(`docker_container.${this.logicalIdOf(`service-${svc.name}`, "main", "container")}`);
      this.forwarders.set(svc.name, forwarder);
    }

    // Agents of homed servers (Portainer) on the hosts that are not their home.
    for (const svc of spec.services) {
      if (!svc.agent || !agentHostsOf(spec, svc).includes(host.name)) continue;
      const agent = svc.agent;
      const agentFiles = new Map<string, ContainerUpload>();
      const context = this.contextFor(svc, agentFiles);
      const agentEnv = agent.env?.(context);
      this.agents.set(
        svc.name,
        new KiteService(this, `agent-${svc.name}`, {
          name: `${svc.name}-${agent.name}`,
          service: svc.name,
          host: host.name,
          role: "agent",
          image: images.imageFor({ ref: agent.image }),
          port: agent.port,
          network: this.network,
          env: agentEnv,
          uploads: agentFiles.size > 0 ? [...agentFiles.values()] : undefined,
          bindMounts: agent.bindMounts,
          healthcheck: agent.healthcheck,
          memoryMb: agent.memoryMb ?? 128,
          pidsLimit: agent.pidsLimit ?? 128,
          capAdd: capAddOf(agent.capabilities),
          dockerHost,
          // Reached by the server on the home over Tailscale only.
          hostPorts: [{ containerPort: agent.port, hostPort: agent.port, address: this.tailscaleAddress }],
          extraLabels: { [PLACEMENT_LABEL]: svc.placement.mode, [LABELS.home]: isHomed(svc) ? svc.placement.home : "" },
        }),
      );
    }

    // Services homed on another host leave their volumes here, and retired services leave
    // theirs on every host that had them: keep them, never destroy them. (A block for an address
    // this host's state never held is a no-op, so retired services need no host list.)
    const released = [
      ...homedServices(spec).filter((svc) => isHomed(svc) && svc.placement.home !== host.name),
      ...(spec.retired ?? []).map((r) => r.service),
    ].flatMap((svc) => hostedVolumeIds(svc).map((id) => `docker_volume.${this.logicalIdOf(`service-${svc.name}`, id)}`));
    this.releasedVolumes = new ReleasedVolumes(this, "released-volumes", { addresses: released });

    // Backups of everything this host holds, derived from the services placed on it.
    // An adopted shared Postgres keeps the superuser its cluster was made with (adoption.ts).
    const pgSuperuser = pg?.host === host.name ? this.sharedPostgres?.superuser : undefined;
    const plan = backupPlan(spec, host.name).map((b) => (b.postgresContainer && pgSuperuser && pgSuperuser !== "postgres" ? { ...b, postgresSuperuser: pgSuperuser } : b));
    if (plan.length > 0) {
      const volumes = new Map<string, Volume>();
      for (const [svcName, hosted] of this.services) {
        const svc = findService(spec, svcName);
        for (const [name, volume] of hosted.volumes) volumes.set(volumeName(svc, name), volume);
      }
      const settings = backupSettings(spec);
      const bucket = this.inputs.string(FIXED_INPUTS.backupS3Bucket);
      this.backup = new BackupJob(this, "backup", {
        host: host.name,
        image: images.imageFor(settings.image),
        network: this.network,
        plan,
        volumes,
        settings,
        // Retention takes restic's exclusive lock: the primary host alone runs it.
        prune: !props.primary,
        // An adopted shared Postgres keeps the superuser its cluster was made with (adoption.ts).
        postgresSuperuser: adoptedHost?.sharedPostgres?.superuser,
        schedule: backupSchedule(spec, host.name, !props.primary),
        repository: `s3:${this.inputs.string(FIXED_INPUTS.backupS3Endpoint)}/${bucket}/${settings.repositoryPath}`,
        repositoryPassword: this.secrets.value(GeneratedSecrets.BACKUP_REPOSITORY_PASSWORD),
        s3AccessKeyId: this.inputs.string(FIXED_INPUTS.backupS3AccessKeyId),
        s3SecretAccessKey: this.inputs.string(FIXED_INPUTS.backupS3SecretAccessKey),
        dockerHost,
      });
    }
  }

  /** The logical id cdktf gives a resource at this construct path below the stack. */
  private logicalIdOf(...path: string[]): string {
    return makeUniqueId(path);
  }

  /** A host's Tailscale address on this stack: its own variable, declared once per stack. */
  private tailscaleAddressOf(other: HostSpec): string {
    return other.name === this.host.name ? this.tailscaleAddress : this.inputs.string(tailscaleAddressInput(other));
  }

  /** The shared-postgres databases of these services, with their generated passwords. */
  private postgresConsumers(services: readonly ServiceSpec[]): PostgresConsumer[] {
    return services.flatMap((svc) =>
      (svc.databases ?? [])
        .filter((db) => db.engine === "shared-postgres")
        .map((db) => ({
          database: db.name,
          role: db.user,
          password: this.secrets.value(GeneratedSecrets.databaseKey(svc.name, db.name)),
        })),
    );
  }

  /** The shared Postgres, wherever it runs. */
  private get postgres(): SharedPostgres | undefined {
    return this.primary ? this.primary.sharedPostgres : this.sharedPostgres;
  }

  /** Files written into a service's containers: its spec files, and on Authentik's worker every app's blueprint. */
  private uploadsFor(svc: ServiceSpec, context: ServiceEnvContext): Record<string, ContainerUpload[]> {
    const uploads: Record<string, ContainerUpload[]> = {};
    const files = svc.files?.(context) ?? [];
    if (files.length > 0) {
      uploads[""] = files.map((f) => ({ file: f.path, content: f.content, permissions: f.permissions ?? "0400" }));
    }
    if (svc.sso.mode === "identity-provider" && this.oidcApps.size > 0) {
      uploads[OidcApp.BLUEPRINT_CONTAINER] = [...this.oidcApps.values()].flatMap((app) => [...app.workerUploads]);
    }
    return uploads;
  }

  /** What a service's env builder sees on this host. */
  private contextFor(svc: ServiceSpec, secretFiles: Map<string, ContainerUpload>): ServiceEnvContext {
    const spec = this.spec;
    const secretFile = (name: string, value: string, readableBy: SecretFileReader): string => {
      if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) throw new Error(`services[${svc.name}]: secret file name ${JSON.stringify(name)} must be a lowercase file name`);
      const file = `${SECRET_FILE_DIR}/${name}`;
      const upload: ContainerUpload = { file, content: value, permissions: readableBy === "root" ? "0400" : "0444" };
      const before = secretFiles.get(name);
      if (before && (before.content !== upload.content || before.permissions !== upload.permissions)) {
        throw new Error(`services[${svc.name}]: secret file ${JSON.stringify(name)} is written twice with different content`);
      }
      secretFiles.set(name, upload);
      return file;
    };
    const secret = (name: string): string => {
      const declared = (svc.secrets ?? []).find((s) => s.name === name);
      if (!declared) throw new Error(`services[${svc.name}] reads secret ${JSON.stringify(name)} but does not declare it in secrets`);
      return declared.source === "generated"
        ? this.secrets.value(GeneratedSecrets.serviceKey(svc.name, name))
        : this.inputs.string(this.variableSecrets.get(name)!);
    };
    const database = (name: string): DatabaseConnection => {
      const db = (svc.databases ?? []).find((d) => d.name === name);
      if (!db) throw new Error(`services[${svc.name}] reads database ${JSON.stringify(name)} but does not declare it in databases`);
      const password = this.secrets.value(GeneratedSecrets.databaseKey(svc.name, db.name));
      if (db.engine === "mariadb") {
        return { host: mariadbName(svc.name), port: MARIADB_PORT, name: db.name, user: db.user, password };
      }
      if (this.localAuthentikPostgres && svc.sso.mode === "identity-provider") {
        return this.localAuthentikPostgres.connectionFor(db.name, true);
      }
      // The primary host runs the shared Postgres; everyone else reaches it over Tailscale.
      return this.postgres!.connectionFor(db.name, !this.primary);
    };
    return {
      host: this.host,
      domain: spec.domain,
      publicUrl: publicUrl(svc),
      secret,
      database,
      oidc: this.oidcApps.get(svc.name)?.settings,
      serviceUrl: (name) => internalUrl(findService(spec, name)),
      publishedUrl: (name) => {
        const target = findService(spec, name);
        if (isHomed(target)) {
          return `http://${this.tailscaleAddressOf(findHost(spec, target.placement.home))}:${target.placement.tailnetPort}`;
        }
        const port = target.hostPorts?.[0];
        if (!port) throw new Error(`services[${svc.name}] reads the published URL of ${name}, which publishes no host port`);
        return `http://${this.tailscaleAddress}:${port.hostPort}`;
      },
      publicUrlOf: (name) => {
        const url = publicUrl(findService(spec, name));
        if (!url) throw new Error(`services[${svc.name}] reads the public URL of ${name}, which has no hostname`);
        return url;
      },
      agentHosts: agentHostsOf(spec, svc).map((h) => ({ name: h, address: this.tailscaleAddressOf(findHost(spec, h)) })),
      homes: homedServices(spec).map((s) => {
        const p = s.placement as { home: string; tailnetPort: number };
        return { service: s.name, title: s.title, home: p.home, url: `http://${this.tailscaleAddressOf(findHost(spec, p.home))}:${p.tailnetPort}/` };
      }),
      dockerGateway: spec.dockerNetwork.gateway,
      secretFile,
    };
  }
}
