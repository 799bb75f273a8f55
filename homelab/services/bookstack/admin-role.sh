#!/bin/sh
# Members of the homelab admin group get BookStack's Admin role at each OIDC login: with
# OIDC_USER_TO_GROUPS, a role matches a group by its external_auth_id (BookStack
# app/Access/GroupSyncService.php roleMatchesGroupNames). Runs in the BookStack container,
# whose env has DB_HOST, DB_PORT, DB_DATABASE, DB_USERNAME and DB_PASSWORD; the step adds
# OIDC_ADMIN_GROUP. The client is the image's mariadb-client.
set -eu
case "$OIDC_ADMIN_GROUP" in
  "" | *[!a-z0-9-]*) echo "OIDC_ADMIN_GROUP must be lowercase letters, digits and dashes: $OIDC_ADMIN_GROUP" >&2; exit 1 ;;
esac
# The password arrives as a file (FILE__DB_PASSWORD, linuxserver's convention): its init
# expands it for the services it starts, not for a `docker exec` shell like this one.
# (printenv, not a braced default: Terraform would read that as its own interpolation.)
DB_PASSWORD=$(printenv DB_PASSWORD || true)
if [ -z "$DB_PASSWORD" ] && [ -n "$(printenv FILE__DB_PASSWORD || true)" ]; then
  DB_PASSWORD=$(cat "$(printenv FILE__DB_PASSWORD)")
fi
export MYSQL_PWD="$DB_PASSWORD"
sql() {
  mariadb --skip-ssl-verify-server-cert -h "$DB_HOST" -P "$DB_PORT" -u "$DB_USERNAME" -N -B "$DB_DATABASE" -e "$1"
}
# The image runs the migrations that create the roles table before it serves requests.
n=0
until [ "$(sql "SELECT COUNT(*) FROM roles WHERE system_name = 'admin'" 2>/dev/null)" = "1" ]; do
  n=$((n + 1))
  if [ "$n" -ge 60 ]; then echo "BookStack's admin role did not appear" >&2; exit 1; fi
  sleep 5
done
sql "UPDATE roles SET external_auth_id = '$OIDC_ADMIN_GROUP' WHERE system_name = 'admin'"
