#!/usr/bin/env bash
# Issue 15's gate: the published gateway on ONE pinned core, side by side with an nginx hop, in two configurations:
#   switchyard       the peer bench's own minimal config (one model, one config key)
#   switchyard-full  the full request path (alias with the task classifier and quality model, a stored key with a
#                    budget and rate limits, privacy scanning, ledger) — onecore/start-full.sh
# Runs ../shared/peer-bench/run.sh (README there: the target on CPU 0, wrk and the nginx mock on CPU 1) and prints its
# table. Loopback only, bounded, stops by itself.
# usage: bench/onecore.sh [SY_DLL]   (default: publishes src/Switchyard in Release to /tmp/switchyard-onecore/pub)
#   env: SCENARIOS (default "fast-json fast-sse slow-json slow-sse"), DUR, REPS, WARM, RATE, SWEEP ("" by default),
#        TARGETS (default "nginx-proxy switchyard switchyard-full"; add "direct" for the raw mock)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PEERS=${PEERS:-$ROOT/../shared/peer-bench}
[ -x "$PEERS/run.sh" ] || { echo "peer bench not found at $PEERS (set PEERS)" >&2; exit 2; }
WORK=${WORK:-/tmp/switchyard-onecore}; mkdir -p "$WORK" /tmp/peerbench
DLL=${1:-}
if [ -z "$DLL" ]; then
  echo "publishing src/Switchyard (Release) to $WORK/pub ..."
  dotnet publish "$ROOT/src/Switchyard" -c Release -o "$WORK/pub" -v q --nologo > "$WORK/publish.log" 2>&1 || { cat "$WORK/publish.log"; exit 1; }
  DLL=$WORK/pub/switchyard.dll
fi
export SY_DLL=$DLL

# The full configuration's store: an organisation, a team and a stored key with a budget and limits that the load
# cannot reach (so every request pays for the checks and none is refused).
DATA=$(mktemp -d "$WORK/full-XXXX")
"$ROOT/bench/onecore/config-full.sh" http://127.0.0.1:18001/fast/v1 > "$DATA/switchyard.yaml"
cli() { dotnet "$DLL" "$@" --data-dir "$DATA"; }
cli orgs create onecore > /dev/null
cli teams create bench --org onecore --policy '{"budget_daily_usd": 1000000, "requests_per_minute": 100000000}' > /dev/null
SECRET=$(cli keys create onecore-full --team bench \
  --policy '{"budget_daily_usd": 1000000, "requests_per_minute": 100000000, "tokens_per_minute": 1000000000}' | head -1)
[ -n "$SECRET" ] || { echo "could not create the stored key" >&2; exit 1; }

FULL="switchyard-full | http://127.0.0.1:18021/v1/chat/completions | Authorization: Bearer $SECRET | $ROOT/bench/onecore/start-full.sh 18021 {UP_BASE} $DATA"
read -r -a PICK <<< "${TARGETS:-nginx-proxy switchyard switchyard-full}"
export SWEEP=${SWEEP-""} RUN=${RUN:-$WORK/run-$(date +%Y%m%d-%H%M%S)}
"$PEERS/run.sh" --target "$FULL" "${PICK[@]}"
echo "results: $RUN/results.tsv"
