# shellcheck shell=sh
# Shared by backup.sh, drill.sh and restore.sh (sourced, never run). POSIX sh: the job image runs
# busybox ash, the tests run Debian's dash, both from these same files.
#
# Configuration (KITE_CONFIG, default /etc/kitestacks/backup/config.env, written by the
# BackupJob construct) sets:
#   KITE_HOST                host name: restic --host, status files
#   RESTIC_REPOSITORY        e.g. s3:https://<account>.r2.cloudflarestorage.com/<bucket>/kitestacks
#   RESTIC_PASSWORD_FILE     the repository password (a random_password, uploaded as a file)
#   KITE_S3_ACCESS_KEY_FILE, KITE_S3_SECRET_KEY_FILE   S3 credentials as files (optional: local repos need none)
#   KITE_PLAN_DIR            one <service>.env per service (what to back up), see below
#   KITE_STATUS_DIR          where status JSON goes (a host path the metrics API reads)
#   KITE_SCRATCH_DIR         dumps and drill restores
#   KITE_KEEP_DAILY, KITE_KEEP_WEEKLY, KITE_KEEP_MONTHLY   retention
#   KITE_PRUNE               "1" on the one host that runs forget --prune for the repository
#   KITE_PG_SUPERUSER        @default postgres
#   KITE_BEST_EFFORT         "1": a database that cannot be dumped is skipped (restore's pre-restore copy)
#   KITE_SCHEDULE_FILE       schedule.json (services and intervals), copied into KITE_STATUS_DIR
#
# From the environment of one run (never the configuration):
#   KITE_CONTAINER_ALIASES   "<stack container>=<old container>" pairs: the containers a plan names
#                            are these old ones for this run (`npm run adopt`'s backup of the
#                            owner's compose containers, e.g. bookstack-mariadb=bookstack_db)
#
# A plan file <service>.env sets:
#   KITE_SERVICE        the service
#   KITE_CONTAINERS     containers stopped while its files and database are captured (space separated)
#   KITE_VOLUMES        "<docker volume>=<directory>" pairs: where the job sees each volume
#   KITE_PG_CONTAINER   container of the Postgres holding KITE_PG_DATABASES
#   KITE_PG_DATABASES   databases dumped with pg_dump -Fc
#   KITE_MARIADB        "<database>=<container>" pairs dumped with mariadb-dump --single-transaction

kite_log() { printf '%s [%s] %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${KITE_HOST:-?}" "$*" >&2; }
kite_die() { kite_log "error: $*"; exit 1; }
kite_now() { date -u +%Y-%m-%dT%H:%M:%SZ; }
kite_epoch() { date -u +%s; }

# A value as a JSON string literal: backslashes and quotes escaped, control characters blanked.
kite_json() { printf '"%s"' "$(printf '%s' "$1" | tr '\n\r\t' '   ' | tr -d '\000-\037' | sed 's/\\/\\\\/g; s/"/\\"/g')"; }

kite_load_config() {
  KITE_CONFIG=${KITE_CONFIG:-/etc/kitestacks/backup/config.env}
  [ -f "$KITE_CONFIG" ] || kite_die "no configuration at $KITE_CONFIG"
  # shellcheck disable=SC1090
  . "$KITE_CONFIG"
  : "${KITE_HOST:?KITE_HOST is not set in $KITE_CONFIG}"
  : "${RESTIC_REPOSITORY:?RESTIC_REPOSITORY is not set in $KITE_CONFIG}"
  : "${RESTIC_PASSWORD_FILE:?RESTIC_PASSWORD_FILE is not set in $KITE_CONFIG}"
  KITE_PLAN_DIR=${KITE_PLAN_DIR:-/etc/kitestacks/backup/services}
  KITE_STATUS_DIR=${KITE_STATUS_DIR:-/status}
  KITE_SCRATCH_DIR=${KITE_SCRATCH_DIR:-/scratch}
  KITE_PG_SUPERUSER=${KITE_PG_SUPERUSER:-postgres}
  export RESTIC_REPOSITORY RESTIC_PASSWORD_FILE
  # restic prints snapshot times in the local zone; UTC keeps them comparable everywhere.
  TZ=UTC
  export TZ
  # Secrets arrive as files (never in the container's environment or a command line).
  if [ -n "${KITE_S3_ACCESS_KEY_FILE:-}" ]; then
    AWS_ACCESS_KEY_ID=$(cat "$KITE_S3_ACCESS_KEY_FILE")
    AWS_SECRET_ACCESS_KEY=$(cat "$KITE_S3_SECRET_KEY_FILE")
    export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
  fi
  # R2 ignores the region, but the S3 client wants one.
  AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-auto}
  export AWS_DEFAULT_REGION
  mkdir -p "$KITE_STATUS_DIR/backup" "$KITE_STATUS_DIR/drill" "$KITE_STATUS_DIR/retention" "$KITE_STATUS_DIR/check" "$KITE_SCRATCH_DIR"
  # What the metrics API expects (services, schedules): the job publishes it with its results.
  if [ -n "${KITE_SCHEDULE_FILE:-}" ] && [ -f "$KITE_SCHEDULE_FILE" ]; then
    cp "$KITE_SCHEDULE_FILE" "$KITE_STATUS_DIR/schedule.json.tmp" && mv "$KITE_STATUS_DIR/schedule.json.tmp" "$KITE_STATUS_DIR/schedule.json"
  fi
}

