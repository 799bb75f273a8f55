#!/bin/sh
# The shared Postgres's provisioning step, run inside the server container (docker exec as the
# postgres user, constructs/shared-postgres.ts): waits for the server (up to two minutes), then
# applies provision.sql once per consumer. Env: PGHOST, PGPORT, PGUSER, PGPASSWORD (libpq),
# KITE_CONSUMERS ("role:database" words), KITE_ROLE_PASSWORD_<i> (the i-th consumer's password).
# No brace expansions: the text travels in Terraform strings, where they would interpolate.
set -eu
sql="$(dirname "$0")/provision.sql"
n=0
until pg_isready -q; do
  n=$((n + 1))
  if [ "$n" -ge 60 ]; then echo "Postgres at $PGHOST:$PGPORT did not become ready" >&2; exit 1; fi
  sleep 2
done
i=0
for consumer in $KITE_CONSUMERS; do
  role=$(echo "$consumer" | cut -d: -f1)
  database=$(echo "$consumer" | cut -d: -f2)
  KITE_PASSWORD=$(printenv "KITE_ROLE_PASSWORD_$i")
  export KITE_PASSWORD
  psql -X -q -d postgres -v role="$role" -v database="$database" -f "$sql"
  i=$((i + 1))
done
