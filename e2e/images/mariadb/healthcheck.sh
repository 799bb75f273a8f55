#!/bin/sh
# The upstream mariadb image's healthcheck.sh, for the two tests the homelab uses:
#   --connect             a TCP login as the healthcheck user works
#   --innodb_initialized  InnoDB is up (information_schema.ENGINES says so)
set -eu
cnf=/var/lib/mysql/.my-healthcheck.cnf
[ -r "$cnf" ] || { echo "healthcheck: $cnf missing (not initialised yet)" >&2; exit 1; }
for test in "$@"; do
  case "$test" in
    --connect) mariadb --defaults-extra-file="$cnf" --protocol=tcp -h 127.0.0.1 -e 'SELECT 1' >/dev/null ;;
    --innodb_initialized)
      out=$(mariadb --defaults-extra-file="$cnf" -N -e "SELECT 1 FROM information_schema.ENGINES WHERE engine = 'innodb' AND support IN ('YES', 'DEFAULT', 'ENABLED')")
      [ "$out" = 1 ] ;;
    *) echo "healthcheck.sh: $test is not supported by this stand-in" >&2; exit 1 ;;
  esac
done
