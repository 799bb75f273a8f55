#!/bin/sh
# The nginx image's entrypoint: run /docker-entrypoint.d/*.sh, then the command.
set -eu
if [ "${1:-}" = nginx ] || [ "${1:-}" = nginx-debug ]; then
  for f in /docker-entrypoint.d/*.sh; do
    [ -x "$f" ] || continue
    echo "$0: running $f"
    "$f"
  done
fi
exec "$@"
