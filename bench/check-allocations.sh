#!/usr/bin/env bash
# Fails when a benchmark allocates more than bench/expected-allocations.json allows (+10%; an expected 0 allows nothing).
#   bench/check-allocations.sh                 run the whole suite, then check
#   bench/check-allocations.sh --filter '*Route*'   run part of it (entries that did not run are ignored)
#   bench/check-allocations.sh --no-run        check the last run's BenchmarkDotNet.Artifacts/results/*-report-full-compressed.json
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
project=bench/Gateway.Fast.Benchmarks

if [[ "${1:-}" == "--no-run" ]]; then
  shift
  exec dotnet run -c Release --project "$project" -- --check-results BenchmarkDotNet.Artifacts/results --expected bench/expected-allocations.json "$@"
fi

if [[ $# -eq 0 ]]; then
  set -- --filter '*'
fi
exec dotnet run -c Release --project "$project" -- --check-allocations --expected bench/expected-allocations.json "$@"
