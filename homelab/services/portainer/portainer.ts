import { ServiceSpec } from "../../types";
import { adminGroup, at, waitFor, curlImage } from "../../settings";

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
  // curl sidecar in its network namespace logs in as admin and PUTs them (idempotent).
  // Who may log in at all is decided by Authentik's policy binding (restrictToGroup).
  postStart: (ctx) => [
    {
      description: "OAuth settings through the Portainer API",
      image: curlImage,
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
      shell: String.raw`set -eu
${waitFor}
base=http://127.0.0.1:9000
wait_for "$base/api/system/status" 60 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
umask 077
printf '{"Username":"admin","Password":"%s"}' "$PORTAINER_ADMIN_PASSWORD" > "$tmp/login.json"
jwt=$(curl -fsS -X POST -H 'Content-Type: application/json' --data @"$tmp/login.json" "$base/api/auth" | sed -n 's/.*"jwt":"\([^"]*\)".*/\1/p')
if [ -z "$jwt" ]; then echo "Portainer admin login failed" >&2; exit 1; fi
printf 'Authorization: Bearer %s\n' "$jwt" > "$tmp/auth"
printf '{"AuthenticationMethod":3,"OAuthSettings":{"ClientID":"%s","ClientSecret":"%s","AuthorizationURI":"%s","AccessTokenURI":"%s","ResourceURI":"%s","LogoutURI":"%s","RedirectURI":"%s","UserIdentifier":"preferred_username","Scopes":"openid profile email","OAuthAutoCreateUsers":true,"DefaultTeamID":0,"SSO":true}}' \
  "$OIDC_CLIENT_ID" "$OIDC_CLIENT_SECRET" "$OIDC_AUTHORIZE_URL" "$OIDC_TOKEN_URL" "$OIDC_USERINFO_URL" "$OIDC_LOGOUT_URL" "$OIDC_REDIRECT_URI" > "$tmp/settings.json"
curl -fsS -o /dev/null -X PUT -H @"$tmp/auth" -H 'Content-Type: application/json' --data @"$tmp/settings.json" "$base/api/settings"`,
    },
  ],
  healthcheck: { test: ["CMD", "/docker", "version"], interval: "60s" },
  memoryMb: 256,
};
