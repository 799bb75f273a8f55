#!/bin/sh
# Kavita's OIDC settings through its API. Runs in the JSON helper image (curl, jq) in Kavita's
# network namespace. Env: KAVITA_ADMIN_USER, KAVITA_ADMIN_PASSWORD, KAVITA_ADMIN_EMAIL,
# OIDC_AUTHORITY, OIDC_DISCOVERY_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET.
# Kavita keeps authority, clientId and secret under oidcConfig of GET/POST /api/settings and
# applies them at startup (the step restarts it); it accepts the authority only when its
# discovery document's issuer equals it exactly (Kareadita/Kavita API/Services/SettingsService.cs
# UpdateOidcSettings, IsValidAuthority; API/DTOs/Settings/OidcConfigDto.cs).
set -eu
base=http://127.0.0.1:5000
wait_for "$base/api/health" 60 5
wait_for "$OIDC_DISCOVERY_URL" 60 10
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
umask 077
# Values through jq's env, never --arg: an argument is readable in /proc from the host.
jq -n '{username: env.KAVITA_ADMIN_USER, password: env.KAVITA_ADMIN_PASSWORD, email: env.KAVITA_ADMIN_EMAIL}' > "$tmp/login.json"
# Registration is open only while Kavita has no user; afterwards this fails and login decides.
curl -sS -o /dev/null -X POST -H 'Content-Type: application/json' --data @"$tmp/login.json" "$base/api/account/register" || true
curl -fsS -X POST -H 'Content-Type: application/json' --data @"$tmp/login.json" "$base/api/account/login" > "$tmp/user.json"
token=$(jq -r '.token // empty' "$tmp/user.json")
if [ -z "$token" ]; then echo "Kavita admin login failed" >&2; exit 1; fi
printf 'Authorization: Bearer %s\n' "$token" > "$tmp/auth"
curl -fsS -H @"$tmp/auth" "$base/api/settings" > "$tmp/settings.json"
if ! jq -e '.oidcConfig | type == "object"' "$tmp/settings.json" >/dev/null; then
  echo "Kavita settings have no oidcConfig object: check the settings API of this Kavita version" >&2
  exit 1
fi
jq '.oidcConfig.authority = env.OIDC_AUTHORITY | .oidcConfig.clientId = env.OIDC_CLIENT_ID | .oidcConfig.secret = env.OIDC_CLIENT_SECRET
   | .oidcConfig.provisionAccounts = true | .oidcConfig.requireVerifiedEmail = false' \
  "$tmp/settings.json" > "$tmp/new.json"
curl -fsS -o /dev/null -X POST -H @"$tmp/auth" -H 'Content-Type: application/json' --data @"$tmp/new.json" "$base/api/settings"
