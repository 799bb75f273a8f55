import { PostStartStep, ServiceSpec } from "../../types";
import { adminGroup, at, jsonStepImage } from "../../settings";
import { stepScript } from "../../scripts";

/** Where Portainer reads its first admin password (written at container creation). */
const portainerAdminPasswordFile = "/kitestacks/admin-password";

/** Port of Portainer's classic agent. */
const agentPort = 9001;

export const portainer: ServiceSpec = {
  name: "portainer",
  title: "Portainer",
  description: "Docker management (homelab-admin only)",
  icon: "🐳",
  image: { ref: "portainer/portainer-ce:2.33.3" },
  port: 9000,
  hostnames: [at("portainer")],
  placement: {
    mode: "homed",
    home: "kscloud1",
    reason:
      "One server that manages every host: its JWT key is random per process and its BoltDB is local, so two servers would reject each other's tokens; on the always-on host, with an agent on every other host reached over Tailscale",
    tailnetPort: 9002,
  },
  state: "per-host",
  stateNote: "Users, settings and environments in the server's BoltDB (/data) on its home host; every other host runs only the agent",
  sso: { mode: "oidc", redirectPaths: ["/"], restrictToGroup: adminGroup },
  adminSurface: true,
  volumes: [{ name: "data", mountPath: "/data" }],
  // None for the server: root from the start over root-owned files, no user switch, ports 9000,
  // 9443, 8000 (portainer/portainer build/linux/Dockerfile: FROM portainer/base, ENTRYPOINT
  // /portainer); the socket (root:docker 0660) is its owner's, uid 0, without DAC_OVERRIDE.
  capabilities: { add: [] },
  bindMounts: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock", readOnly: false }],
  privileges: [
    {
      kind: "docker-socket",
      reason: "Portainer manages the Docker engine: the server on its home and the agent on every other host talk to it through the socket (root on that host); both sit behind Cloudflare Access and Authentik's homelab-admin policy",
    },
  ],
  secrets: [
    { name: "admin_password", source: "generated", length: 24 },
    // The server and every agent share it: an agent answers only a server that knows it.
    { name: "agent_secret", source: "generated", length: 48 },
  ],
  env: (ctx) => ({ AGENT_SECRET: ctx.secret("agent_secret") }),
  // The agent on every other host, published on that host's Tailscale address only; the
  // server on the home reaches it there (classic agent, port 9001).
  agent: {
    name: "agent",
    image: "portainer/agent:2.33.3",
    port: agentPort,
    bindMounts: [
      { hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock", readOnly: false },
      { hostPath: "/var/lib/docker/volumes", containerPath: "/var/lib/docker/volumes", readOnly: false },
    ],
    env: (ctx) => ({ AGENT_SECRET: ctx.secret("agent_secret"), AGENT_PORT: String(agentPort) }),
    healthcheck: { test: ["CMD", "/app/docker", "version"], interval: "60s" },
    memoryMb: 64,
    // Its volume browser reads, writes and chowns files of every uid under /var/lib/docker/volumes
    // (portainer/agent build/linux/Dockerfile: root, ENTRYPOINT ./agent), and the Docker socket
    // it holds starts a privileged container at will: dropping capabilities would break the
    // browser and bound nothing.
    capabilities: { dockerDefault: "Holds the Docker socket (root on the host whatever its capabilities) and browses volumes of every uid" },
  },
  // The first admin exists from the start (no five-minute setup window open to anyone); the
  // file is written at creation, so the password never appears in a command line.
  command: ["--admin-password-file", portainerAdminPasswordFile],
  files: (ctx) => [{ path: portainerAdminPasswordFile, content: ctx.secret("admin_password") }],
  // Portainer takes OAuth settings only through its API, and its image has no shell: a pinned
  // curl+jq sidecar in its network namespace logs in as admin and PUTs them (idempotent).
  // Who may log in at all is decided by Authentik's policy binding (restrictToGroup).
  postStart: (ctx): PostStartStep[] => [
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
    {
      // Each other host's agent as an environment of this one server (created once, by name).
      description: "Agent environments of the other hosts",
      image: jsonStepImage,
      env: {
        PORTAINER_ADMIN_PASSWORD: ctx.secret("admin_password"),
        // Names in one variable, each address in its own (a pure reference, never spliced text).
        AGENT_HOSTS: ctx.agentHosts.map((h) => h.name).join(" "),
        AGENT_PORT: String(agentPort),
        ...Object.fromEntries(ctx.agentHosts.map((h) => [`AGENT_ADDRESS_${h.name.replace(/-/g, "_")}`, h.address])),
      },
      shell: stepScript(__dirname, "agent-environments.sh", ["wait-for.sh"]),
    },
  ],
  healthcheck: { test: ["CMD", "/docker", "version"], interval: "60s" },
  memoryMb: 256,
};
