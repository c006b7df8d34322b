#!/usr/bin/env bash
# Rebuilds the product's shipped price data (src/Switchyard.Core/Catalog/Data) from the sourced tables in
# ../shared/data/prices. Every row keeps its `source` and `as_of` columns, so the product can say where a
# price came from and warn when it is stale. Run after the shared tables are refreshed; commit the result.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
src="${1:-$here/../shared/data/prices}"
dst="$here/src/Switchyard.Core/Catalog/Data"
mkdir -p "$dst"
for f in catalog gpus throughput; do
  # Normalise line endings; the loader reads columns by header name, so extra columns are harmless.
  tr -d '\r' < "$src/$f.csv" > "$dst/$f.csv"
done
echo "catalog rebuilt from $src into $dst"
