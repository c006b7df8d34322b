#!/usr/bin/env bash
# Regenerates the privacy hard set (tests/Switchyard.Testing/Fixtures/Privacy/hard-prompts.jsonl) from its generator
# (tests/Switchyard.Testing/PrivacyHardSet) after a change to the templates or fillers; commit the result. The
# test Generate_SameSeed_ReproducesTheCommittedFileByteForByte checks the file against the generator on every run.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
SWITCHYARD_WRITE_FIXTURES=1 dotnet test "$here/tests/Switchyard.Core.Tests" --filter "FullyQualifiedName~HardSetTests.Generate_SameSeed" -nologo -v q
echo "hard set written to tests/Switchyard.Testing/Fixtures/Privacy/hard-prompts.jsonl"
