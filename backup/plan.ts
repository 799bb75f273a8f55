import { hostNamesOf, servicesOn } from "../homelab/derive";
import { BackupSettings, HomelabSpec, ImageSpec, ServiceSpec } from "../homelab/types";

/**
 * What the backup job of each host backs up, derived from the homelab description: a service's
 * volumes on that host, the shared-Postgres databases when that host runs the shared Postgres
 * (or Authentik's local rollback Postgres), and its per-host MariaDBs. No service is named here.
 */

export const BACKUP_DEFAULTS = {
  schedule: "15 3 * * *",
  drillSchedule: "45 4 * * 0",
  retention: { daily: 7, weekly: 4, monthly: 6 },
  repositoryPath: "kitestacks",
  image: { build: "backup/image" },
} as const;

export type ResolvedBackupSettings = {
  readonly schedule: string;
  readonly drillSchedule: string;
  readonly retention: { readonly daily: number; readonly weekly: number; readonly monthly: number };
  readonly repositoryPath: string;
  readonly image: ImageSpec;
};

export function backupSettings(spec: HomelabSpec): ResolvedBackupSettings {
  const given: BackupSettings = spec.backup ?? {};
  return {
    schedule: given.schedule ?? BACKUP_DEFAULTS.schedule,
    drillSchedule: given.drillSchedule ?? BACKUP_DEFAULTS.drillSchedule,
    retention: given.retention ?? BACKUP_DEFAULTS.retention,
    repositoryPath: given.repositoryPath ?? BACKUP_DEFAULTS.repositoryPath,
    image: given.image ?? BACKUP_DEFAULTS.image,
  };
}

/**
 * The Docker volume of a service's volume (HostedService names it so; the backup mounts it).
 * After a rename it keeps the oldest name: changing a docker_volume's name replaces it.
 */
export function volumeName(svc: Pick<ServiceSpec, "name" | "formerNames">, volume: string): string {
  return `${svc.formerNames?.[0] ?? svc.name}-${volume}`;
}

/** The container name of a service's per-host MariaDB. */
export const mariadbContainerName = (service: string): string => `${service}-mariadb`;

/**
 * Host directory of the job's status files. The metrics API reads it through its read-only
 * `/` → `/host` mount, so no volume is shared between the two.
 */
export const BACKUP_STATUS_HOST_DIR = "/var/lib/kitestacks/backup/status";

/** Where the job container sees a Docker volume. */
export const VOLUMES_ROOT = "/volumes";

/** What one service's snapshot on one host holds. */
export interface ServiceBackup {
  readonly service: string;
  /** Containers stopped while its files and database are captured: the main one and its companions. */
  readonly containers: readonly string[];
  readonly volumes: readonly { readonly volume: string; readonly dir: string }[];
  /** The Postgres container holding `postgresDatabases` on this host. */
  readonly postgresContainer?: string;
  readonly postgresDatabases: readonly string[];
  readonly mariadb: readonly { readonly database: string; readonly container: string }[];
}

/** Names of a service's volumes (the main container's and its companions'), each once. */
export function serviceVolumes(svc: ServiceSpec): string[] {
  const names = [...(svc.volumes ?? []), ...(svc.companions ?? []).flatMap((c) => c.volumes ?? [])].map((v) => v.name);
  return [...new Set(names)];
}

/** Does this host hold the service's shared-Postgres databases? */
function postgresContainerFor(spec: HomelabSpec, svc: ServiceSpec, host: string): string | undefined {
  const pg = spec.sharedPostgres;
  if (!pg) return undefined;
  if (pg.host === host) return pg.containerName;
  // The documented rollback: this host's Authentik runs on a Postgres of its own.
  if (svc.sso.mode === "identity-provider" && (pg.authentikLocalFallbackOn ?? []).includes(host)) return pg.containerName;
  return undefined;
}

