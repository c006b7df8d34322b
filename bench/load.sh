#!/usr/bin/env bash
# End-to-end overhead of Switchyard on loopback (STYLE rule 14): a fast fake OpenAI upstream, the gateway in
# front of it, and the same load sent (a) straight to the fake and (b) through the gateway.
#   - saturation throughput with wrk (Debian's package; closed loop, -t1 -c64);
#   - latency p50/p99 at a fixed 1,000 req/s with bench/Switchyard.Bench.Load (open loop; Debian has no wrk2):
#     PAIRED_RUNS runs in which direct and gateway take turns in BLOCK_SECONDS blocks, so both are measured across
#     the same minute; the verdict is on the median of the runs' added latency;
#   - peak RSS of the gateway (VmHWM).
# Both non-streaming and streaming. Everything listens on 127.0.0.1 and is killed on exit.
# Knobs (env): SAT_SECONDS (10) CONNECTIONS (64) RATE (1000) RATE_SECONDS (15) WARMUP_SECONDS (3) PAIRED_RUNS (3) BLOCK_SECONDS (1)
#              UPSTREAM_PORT (5901) GATEWAY_PORT (5902) SKIP_BUILD (0) PIN (0)
#              GATEWAY_ENV ("NAME=value …", the gateway's environment only)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SAT_SECONDS="${SAT_SECONDS:-10}"
CONNECTIONS="${CONNECTIONS:-64}"
RATE="${RATE:-1000}"
RATE_SECONDS="${RATE_SECONDS:-15}"
WARMUP_SECONDS="${WARMUP_SECONDS:-3}"
PAIRED_RUNS="${PAIRED_RUNS:-3}"
BLOCK_SECONDS="${BLOCK_SECONDS:-1}"
UPSTREAM_PORT="${UPSTREAM_PORT:-5901}"
GATEWAY_PORT="${GATEWAY_PORT:-5902}"
KEY="sk-bench-load-0001"
BIN="$ROOT/artifacts/bin"

if ! command -v wrk >/dev/null 2>&1; then
  echo "== installing wrk (Debian package)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk
fi

if [ "${SKIP_BUILD:-0}" != "1" ]; then
  echo "== building Release"
  for p in src/Switchyard/Switchyard.csproj bench/Switchyard.Bench.Upstream/Switchyard.Bench.Upstream.csproj bench/Switchyard.Bench.Load/Switchyard.Bench.Load.csproj; do
    timeout 600 dotnet build "$ROOT/$p" -c Release -nologo -v q >/dev/null
  done
fi

WORK="$(mktemp -d /tmp/switchyard-load.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

wait_for() { # url
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "timed out waiting for $1" >&2; return 1
}

sed -e "s|{{UPSTREAM}}|http://127.0.0.1:$UPSTREAM_PORT/v1|" -e "s|{{KEY}}|$KEY|" "$ROOT/bench/load-config.yaml" > "$WORK/switchyard.yaml"

printf '%s' '{"model":"bench-model","messages":[{"role":"system","content":"You are a terse assistant."},{"role":"user","content":"Say hello in one short sentence, please."}],"temperature":0.2,"max_tokens":64}' > "$WORK/plain.json"
printf '%s' '{"model":"bench-model","messages":[{"role":"system","content":"You are a terse assistant."},{"role":"user","content":"Say hello in one short sentence, please."}],"temperature":0.2,"max_tokens":64,"stream":true}' > "$WORK/stream.json"

cat > "$WORK/post.lua" <<'LUA'
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local key = os.getenv("BEARER")
if key ~= nil and key ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. key
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT rps=%.0f p50_us=%d p99_us=%d requests=%d non2xx=%d sockerr=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99),
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout))
end
LUA

# CPU layout (PIN=1, opt-in, when taskset exists and there are >= 2 CPUs): the gateway owns CPU 1; the load
# tools and the fake upstream share CPU 0. Direct runs and gateway runs reach the SAME fake on the SAME core, so
# "added" is exactly the gateway hop. (An earlier layout gave the direct fake a core of its own, which charged the
# upstream's contention with the load generator to the gateway.) PIN=0, the default, leaves scheduling to the kernel,
# which lets the gateway use both cores as it would in production.
PIN="${PIN:-0}"
if [ "$PIN" = "1" ] && command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
  SUT=(taskset -c 1); TOOLS=(taskset -c 0)
else
  SUT=(); TOOLS=()
fi
echo "== starting fake upstream on 127.0.0.1:$UPSTREAM_PORT"
"${TOOLS[@]}" "$BIN/Switchyard.Bench.Upstream/release/Switchyard.Bench.Upstream" "$UPSTREAM_PORT" >"$WORK/upstream.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$UPSTREAM_PORT/health"

# GATEWAY_ENV="NAME=value …": environment for the gateway process only (runtime knobs; the load tools and the fake keep theirs).
read -r -a GW_ENV <<< "${GATEWAY_ENV:-}"
echo "== starting gateway on 127.0.0.1:$GATEWAY_PORT${GATEWAY_ENV:+ with $GATEWAY_ENV}"
"${SUT[@]}" env "${GW_ENV[@]}" "$BIN/Switchyard/release/switchyard" serve --config "$WORK/switchyard.yaml" --urls "http://127.0.0.1:$GATEWAY_PORT" --data-dir "$WORK/data" >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
PIDS+=($GATEWAY_PID)
wait_for "http://127.0.0.1:$GATEWAY_PORT/health/ready"

