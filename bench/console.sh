#!/usr/bin/env bash
# Console render times on a 1,000,000-row SQLite ledger (bench/README.md, "Console"): builds Release, seeds, times.
# Usage: bench/console.sh [--rows N] [--runs N]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
echo "== building Release"
timeout 900 dotnet build "$ROOT/src/Switchyard" -c Release -nologo -v q >/dev/null
timeout 900 dotnet build "$ROOT/bench/Switchyard.Bench.Console" -c Release -nologo -v q >/dev/null
timeout 1800 dotnet "$ROOT/artifacts/bin/Switchyard.Bench.Console/release/Switchyard.Bench.Console.dll" \
  --gateway "$ROOT/artifacts/bin/Switchyard/release/switchyard.dll" "$@"
