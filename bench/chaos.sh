#!/usr/bin/env bash
# Chaos figures: runs the chaos suite (tests/Switchyard.Tests/Chaos) alone and prints its figures — success rate, p99
# before / while / after a primary dies (once its breaker is open), the test process's RSS before and after the
# 10,000-request bulk, faults injected. The suite's assertions are about behaviour (the ledger, the upstreams'
# receipts); these timings and memory figures are read here, on a quiet machine, never asserted by a test.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build tests/Switchyard.Tests -c Release -v q -nologo >/dev/null
dotnet test tests/Switchyard.Tests -c Release --no-build --filter "FullyQualifiedName~Switchyard.Tests.Chaos" \
  --logger "console;verbosity=detailed" 2>&1 | tee /tmp/switchyard-chaos.log | grep -E "^\s*chaos:|Test Run|error" || true
grep -q "Test Run Successful" /tmp/switchyard-chaos.log
