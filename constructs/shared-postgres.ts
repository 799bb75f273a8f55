import { Container } from "@cdktf/provider-docker/lib/container";
import { Network } from "@cdktf/provider-docker/lib/network";
import { Volume } from "@cdktf/provider-docker/lib/volume";
import { Construct } from "constructs";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseConnection } from "../homelab/types";
import { IContainerImage } from "./container-image";
import { KiteService, LABELS, MANAGED_BY } from "./kite-service";

/** A database and its owner role on the shared Postgres. */
export interface PostgresConsumer {
  readonly database: string;
  readonly role: string;
  /** The role's password (a generated secret). */
  readonly password: string;
}

export interface SharedPostgresProps {
  /** Container name; containers on the same host reach it by this name. */
  readonly name: string;
  /** Host it runs on (labels). */
  readonly host: string;
  readonly image: IContainerImage;
  readonly network: Network;
  /** Password of the postgres superuser (a generated secret). */
  readonly superuserPassword: string;
  /**
   * The only host address it is published on: the host's Tailscale address, so other hosts
   * reach it over the tailnet and the internet never does.
   * @default not published (reachable on the Docker network only)
   */
  readonly listenAddress?: string;
  /** @default 5432 */
  readonly port?: number;
  readonly consumers: readonly PostgresConsumer[];
  /** @default 1024 */
  readonly memoryMb?: number;
}

/**
 * One consumer's role and database, idempotently (psql variables `role` and `database`, the
 * password through \getenv), and the job's shell wrapper that applies it per consumer. Both
 * are files beside this one, read at synth time.
 */
export const PROVISION_SQL = readFileSync(join(__dirname, "shared-postgres.provision.sql"), "utf8");
export const PROVISION_SH = readFileSync(join(__dirname, "shared-postgres.provision.sh"), "utf8");

/** `role:database` words for the wrapper (names are identifiers: the spec validates them). */
export function consumersList(consumers: readonly PostgresConsumer[]): string {
  for (const c of consumers) {
    if (!/^[a-z_][a-z0-9_]*$/.test(c.role) || !/^[a-z_][a-z0-9_]*$/.test(c.database)) {
      throw new Error(`SharedPostgres: role ${JSON.stringify(c.role)} and database ${JSON.stringify(c.database)} must be lowercase identifiers`);
    }
  }
  return consumers.map((c) => `${c.role}:${c.database}`).join(" ");
}

const passwordEnv = (i: number) => `KITE_ROLE_PASSWORD_${i}`;

/**
 * The Postgres every host shares (Authentik, Forgejo): one container, published only on the
 * host's Tailscale address, plus a one-shot provisioning job that creates each consumer's
 * role and database idempotently. The job is replaced, and so re-run, whenever a consumer
 * or password changes.
 */
export class SharedPostgres extends Construct {
  public readonly server: KiteService;
  public readonly provisioner: Container;
  public readonly dataVolume: Volume;
  public readonly port: number;
  private readonly listenAddress?: string;
  private readonly consumers: ReadonlyMap<string, PostgresConsumer>;

  constructor(scope: Construct, id: string, props: SharedPostgresProps) {
    super(scope, id);
    this.port = props.port ?? 5432;
    this.listenAddress = props.listenAddress;
    this.consumers = new Map(props.consumers.map((c) => [c.database, c]));
    this.dataVolume = new Volume(this, "data", {
      name: `${props.name}-data`,
      labels: [{ label: LABELS.managedBy, value: MANAGED_BY }],
      // Every database of the shared Postgres lives here: never destroyed by a plan.
      lifecycle: { preventDestroy: true },
    });
    this.server = new KiteService(this, "server", {
      name: props.name,
      service: props.name,
      host: props.host,
      role: "database",
      image: props.image,
      port: this.port,
      network: props.network,
      env: { POSTGRES_USER: "postgres", POSTGRES_PASSWORD: props.superuserPassword, PGPORT: String(this.port) },
      volumes: [{ volume: this.dataVolume, mountPath: "/var/lib/postgresql/data" }],
      hostPorts: props.listenAddress
        ? [{ containerPort: this.port, hostPort: this.port, address: props.listenAddress }]
        : [],
      healthcheck: { test: ["CMD-SHELL", `pg_isready -U postgres -p ${this.port}`], interval: "10s", startPeriod: "20s" },
      memoryMb: props.memoryMb ?? 1024,
    });
    const env = [
      `PGHOST=${props.name}`,
      `PGPORT=${this.port}`,
      "PGUSER=postgres",
      `PGPASSWORD=${props.superuserPassword}`,
      `KITE_CONSUMERS=${consumersList(props.consumers)}`,
      ...props.consumers.map((c, i) => `${passwordEnv(i)}=${c.password}`),
    ];
    this.provisioner = new Container(this, "provisioner", {
      name: `${props.name}-provision`,
      image: props.image.imageId,
      // Waits for the server (up to two minutes), then applies the SQL per consumer and exits.
      command: ["sh", "/provision/provision.sh"],
      env,
      upload: [
        { file: "/provision/provision.sh", content: PROVISION_SH },
        { file: "/provision/provision.sql", content: PROVISION_SQL },
      ],
      networkMode: props.network.name,
      networksAdvanced: [{ name: props.network.name }],
      restart: "no",
      mustRun: false,
      attach: true,
      logs: true,
      memory: 128,
      securityOpts: ["no-new-privileges:true"],
      logDriver: "json-file",
      logOpts: { "max-size": "1m", "max-file": "1" },
      labels: [
        { label: LABELS.service, value: props.name },
        { label: LABELS.host, value: props.host },
        { label: LABELS.managedBy, value: MANAGED_BY },
        { label: LABELS.role, value: "job" },
      ],
      dependsOn: [this.server.container],
    });
  }

  /**
   * How a container on `fromPrimaryHost`'s side reaches a consumer's database: the container
   * name on the Postgres host itself, the Tailscale address from anywhere else.
   */
  connectionFor(database: string, onSameHost: boolean): DatabaseConnection {
    const consumer = this.consumers.get(database);
    if (!consumer) throw new Error(`SharedPostgres has no database ${JSON.stringify(database)}`);
    if (!onSameHost && !this.listenAddress) {
      throw new Error(`SharedPostgres ${this.server.name} is not published on a Tailscale address; other hosts cannot reach it`);
    }
    return {
      host: onSameHost ? this.server.name : this.listenAddress!,
      port: this.port,
      name: consumer.database,
      user: consumer.role,
      password: consumer.password,
    };
  }
}
