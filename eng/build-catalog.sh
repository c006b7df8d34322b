#!/usr/bin/env bash
# Rebuilds the product's shipped price data (src/Switchyard.Core/Catalog/Data) from the sourced tables in
# ../shared/data/prices, plus the product's own cloud rows (eng/prices/clouds.csv). Every row keeps its `source` and `as_of` columns, so the product can say where a
# price came from and warn when it is stale. Run after the shared tables are refreshed; commit the result.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
src="${1:-$here/../shared/data/prices}"
dst="$here/src/Switchyard.Core/Catalog/Data"
mkdir -p "$dst"
for f in gpus throughput; do
  # Normalise line endings; the loader reads columns by header name, so extra columns are harmless.
  tr -d '\r' < "$src/$f.csv" > "$dst/$f.csv"
done
# The catalog: the shared rows, with the two columns the product's own cloud rows add (eng/prices/README.md) left
# empty, then those rows.
tr -d '\r' < "$src/catalog.csv" | awk 'NR == 1 { print $0 ",cache_write_usd_per_mtok,cloud"; next } { print $0 ",," }' > "$dst/catalog.csv"
tail -n +2 "$here/eng/prices/clouds.csv" >> "$dst/catalog.csv"
echo "catalog rebuilt from $src and eng/prices into $dst"

