#!/usr/bin/env bash
# Runs the micro-benchmark suites in a short job and fails when a benchmark allocates more bytes per operation than
# its budget in allocation-budgets.json (or has no budget). Allocations are deterministic, unlike time, so a budget
# is an exact figure measured on this code, and a change that adds an allocation on a hot path fails here.
#
#   bash benchmarks/check-allocations.sh                   # every suite, BenchmarkDotNet's short job
#   FILTER='*Decode*' bash benchmarks/check-allocations.sh # some suites
#   JOB=dry bash benchmarks/check-allocations.sh           # quicker, less warm-up (allocations after one warm-up)
#   ARTIFACTS=/tmp/bdn bash benchmarks/check-allocations.sh -- --iterationCount 5   # extra BenchmarkDotNet options
set -euo pipefail
cd "$(dirname "$0")/.."

budgets=benchmarks/allocation-budgets.json
artifacts=${ARTIFACTS:-$(mktemp -d -t citysense-bdn-XXXXXX)}
job=${JOB:-short}
filter=${FILTER:-*}
[ "${1:-}" = "--" ] && shift

dotnet build benchmarks/CitySense.Benchmarks -c Release --nologo -v quiet
# The benchmark process exits non-zero when a benchmark failed to run; the budgets are still checked for the others.
set +e
dotnet run -c Release --no-build --project benchmarks/CitySense.Benchmarks -- \
  --filter "$filter" --job "$job" --artifacts "$artifacts" "$@"
run=$?
set -e

shopt -s nullglob
reports=("$artifacts"/results/*-report-full.json)
if [ ${#reports[@]} -eq 0 ]; then
  echo "check-allocations: no BenchmarkDotNet JSON report under $artifacts/results" >&2
  exit 1
fi

# One line per benchmark: name, bytes allocated per operation, budget (or "none").
results=$(jq -r --slurpfile b "$budgets" '
  .Benchmarks[] | [ .FullName,
                    (.Memory.BytesAllocatedPerOperation // "unmeasured" | tostring),
                    ($b[0].budgets[.FullName].bytesPerOperation // "none" | tostring) ] | @tsv' "${reports[@]}")

failed=0
printf '\n%-100s %12s %12s  %s\n' "benchmark" "allocated" "budget" "verdict"
while IFS=$'\t' read -r name allocated budget; do
  if [ "$budget" = "none" ]; then
    verdict="FAIL: no budget in $budgets"; failed=1
  elif [ "$allocated" = "unmeasured" ]; then
    verdict="FAIL: not measured (did the benchmark run?)"; failed=1
  elif [ "$allocated" -gt "$budget" ]; then
    verdict="FAIL: over budget by $((allocated - budget)) B/op"; failed=1
  elif [ "$allocated" -lt "$budget" ]; then
    verdict="ok (below budget: tighten it to $allocated)"
  else
    verdict="ok"
  fi
  printf '%-100s %10s B %10s B  %s\n' "$name" "$allocated" "$budget" "$verdict"
done <<< "$results"

echo "reports: $artifacts/results"
if [ $failed -ne 0 ] || [ $run -ne 0 ]; then
  echo "check-allocations: FAILED" >&2
  exit 1
fi
echo "check-allocations: every benchmark within its allocation budget"
