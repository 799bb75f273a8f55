import { Network } from "@cdktf/provider-docker/lib/network";
import { Volume } from "@cdktf/provider-docker/lib/volume";
import { DataResource, Fn } from "cdktf";
import { Construct } from "constructs";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AdoptedVolume } from "../homelab/adoption";
import { DatabaseConnection } from "../homelab/types";
import { adoptedVolumeConfig, importAdoptedVolume } from "./adopted-volume";
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
  /** @default 512 (a backend process per connection, max_connections 100, plus workers) */
  readonly pidsLimit?: number;
  /** `ssh://<user>@<host>`: where the docker CLI of the provisioning step and pids limit runs. */
  readonly dockerHost: string;
  /**
   * The existing data directory to take over (adoption.json, `sharedPostgres` of its host).
   * @default a new, empty volume
   */
  readonly adoptedData?: AdoptedVolume;
  /**
   * The cluster's superuser: the role the healthcheck and the provisioning step connect as. An
   * adopted cluster keeps the one it was made with (the image creates POSTGRES_USER only on an
   * empty data directory), e.g. `authentik` from Authentik's compose file.
   * @default "postgres"
   */
  readonly superuser?: string;
}

/**
 * Where the superuser password file sits in the server container. The image's entrypoint reads
 * POSTGRES_PASSWORD_FILE as root before it drops to the postgres user (docker-library/postgres
 * `16/bookworm/docker-entrypoint.sh`: `docker_setup_env` → `file_env`, then `exec gosu`), so
 * the file can be root-only.
 */
export const POSTGRES_PASSWORD_FILE = "/kitestacks/secrets/postgres-password";

/** The server container's own socket directory (the image's default unix_socket_directories). */
export const POSTGRES_SOCKET_DIR = "/var/run/postgresql";

/**
 * What the provisioning step runs inside the server container: provision.sh and provision.sql
 * written to a private temporary directory (the script from env, the SQL from stdin), run, and
 * removed. Single-quoted for the deploying machine's shell; no `$` + `{` (Terraform strings).
 */
export const PROVISION_IN_CONTAINER =
  'umask 077; d=$(mktemp -d) || exit 1; printf "%s" "$KITE_PROVISION_SH" > "$d/provision.sh"; cat > "$d/provision.sql"; ' +
  'sh "$d/provision.sh"; rc=$?; rm -rf "$d"; exit $rc';

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
 * host's Tailscale address, plus a provisioning step that creates each consumer's role and
 * database idempotently, re-run whenever the server is replaced or a consumer, the files or a
 * password change. The step is `docker exec -i` of provision.sh in the server container as the
 * postgres user over the local socket (the image's initdb trusts local connections, so no
 * superuser password travels): the SQL arrives on stdin, the script and the role passwords as
 * `-e NAME` copies of the deploying process's env, never on a command line. Nothing is left
 * behind: no job container, no password in any container's config.
 */
export class SharedPostgres extends Construct {
  public readonly server: KiteService;
  public readonly provisioner: DataResource;
  public readonly dataVolume: Volume;
  public readonly port: number;
  public readonly superuser: string;
  private readonly listenAddress?: string;
  private readonly consumers: ReadonlyMap<string, PostgresConsumer>;

  constructor(scope: Construct, id: string, props: SharedPostgresProps) {
    super(scope, id);
    this.port = props.port ?? 5432;
    this.superuser = props.superuser ?? "postgres";
    this.listenAddress = props.listenAddress;
    this.consumers = new Map(props.consumers.map((c) => [c.database, c]));
    this.dataVolume = new Volume(
      this,
      "data",
      adoptedVolumeConfig(props.adoptedData, {
        name: `${props.name}-data`,
        labels: [{ label: LABELS.managedBy, value: MANAGED_BY }],
        // Every database of the shared Postgres lives here: never destroyed by a plan.
        lifecycle: { preventDestroy: true },
      }),
    );
    importAdoptedVolume(this.dataVolume, props.adoptedData);
    this.server = new KiteService(this, "server", {
      name: props.name,
      service: props.name,
      host: props.host,
      role: "database",
      image: props.image,
      port: this.port,
      network: props.network,
      env: { POSTGRES_USER: this.superuser, POSTGRES_PASSWORD_FILE, PGPORT: String(this.port) },
      uploads: [{ file: POSTGRES_PASSWORD_FILE, content: props.superuserPassword, permissions: "0400" }],
      volumes: [{ volume: this.dataVolume, mountPath: "/var/lib/postgresql/data" }],
      hostPorts: props.listenAddress
        ? [{ containerPort: this.port, hostPort: this.port, address: props.listenAddress }]
        : [],
      healthcheck: { test: ["CMD-SHELL", `pg_isready -U ${this.superuser} -p ${this.port}`], interval: "10s", startPeriod: "20s" },
      memoryMb: props.memoryMb ?? 1024,
      pidsLimit: props.pidsLimit ?? 512,
      // The image's entrypoint as root (docker-library/postgres 16/bookworm/docker-entrypoint.sh
      // docker_create_db_directories: `chmod 00700 "$PGDATA"` on postgres's directory, `find
      // "$PGDATA" \! -user postgres -exec chown postgres` through its 0700 tree, then
      // `exec gosu postgres`): nothing more.
      capAdd: ["CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"],
      dockerHost: props.dockerHost,
    });
    const passwordNames = props.consumers.map((_, i) => passwordEnv(i));
    const envNames = ["PGHOST", "PGUSER", "KITE_CONSUMERS", "KITE_PROVISION_SH", ...passwordNames];
    // Terraform's built-in terraform_data: re-run when a trigger changes, no provider to install.
    this.provisioner = new DataResource(this, "provisioner", {
      triggersReplace: {
        server_id: this.server.container.id,
        files: createHash("sha256").update(PROVISION_SH).update(PROVISION_SQL).update(consumersList(props.consumers)).digest("hex"),
        // A rotated password re-runs the step; only its hash reaches the plan.
        ...(passwordNames.length > 0 ? { passwords: Fn.sha256(Fn.join("\n", props.consumers.map((c) => c.password))) } : {}),
      },
      provisioners: [
        {
          type: "local-exec",
          interpreter: ["/bin/sh", "-c"],
          command:
            `printf '%s' "$KITE_PROVISION_SQL" | docker exec -i -u postgres ${envNames.map((n) => `-e ${n} `).join("")}${props.name} ` +
            `sh -c '${PROVISION_IN_CONTAINER}'`,
          environment: {
            DOCKER_HOST: props.dockerHost,
            PGHOST: POSTGRES_SOCKET_DIR,
            PGUSER: this.superuser,
            KITE_CONSUMERS: consumersList(props.consumers),
            KITE_PROVISION_SH: PROVISION_SH,
            KITE_PROVISION_SQL: PROVISION_SQL,
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
