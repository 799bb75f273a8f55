#!/bin/sh
# The upstream mariadb image's entrypoint contract, over Debian's server (see Dockerfile).
set -eu
DATADIR=/var/lib/mysql
[ "${1#-}" != "${1:-}" ] && set -- mariadbd "$@"
if [ "${1:-}" != mariadbd ]; then exec "$@"; fi

# Upstream's file_env, as root before the switch to the server's user (the env carries
# over the re-exec): VAR_FILE names a file holding VAR (the homelab passes secrets as files).
file_env() {
  eval "v=\${$1:-}; f=\${$1_FILE:-}"
  if [ -n "$v" ] && [ -n "$f" ]; then echo "both $1 and $1_FILE are set" >&2; exit 1; fi
  if [ -n "$f" ]; then export "$1=$(cat "$f")"; unset "$1_FILE"; fi
}
for var in MARIADB_ROOT_PASSWORD MARIADB_PASSWORD MARIADB_USER MARIADB_DATABASE; do file_env "$var"; done

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$DATADIR" /run/mysqld
  chown -R mysql:mysql "$DATADIR" /run/mysqld
  exec setpriv --reuid=mysql --regid=mysql --init-groups "$0" "$@"
fi

sql_quote() { printf "%s" "$1" | sed "s/'/''/g; s/\\\\/\\\\\\\\/g"; }
random() { tr -dc 'A-Za-z0-9' < /dev/urandom | head -c 32; }


if [ ! -d "$DATADIR/mysql" ]; then
  if [ -z "${MARIADB_RANDOM_ROOT_PASSWORD:-}" ] && [ -z "${MARIADB_ROOT_PASSWORD:-}" ]; then
    echo "set MARIADB_ROOT_PASSWORD(_FILE) or MARIADB_RANDOM_ROOT_PASSWORD" >&2; exit 1
  fi
  mariadb-install-db --datadir="$DATADIR" --skip-test-db --auth-root-authentication-method=normal --skip-name-resolve >/dev/null
  sock=/run/mysqld/init.sock
  mariadbd --datadir="$DATADIR" --skip-networking --socket="$sock" &
  pid=$!
  i=0
  until mariadb-admin --socket="$sock" -uroot ping >/dev/null 2>&1; do
    i=$((i + 1)); [ "$i" -lt 60 ] || { echo "mariadbd did not start" >&2; exit 1; }; sleep 1
  done
  if [ -n "${MARIADB_ROOT_PASSWORD:-}" ]; then root=$MARIADB_ROOT_PASSWORD; else root=$(random); echo "GENERATED ROOT PASSWORD: $root"; fi
  hc=$(random)
  {
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY '$(sql_quote "$root")';"
    for h in 127.0.0.1 ::1 localhost; do
      echo "CREATE USER 'healthcheck'@'$h' IDENTIFIED BY '$(sql_quote "$hc")';"
    done
    if [ -n "${MARIADB_DATABASE:-}" ]; then
      echo "CREATE DATABASE IF NOT EXISTS \`${MARIADB_DATABASE}\`;"
    fi
    if [ -n "${MARIADB_USER:-}" ]; then
      echo "CREATE USER '$(sql_quote "$MARIADB_USER")'@'%' IDENTIFIED BY '$(sql_quote "${MARIADB_PASSWORD:?MARIADB_PASSWORD must be set with MARIADB_USER}")';"
      [ -n "${MARIADB_DATABASE:-}" ] && echo "GRANT ALL ON \`${MARIADB_DATABASE}\`.* TO '$(sql_quote "$MARIADB_USER")'@'%';"
    fi
    echo "FLUSH PRIVILEGES;"
  } | mariadb --socket="$sock" -uroot
  umask 077
  printf '[mariadb-client]\nport=3306\nsocket=/run/mysqld/mysqld.sock\nuser=healthcheck\npassword=%s\n' "$hc" > "$DATADIR/.my-healthcheck.cnf"
  mariadb-admin --socket="$sock" -uroot -p"$root" shutdown
  wait "$pid" || true
  echo "kse2e mariadb: initialised $DATADIR"
fi
exec mariadbd --datadir="$DATADIR" --bind-address=0.0.0.0 --port=3306 --socket=/run/mysqld/mysqld.sock --skip-name-resolve
