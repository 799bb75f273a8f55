#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# Restores one service of this host from the repository, stopping and starting what it must.
#
#   restore.sh <service> [--snapshot ID] [--to-new-volume] [--databases-only | --volumes-only]
#              [--from-host HOST] [--into-postgres CONTAINER]
#
# The snapshot (default: the newest of <service> from this host, or from --from-host) is restored into scratch space
# first and verified, so nothing is replaced by a download that fails half-way. In place, the
# current volumes and databases are first saved as a snapshot tagged pre-restore (the way back),
# the service's containers are stopped, each volume is emptied and refilled, each Postgres
# database dropped and pg_restore'd, each MariaDB database dropped and reloaded, then the
# containers start again. With --to-new-volume nothing live is touched: each volume goes into a
# new Docker volume <volume>-restored-<stamp>, each Postgres database into <db>_restored_<stamp>,
# and the MariaDB dumps into the volume <service>-dumps-<stamp>.
# --into-postgres restores the Postgres dumps into another container (the Authentik rollback:
# the shared database's newest dump onto monk's local Postgres).
# Every step it takes is printed on standard output.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

usage() { echo "usage: restore.sh <service> [--snapshot ID] [--to-new-volume] [--databases-only|--volumes-only] [--from-host HOST] [--into-postgres CONTAINER]" >&2; exit 2; }
[ "$#" -ge 1 ] || usage
service=$1
shift
snapshot='' new=0 dbs=1 vols=1 into='' from=''
while [ "$#" -gt 0 ]; do
  case $1 in
    --snapshot) [ "$#" -ge 2 ] || usage; snapshot=$2; shift 2 ;;
    --to-new-volume) new=1; shift ;;
    --databases-only) vols=0; shift ;;
    --volumes-only) dbs=0; shift ;;
    --from-host) [ "$#" -ge 2 ] || usage; from=$2; shift 2 ;;
    --into-postgres) [ "$#" -ge 2 ] || usage; into=$2; shift 2 ;;
    *) usage ;;
  esac
done
kite_load_config
# One job at a time: the crontab runs backup.sh and drill.sh under this same lock, and a scheduled
# backup would otherwise stop, dump and start the service in the middle of its restore. Waits for
# a running backup or drill to finish.
exec 9>"$KITE_SCRATCH_DIR/.lock"
flock 9
kite_load_service "$service"
[ -z "$into" ] || KITE_PG_CONTAINER=$into
say() { printf '%s\n' "$*"; }

host=$KITE_HOST
[ -z "$from" ] || KITE_HOST=$from
found=$(kite_snapshot "$service" "$snapshot")
KITE_HOST=$host
[ -n "$found" ] || kite_die "no snapshot ${snapshot:-of $service from $KITE_HOST} in the repository"
id=${found%% *}
say "snapshot $id taken ${found#* } ($service on ${from:-$KITE_HOST})"

target="$KITE_SCRATCH_DIR/restore/$service"
rm -rf "$target"
mkdir -p "$target"
# shellcheck disable=SC2154
trap 'rc=$?; rm -rf "$target"; exit "$rc"' EXIT
restic restore "$id" --target "$target" --verify >&2
dumps=$(kite_restored_dumps "$target" "$service")
say "downloaded and verified into $target"
if [ "$vols" = 0 ] && [ -z "$(ls "$dumps"/postgres/*.dump "$dumps"/mariadb/*.sql 2>/dev/null)" ]; then
  kite_die "snapshot $id holds no database dump of $service: nothing to restore with --databases-only"
fi
if [ "$dbs" = 1 ] && [ -z "$KITE_PG_CONTAINER" ] && [ -n "$(ls "$dumps"/postgres/*.dump 2>/dev/null)" ]; then
  kite_die "the snapshot holds Postgres dumps but $KITE_HOST runs no Postgres for $service: restore them where the database lives (--databases-only on that host) or name one with --into-postgres"
fi
stamp=$(date -u +%Y%m%d%H%M%S)

