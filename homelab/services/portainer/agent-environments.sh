#!/bin/sh
# Each other host's agent as an environment of the one Portainer server, created once by name.
# Runs in the JSON helper image (curl, jq) in Portainer's network namespace. Env:
# PORTAINER_ADMIN_PASSWORD, AGENT_HOSTS (space-separated host names), AGENT_PORT, and one
# AGENT_ADDRESS_<host> per host (its Tailscale address; '-' in the name becomes '_').
# POST /api/endpoints multipart: Name, EndpointCreationType=2 (agent), URL, TLS*
# (portainer api/http/handler/endpoints/endpoint_create.go); GET /api/endpoints?name= filters by name.
set -eu
base=http://127.0.0.1:9000
wait_for "$base/api/system/status" 60 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
umask 077
# The password through jq's env, never --arg: an argument is readable in /proc from the host.
jq -n '{Username: "admin", Password: env.PORTAINER_ADMIN_PASSWORD}' > "$tmp/login.json"
curl -fsS -X POST -H 'Content-Type: application/json' --data @"$tmp/login.json" "$base/api/auth" > "$tmp/jwt.json"
jwt=$(jq -r '.jwt // empty' "$tmp/jwt.json")
if [ -z "$jwt" ]; then echo "Portainer admin login failed" >&2; exit 1; fi
printf 'Authorization: Bearer %s\n' "$jwt" > "$tmp/auth"
for name in $AGENT_HOSTS; do
  var="AGENT_ADDRESS_$(printf '%s' "$name" | tr - _)"
  address=$(printenv "$var" || true)
  if [ -z "$address" ]; then echo "no $var for agent host $name" >&2; exit 1; fi
  curl -fsS -H @"$tmp/auth" -G --data-urlencode "name=$name" "$base/api/endpoints" > "$tmp/endpoints.json"
  if jq -e --arg n "$name" 'any(.[]; .Name == $n)' "$tmp/endpoints.json" >/dev/null; then continue; fi
  curl -fsS -o /dev/null -X POST -H @"$tmp/auth" -F "Name=$name" -F EndpointCreationType=2 -F "URL=tcp://$address:$AGENT_PORT" \
    -F TLS=true -F TLSSkipVerify=true -F TLSSkipClientVerify=true "$base/api/endpoints"
done
