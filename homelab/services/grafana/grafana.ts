import { ServiceSpec } from "../../types";
import { adminGroup, at } from "../../settings";

export const grafana: ServiceSpec = {
  name: "grafana",
  title: "Grafana",
  description: "Dashboards",
  icon: "📊",
  image: { ref: "grafana/grafana:12.3.0" },
  port: 3000,
  hostnames: [at("grafana")],
  placement: {
    mode: "homed",
    home: "kscloud1",
    reason:
      "Homed rather than replicated: a replica per host would need the shared Postgres (GF_DATABASE_*), one GF_SECURITY_SECRET_KEY, the database remote cache, and unified-alerting HA peers over Tailscale so alerts are not sent twice, for one user's dashboards; one copy on the always-on host needs none of that and half the memory",
    tailnetPort: 3001,
  },
  state: "per-host",
  stateNote: "Dashboards, users and login tokens in its SQLite on its home host",
  sso: { mode: "oidc", redirectPaths: ["/login/generic_oauth"] },
  volumes: [{ name: "data", mountPath: "/var/lib/grafana" }],
  // None: the image runs as uid 472 from the start (grafana/grafana packaging/docker Dockerfile
  // `USER "$GF_UID"`, run.sh switches no user) on port 3000.
  capabilities: { add: [] },
  secrets: [{ name: "admin_password", source: "generated", length: 24 }],
  env: (ctx) => ({
    GF_SERVER_ROOT_URL: `${ctx.publicUrl}/`,
    // `GF_<NAME>__FILE`: the image's run.sh (packaging/docker/run.sh) exports the file's content as
    // GF_<NAME> before Grafana starts; it runs as uid 472, so readable by "any".
    GF_SECURITY_ADMIN_PASSWORD__FILE: ctx.secretFile("admin-password", ctx.secret("admin_password"), "any"),
    GF_ANALYTICS_REPORTING_ENABLED: "false",
    GF_AUTH_GENERIC_OAUTH_ENABLED: "true",
    GF_AUTH_GENERIC_OAUTH_NAME: "Authentik",
    GF_AUTH_GENERIC_OAUTH_CLIENT_ID: ctx.oidc!.clientId,
    GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET__FILE: ctx.secretFile("oauth-client-secret", ctx.oidc!.clientSecret, "any"),
    GF_AUTH_GENERIC_OAUTH_SCOPES: "openid profile email",
    GF_AUTH_GENERIC_OAUTH_AUTH_URL: ctx.oidc!.authorizeUrl,
    GF_AUTH_GENERIC_OAUTH_TOKEN_URL: ctx.oidc!.tokenUrl,
    GF_AUTH_GENERIC_OAUTH_API_URL: ctx.oidc!.userinfoUrl,
    GF_AUTH_SIGNOUT_REDIRECT_URL: ctx.oidc!.endSessionUrl,
    GF_AUTH_GENERIC_OAUTH_ROLE_ATTRIBUTE_PATH: `contains(groups, '${adminGroup}') && 'Admin' || 'Viewer'`,
    GF_AUTH_OAUTH_AUTO_LOGIN: "true",
  }),
  healthcheck: { test: ["CMD", "wget", "-qO-", "http://127.0.0.1:3000/api/health"] },
  memoryMb: 256,
};