DIRECT_URL="http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions"
GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions"

# Sanity: both answer 200 through the gateway before anything is measured.
for mode in plain stream; do
  code=$(curl -s -o "$WORK/check-$mode.out" -w '%{http_code}' --max-time 5 -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' --data-binary "@$WORK/$mode.json" "$GATEWAY_URL")
  if [ "$code" != "200" ]; then echo "gateway answered $code for $mode:" >&2; cat "$WORK/check-$mode.out" >&2; tail -20 "$WORK/gateway.log" >&2; exit 1; fi
done

run_wrk() { # url body_file seconds connections bearer -> RESULT line
  BODY_FILE="$2" BEARER="$5" timeout $(( $3 + 30 )) "${TOOLS[@]}" wrk -t1 -c"$4" -d"$3"s --timeout 5s -s "$WORK/post.lua" "$1" | grep '^RESULT' || echo "RESULT rps=0 p50_us=0 p99_us=0 requests=0 non2xx=-1 sockerr=-1"
}

run_rate() { # body_file NAME,URL[,KEY]… -> one result line per target ("target=NAME …")
  local body="$1"; shift
  timeout $(( $# * (RATE_SECONDS + WARMUP_SECONDS) + 60 )) "${TOOLS[@]}" "$BIN/Switchyard.Bench.Load/release/Switchyard.Bench.Load" --block "$BLOCK_SECONDS" "$body" "$RATE" "$RATE_SECONDS" "$WARMUP_SECONDS" "$@" || true
}

median() { # numbers… -> the median (the upper middle one for an even count: the less flattering)
  printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int(NR / 2) + 1] }'
}

field() { # line name
  sed -n "s/.*[ ]$2=\([^ ]*\).*/\1/p" <<<" $1"
}

echo "== warm-up (${WARMUP_SECONDS}s per target and mode; the fixed-rate runs also warm up ${WARMUP_SECONDS}s unrecorded)"
for mode in plain stream; do
  run_wrk "$DIRECT_URL" "$WORK/$mode.json" "$WARMUP_SECONDS" 16 "" >/dev/null
  run_wrk "$GATEWAY_URL" "$WORK/$mode.json" "$WARMUP_SECONDS" 16 "$KEY" >/dev/null
done

declare -A R
for mode in plain stream; do
  echo "== $mode: saturation, wrk -t1 -c$CONNECTIONS -d${SAT_SECONDS}s"
  R[sat_direct_$mode]=$(run_wrk "$DIRECT_URL" "$WORK/$mode.json" "$SAT_SECONDS" "$CONNECTIONS" "")
  echo "   direct : ${R[sat_direct_$mode]}"
  R[sat_gateway_$mode]=$(run_wrk "$GATEWAY_URL" "$WORK/$mode.json" "$SAT_SECONDS" "$CONNECTIONS" "$KEY")
  echo "   gateway: ${R[sat_gateway_$mode]}"
  # Direct and gateway take turns in blocks of BLOCK_SECONDS at RATE req/s (A B A B …, RATE_SECONDS of blocks
  # each): both are measured across the same minute of this shared host, at the same load as alone, so a host that
  # slows down mid-run slows both and the difference is the gateway's, not the minute's.
  echo "== $mode: fixed rate, $RATE req/s, direct and gateway alternating in ${BLOCK_SECONDS}s blocks, ${RATE_SECONDS}s each, $PAIRED_RUNS runs (open loop)"
  since_ms=$(( $(date +%s%3N) + WARMUP_SECONDS * 1000 ))
  for run in $(seq 1 "$PAIRED_RUNS"); do
    out=$(run_rate "$WORK/$mode.json" "direct,$DIRECT_URL" "gateway,$GATEWAY_URL,$KEY")
    R[paired${run}_direct_$mode]=$(grep '^target=direct' <<<"$out" || echo "target=direct errors=1")
    R[paired${run}_gateway_$mode]=$(grep '^target=gateway' <<<"$out" || echo "target=gateway errors=1")
    for q in p50 p99; do
      d=$(field "${R[paired${run}_direct_$mode]}" ${q}_us); g=$(field "${R[paired${run}_gateway_$mode]}" ${q}_us)
      R[paired${run}_added_${q}_$mode]=$(( ${g:-0} - ${d:-0} ))
    done
    echo "   run $run: direct p50/p99 $(field "${R[paired${run}_direct_$mode]}" p50_us)/$(field "${R[paired${run}_direct_$mode]}" p99_us) µs, gateway $(field "${R[paired${run}_gateway_$mode]}" p50_us)/$(field "${R[paired${run}_gateway_$mode]}" p99_us) µs, added ${R[paired${run}_added_p50_$mode]}/${R[paired${run}_added_p99_$mode]} µs"
  done
  # The gateway's own view of the same runs: overhead = total - time waiting on the upstream, per
  # request, from its ledger (after the flush interval). It excludes the extra loopback hop and the upstream
  # fake's own delays (on the load tools' core), which the client-side "added" figures include.
  sleep 1
  R[internal_$mode]=$(python3 - "$WORK/data/switchyard.db" "$since_ms" <<'PY' 2>/dev/null || echo "internal=unavailable"
import sqlite3, sys
rows = sorted(r[0] for r in sqlite3.connect(sys.argv[1]).execute(
    "SELECT overhead_ms FROM ledger WHERE ts_unix_ms >= ? AND http_status = 200", (int(sys.argv[2]),)))
q = lambda p: rows[min(len(rows) - 1, max(0, int(-(-p * len(rows) // 1)) - 1))] * 1000
print(f"internal_overhead n={len(rows)} p50_us={q(0.5):.0f} p90_us={q(0.9):.0f} p99_us={q(0.99):.0f} p999_us={q(0.999):.0f}")
PY
)
  echo "   gateway internal: ${R[internal_$mode]}"
done

HWM_KB=$(awk '/^VmHWM/ {print $2}' "/proc/$GATEWAY_PID/status")
RSS_KB=$(awk '/^VmRSS/ {print $2}' "/proc/$GATEWAY_PID/status")

verdict() { awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN { ok = (op == "<=") ? (a <= b) : (a >= b); print ok ? "PASS" : "FAIL" }'; }
ms() { awk -v us="$1" 'BEGIN { printf "%.3f", us / 1000 }'; }

FAILS=0
echo
echo "== Switchyard overhead on loopback ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ))"
printf '%-44s %12s %12s %12s %10s %6s\n' "figure" "direct" "gateway" "added" "target" "result"
for mode in plain stream; do
  label=$([ "$mode" = plain ] && echo "non-streaming" || echo "streaming")
  sd="${R[sat_direct_$mode]}"; sg="${R[sat_gateway_$mode]}"
  for q in p50 p99; do
    target=$([ $q = p50 ] && echo 300 || echo 1000)
    runs=$(seq 1 "$PAIRED_RUNS")
    d=$(median $(for r in $runs; do v=$(field "${R[paired${r}_direct_$mode]}" ${q}_us); echo "${v:-0}"; done))
    g=$(median $(for r in $runs; do v=$(field "${R[paired${r}_gateway_$mode]}" ${q}_us); echo "${v:-0}"; done))
    added=$(median $(for r in $runs; do echo "${R[paired${r}_added_${q}_$mode]}"; done))
    v=$(verdict "$added" "<=" "$target")
    [ "$mode" = plain ] && [ "$v" = FAIL ] && FAILS=$((FAILS + 1))
    [ "$mode" = stream ] && v="($v)"
    printf '%-44s %12s %12s %12s %10s %6s\n' "$label $q latency @ $RATE req/s (ms)" "$(ms "$d")" "$(ms "$g")" "$(ms "$added")" "<= $(ms "$target")" "$v"
  done
  d=$(field "$sd" rps); g=$(field "$sg" rps)
  if [ "$mode" = plain ]; then
    v=$(verdict "${g:-0}" ">=" 5000); [ "$v" = FAIL ] && FAILS=$((FAILS + 1)); t=">= 5000"
  else
    v="-"; t="-"
  fi
  printf '%-44s %12s %12s %12s %10s %6s\n' "$label req/s at saturation (-c$CONNECTIONS)" "$d" "$g" "" "$t" "$v"
  printf '%-44s %12s %12s %12s %10s %6s\n' "$label wrk p50/p99 at saturation (ms)" "$(ms "$(field "$sd" p50_us)")/$(ms "$(field "$sd" p99_us)")" "$(ms "$(field "$sg" p50_us)")/$(ms "$(field "$sg" p99_us)")" "" "" ""
  errs=$(( $(field "$sg" non2xx) + $(field "$sg" sockerr) ))
  for r in $(seq 1 "$PAIRED_RUNS"); do errs=$(( errs + $(field "${R[paired${r}_gateway_$mode]}" errors) )); done
  [ "$errs" -ne 0 ] && { echo "   ! $label: $errs errors through the gateway"; FAILS=$((FAILS + 1)); }
done
v=$(verdict "$HWM_KB" "<=" $((200 * 1024))); [ "$v" = FAIL ] && FAILS=$((FAILS + 1))
printf '%-44s %12s %12s %12s %10s %6s\n' "gateway peak RSS, VmHWM (MB)" "" "$((HWM_KB / 1024))" "" "<= 200" "$v"
printf '%-44s %12s %12s %12s %10s %6s\n' "gateway RSS at end, VmRSS (MB)" "" "$((RSS_KB / 1024))" "" "" ""
echo "(latency rows: the median over $PAIRED_RUNS alternating runs of each run's figure, 'added' = the median of the runs' gateway − direct;"
echo " streaming latency targets are shown in parentheses: the spine targets are for non-streaming)"
echo "raw:"; for k in "${!R[@]}"; do echo "  $k: ${R[$k]}"; done | sort
exit $(( FAILS > 0 ? 1 : 0 ))
