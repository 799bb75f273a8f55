#!/bin/sh
# The upstream postgres image's entrypoint contract, over Debian's server (see Dockerfile).
set -eu
[ "${1#-}" != "${1:-}" ] && set -- postgres "$@"
if [ "${1:-}" != postgres ]; then exec "$@"; fi

# Upstream's file_env, as root before the switch to the server's user (the env carries
# over the re-exec): VAR_FILE names a file holding VAR (the homelab passes secrets as files).
file_env() {
  eval "v=\${$1:-}; f=\${$1_FILE:-}"
  if [ -n "$v" ] && [ -n "$f" ]; then echo "both $1 and $1_FILE are set" >&2; exit 1; fi
  if [ -n "$f" ]; then export "$1=$(cat "$f")"; unset "$1_FILE"; fi
}
for var in POSTGRES_PASSWORD POSTGRES_USER POSTGRES_DB; do file_env "$var"; done

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi


if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set (the upstream image refuses to start without it too)}"
  user=${POSTGRES_USER:-postgres}
  db=${POSTGRES_DB:-$user}
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  initdb --username="$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  if [ "$db" != postgres ]; then
    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p ${PGPORT:-5432}" -w start >/dev/null
    psql -v ON_ERROR_STOP=1 --username "$user" --dbname postgres -p "${PGPORT:-5432}" -c "CREATE DATABASE \"$db\"" >/dev/null
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  fi
  echo "kse2e postgres: initialised $PGDATA for $user"
fi
# PGPORT in the environment is the server's port too.
exec "$@"
