#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# Restore drill: restores the newest snapshot of every service of this host (or the ones named)
# into scratch space and proves it is usable, so a backup that cannot be restored is found on a
# quiet night and not on the day it is needed.
#
#   drill.sh [service ...]
#
# Per service: restic restore --verify into a scratch directory (every blob's MAC is checked,
# so a corrupted pack fails here); each Postgres dump is pg_restore'd into a scratch database
# kitestacks_drill_<db> on the same server, its tables compared with the list taken at backup
# time and its rows counted per table; each MariaDB dump must be complete (its trailer) and
# create every table the database had; every SQLite file in the volumes must pass
# PRAGMA integrity_check. Then `restic check` reads the repository's structure.
# Results (and the restored snapshot's age) go to $KITE_STATUS_DIR/drill/<service>.json.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
kite_load_config

# Postgres: restore into a scratch database, compare tables, count rows.
# shellcheck disable=SC2317 # reached through drill_one
drill_postgres() { # dumps-dir
  first=1
  printf '['
  for dump in "$1"/postgres/*.dump; do
    [ -f "$dump" ] || continue
    db=$(basename "$dump" .dump)
    scratch="kitestacks_drill_$db"
    kite_pg_sql "$KITE_PG_CONTAINER" postgres "DROP DATABASE IF EXISTS \"$scratch\"" >/dev/null
    kite_pg_sql "$KITE_PG_CONTAINER" postgres "CREATE DATABASE \"$scratch\"" >/dev/null
    ok=1
    docker exec -i "$KITE_PG_CONTAINER" pg_restore -U "$KITE_PG_SUPERUSER" --exit-on-error -d "$scratch" <"$dump" >&2 || ok=0
    if [ "$ok" = 1 ]; then
      kite_pg_tables "$KITE_PG_CONTAINER" "$scratch" >"$work/tables"
      kite_pg_sql "$KITE_PG_CONTAINER" "$scratch" "SELECT n.nspname || '.' || c.relname || ' ' || (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1" >"$work/counts"
    fi
    kite_pg_sql "$KITE_PG_CONTAINER" postgres "DROP DATABASE IF EXISTS \"$scratch\"" >/dev/null || true
    [ "$ok" = 1 ] || { printf ']' ; kite_die "pg_restore of $db into a scratch database failed"; }
    if ! sort "$1/postgres/$db.tables" | cmp -s - "$work/tables"; then
      printf ']'
      kite_die "$db: restored tables differ from those at backup time: $(sort "$1/postgres/$db.tables" | diff - "$work/tables" | grep '^[<>]' | head -n 5 | tr '\n' ' ')"
    fi
    tables=$(wc -l <"$work/counts" | tr -d ' ')
    rows=$(awk '{ s += $2 } END { print s + 0 }' "$work/counts")
    [ "$first" = 1 ] || printf ','
    first=0
    printf '{"database":%s,"tables":%s,"rows":%s,"rowsPerTable":{' "$(kite_json "$db")" "$tables" "$rows"
    awk 'NR > 1 { printf "," } { printf "\"%s\":%s", $1, $2 }' "$work/counts"
    printf '}}'
    kite_log "$db: pg_restore ok, $tables tables, $rows rows"
  done
  printf ']'
}

# MariaDB: the dump finished, and creates every table the database had at backup time.
# shellcheck disable=SC2317 # reached through drill_one
drill_mariadb() { # dumps-dir
  first=1
  printf '['
  for dump in "$1"/mariadb/*.sql; do
    [ -f "$dump" ] || continue
    db=$(basename "$dump" .sql)
    tail -n 1 "$dump" | grep -q '^-- Dump completed' || { printf ']'; kite_die "$db: the dump has no completion trailer (truncated)"; }
    # shellcheck disable=SC2016
    sed -n 's/^CREATE TABLE `\([^`]*\)`.*/\1/p' "$dump" | sort >"$work/tables"
    if ! sort "$1/mariadb/$db.tables" | cmp -s - "$work/tables"; then
      printf ']'
      kite_die "$db: the dump's tables differ from the database's at backup time: $(sort "$1/mariadb/$db.tables" | diff - "$work/tables" | grep '^[<>]' | head -n 5 | tr '\n' ' ')"
    fi
    [ "$first" = 1 ] || printf ','
    first=0
    printf '{"database":%s,"tables":%s}' "$(kite_json "$db")" "$(wc -l <"$work/tables" | tr -d ' ')"
    kite_log "$db: dump complete, $(wc -l <"$work/tables" | tr -d ' ') tables"
  done
  printf ']'
}

# SQLite: every file with the SQLite header passes integrity_check.
# shellcheck disable=SC2317 # reached through drill_one
drill_sqlite() { # restored-root
  first=1
  printf '['
  for dir in $(kite_volume_dirs); do
    root=$(kite_restored "$1" "$dir")
    [ -d "$root" ] || continue
    find "$root" -type f -size +0 >"$work/files"
    while IFS= read -r f; do
      [ "$(head -c 15 "$f" 2>/dev/null)" = "SQLite format 3" ] || continue
      result=$(sqlite3 "$f" 'PRAGMA integrity_check' 2>&1 | head -n 5 | tr '\n' ' ' | sed 's/ *$//')
      [ "$result" = ok ] || { printf ']'; kite_die "${f#"$root"/}: PRAGMA integrity_check: $result"; }
      [ "$first" = 1 ] || printf ','
      first=0
      printf '{"file":%s,"integrity":"ok"}' "$(kite_json "${dir##*/}/${f#"$root"/}")"
      kite_log "${f#"$root"/}: integrity_check ok"
    done <"$work/files"
  done
  printf ']'
}

# shellcheck disable=SC2317 # called through kite_each_service
drill_one() { # service
  kite_load_service "$1"
  set -- "$1" "$(kite_snapshot "$1")"
  [ -n "$2" ] || kite_die "no snapshot of $1 from $KITE_HOST in the repository"
  id=${2%% *}
  taken=${2#* }
  target="$KITE_SCRATCH_DIR/drill/$1"
  rm -rf "$target"
  mkdir -p "$target"
  trap 'rc=$?; rm -rf "$target"; exit "$rc"' EXIT
  kite_log "$1: restoring snapshot $id ($taken)"
  restic restore "$id" --target "$target" --verify >&2
  dumps=$(kite_restored_dumps "$target" "$1")
  pg=$(drill_postgres "$dumps")
  maria=$(drill_mariadb "$dumps")
  sqlite=$(drill_sqlite "$target")
  files=$(find "$target" -type f | wc -l | tr -d ' ')
  age=$(($(kite_epoch) - $(kite_time_epoch "$taken")))
  printf '{"snapshot":%s,"snapshotTime":%s,"snapshotAgeSeconds":%s,"files":%s,"postgres":%s,"mariadb":%s,"sqlite":%s}' \
    "$(kite_json "$id")" "$(kite_json "$taken")" "$age" "$files" "$pg" "$maria" "$sqlite" >"$work/details"
}

work=$(mktemp -d)
trap 'rc=$?; rm -rf "$work"; exit "$rc"' EXIT
failed=0
kite_each_service drill drill_one '\] \(restoring\|stopping\|starting\) ' "$@"

started=$(kite_epoch)
set +e
restic check >"$work/check" 2>&1
rc=$?
set -e
cat "$work/check" >&2
if [ "$rc" -eq 0 ]; then
  kite_status check repository true "$started" "" ""
else
  failed=1
  kite_status check repository false "$started" "" "$(tail -n 3 "$work/check" | tr '\n' ' ')"
fi
exit "$failed"
