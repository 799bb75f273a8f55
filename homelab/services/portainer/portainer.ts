import { ServiceSpec } from "../../types";
import { adminGroup, at, jsonStepImage } from "../../settings";
import { stepScript } from "../../scripts";

/** Where Portainer reads its first admin password (written at container creation). */
const portainerAdminPasswordFile = "/kitestacks/admin-password";

export const portainer: ServiceSpec = {
  name: "portainer",
  title: "Portainer",
  description: "Docker management (homelab-admin only)",
  icon: "🐳",
  image: { ref: "portainer/portainer-ce:2.33.3" },
  port: 9000,
  hostnames: [at("portainer")],
  hosts: "all",
  state: "per-host",
  stateNote: "Each Portainer manages the Docker engine of its own host",
  sso: { mode: "oidc", redirectPaths: ["/"], restrictToGroup: adminGroup },
  adminSurface: true,
  volumes: [{ name: "data", mountPath: "/data" }],
  bindMounts: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock", readOnly: false }],
  secrets: [{ name: "admin_password", source: "generated", length: 24 }],
  // The first admin exists from the start (no five-minute setup window open to anyone); the
  // file is written at creation, so the password never appears in a command line.
  command: ["--admin-password-file", portainerAdminPasswordFile],
  files: (ctx) => [{ path: portainerAdminPasswordFile, content: ctx.secret("admin_password") }],
  // Portainer takes OAuth settings only through its API, and its image has no shell: a pinned
  // curl+jq sidecar in its network namespace logs in as admin and PUTs them (idempotent).
  // Who may log in at all is decided by Authentik's policy binding (restrictToGroup).
  postStart: (ctx) => [
    {
      description: "OAuth settings through the Portainer API",
      image: jsonStepImage,
      env: {
        PORTAINER_ADMIN_PASSWORD: ctx.secret("admin_password"),
        OIDC_CLIENT_ID: ctx.oidc!.clientId,
        OIDC_CLIENT_SECRET: ctx.oidc!.clientSecret,
        OIDC_AUTHORIZE_URL: ctx.oidc!.authorizeUrl,
        OIDC_TOKEN_URL: ctx.oidc!.tokenUrl,
        OIDC_USERINFO_URL: ctx.oidc!.userinfoUrl,
        OIDC_LOGOUT_URL: ctx.oidc!.endSessionUrl,
        OIDC_REDIRECT_URI: ctx.oidc!.redirectUris[0],
      },
      shell: stepScript(__dirname, "oauth-settings.sh", ["wait-for.sh"]),
    },
  ],
  healthcheck: { test: ["CMD", "/docker", "version"], interval: "60s" },
  memoryMb: 256,
};
