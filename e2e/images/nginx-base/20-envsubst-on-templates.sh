#!/bin/sh
# Upstream's 20-envsubst-on-templates.sh (nginxinc/docker-nginx), same variables and filter:
# every defined variable whose name matches NGINX_ENVSUBST_FILTER is substituted.
set -eu
template_dir="${NGINX_ENVSUBST_TEMPLATE_DIR:-/etc/nginx/templates}"
suffix="${NGINX_ENVSUBST_TEMPLATE_SUFFIX:-.template}"
output_dir="${NGINX_ENVSUBST_OUTPUT_DIR:-/etc/nginx/conf.d}"
filter="${NGINX_ENVSUBST_FILTER:-}"
[ -d "$template_dir" ] || exit 0
defined_envs=$(printf '${%s} ' $(awk "END { for (name in ENVIRON) { print ( name ~ /${filter}/ ) ? name : \"\" } }" < /dev/null))
for template in "$template_dir"/*"$suffix"; do
  [ -f "$template" ] || continue
  relative_path="${template#"$template_dir/"}"
  output_path="$output_dir/${relative_path%"$suffix"}"
  mkdir -p "$(dirname "$output_path")"
  echo "$0: running envsubst on $template to $output_path"
  envsubst "$defined_envs" < "$template" > "$output_path"
done
