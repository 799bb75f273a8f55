import { ServiceSpec } from "../../types";
import { at, adminEmail, waitFor } from "../../settings";

export const kavita: ServiceSpec = {
  name: "kavita",
  title: "Kavita",
  description: "Books, comics and manga reader",
  icon: "📖",
  image: { ref: "jvmilazz0/kavita:0.8.8" },
  port: 5000,
  hostnames: [at("kavita")],
  hosts: "all",
  state: "per-host",
  stateNote: "Library and reading progress are per host (accepted in the decisions: uptime over consistency)",
  sso: { mode: "oidc", redirectPaths: ["/signin-oidc", "/signout-callback-oidc"] },
  volumes: [
    { name: "config", mountPath: "/kavita/config" },
    { name: "library", mountPath: "/library" },
  ],
  secrets: [{ name: "admin_password", source: "generated", length: 24 }, adminEmail],
  // Kavita (0.8.8) takes OIDC settings only through its settings API, reads the authority,
  // client id and secret only at startup, and checks the authority's discovery document on
  // save. The step claims the first admin account (so nobody else can on a fresh host),
  // rewrites just the OIDC fields of the current settings and restarts Kavita.
  postStart: (ctx) => [
    {
      description: "OIDC settings through the Kavita API",
      env: {
        KAVITA_ADMIN_USER: "admin",
        KAVITA_ADMIN_PASSWORD: ctx.secret("admin_password"),
        KAVITA_ADMIN_EMAIL: ctx.secret("admin_email"),
        OIDC_AUTHORITY: ctx.oidc!.issuer,
        OIDC_DISCOVERY_URL: ctx.oidc!.wellKnownUrl,
        OIDC_CLIENT_ID: ctx.oidc!.clientId,
        OIDC_CLIENT_SECRET: ctx.oidc!.clientSecret,
      },
      restartAfter: true,
      shell: String.raw`set -eu
${waitFor}
base=http://127.0.0.1:5000
wait_for "$base/api/health" 60 5
wait_for "$OIDC_DISCOVERY_URL" 60 10
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
umask 077
printf '{"username":"%s","password":"%s","email":"%s"}' "$KAVITA_ADMIN_USER" "$KAVITA_ADMIN_PASSWORD" "$KAVITA_ADMIN_EMAIL" > "$tmp/login.json"
# Registration is open only while Kavita has no user; afterwards this fails and login decides.
curl -sS -o /dev/null -X POST -H 'Content-Type: application/json' --data @"$tmp/login.json" "$base/api/account/register" || true
token=$(curl -fsS -X POST -H 'Content-Type: application/json' --data @"$tmp/login.json" "$base/api/account/login" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
if [ -z "$token" ]; then echo "Kavita admin login failed" >&2; exit 1; fi
printf 'Authorization: Bearer %s\n' "$token" > "$tmp/auth"
curl -fsS -H @"$tmp/auth" "$base/api/settings" > "$tmp/settings.json"
printf 's#"authority":(null|"[^"]*")#"authority":"%s"#\ns#"clientId":(null|"[^"]*")#"clientId":"%s"#\ns#"secret":(null|"[^"]*")#"secret":"%s"#\ns#"provisionAccounts":(true|false)#"provisionAccounts":true#\ns#"requireVerifiedEmail":(true|false)#"requireVerifiedEmail":false#\n' \
  "$OIDC_AUTHORITY" "$OIDC_CLIENT_ID" "$OIDC_CLIENT_SECRET" > "$tmp/oidc.sed"
sed -E -f "$tmp/oidc.sed" "$tmp/settings.json" > "$tmp/new.json"
if ! grep -qF "\"authority\":\"$OIDC_AUTHORITY\"" "$tmp/new.json" || ! grep -qF "\"clientId\":\"$OIDC_CLIENT_ID\"" "$tmp/new.json" || ! grep -q '"secret":"' "$tmp/new.json"; then
  echo "Kavita settings lack oidcConfig authority/clientId/secret: check the settings API of this Kavita version" >&2
  exit 1
fi
curl -fsS -o /dev/null -X POST -H @"$tmp/auth" -H 'Content-Type: application/json' --data @"$tmp/new.json" "$base/api/settings"`,
    },
  ],
  healthcheck: { test: ["CMD", "curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:5000/api/health"] },
  memoryMb: 512,
};
