#!/bin/sh
# Forgejo's OIDC authentication source for Authentik, added once or updated by id.
# Runs as git in the Forgejo container. Env: FORGEJO_AUTH_NAME, OIDC_CLIENT_ID,
# OIDC_CLIENT_SECRET, OIDC_DISCOVERY_URL, OIDC_ADMIN_GROUP, FORGEJO_AUTH_MARKER (a file on the
# data volume, writable by git).
# Flags: forgejo v11 cmd/admin_auth_oauth.go; `auth list` prints ID, Name, Type, Enabled
# after a header line (cmd/admin_auth.go).
#
# The client secret: Forgejo's CLI takes it only as `--secret <value>` (its urfave/cli flags
# declare no env or file source, and Forgejo has no API for auth sources), so while that one
# command runs the secret is in its argv, which host users can read in /proc. It is passed only
# when it is new: on the first add, and when its hash differs from the one recorded after the
# last successful write (a rotation). Every other run (a replaced container, a changed setting)
# updates the source without --secret, which keeps the stored one (runUpdateOauth sets only
# the flags given). Delete the marker to force the secret to be written again.
set -eu
marker=$FORGEJO_AUTH_MARKER
n=0
until forgejo admin auth list >/dev/null 2>&1; do
  n=$((n + 1))
  if [ "$n" -ge 60 ]; then echo "forgejo admin CLI not ready" >&2; exit 1; fi
  sleep 5
done
id=$(forgejo admin auth list | awk -v name="$FORGEJO_AUTH_NAME" 'NR > 1 && $2 == name { print $1 }')
# printf is the shell's builtin: the secret reaches sha256sum on a pipe, not in an argv.
want=$(printf '%s' "$OIDC_CLIENT_SECRET" | sha256sum | cut -d' ' -f1)
have=$(cat "$marker" 2>/dev/null || true)
set -- --name "$FORGEJO_AUTH_NAME" --provider openidConnect --key "$OIDC_CLIENT_ID" \
  --auto-discover-url "$OIDC_DISCOVERY_URL" --scopes openid --scopes email --scopes profile \
  --group-claim-name groups --admin-group "$OIDC_ADMIN_GROUP"
if [ -n "$id" ] && [ "$have" = "$want" ]; then
  forgejo admin auth update-oauth --id "$id" "$@"
  exit 0
fi
if [ -n "$id" ]; then
  forgejo admin auth update-oauth --id "$id" "$@" --secret "$OIDC_CLIENT_SECRET"
else
  forgejo admin auth add-oauth "$@" --secret "$OIDC_CLIENT_SECRET"
fi
(umask 077 && mkdir -p "$(dirname "$marker")" && printf '%s\n' "$want" > "$marker") ||
  echo "could not record the secret's hash in $marker: the next run passes --secret again" >&2
