import { ServiceSpec } from "../../types";
import { adminGroup, at } from "../../settings";

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
  hosts: "all",
  state: "shared",
  stateNote:
    "Database shared on kscloud1; repository files under /data stay on each host, so a push reaches only the host that served it until mirrored",
  sso: { mode: "oidc", redirectPaths: [`/user/oauth2/${forgejoAuthName}/callback`] },
  databases: [{ engine: "shared-postgres", name: "forgejo", user: "forgejo" }],
  volumes: [{ name: "data", mountPath: "/data" }],
  secrets: [
    { name: "secret_key", source: "generated", length: 64 },
    { name: "internal_token", source: "generated", length: 105 },
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
      },
      shell: String.raw`set -eu
n=0
until forgejo admin auth list >/dev/null 2>&1; do
  n=$((n + 1))
  if [ "$n" -ge 60 ]; then echo "forgejo admin CLI not ready" >&2; exit 1; fi
  sleep 5
done
id=$(forgejo admin auth list | awk -v name="$FORGEJO_AUTH_NAME" 'NR > 1 && $2 == name { print $1 }')
set -- --name "$FORGEJO_AUTH_NAME" --provider openidConnect --key "$OIDC_CLIENT_ID" --secret "$OIDC_CLIENT_SECRET" \
  --auto-discover-url "$OIDC_DISCOVERY_URL" --scopes openid --scopes email --scopes profile \
  --group-claim-name groups --admin-group "$OIDC_ADMIN_GROUP"
if [ -n "$id" ]; then
  forgejo admin auth update-oauth --id "$id" "$@"
else
  forgejo admin auth add-oauth "$@"
fi`,
    },
  ],
  // Tailscale-only: the metrics API (host network) reads Forgejo's activity here.
  hostPorts: [{ containerPort: 3000, hostPort: 3006, bind: "tailscale", reason: "Forgejo API for the metrics API and git over the tailnet" }],
  healthcheck: { test: ["CMD", "wget", "-qO-", "http://127.0.0.1:3000/api/healthz"] },
  memoryMb: 512,
};
