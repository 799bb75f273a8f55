#!/bin/sh
# The job container's PID 1: publishes what the metrics API should expect (services and
# schedules) into the status directory, then runs busybox crond in the foreground.
set -eu
KITE_CONFIG=${KITE_CONFIG:-/etc/kitestacks/backup/config.env}
# shellcheck disable=SC1090
. "$KITE_CONFIG"
mkdir -p "${KITE_STATUS_DIR:-/status}" "${KITE_SCRATCH_DIR:-/scratch}"
if [ -n "${KITE_SCHEDULE_FILE:-}" ] && [ -f "$KITE_SCHEDULE_FILE" ]; then
  cp "$KITE_SCHEDULE_FILE" "${KITE_STATUS_DIR:-/status}/schedule.json"
fi
exec crond -f -l 8 -c /etc/crontabs
