#!/usr/bin/env bash
# Fails when a benchmark allocates more bytes per operation than bench/allocation-budgets.json allows
# (STYLE rule 14; Garnet's gate). Reads BenchmarkDotNet's JSON reports (*-report-full-compressed.json, from
# `--exporters json`). A budget key is "Type.Method(Param=Value&...)" for one case or "Type.Method" for all
# of its cases; the more specific wins. A benchmark without a budget fails too, so new benchmarks get one.
# Usage: bench/check-budgets.sh [RESULTS_DIR] [BUDGETS_FILE]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RESULTS="${1:-$HERE/BenchmarkDotNet.Artifacts/results}"
BUDGETS="${2:-$HERE/allocation-budgets.json}"
command -v jq >/dev/null || { echo "check-budgets: jq is required (apt-get install jq)" >&2; exit 2; }
shopt -s nullglob
reports=("$RESULTS"/*-report-full-compressed.json)
[ ${#reports[@]} -gt 0 ] || { echo "check-budgets: no BenchmarkDotNet JSON reports in $RESULTS" >&2; exit 2; }

jq -r --slurpfile budgets "$BUDGETS" '
  .Benchmarks[]
  | (.Type + "." + .Method) as $m
  | ($m + "(" + (.Parameters // "") + ")") as $case
  | ($budgets[0].budgets) as $b
  | (if (.Parameters // "") != "" and ($b | has($case)) then $b[$case].bytes
     elif ($b | has($m)) then $b[$m].bytes else null end) as $allowed
  | (.Memory.BytesAllocatedPerOperation) as $got
  | [ (if $allowed == null then "MISSING" elif $got == null then "NO-DATA" elif $got > $allowed then "OVER" else "ok" end),
      (if (.Parameters // "") == "" then $m else $case end), ($got // "?" | tostring), ($allowed // "-" | tostring) ]
  | @tsv' "${reports[@]}" | sort -k2 > "${TMPDIR:-/tmp}/switchyard-budgets.$$"

printf '%-8s %-66s %12s %12s\n' "result" "benchmark" "bytes/op" "budget"
awk -F'\t' '{ printf "%-8s %-66s %12s %12s\n", $1, $2, $3, $4 }' "${TMPDIR:-/tmp}/switchyard-budgets.$$"
bad=$(awk -F'\t' '$1 != "ok"' "${TMPDIR:-/tmp}/switchyard-budgets.$$" | wc -l)
total=$(wc -l < "${TMPDIR:-/tmp}/switchyard-budgets.$$")
rm -f "${TMPDIR:-/tmp}/switchyard-budgets.$$"
if [ "$bad" -gt 0 ]; then
  echo "check-budgets: $bad of $total benchmarks over budget, without a budget, or without memory data" >&2
  exit 1
fi
echo "check-budgets: all $total benchmarks within their allocation budgets"
