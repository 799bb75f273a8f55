#!/bin/sh
# Forgejo's OIDC authentication source for Authentik, added once or updated by id.
# Runs as git in the Forgejo container. Env: FORGEJO_AUTH_NAME, OIDC_CLIENT_ID,
# OIDC_CLIENT_SECRET, OIDC_DISCOVERY_URL, OIDC_ADMIN_GROUP.
# Flags: forgejo v11 cmd/admin_auth_oauth.go; `auth list` prints ID, Name, Type, Enabled
# after a header line (cmd/admin_auth.go).
set -eu
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
fi
