import { ServiceSpec } from "../../types";
import { adminGroup, at } from "../../settings";
import { stepScript } from "../../scripts";

/**
 * Name of Forgejo's OIDC authentication source: Forgejo puts it in its callback path
 * (`/user/oauth2/<name>/callback`), so the redirect URI and the source are derived from it.
 */
const forgejoAuthName = "authentik";

export const forgejo: ServiceSpec = {
  name: "forgejo",
  title: "Forgejo",
  description: "Git forge for the homelab's code, configs and docs",
  icon: "🦊",
  image: { ref: "codeberg.org/forgejo/forgejo:11.0.7" },
  port: 3000,
  hostnames: [at("gitforge")],
  placement: {
    mode: "homed",
    home: "kscloud1",
    reason:
      "Repositories are a local directory (Forgejo's [storage] covers attachments and LFS, not repositories), so one copy; on the always-on host, next to the shared Postgres its database lives in",
    tailnetPort: 3006,
  },
  state: "shared",
  stateNote: "Database on the shared Postgres; repositories and sessions with it on kscloud1 (sessions in the database, so a restart keeps users logged in)",
  sso: { mode: "oidc", redirectPaths: [`/user/oauth2/${forgejoAuthName}/callback`] },
  databases: [{ engine: "shared-postgres", name: "forgejo", user: "forgejo" }],
  volumes: [{ name: "data", mountPath: "/data" }],
  // The rootful image starts as root under s6 (Forgejo keeps Gitea's docker/root tree:
  // usr/bin/entrypoint, etc/s6/gitea/setup, etc/s6/gitea/run; read in go-gitea/gitea, Forgejo's
  // own repository is not reachable from here): setup writes /data/git/.ssh/environment owned by
  // git (DAC_OVERRIDE), `chown -R ${USER}:git` the data dirs (CHOWN), `chmod 0755` them (FOWNER);
  // run does `su-exec $USER gitea web` (SETUID, SETGID); s6-supervise stops the git-owned server
  // (KILL). Withheld on purpose: NET_BIND_SERVICE and SYS_CHROOT, which only the bundled sshd
  // (etc/s6/openssh/run, port 22) would use; SSH is off (DISABLE_SSH), so sshd fails to bind and
  // s6 retries it (a log line a second) instead of listening on the Docker network.
  capabilities: { add: ["CHOWN", "DAC_OVERRIDE", "FOWNER", "KILL", "SETGID", "SETUID"] },
  secrets: [
    { name: "secret_key", source: "generated", length: 64 },
    { name: "internal_token", source: "generated", length: 105 },
    // 43 alphanumerics are valid base64url and decode to the 32 bytes Forgejo requires.
    { name: "jwt_secret", source: "generated", length: 43 },
  ],
  env: (ctx) => {
    const db = ctx.database("forgejo");
    return {
      USER_UID: "1000",
      USER_GID: "1000",
      FORGEJO__database__DB_TYPE: "postgres",
      FORGEJO__database__HOST: `${db.host}:${db.port}`,
      FORGEJO__database__NAME: db.name,
      FORGEJO__database__USER: db.user,
      // `<KEY>__FILE` reads the value from a file (modules/setting/config_env.go,
      // EnvConfigKeySuffixFile). Forgejo writes the values into app.ini on its data volume
      // anyway; the files keep them out of docker inspect and Portainer.
      FORGEJO__database__PASSWD__FILE: ctx.secretFile("database-passwd", db.password, "any"),
      FORGEJO__server__DOMAIN: at("gitforge"),
      FORGEJO__server__ROOT_URL: `${ctx.publicUrl}/`,
      FORGEJO__server__DISABLE_SSH: "true",
      // Every host signs and verifies with the same keys: one forge behind two connectors.
      FORGEJO__security__SECRET_KEY__FILE: ctx.secretFile("secret-key", ctx.secret("secret_key"), "any"),
      FORGEJO__security__INTERNAL_TOKEN__FILE: ctx.secretFile("internal-token", ctx.secret("internal_token"), "any"),
      FORGEJO__security__INSTALL_LOCK: "true",
      // Sessions (and the OAuth2 state and CSRF token they carry) in the database, not the
      // default memory: a restart keeps users logged in. modules/setting/session.go accepts
      // memory, file, redis, mysql, postgres, couchbase, memcache, db.
      FORGEJO__session__PROVIDER: "db",
      // base64url that must decode to 32 bytes, or Forgejo writes its own per host
      // (forgejo v11 modules/generate/generate.go DecodeJwtSecret, modules/setting/oauth2.go).
      FORGEJO__oauth2__JWT_SECRET__FILE: ctx.secretFile("jwt-secret", ctx.secret("jwt_secret"), "any"),
      FORGEJO__service__DISABLE_REGISTRATION: "false",
      FORGEJO__service__ALLOW_ONLY_EXTERNAL_REGISTRATION: "true",
      FORGEJO__openid__ENABLE_OPENID_SIGNIN: "false",
    };
  },
  // Forgejo keeps auth sources in its (shared) database and offers no env for them: the
  // admin CLI adds the source once, or updates it by id, on every host.
  postStart: (ctx) => [
    {
      description: "OIDC authentication source for Authentik",
      user: "git",
      env: {
        FORGEJO_AUTH_NAME: forgejoAuthName,
        OIDC_CLIENT_ID: ctx.oidc!.clientId,
        OIDC_CLIENT_SECRET: ctx.oidc!.clientSecret,
        OIDC_DISCOVERY_URL: ctx.oidc!.wellKnownUrl,
        OIDC_ADMIN_GROUP: adminGroup,
        // The client secret's hash after the last write: the CLI takes the secret only as an
        // argument, so the step passes it only when it changed (auth-source.sh).
        FORGEJO_AUTH_MARKER: `/data/gitea/kitestacks-auth-source-${forgejoAuthName}.sha256`,
      },
      shell: stepScript(__dirname, "auth-source.sh"),
    },
  ],
  // Tailscale-only: the metrics API (host network) reads Forgejo's activity here.
  hostPorts: [{ containerPort: 3000, hostPort: 3006, bind: "tailscale", reason: "Forgejo API for the metrics API and git over the tailnet" }],
  healthcheck: { test: ["CMD", "wget", "-qO-", "http://127.0.0.1:3000/api/healthz"] },
  memoryMb: 512,
};
