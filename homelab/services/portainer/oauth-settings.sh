#!/bin/sh
# Portainer's OAuth settings through its API. Runs in the JSON helper image (curl, jq) in
# Portainer's network namespace: Portainer's own image has no shell. Env:
# PORTAINER_ADMIN_PASSWORD, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_AUTHORIZE_URL,
# OIDC_TOKEN_URL, OIDC_USERINFO_URL, OIDC_LOGOUT_URL, OIDC_REDIRECT_URI.
# POST /api/auth {Username, Password} -> {jwt} (portainer api/http/handler/auth/authenticate.go);
# PUT /api/settings {AuthenticationMethod: 3 = OAuth, OAuthSettings} (api/http/handler/settings/
# settings_update.go, api/portainer.go OAuthSettings). Scopes are comma-separated
# (api/oauth/oauth.go strings.Split(Scopes, ",")).
set -eu
base=http://127.0.0.1:9000
wait_for "$base/api/system/status" 60 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
umask 077
# The password through jq's env, never --arg: an argument is readable in /proc from the host.
jq -n '{Username: "admin", Password: env.PORTAINER_ADMIN_PASSWORD}' > "$tmp/login.json"
curl -fsS -X POST -H 'Content-Type: application/json' --data @"$tmp/login.json" "$base/api/auth" > "$tmp/jwt.json"
jwt=$(jq -r '.jwt // empty' "$tmp/jwt.json")
if [ -z "$jwt" ]; then echo "Portainer admin login failed" >&2; exit 1; fi
printf 'Authorization: Bearer %s\n' "$jwt" > "$tmp/auth"
jq -n \
  '{AuthenticationMethod: 3, OAuthSettings: {
      ClientID: env.OIDC_CLIENT_ID, ClientSecret: env.OIDC_CLIENT_SECRET,
      AuthorizationURI: env.OIDC_AUTHORIZE_URL, AccessTokenURI: env.OIDC_TOKEN_URL,
      ResourceURI: env.OIDC_USERINFO_URL, LogoutURI: env.OIDC_LOGOUT_URL, RedirectURI: env.OIDC_REDIRECT_URI,
      UserIdentifier: "preferred_username", Scopes: "openid,profile,email",
      OAuthAutoCreateUsers: true, DefaultTeamID: 0, SSO: true}}' > "$tmp/settings.json"
curl -fsS -o /dev/null -X PUT -H @"$tmp/auth" -H 'Content-Type: application/json' --data @"$tmp/settings.json" "$base/api/settings"
