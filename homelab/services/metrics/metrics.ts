import { ServiceSpec } from "../../types";
import { metricsPort } from "../../settings";
import { BACKUP_STATUS_HOST_DIR } from "../../../backup/plan";

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
  // psutil-style host stats need the host's namespaces (decisions: network_mode/pid host).
  hostNamespaces: true,
  bindMounts: [{ hostPath: "/", containerPath: "/host", readOnly: true }],
  env: (ctx) => ({
    // Host networking: bind only the kitestacks bridge gateway, where the portal's nginx
    // reaches it; nothing else on the host network can.
    HOST: ctx.dockerGateway,
    PORT: String(metricsPort),
    PROC_ROOT: "/proc",
    SYS_ROOT: "/sys",
    DISK_PATH: "/host",
    HOSTNAME_OVERRIDE: ctx.host.name,
    WEATHER_LATITUDE: "29.42",
    WEATHER_LONGITUDE: "-98.49",
    FORGEJO_API_BASE: `${ctx.publishedUrl("forgejo")}/api/v1`,
    // Whose pushes the portal shows (the owner's account on the forge).
    FORGEJO_USER: "kenpat",
    // The backup job's status files (/api/backups), through the read-only mount of /.
    BACKUP_STATUS_DIR: `/host${BACKUP_STATUS_HOST_DIR}`,
    // Each homed service's tailnet port on its home: /api/homes tells the portal which homes
    // answer from this host.
    HOME_PROBES: JSON.stringify(ctx.homes),
  }),
  healthcheck: {
    test: ["CMD", "node", "-e", "fetch('http://'+process.env.HOST+':'+process.env.PORT+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"],
  },
  memoryMb: 128,
};
