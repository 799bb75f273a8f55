#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# restic against this host's repository, for a person at the host: the job's configuration and
# secret files give the repository, its password and the S3 keys (the container's environment
# has none of them, on purpose), then restic runs with the arguments given.
#
#   docker exec kitestacks-backup /opt/kitestacks/restic.sh snapshots --tag service=<name>
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
kite_load_config
exec restic "$@"
