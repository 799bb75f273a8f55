import { ServiceSpec } from "../../types";
import { domain, at, metricsPort } from "../../settings";

export const portal: ServiceSpec = {
  name: "portal",
  title: "KiteStacks",
  description: "The front page: every service, live host stats, weather and git activity",
  icon: "🪁",
  image: { build: "portal" },
  port: 8080,
  hostnames: [domain, at("www")],
  placement: {
    mode: "replicated",
    reason: "A static site plus a proxy to this host's own metrics API: nothing per request to keep, and each host's copy shows that host's stats",
  },
  state: "stateless",
  sso: { mode: "none" },
  portalCard: false,
  // nginx-unprivileged as uid 101 on 8080 (portal/Dockerfile, nginx/docker-nginx-unprivileged
  // mainline/alpine/Dockerfile `USER $UID`): no capability. It writes only its pid and temp files
  // (/tmp) and the entrypoint's envsubst output (/etc/nginx/conf.d, 20-envsubst-on-templates.sh).
  capabilities: { add: [] },
  // conf.d as nginx's own (uid:gid 101:101, the image's `ARG UID=101`/`GID=101`): a root-owned
  // tmpfs there refuses the entrypoint's envsubst ("cannot create .../default.conf").
  readOnlyRootFs: { tmpfs: ["/tmp", { path: "/etc/nginx/conf.d", uid: 101, gid: 101 }] },
  env: (ctx) => ({ METRICS_UPSTREAM: `${ctx.dockerGateway}:${metricsPort}` }),
  healthcheck: { test: ["CMD", "wget", "-qO-", "http://127.0.0.1:8080/healthz"] },
  memoryMb: 64,
};
