#!/usr/bin/env bash
# Starts Switchyard with the FULL request path on 127.0.0.1:PORT in front of the peer bench's mock (issue 15's second
# configuration): the client's model name (gpt-4o-mini, fixed by the peer bench's request body) is an ALIAS whose
# objective is cheapest-qualifying (task classifier + quality model on every request), over a self-hosted and an
# external deployment; the caller is a STORED key with a daily budget and per-minute request/token limits (reserved and
# settled on every request); privacy scanning runs on every request (it always does); the ledger is on (it always is).
# usage: SY_DLL=path/to/switchyard.dll start-full.sh PORT UP_BASE DATA_DIR   (exec's dotnet: the PID is the gateway's)
# DATA_DIR holds the store with the key onecore.sh created; the config is rewritten for this scenario's UP_BASE.
set -euo pipefail
PORT=${1:?port}; UP_BASE=${2:?upstream base url}; DATA=${3:?data dir}
DLL=${SY_DLL:?set SY_DLL to the built switchyard.dll}
"$(dirname "$0")/config-full.sh" "$UP_BASE" > "$DATA/switchyard.yaml"
export ONECORE_UPSTREAM_KEY=sk-onecore-mock DOTNET_gcServer=0 ASPNETCORE_ENVIRONMENT=Production
exec dotnet "$DLL" serve --config "$DATA/switchyard.yaml" --urls "http://127.0.0.1:$PORT" --data-dir "$DATA"
