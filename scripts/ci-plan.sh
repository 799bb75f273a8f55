#!/usr/bin/env bash
# Plans every stack in deploy order, for pull requests (on the plan guard's tree) and the drift
# check (on main's own synth).
#
#   scripts/ci-plan.sh <plans dir> [synthesized tree, default cdktf.out]
#
# Per stack: `terraform init` and `terraform plan` (the readable diff in the job log), the saved
# plan turned into <plans dir>/<stack>.json for scripts/plan-summary.ts, or <stack>.error when
# the plan fails. Exit code as `terraform plan -detailed-exitcode`: 0 no changes anywhere,
# 2 some stack would change, 1 a plan failed. Read-only: plans never take the state lock, so
# read-only state credentials are enough. Runs no code of the synthesized tree's author: only
# terraform and this repository's (main's) scripts.
set -uo pipefail
out="${1:?usage: ci-plan.sh <plans dir> [synthesized tree]}"
tree="${2:-cdktf.out}"
mkdir -p "$out"
npx tsx scripts/plan-summary.ts order "$tree" > "$out/order" || exit 1
status=0
while read -r stack; do
  dir="$tree/stacks/$stack"
  echo "::group::terraform plan $stack"
  {
    terraform -chdir="$dir" init -input=false -no-color &&
      terraform -chdir="$dir" plan -input=false -lock=false -no-color -detailed-exitcode -out=plan.tfplan
  } 2>&1 | tee "$out/$stack.log"
  rc=${PIPESTATUS[0]}
  echo "::endgroup::"
  if [ "$rc" -eq 1 ]; then
    tail -n 40 "$out/$stack.log" > "$out/$stack.error"
    status=1
    continue
  fi
  terraform -chdir="$dir" show -json plan.tfplan > "$out/$stack.json"
  if [ "$rc" -eq 2 ] && [ "$status" -eq 0 ]; then status=2; fi
done < "$out/order"
exit "$status"