# Service names in the plan, sorted.
kite_services() {
  for f in "$KITE_PLAN_DIR"/*.env; do
    [ -f "$f" ] || continue
    n=${f##*/}
    printf '%s\n' "${n%.env}"
  done
}

kite_load_service() {
  # shellcheck disable=SC2034
  KITE_SERVICE='' KITE_CONTAINERS='' KITE_VOLUMES='' KITE_PG_CONTAINER='' KITE_PG_DATABASES='' KITE_MARIADB=''
  [ -f "$KITE_PLAN_DIR/$1.env" ] || kite_die "no backup plan for service $1 on $KITE_HOST (known: $(kite_services | tr '\n' ' '))"
  # shellcheck disable=SC1090
  . "$KITE_PLAN_DIR/$1.env"
  [ "$KITE_SERVICE" = "$1" ] || kite_die "$KITE_PLAN_DIR/$1.env is for service '$KITE_SERVICE'"
  [ -n "${KITE_CONTAINER_ALIASES:-}" ] || return 0
  aliased=''
  for c in $KITE_CONTAINERS; do aliased="$aliased${aliased:+ }$(kite_alias "$c")"; done
  KITE_CONTAINERS=$aliased
  [ -z "$KITE_PG_CONTAINER" ] || KITE_PG_CONTAINER=$(kite_alias "$KITE_PG_CONTAINER")
  aliased=''
  for pair in $KITE_MARIADB; do aliased="$aliased${aliased:+ }${pair%%=*}=$(kite_alias "${pair#*=}")"; done
  KITE_MARIADB=$aliased
}

# The container to use for the stack's container $1: its alias in KITE_CONTAINER_ALIASES, else itself.
kite_alias() {
  for alias in ${KITE_CONTAINER_ALIASES:-}; do
    if [ "${alias%%=*}" = "$1" ]; then
      kite_log "$1: using the old container ${alias#*=}"
      printf '%s' "${alias#*=}"
      return 0
    fi
  done
  printf '%s' "$1"
}

# Directories of the service's volumes, one per line.
kite_volume_dirs() {
  for pair in $KITE_VOLUMES; do printf '%s\n' "${pair#*=}"; done
}

# ---- Containers ----

# Stops the running ones among the given containers and records them in KITE_STOPPED, so
# kite_start_stopped brings back exactly those (a container already down stays down).
KITE_STOPPED=''
kite_stop() {
  for c in "$@"; do
    if [ "$(docker inspect -f '{{.State.Running}}' "$c" 2>/dev/null || echo missing)" = "true" ]; then
      kite_log "stopping $c"
      docker stop -t 60 "$c" >/dev/null
      KITE_STOPPED="$KITE_STOPPED $c"
    fi
  done
}

kite_start_stopped() {
  for c in $KITE_STOPPED; do
    kite_log "starting $c"
    docker start "$c" >/dev/null || kite_log "error: could not start $c"
  done
  KITE_STOPPED=''
}

# ---- Databases (run inside their own containers: the dump tools match the server exactly) ----

# Custom format, uncompressed (-Z0): restic compresses it and, unlike a gzip stream, deduplicates
# it against the previous night's dump, so an unchanged database adds almost nothing.
kite_pg_dump() { # container database file
  docker exec "$1" pg_dump -U "$KITE_PG_SUPERUSER" -Fc -Z0 -d "$2" >"$3"
}

kite_pg_tables() { # container database
  docker exec "$1" psql -U "$KITE_PG_SUPERUSER" -d "$2" -XAtqc \
    "SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
}

kite_pg_sql() { # container database sql
  docker exec "$1" psql -U "$KITE_PG_SUPERUSER" -d "$2" -XAtq -v ON_ERROR_STOP=1 -c "$3"
}

# Owner for a database about to be (re)created from a dump: the live database's, else, when it
# is gone (a lost Postgres, a dropped database), the one the dump recorded (its DATABASE entry),
# if that role exists; else nothing (the superuser's). The provisioning job makes each database
# owned by its app's role, and Postgres 15+ lets only the owner create tables in its public schema.
kite_pg_owner() { # container database dump
  o=$(kite_pg_sql "$1" postgres "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '$2'")
  if [ -z "$o" ]; then
    o=$(docker exec -i "$1" pg_restore -l -C <"$3" | sed -n "s/^[0-9]*; [0-9]* [0-9]* DATABASE - $2 //p" | head -n 1)
    if [ -n "$o" ] && [ -z "$(kite_pg_sql "$1" postgres "SELECT 1 FROM pg_roles WHERE rolname = '$o'")" ]; then o=''; fi
  fi
  printf '%s' "$o"
}

# The app's own account from the MariaDB container's environment: nobody knows the root password.
# shellcheck disable=SC2016
KITE_MARIADB_LOGIN='MYSQL_PWD=${MARIADB_PASSWORD:-$(cat "${MARIADB_PASSWORD_FILE:-/dev/null}")}; export MYSQL_PWD; u=${MARIADB_USER:-$(cat "${MARIADB_USER_FILE:-/dev/null}")}'

kite_mariadb_dump() { # container database file
  # shellcheck disable=SC2016
  docker exec "$1" sh -c "$KITE_MARIADB_LOGIN"'; exec mariadb-dump --single-transaction --routines --triggers --no-tablespaces -u"$u" "$0"' "$2" >"$3"
}

kite_mariadb_tables() { # container database
  # shellcheck disable=SC2016
  docker exec "$1" sh -c "$KITE_MARIADB_LOGIN"'; exec mariadb -N -B -u"$u" -e "SHOW TABLES" "$0"' "$2"
}

kite_mariadb_load() { # container database file
  # shellcheck disable=SC2016
  docker exec -i "$1" sh -c "$KITE_MARIADB_LOGIN"'; mariadb -u"$u" -e "DROP DATABASE IF EXISTS \`$0\`; CREATE DATABASE \`$0\`" && exec mariadb -u"$u" "$0"' "$2" <"$3"
}

# ---- Dumps of one service into a directory (the part of its snapshot that is not a volume) ----

kite_dump_service() { # directory
  d=$1
  rm -rf "$d"
  mkdir -p "$d"
  for db in $KITE_PG_DATABASES; do
    mkdir -p "$d/postgres"
    kite_log "pg_dump $db ($KITE_PG_CONTAINER)"
    if [ "${KITE_BEST_EFFORT:-0}" = 1 ]; then
      if ! { kite_pg_dump "$KITE_PG_CONTAINER" "$db" "$d/postgres/$db.dump" && kite_pg_tables "$KITE_PG_CONTAINER" "$db" >"$d/postgres/$db.tables"; }; then
        kite_log "skipped $db: it cannot be dumped"
        rm -f "$d/postgres/$db.dump" "$d/postgres/$db.tables"
      fi
      continue
    fi
    kite_pg_dump "$KITE_PG_CONTAINER" "$db" "$d/postgres/$db.dump"
    kite_pg_tables "$KITE_PG_CONTAINER" "$db" >"$d/postgres/$db.tables"
  done
  for pair in $KITE_MARIADB; do
    db=${pair%%=*}
    c=${pair#*=}
    mkdir -p "$d/mariadb"
    kite_log "mariadb-dump $db ($c)"
    if [ "${KITE_BEST_EFFORT:-0}" = 1 ]; then
      if ! { kite_mariadb_dump "$c" "$db" "$d/mariadb/$db.sql" && kite_mariadb_tables "$c" "$db" >"$d/mariadb/$db.tables"; }; then
        kite_log "skipped $db: it cannot be dumped"
        rm -f "$d/mariadb/$db.sql" "$d/mariadb/$db.tables"
      fi
      continue
    fi
    kite_mariadb_dump "$c" "$db" "$d/mariadb/$db.sql"
    kite_mariadb_tables "$c" "$db" >"$d/mariadb/$db.tables"
  done
}

# ---- restic ----

# Id of the newest snapshot of a service on this host (or of one named by id/prefix), and its time.
# Prints "<id> <time>"; nothing when there is none.
kite_snapshot() { # service [snapshot]
  if [ -n "${2:-}" ]; then
    restic snapshots --json "$2" 2>/dev/null
  else
    restic snapshots --json --host "$KITE_HOST" --tag "service=$1"
  fi | tr ',' '\n' | sed -n 's/^\[*{*"time":"\([^"]*\)".*/T \1/p; s/^"id":"\([0-9a-f]*\)".*/I \1/p' |
    awk '$1 == "T" { t = $2 } $1 == "I" { id = $2; tm = t } END { if (id != "") print id, tm }'
}

# Epoch seconds of a restic snapshot time (2026-12-01T03:15:00.123456789Z, printed in UTC).
kite_time_epoch() {
  t=$(printf '%s' "$1" | cut -c1-19 | tr T ' ')
  date -u -d "$t" +%s
}

# Directory where a snapshot restored under $1 holds the path $2 it was taken from.
kite_restored() { printf '%s%s' "$1" "$2"; }

# The dump directory of service $2 in a snapshot restored under $1, wherever the host that took
# it kept its scratch space.
kite_restored_dumps() {
  found=$(find "$1" -type d -path "*/dumps/$2" | head -n 1)
  [ -n "$found" ] || kite_die "the snapshot has no dump directory .../dumps/$2"
  printf '%s' "$found"
}

# ---- Status files: one JSON file per service and kind; the metrics API reads them ----

# kite_status kind service ok started_epoch detail_json error
kite_status() {
  f="$KITE_STATUS_DIR/$1/$2.json"
  finished=$(kite_now)
  last_ok=''
  if [ "$3" = true ]; then
    last_ok=$finished
  elif [ -f "$f" ]; then
    last_ok=$(sed -n 's/.*"lastSuccessAt":"\([^"]*\)".*/\1/p' "$f")
  fi
  details=${5:-}
  [ -n "$details" ] || details='{}'
  tmp="$f.tmp"
  {
    printf '{"kind":%s,"host":%s,"service":%s,"ok":%s,' "$(kite_json "$1")" "$(kite_json "$KITE_HOST")" "$(kite_json "$2")" "$3"
    printf '"startedAt":%s,"finishedAt":%s,"seconds":%s,' "$(kite_json "$(date -u -d "@$4" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -r "$4" +%Y-%m-%dT%H:%M:%SZ)")" "$(kite_json "$finished")" "$(($(kite_epoch) - $4))"
    if [ -n "$last_ok" ]; then printf '"lastSuccessAt":%s,' "$(kite_json "$last_ok")"; else printf '"lastSuccessAt":null,'; fi
    printf '"error":%s,"details":%s}\n' "$(kite_json "$6")" "$details"
  } >"$tmp"
  mv "$tmp" "$f"
}

# ---- One job step per service, each recorded ----

# kite_each_service kind function noise [service ...]: run `function service` for each service
# (default: every service of the plan) with set -e inside a subshell, so one failure stops only
# that service; record each result as <kind> and set the caller's failed=1 when one fails.
# `noise` is a grep pattern for the job's own progress lines, left out of the recorded error.
# The function writes its details JSON to $work/details ($work: the caller's scratch directory).
# shellcheck disable=SC2154,SC2034
kite_each_service() {
  each_kind=$1 each_fn=$2 each_noise=$3
  shift 3
  # shellcheck disable=SC2046
  if [ "$#" -eq 0 ]; then set -- $(kite_services); fi
  for each_svc in "$@"; do
    each_started=$(kite_epoch)
    rm -f "$work/details"
    set +e
    # The subshell inherits set +e: switch it back on inside.
    (set -e; "$each_fn" "$each_svc") 2>"$work/log"
    each_rc=$?
    set -e
    cat "$work/log" >&2
    if [ "$each_rc" -eq 0 ]; then
      kite_status "$each_kind" "$each_svc" true "$each_started" "$(cat "$work/details")" ""
    else
      failed=1
      kite_status "$each_kind" "$each_svc" false "$each_started" "" "$(grep -v "$each_noise" "$work/log" | tail -n 3 | tr '\n' ' ')"
    fi
  done
}
