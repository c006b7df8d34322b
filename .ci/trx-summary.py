#!/usr/bin/env python3
"""Sums the TRX reports that `dotnet test` wrote (one per test project) from each test's own result.

The <Counters> element is not used: xunit's VSTest adapter reports skipped tests there as notExecuted="0", so a
run whose PostgreSQL tests all skipped looked complete. Every <UnitTestResult> is counted by its outcome instead,
and each skipped or failed test is listed with its reason.

Prints the skipped and failed tests, then a last line `PASSED FAILED SKIPPED` for .ci/run.
"""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def first_line(text):
    text = (text or "").strip()
    return text.splitlines()[0] if text else "(no reason given)"


def main(paths):
    passed = failed = skipped = 0
    skipped_lines, failed_lines = [], []
    for path in paths:
        root = ET.parse(path).getroot()
        for result in root.iterfind(".//t:Results/t:UnitTestResult", NS):
            outcome = result.get("outcome")
            name = result.get("testName")
            message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=NS)
            if outcome == "Passed":
                passed += 1
            elif outcome == "NotExecuted":
                skipped += 1
                skipped_lines.append(f"  skipped: {name}: {first_line(message)}")
            else:
                failed += 1
                failed_lines.append(f"  {outcome.lower()}: {name}: {first_line(message)}")
    for line in skipped_lines + failed_lines[:50]:
        print(line)
    if len(failed_lines) > 50:
        print(f"  … and {len(failed_lines) - 50} more failures")
    print(passed, failed, skipped)


if __name__ == "__main__":
    main(sys.argv[1:])
