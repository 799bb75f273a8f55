#!/usr/bin/env bash
# Plans every stack in deploy order, after `npm run synth`, for pull requests and the drift check.
#
#   scripts/ci-plan.sh <plans dir>
#
# Per stack: `cdktf diff` (the readable diff in the job log, and `terraform init`), then a saved
# plan turned into <plans dir>/<stack>.json for scripts/plan-summary.ts, or <stack>.error when
# the plan fails. Exit code as `terraform plan -detailed-exitcode`: 0 no changes anywhere,
# 2 some stack would change, 1 a plan failed. Read-only: plans never take the state lock.
set -uo pipefail
out="${1:?usage: ci-plan.sh <plans dir>}"
mkdir -p "$out"
npx tsx scripts/plan-summary.ts order cdktf.out > "$out/order" || exit 1
status=0
while read -r stack; do
  dir="cdktf.out/stacks/$stack"
  echo "::group::cdktf diff $stack"
  npx cdktf diff "$stack" --skip-synth --no-color 2>&1 | tee "$out/$stack.log"
  echo "::endgroup::"
  terraform -chdir="$dir" plan -input=false -lock=false -no-color -detailed-exitcode -out=plan.tfplan >>"$out/$stack.log" 2>&1
  rc=$?
  if [ "$rc" -eq 1 ]; then
    tail -n 40 "$out/$stack.log" > "$out/$stack.error"
    status=1
    continue
  fi
  terraform -chdir="$dir" show -json plan.tfplan > "$out/$stack.json"
  if [ "$rc" -eq 2 ] && [ "$status" -eq 0 ]; then status=2; fi
done < "$out/order"
exit "$status"
