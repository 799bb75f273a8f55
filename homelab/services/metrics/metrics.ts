import { ServiceSpec } from "../../types";
import { metricsPort } from "../../settings";
import { BACKUP_STATUS_HOST_DIR } from "../../../backup/plan";

/** Where the metrics API reads the backup job's status files. */
const BACKUP_STATUS_MOUNT = "/backup-status";

export const metrics: ServiceSpec = {
  name: "metrics",
  title: "Metrics API",
  description: "Host CPU, memory and network, weather and Forgejo activity for the portal",
  icon: "📈",
  image: { build: "metrics" },
  port: metricsPort,
  placement: {
    mode: "replicated",
    reason: "Reads the /proc and /sys of the host it runs on and keeps nothing: it must run on every host",
  },
  state: "stateless",
  sso: { mode: "none" },
  // Interface counters need the host's network namespace (decisions: network_mode host). The
  // decisions also gave it pid: host; /proc/stat, meminfo, loadavg and uptime are host-wide
  // without it (metrics/src/proc.ts reads nothing per process), so it no longer gets one.
  hostNamespaces: true,
  // The disk it reports is the one Docker keeps its data on: statfs of an empty volume of its own,
  // so no host file is mounted in (it used to be the whole root filesystem, read-only).
  volumes: [{ name: "disk-probe", mountPath: "/host-disk", replicaSafe: "Always empty: only statfs of it is read, so no host keeps state in it" }],
  // The backup job's status files (/api/backups), read-only; created by Docker if the job has
  // not run yet (the root filesystem is no longer mounted in, so this is the one host path).
  bindMounts: [{ hostPath: BACKUP_STATUS_HOST_DIR, containerPath: BACKUP_STATUS_MOUNT, readOnly: true, createIfMissing: true }],
  // A Node server on an unprivileged port, as the image's own user (USER node): no capability,
  // nothing written outside /tmp (metrics/Dockerfile).
  capabilities: { add: [] },
  readOnlyRootFs: { tmpfs: ["/tmp"] },
  env: (ctx) => ({
    // Host networking: bind only the kitestacks bridge gateway, where the portal's nginx
    // reaches it; nothing else on the host network can.
    HOST: ctx.dockerGateway,
    PORT: String(metricsPort),
    PROC_ROOT: "/proc",
    SYS_ROOT: "/sys",
    DISK_PATH: "/host-disk",
    HOSTNAME_OVERRIDE: ctx.host.name,
    WEATHER_LATITUDE: "29.42",
    WEATHER_LONGITUDE: "-98.49",
    FORGEJO_API_BASE: `${ctx.publishedUrl("forgejo")}/api/v1`,
    // Whose pushes the portal shows (the owner's account on the forge).
    FORGEJO_USER: "kenpat",
    BACKUP_STATUS_DIR: BACKUP_STATUS_MOUNT,
    // Each homed service's tailnet port on its home: /api/homes tells the portal which homes
    // answer from this host.
    HOME_PROBES: JSON.stringify(ctx.homes),
  }),
  healthcheck: {
    test: ["CMD", "node", "-e", "fetch('http://'+process.env.HOST+':'+process.env.PORT+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"],
  },
  memoryMb: 128,
  // One Node process (main thread, libuv's 4 workers, V8's helpers: about 11 threads) and the
  // healthcheck's second node every 30 s.
  pidsLimit: 64,
};
