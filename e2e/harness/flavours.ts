/**
 * The Debian root filesystems the e2e images start from (see debian.ts), one per kind of
 * image. Package names only: versions are whatever the Debian release ships.
 */
import { Flavour } from "./debian";

export const FLAVOURS = {
  /**
   * Stand-ins: the HTTP server is Perl (perl-base is in minbase); curl, wget, jq and the
   * mariadb client are real (the homelab's steps call them inside the app containers).
   */
  standin: { name: "standin", packages: ["curl", "wget", "ca-certificates", "mariadb-client", "jq"] },
  /** The real Postgres server (Debian's postgresql), no cluster created at install. */
  postgres: {
    name: "postgres",
    packages: ["postgresql", "postgresql-client"],
    before: "mkdir -p /etc/postgresql-common/createcluster.d && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/kse2e.conf",
  },
  /** The real MariaDB server (Debian's mariadb-server). */
  mariadb: { name: "mariadb", packages: ["mariadb-server", "mariadb-client"] },
  /** Base of the portal image in place of nginx-unprivileged: Debian's nginx and envsubst. */
  nginx: { name: "nginx", packages: ["nginx", "gettext-base", "wget"] },
  /** Base of the metrics image in place of node:alpine: Debian's nodejs and npm. */
  node: { name: "node", packages: ["nodejs", "npm"] },
  /** Base of the backup image in place of restic/restic (Alpine): Debian's restic, busybox's crond. */
  restic: { name: "restic", packages: ["restic", "sqlite3", "busybox", "procps"] },
  /** The docker CLI the backup image copies in place of docker:cli: Debian's docker-cli. */
  dockercli: { name: "dockercli", packages: ["docker-cli"] },
} as const satisfies Record<string, Flavour>;

export type FlavourName = keyof typeof FLAVOURS;
