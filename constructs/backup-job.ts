import { ContainerUpload } from "@cdktf/provider-docker/lib/container";
import { Network } from "@cdktf/provider-docker/lib/network";
import { Volume } from "@cdktf/provider-docker/lib/volume";
import { Construct } from "constructs";
import { BACKUP_STATUS_HOST_DIR, BackupSchedule, planFile, ResolvedBackupSettings, ServiceBackup } from "../backup/plan";
import { IContainerImage } from "./container-image";
import { KiteService } from "./kite-service";

/** Where the job keeps things on the host and in its container. */
/** The backup job's container name on every host that holds data. */
export const BACKUP_CONTAINER = "kitestacks-backup";

export const BACKUP_PATHS = {
  /** Host directory of the status files; the metrics API reads it through its `/` → `/host` mount. */
  hostStatusDir: BACKUP_STATUS_HOST_DIR,
  /** Host directory for dumps and drill restores (not a Docker volume: nothing in it is user data). */
  hostScratchDir: "/var/lib/kitestacks/backup/scratch",
  config: "/etc/kitestacks/backup/config.env",
  planDir: "/etc/kitestacks/backup/services",
  schedule: "/etc/kitestacks/backup/schedule.json",
  crontab: "/etc/crontabs/root",
  scripts: "/opt/kitestacks",
  secrets: "/run/secrets/kitestacks",
  status: "/status",
  scratch: "/scratch",
} as const;

export interface BackupJobProps {
  /** Host it runs on (labels, restic --host). */
  readonly host: string;
  /** The job image (backup/image: restic, the docker CLI, sqlite3 and the scripts). */
  readonly image: IContainerImage;
  readonly network: Network;
  /** What it backs up (from backupPlan). */
  readonly plan: readonly ServiceBackup[];
  /** The Docker volumes the plan names, to mount at their plan directories. */
  readonly volumes: ReadonlyMap<string, Volume>;
  readonly settings: ResolvedBackupSettings;
  readonly schedule: BackupSchedule;
  /** `s3:<endpoint>/<bucket>/<path>` (tokens of sensitive variables). */
  readonly repository: string;
  /** The repository password (a random_password). */
  readonly repositoryPassword: string;
  readonly s3AccessKeyId: string;
  readonly s3SecretAccessKey: string;
  /**
   * Runs retention (forget --prune) for the whole repository: one host only, since it takes
   * restic's exclusive lock.
   * @default false
   */
  readonly prune?: boolean;
  /**
   * The role pg_dump and pg_restore connect as in the shared Postgres: an adopted cluster's own
   * superuser (SharedPostgresProps.superuser).
   * @default postgres (backup/image/lib.sh)
   */
  readonly postgresSuperuser?: string;
  /** @default 256 */
  readonly memoryMb?: number;
  /** Processes and threads at once: crond, the job's shell, restic's and docker's Go threads. @default 256 */
  readonly pidsLimit?: number;
  /** `ssh://<user>@<host>`: where the docker CLI applies the pids limit. */
  readonly dockerHost: string;
}

/**
 * The backup job of one host: a long-running container whose busybox crond runs backup.sh on
 * the backup schedule and drill.sh on the drill schedule (both under one flock, so a slow
 * backup and a drill never overlap). Chosen over a systemd timer from cloud-init because monk is
 * not created by this code (no cloud-init there) and because a container is changed by the same
 * `cdktf deploy` as the services it backs up, on every host alike.
 *
 * It mounts the Docker socket (to stop a service's containers around its snapshot, and to run
 * pg_dump/mariadb-dump inside the database containers, whose tools match the server exactly),
 * the service volumes (read-write: restore.sh refills them in place), a scratch directory and the
 * status directory the metrics API reads. Secrets are files uploaded at creation.
 */
export class BackupJob extends Construct {
  public readonly service: KiteService;

