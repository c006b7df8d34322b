#!/usr/bin/env bash
# Runs the BenchmarkDotNet suite, then the allocation-budget gate.
# Default is a CI-sized run (ShortRun, in-process); pass BenchmarkDotNet arguments to override, e.g.
#   bench/run-micro.sh --filter '*Route*'            (one family)
#   JOB=default bench/run-micro.sh                   (full-precision timings; slow)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
JOB="${JOB:-short}"
ARTIFACTS="$HERE/BenchmarkDotNet.Artifacts"
timeout 600 dotnet build "$HERE/Switchyard.Benchmarks/Switchyard.Benchmarks.csproj" -c Release -nologo -v q
rm -rf "$ARTIFACTS/results"
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--filter '*')
timeout 3600 dotnet "$ROOT/artifacts/bin/Switchyard.Benchmarks/release/Switchyard.Benchmarks.dll" \
  "${args[@]}" --job "$JOB" --inProcess --exporters json --artifacts "$ARTIFACTS"
"$HERE/check-budgets.sh" "$ARTIFACTS/results" "$HERE/allocation-budgets.json"