if [ "$new" = 1 ]; then
  : "${KITE_IMAGE:?KITE_IMAGE (the job image) is needed to fill new volumes}"
  if [ "$vols" = 1 ]; then
    for pair in $KITE_VOLUMES; do
      vol=${pair%%=*}
      dir=${pair#*=}
      docker volume create "$vol-restored-$stamp" >/dev/null
      tar -C "$(kite_restored "$target" "$dir")" -cf - . | docker run --rm -i -v "$vol-restored-$stamp:/target" --entrypoint tar "$KITE_IMAGE" -xf - -C /target
      say "volume $vol restored into new volume $vol-restored-$stamp"
    done
  fi
  if [ "$dbs" = 1 ]; then
    for dump in "$dumps"/postgres/*.dump; do
      [ -f "$dump" ] || continue
      db=$(basename "$dump" .dump)
      owner=$(kite_pg_owner "$KITE_PG_CONTAINER" "$db" "$dump")
      kite_pg_sql "$KITE_PG_CONTAINER" postgres "CREATE DATABASE \"${db}_restored_$stamp\"${owner:+ OWNER \"$owner\"}" >/dev/null
      docker exec -i "$KITE_PG_CONTAINER" pg_restore -U "$KITE_PG_SUPERUSER" --exit-on-error -d "${db}_restored_$stamp" <"$dump"
      say "postgres database $db restored into new database ${db}_restored_$stamp on $KITE_PG_CONTAINER"
    done
    if [ -n "$KITE_MARIADB" ]; then
      docker volume create "$service-dumps-$stamp" >/dev/null
      tar -C "$dumps/mariadb" -cf - . | docker run --rm -i -v "$service-dumps-$stamp:/target" --entrypoint tar "$KITE_IMAGE" -xf - -C /target
      say "mariadb dumps ($KITE_MARIADB) copied into new volume $service-dumps-$stamp"
    fi
  fi
  say "done: nothing live was changed"
  exit 0
fi

# In place. First the way back: what is there now, as a snapshot tagged pre-restore.
trap 'rc=$?; kite_start_stopped; rm -rf "$target"; exit "$rc"' EXIT
# shellcheck disable=SC2086
kite_stop $KITE_CONTAINERS
for c in $KITE_STOPPED; do say "stopped $c"; done
saved=$KITE_PG_DATABASES
[ "$dbs" = 1 ] || KITE_PG_DATABASES='' KITE_MARIADB=''
[ -z "$into" ] || KITE_PG_DATABASES=''
# Best effort: after a disaster the databases may be gone, and that must not block the restore.
KITE_BEST_EFFORT=1 kite_dump_service "$KITE_SCRATCH_DIR/dumps/$service"
set --
if [ "$vols" = 1 ]; then for dir in $(kite_volume_dirs); do set -- "$@" "$dir"; done; fi
pre=$(restic backup --json --host "$KITE_HOST" --tag kitestacks --tag pre-restore --tag "restore-of=$service" "$KITE_SCRATCH_DIR/dumps/$service" "$@" |
  sed -n 's/.*"snapshot_id":"\([0-9a-f]*\)".*/\1/p' | tail -n 1)
say "current state saved as snapshot $pre (tag pre-restore)"
KITE_PG_DATABASES=$saved

if [ "$vols" = 1 ]; then
  for pair in $KITE_VOLUMES; do
    vol=${pair%%=*}
    dir=${pair#*=}
    src=$(kite_restored "$target" "$dir")
    [ -d "$src" ] || kite_die "snapshot $id has no copy of volume $vol ($dir)"
    # -delete is not in every busybox build: remove the top-level entries instead.
    find "$dir" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
    cp -a "$src/." "$dir/"
    say "volume $vol restored ($(find "$dir" -type f | wc -l | tr -d ' ') files)"
  done
fi
if [ "$dbs" = 1 ]; then
  for dump in "$dumps"/postgres/*.dump; do
    [ -f "$dump" ] || continue
    db=$(basename "$dump" .dump)
    owner=$(kite_pg_owner "$KITE_PG_CONTAINER" "$db" "$dump")
    kite_pg_sql "$KITE_PG_CONTAINER" postgres "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null
    kite_pg_sql "$KITE_PG_CONTAINER" postgres "CREATE DATABASE \"$db\"${owner:+ OWNER \"$owner\"}" >/dev/null
    docker exec -i "$KITE_PG_CONTAINER" pg_restore -U "$KITE_PG_SUPERUSER" --exit-on-error -d "$db" <"$dump"
    say "postgres database $db restored on $KITE_PG_CONTAINER ($(kite_pg_tables "$KITE_PG_CONTAINER" "$db" | wc -l | tr -d ' ') tables)"
  done
  if [ -z "$into" ]; then
    for pair in $KITE_MARIADB; do
      db=${pair%%=*}
      c=${pair#*=}
      kite_mariadb_load "$c" "$db" "$dumps/mariadb/$db.sql"
      say "mariadb database $db restored on $c ($(kite_mariadb_tables "$c" "$db" | wc -l | tr -d ' ') tables)"
    done
  fi
fi
for c in $KITE_STOPPED; do say "starting $c"; done
kite_start_stopped
say "done: $service restored from snapshot $id"