  constructor(scope: Construct, id: string, props: BackupJobProps) {
    super(scope, id);
    const p = BACKUP_PATHS;
    const config: Record<string, string> = {
      KITE_HOST: props.host,
      RESTIC_REPOSITORY: props.repository,
      RESTIC_PASSWORD_FILE: `${p.secrets}/restic-password`,
      KITE_S3_ACCESS_KEY_FILE: `${p.secrets}/s3-access-key-id`,
      KITE_S3_SECRET_KEY_FILE: `${p.secrets}/s3-secret-access-key`,
      KITE_PLAN_DIR: p.planDir,
      KITE_STATUS_DIR: p.status,
      KITE_SCRATCH_DIR: p.scratch,
      KITE_SCHEDULE_FILE: p.schedule,
      KITE_KEEP_DAILY: String(props.settings.retention.daily),
      KITE_KEEP_WEEKLY: String(props.settings.retention.weekly),
      KITE_KEEP_MONTHLY: String(props.settings.retention.monthly),
      KITE_PRUNE: props.prune ? "1" : "0",
      ...(props.postgresSuperuser ? { KITE_PG_SUPERUSER: props.postgresSuperuser } : {}),
      KITE_IMAGE: props.image.ref,
    };
    const lock = `flock ${p.scratch}/.lock`;
    // crond is PID 1: its stdout and stderr are the container's log.
    const crontab = [
      `# Generated from the homelab description's backup settings (times in UTC).`,
      `${props.settings.schedule} ${lock} ${p.scripts}/backup.sh >/proc/1/fd/1 2>/proc/1/fd/2`,
      `${props.settings.drillSchedule} ${lock} ${p.scripts}/drill.sh >/proc/1/fd/1 2>/proc/1/fd/2`,
      "",
    ].join("\n");
    const uploads: ContainerUpload[] = [
      { file: p.config, content: Object.entries(config).map(([k, v]) => `${k}='${v}'\n`).join(""), permissions: "0400" },
      { file: p.crontab, content: crontab, permissions: "0600" },
      { file: p.schedule, content: `${JSON.stringify(props.schedule)}\n`, permissions: "0444" },
      { file: `${p.secrets}/restic-password`, content: props.repositoryPassword, permissions: "0400" },
      { file: `${p.secrets}/s3-access-key-id`, content: props.s3AccessKeyId, permissions: "0400" },
      { file: `${p.secrets}/s3-secret-access-key`, content: props.s3SecretAccessKey, permissions: "0400" },
      ...props.plan.map((b) => ({ file: `${p.planDir}/${b.service}.env`, content: planFile(b), permissions: "0444" })),
    ];
    const mounts = props.plan.flatMap((b) =>
      b.volumes.map((v) => {
        const volume = props.volumes.get(v.volume);
        if (!volume) throw new Error(`BackupJob on ${props.host}: the plan backs up volume ${v.volume}, which this host does not have`);
        return { volume, mountPath: v.dir };
      }),
    );
    this.service = new KiteService(this, "job", {
      name: BACKUP_CONTAINER,
      service: BACKUP_CONTAINER,
      host: props.host,
      role: "backup",
      image: props.image,
      // No port: nothing connects to it. 0 keeps KiteService's URL meaningless rather than wrong.
      port: 0,
      network: props.network,
      command: [`${p.scripts}/entrypoint.sh`],
      user: "root",
      // Docker's default capabilities, on purpose: restic reads and the drill restores files of
      // every uid with their owners and modes (DAC_READ_SEARCH/DAC_OVERRIDE, CHOWN, FOWNER,
      // FSETID), and the Docker socket it holds is root on the host whatever it is given.
      volumes: mounts,
      bindMounts: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock", readOnly: false }],
      hostDirs: [
        { hostPath: p.hostStatusDir, containerPath: p.status },
        { hostPath: p.hostScratchDir, containerPath: p.scratch },
      ],
      healthcheck: { test: ["CMD", "pgrep", "crond"], interval: "60s" },
      memoryMb: props.memoryMb ?? 256,
      pidsLimit: props.pidsLimit ?? 256,
      dockerHost: props.dockerHost,
      uploads,
    });
  }
}