/** Every service with something to back up on a host, in spec order. */
export function backupPlan(spec: HomelabSpec, host: string, volumesRoot: string = VOLUMES_ROOT): ServiceBackup[] {
  return servicesOn(spec, host)
    .map((svc): ServiceBackup => {
      const pgContainer = postgresContainerFor(spec, svc, host);
      const pgDatabases = pgContainer ? (svc.databases ?? []).filter((d) => d.engine === "shared-postgres").map((d) => d.name) : [];
      return {
        service: svc.name,
        containers: [svc.name, ...(svc.companions ?? []).map((c) => `${svc.name}-${c.name}`)],
        volumes: serviceVolumes(svc).map((v) => ({ volume: volumeName(svc, v), dir: `${volumesRoot}/${volumeName(svc, v)}` })),
        postgresContainer: pgDatabases.length > 0 ? pgContainer : undefined,
        postgresDatabases: pgDatabases,
        mariadb: (svc.databases ?? []).filter((d) => d.engine === "mariadb").map((d) => ({ database: d.name, container: mariadbContainerName(svc.name) })),
      };
    })
    .filter((b) => b.volumes.length > 0 || b.postgresDatabases.length > 0 || b.mariadb.length > 0);
}

/** Hosts that hold some of a service's data, with what each holds. */
export function backupHostsOf(spec: HomelabSpec, service: string): { host: string; backup: ServiceBackup }[] {
  const svc = spec.services.find((s) => s.name === service);
  if (!svc) return [];
  return hostNamesOf(spec, svc).flatMap((host) => {
    const backup = backupPlan(spec, host).find((b) => b.service === service);
    return backup ? [{ host, backup }] : [];
  });
}

const shellWord = (value: string): string => {
  if (!/^[A-Za-z0-9_.,:/=@+ -]*$/.test(value)) throw new Error(`backup plan: ${JSON.stringify(value)} is not a safe shell word`);
  return `'${value}'`;
};

/** The plan file the job's scripts source (`<service>.env`, see backup/image/lib.sh). */
export function planFile(b: ServiceBackup): string {
  const lines: [string, string][] = [
    ["KITE_SERVICE", b.service],
    ["KITE_CONTAINERS", b.containers.join(" ")],
    ["KITE_VOLUMES", b.volumes.map((v) => `${v.volume}=${v.dir}`).join(" ")],
    ["KITE_PG_CONTAINER", b.postgresContainer ?? ""],
    ["KITE_PG_DATABASES", b.postgresDatabases.join(" ")],
    ["KITE_MARIADB", b.mariadb.map((m) => `${m.database}=${m.container}`).join(" ")],
  ];
  return `# Generated from the homelab description: what the backup of ${b.service} holds on this host.\n${lines.map(([k, v]) => `${k}=${shellWord(v)}`).join("\n")}\n`;
}

/** Seconds between two runs of a cron schedule's usual cadence: daily, weekly or hourly lines. */
export function scheduleIntervalSeconds(cron: string): number {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`backup schedule ${JSON.stringify(cron)}: give five cron fields (minute hour day month weekday)`);
  const [minute, hour, day, month, weekday] = fields;
  if (month !== "*") return 366 * 86400;
  if (day !== "*") return 31 * 86400;
  if (weekday !== "*") return (7 * 86400) / weekday.split(",").length;
  if (hour === "*") return 3600 / minute.split(",").length;
  return 86400 / hour.split(",").length;
}

/** What the metrics API needs to judge a host's backups: the services it expects, and how often. */
export interface BackupSchedule {
  readonly host: string;
  readonly services: readonly string[];
  readonly backup: { readonly schedule: string; readonly intervalSeconds: number };
  readonly drill: { readonly schedule: string; readonly intervalSeconds: number };
  /** Whether this host runs retention (forget --prune) for the repository. */
  readonly prunes: boolean;
}

export function backupSchedule(spec: HomelabSpec, host: string, prunes: boolean): BackupSchedule {
  const s = backupSettings(spec);
  return {
    host,
    services: backupPlan(spec, host).map((b) => b.service),
    backup: { schedule: s.schedule, intervalSeconds: scheduleIntervalSeconds(s.schedule) },
    drill: { schedule: s.drillSchedule, intervalSeconds: scheduleIntervalSeconds(s.drillSchedule) },
    prunes,
  };
}
