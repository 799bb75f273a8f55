import { ServiceEnvContext, ServiceSpec } from "../../types";
import { at, adminEmail, smtpSecrets } from "../../settings";

/** Shared Authentik settings for the server and its worker (one env for both containers). */
function authentikEnv(ctx: ServiceEnvContext): Record<string, string> {
  const db = ctx.database("authentik");
  return {
    AUTHENTIK_POSTGRESQL__HOST: db.host,
    AUTHENTIK_POSTGRESQL__PORT: String(db.port),
    AUTHENTIK_POSTGRESQL__NAME: db.name,
    AUTHENTIK_POSTGRESQL__USER: db.user,
    // Secrets as files, not env (docker inspect, Portainer): Authentik resolves `file://<path>` in
    // any setting, in Python (authentik/lib/config.py, ConfigLoader.parse_uri) and in the Go server
    // (internal/config/config.go, parseScheme). The image runs as uid 1000: files readable by "any".
    AUTHENTIK_POSTGRESQL__PASSWORD: `file://${ctx.secretFile("postgresql-password", db.password, "any")}`,
    // The same key on every host: sessions and signed tokens must verify everywhere.
    AUTHENTIK_SECRET_KEY: `file://${ctx.secretFile("secret-key", ctx.secret("secret_key"), "any")}`,
    // Read by the bootstrap blueprint through !Env (blueprints/system/bootstrap.yaml), not through
    // the config loader, so it stays an env value; it only matters on the very first start.
    AUTHENTIK_BOOTSTRAP_PASSWORD: ctx.secret("bootstrap_password"),
    AUTHENTIK_BOOTSTRAP_EMAIL: ctx.secret("admin_email"),
    AUTHENTIK_ERROR_REPORTING__ENABLED: "false",
    AUTHENTIK_EMAIL__HOST: ctx.secret("smtp_host"),
    AUTHENTIK_EMAIL__PORT: "587",
    AUTHENTIK_EMAIL__USE_TLS: "true",
    AUTHENTIK_EMAIL__USERNAME: ctx.secret("smtp_username"),
    AUTHENTIK_EMAIL__PASSWORD: `file://${ctx.secretFile("email-password", ctx.secret("smtp_password"), "any")}`,
    AUTHENTIK_EMAIL__FROM: ctx.secret("smtp_username"),
  };
}

/**
 * Why Authentik's /data may differ per host: no end user writes it. It holds files an admin
 * uploads under Customization > Files (application and source icons, brand logos, flow
 * backgrounds; upstream website/docs/customize/files.mdx: "stored on disk in the /data directory,
 * but S3 storage can also be configured") and report exports; logins,
 * sessions and OAuth state are in Postgres. Our blueprints upload nothing (icons are URLs), so
 * it stays empty; an admin upload would show on one host only (use an icon URL, or move media to
 * S3 with AUTHENTIK_STORAGE__* first).
 */
const authentikDataReplicaSafe =
  "No end user writes here: only media an admin uploads (icons, backgrounds) and report exports; sessions and OAuth state are in the shared Postgres, and the blueprints upload nothing";
const authentikTemplatesReplicaSafe = "Custom templates an admin would place by hand; none are used, so it is empty on every host";

export const authentik: ServiceSpec = {
  name: "authentik",
  title: "Authentik",
  description: "Single sign-on for every app",
  icon: "🔐",
  image: { ref: "ghcr.io/goauthentik/server:2026.2.2" },
  port: 9000,
  hostnames: [at("auth")],
  placement: {
    mode: "replicated",
    reason:
      "Sessions, flow state, OAuth codes and tokens live in the shared Postgres (AUTHENTIK_POSTGRESQL__*; cache and tasks too since 2025.10), signed with one AUTHENTIK_SECRET_KEY on every host: the fix for the invalid_grant incident",
  },
  state: "shared",
  sso: { mode: "identity-provider" },
  // The admin interface behind Cloudflare Access, like Portainer. Only /if/admin/: the login and
  // enrollment flows (/if/flow/, /api/v3/flows/executor/), the user interface (/if/user/) and the
  // OIDC endpoints (/application/o/) serve every user and app, and the admin API shares /api/v3/
  // with them, so it stays behind Authentik's own admin permission.
  adminPaths: ["/if/admin/"],
  databases: [{ engine: "shared-postgres", name: "authentik", user: "authentik" }],
  volumes: [
    { name: "data", mountPath: "/data", replicaSafe: authentikDataReplicaSafe },
    { name: "templates", mountPath: "/templates", replicaSafe: authentikTemplatesReplicaSafe },
  ],
  secrets: [
    { name: "secret_key", source: "generated", length: 60 },
    { name: "bootstrap_password", source: "generated", length: 32 },
    adminEmail,
    ...smtpSecrets,
  ],
  command: ["server"],
  // None, for the server and the worker: the image runs as uid 1000 from the start (goauthentik/
  // authentik Dockerfile `USER 1000`, TMPDIR=/dev/shm/), and lifecycle/ak's root-only branch
  // (check_if_root: chown of /media and /certs, chpst to authentik) is skipped when not root.
  capabilities: { add: [] },
  env: authentikEnv,
  healthcheck: { test: ["CMD", "ak", "healthcheck"], startPeriod: "60s" },
  // goauthentik/authentik 2026.2.2 lifecycle/container/compose.yml: shm_size 512mb (server, worker).
  shmSizeMb: 512,
  memoryMb: 1024,
  companions: [
    {
      name: "worker",
      command: ["worker"],
      volumes: [
        { name: "data", mountPath: "/data", replicaSafe: authentikDataReplicaSafe },
        { name: "templates", mountPath: "/templates", replicaSafe: authentikTemplatesReplicaSafe },
        { name: "certs", mountPath: "/certs", replicaSafe: "The worker imports certificates an admin drops here into the shared database; we drop none, so it stays empty on every host" },
      ],
      healthcheck: { test: ["CMD", "ak", "healthcheck"], startPeriod: "60s" },
      memoryMb: 768,
    },
  ],
};
