#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# Backs up every service of this host (or the ones named): one restic snapshot per service,
# tagged service=<name>, holding its database dumps and its volumes.
#
#   backup.sh [service ...]
#
# Consistency: the service's containers on this host are stopped first, then its databases are
# dumped (pg_dump -Fc, mariadb-dump --single-transaction; the database containers keep running),
# then the dumps and the volumes go into ONE snapshot, then the containers start again. Files
# and database rows therefore come from the same moment, and SQLite/BoltDB files are closed.
# A service with no volume is not stopped: its dumps are consistent on their own.
#
# Exit status 1 when any service failed; each result is in $KITE_STATUS_DIR/backup/<service>.json.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
kite_load_config

# The first run creates the repository; afterwards this only reads its config.
if ! restic cat config >/dev/null 2>&1; then
  kite_log "initialising repository"
  restic init >/dev/null
fi
# Removes only locks whose process is gone (a job killed mid-run).
restic unlock >/dev/null 2>&1 || true

# shellcheck disable=SC2317 # called through kite_each_service
backup_one() { # service
  kite_load_service "$1"
  dumps="$KITE_SCRATCH_DIR/dumps/$1"
  # dash and ash exit with the trap's status unless the trap exits with the saved one.
  trap 'rc=$?; kite_start_stopped; exit "$rc"' EXIT
  if [ -n "$KITE_VOLUMES" ]; then
    # shellcheck disable=SC2086
    kite_stop $KITE_CONTAINERS
  fi
  kite_dump_service "$dumps"
  # shellcheck disable=SC2046
  restic backup --json --host "$KITE_HOST" --tag kitestacks --tag "service=$1" "$dumps" $(kite_volume_dirs) >"$work/restic.json"
  kite_start_stopped
  trap - EXIT
  snap=$(sed -n 's/.*"snapshot_id":"\([0-9a-f]*\)".*/\1/p' "$work/restic.json" | tail -n 1)
  [ -n "$snap" ] || kite_die "restic reported no snapshot id"
  added=$(sed -n 's/.*"message_type":"summary".*"data_added":\([0-9]*\).*/\1/p' "$work/restic.json" | tail -n 1)
  files=$(sed -n 's/.*"message_type":"summary".*"total_files_processed":\([0-9]*\).*/\1/p' "$work/restic.json" | tail -n 1)
  printf '{"snapshot":%s,"dataAdded":%s,"files":%s}' "$(kite_json "$snap")" "${added:-0}" "${files:-0}" >"$work/details"
  kite_log "$1: snapshot $snap (${added:-0} bytes added)"
}

work=$(mktemp -d)
trap 'rc=$?; rm -rf "$work"; exit "$rc"' EXIT
failed=0
kite_each_service backup backup_one '^[0-9T:-]*Z \[[^]]*\] \(stopping\|starting\|pg_dump\|mariadb-dump\) ' "$@"

# Retention runs on one host only: forget/prune take restic's exclusive lock.
if [ "${KITE_PRUNE:-0}" = 1 ]; then
  started=$(kite_epoch)
  set +e
  restic forget --tag kitestacks --group-by host,tags \
    --keep-daily "${KITE_KEEP_DAILY:-7}" --keep-weekly "${KITE_KEEP_WEEKLY:-4}" --keep-monthly "${KITE_KEEP_MONTHLY:-6}" \
    --prune >"$work/forget" 2>&1
  rc=$?
  set -e
  cat "$work/forget" >&2
  if [ "$rc" -eq 0 ]; then
    kite_status retention repository true "$started" "" ""
  else
    failed=1
    kite_status retention repository false "$started" "" "$(tail -n 3 "$work/forget" | tr '\n' ' ')"
  fi
fi
exit "$failed"
