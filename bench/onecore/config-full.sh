#!/usr/bin/env bash
# Prints the full-path configuration for the mock at UP_BASE (see start-full.sh).
set -euo pipefail
UP_BASE=${1:?upstream base url}
cat <<YAML
providers:
  inhouse:
    type: openai
    base_url: $UP_BASE
    api_key_env: ONECORE_UPSTREAM_KEY
    zone: self-hosted
  frontier:
    type: openai
    base_url: $UP_BASE
    api_key_env: ONECORE_UPSTREAM_KEY
    zone: external
deployments:
  - id: inhouse-llama
    provider: inhouse
    model: llama-3.1-8b
  - id: frontier-mini
    provider: frontier
    model: frontier-mini
models:
  llama-3.1-8b:
    catalog: deepinfra/meta-llama-3.1-8b-instruct
    capabilities: [streaming, tools, parallel_tool_calls, json_object, json_schema]
    open_weights: true
  frontier-mini:
    catalog: openai/gpt-4o-mini
    capabilities: [streaming, tools, parallel_tool_calls, json_object, json_schema]
aliases:
  gpt-4o-mini:
    objective: cheapest-qualifying
    targets:
      - { model: llama-3.1-8b }
      - { model: frontier-mini }
YAML
