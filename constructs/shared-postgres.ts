import { Network } from "@cdktf/provider-docker/lib/network";
import { Volume } from "@cdktf/provider-docker/lib/volume";
import { Resource } from "@cdktf/provider-null/lib/resource";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { createHash } from "node:crypto";
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
  /** `ssh://<user>@<host>`: where the docker CLI of the provisioning step runs. */
  readonly dockerHost: string;
}

/**
 * Where the superuser password file sits in the server container. The image's entrypoint reads
 * POSTGRES_PASSWORD_FILE as root before it drops to the postgres user (docker-library/postgres
 * `16/bookworm/docker-entrypoint.sh`: `docker_setup_env` → `file_env`, then `exec gosu`), so
 * the file can be root-only.
 */
export const POSTGRES_PASSWORD_FILE = "/kitestacks/secrets/postgres-password";

/** SQL that creates or updates every consumer's role and database; safe to run any number of times. */
export function provisioningSql(consumers: readonly PostgresConsumer[]): string {
  const lines = ["\\set ON_ERROR_STOP on"];
  consumers.forEach((c, i) => {
    const pw = `pw_${i}`;
    lines.push(
      `\\getenv ${pw} ${passwordEnv(i)}`,
      `SELECT format('CREATE ROLE %I LOGIN', '${c.role}') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${c.role}')\\gexec`,
      `ALTER ROLE "${c.role}" WITH LOGIN PASSWORD :'${pw}';`,
      `SELECT format('CREATE DATABASE %I OWNER %I', '${c.database}', '${c.role}') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '${c.database}')\\gexec`,
      `ALTER DATABASE "${c.database}" OWNER TO "${c.role}";`,
      `REVOKE ALL ON DATABASE "${c.database}" FROM PUBLIC;`,
      `GRANT ALL ON DATABASE "${c.database}" TO "${c.role}";`,
    );
  });
  return lines.join("\n") + "\n";
}

const passwordEnv = (i: number) => `KITE_ROLE_PASSWORD_${i}`;

/**
 * The Postgres every host shares (Authentik, Forgejo): one container, published only on the
 * host's Tailscale address, plus a provisioning step that creates each consumer's role and
 * database idempotently, re-run whenever the server is replaced or a consumer or password
 * changes. The step is `docker exec -i` of psql in the server container over its local socket
 * (the image's initdb trusts local connections, so no superuser password travels): the SQL
 * arrives on stdin, the role passwords as `-e NAME` copies of the deploying process's env.
 * Nothing is left behind: no job container, no password in any container's config.
 */
export class SharedPostgres extends Construct {
  public readonly server: KiteService;
  public readonly provisioner: Resource;
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
    });
    this.server = new KiteService(this, "server", {
      name: props.name,
      service: props.name,
      host: props.host,
      role: "database",
      image: props.image,
      port: this.port,
      network: props.network,
      env: { POSTGRES_USER: "postgres", POSTGRES_PASSWORD_FILE, PGPORT: String(this.port) },
      uploads: [{ file: POSTGRES_PASSWORD_FILE, content: props.superuserPassword, permissions: "0400" }],
      volumes: [{ volume: this.dataVolume, mountPath: "/var/lib/postgresql/data" }],
      hostPorts: props.listenAddress
        ? [{ containerPort: this.port, hostPort: this.port, address: props.listenAddress }]
        : [],
      healthcheck: { test: ["CMD-SHELL", `pg_isready -U postgres -p ${this.port}`], interval: "10s", startPeriod: "20s" },
      memoryMb: props.memoryMb ?? 1024,
    });
    const sql = provisioningSql(props.consumers);
    const passwordNames = props.consumers.map((_, i) => passwordEnv(i));
    const name = props.name;
    const envFlags = passwordNames.map((n) => `-e ${n} `).join("");
    this.provisioner = new Resource(this, "provisioner", {
      triggers: {
        server_id: this.server.container.id,
        sql: createHash("sha256").update(sql).digest("hex"),
        // A rotated password re-runs the step; only its hash reaches the plan.
        ...(passwordNames.length > 0 ? { passwords: Fn.sha256(Fn.join("\n", props.consumers.map((c) => c.password))) } : {}),
      },
      provisioners: [
        {
          type: "local-exec",
          interpreter: ["/bin/sh", "-c"],
          // Waits for the server (up to two minutes), then applies the SQL read from stdin.
          command:
            `n=0; until docker exec -u postgres ${name} pg_isready -q -p ${this.port}; do n=$((n + 1)); ` +
            `if [ "$n" -ge 60 ]; then echo "${name} not ready" >&2; exit 1; fi; sleep 2; done; ` +
            `printf '%s' "$KITE_PROVISION_SQL" | docker exec -i -u postgres ${envFlags}${name} psql -X -q -p ${this.port} -d postgres -f -`,
          environment: {
            DOCKER_HOST: props.dockerHost,
            KITE_PROVISION_SQL: sql,
            ...Object.fromEntries(props.consumers.map((c, i) => [passwordEnv(i), c.password])),
          },
        },
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
