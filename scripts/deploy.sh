#!/usr/bin/env bash
# Deploys the synthesized stacks in deploy order, each behind the data guard.
#
#   npm run deploy [-- [--auto-approve] [stack ...]]      (after npm run synth)
#
# Per stack: `terraform init`, `terraform plan -out` (the readable diff), the data guard
# (scripts/plan-summary.ts guard: no Docker volume, generated password or the server deleted or
# replaced), then `terraform apply` of exactly that saved plan, so what was checked is what runs.
# Without --auto-approve it asks before each apply. The first stack the guard refuses stops the
# run with the addresses and the fixes; stacks before it stay applied (they passed on their own).
# A plan with no changes is not applied. Same stack folders and states as `cdktf deploy`.
#
# Environment: TERRAFORM (default: terraform on PATH), KITESTACKS_OUT (default: cdktf.out).
set -euo pipefail
terraform_bin="${TERRAFORM:-terraform}"
tree="${KITESTACKS_OUT:-cdktf.out}"
here="$(cd "$(dirname "$0")" && pwd)"
auto_approve=0
stacks=()
for arg in "$@"; do
  case "$arg" in
    --auto-approve) auto_approve=1 ;;
    -*) echo "deploy: unknown option $arg (usage: deploy.sh [--auto-approve] [stack ...])" >&2; exit 2 ;;
    *) stacks+=("$arg") ;;
  esac
done
if [ ! -f "$tree/manifest.json" ]; then
  echo "deploy: $tree/manifest.json is missing: run npm run synth first" >&2
  exit 2
fi
tsx="$here/../node_modules/.bin/tsx"
mapfile -t order < <("$tsx" "$here/plan-summary.ts" order "$tree")
if [ "${#stacks[@]}" -gt 0 ]; then
  for s in "${stacks[@]}"; do
    if ! printf '%s\n' "${order[@]}" | grep -qxF "$s"; then
      echo "deploy: no stack named $s (stacks: ${order[*]})" >&2
      exit 2
    fi
  done
  selected=()
  for s in "${order[@]}"; do
    if printf '%s\n' "${stacks[@]}" | grep -qxF "$s"; then selected+=("$s"); fi
  done
  order=("${selected[@]}")
fi

# A saved plan and its JSON hold the plan's values in clear (sensitive ones too): private to this
# user, and gone when the run ends however it ends.
umask 077
plan_json="$(mktemp)"
current_plan=""
cleanup() {
  rm -f "$plan_json"
  if [ -n "$current_plan" ]; then rm -f "$current_plan"; fi
}
trap cleanup EXIT

for stack in "${order[@]}"; do
  dir="$tree/stacks/$stack"
  current_plan="$dir/deploy.tfplan"
  echo "== $stack: plan"
  "$terraform_bin" -chdir="$dir" init -input=false -no-color >/dev/null
  rc=0
  "$terraform_bin" -chdir="$dir" plan -input=false -no-color -detailed-exitcode -out=deploy.tfplan || rc=$?
  if [ "$rc" -eq 1 ]; then
    echo "deploy: the plan of $stack failed (above); nothing of it was applied" >&2
    exit 1
  fi
  if [ "$rc" -eq 0 ]; then
    echo "== $stack: no changes"
    continue
  fi
  "$terraform_bin" -chdir="$dir" show -json deploy.tfplan > "$plan_json"
  if ! "$tsx" "$here/plan-summary.ts" guard "$plan_json" "$stack"; then
    echo "deploy: stopped at $stack by the data guard" >&2
    exit 1
  fi
  if [ "$auto_approve" -eq 0 ]; then
    read -r -p "Apply this plan to $stack? Only 'yes' applies: " answer
    if [ "$answer" != "yes" ]; then
      echo "deploy: $stack not applied (answer was not yes)" >&2
      exit 1
    fi
  fi
  echo "== $stack: apply"
  "$terraform_bin" -chdir="$dir" apply -input=false -no-color deploy.tfplan
  rm -f "$current_plan"
done
