#!/usr/bin/env bash
# Seeds the fuzz corpora from the test fixtures (and the attribution dev set when it is beside the repo).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/script corpus/cast
cp ../tests/fixtures/*.txt corpus/script/ 2>/dev/null || true
for f in ../../shared/attribution-dev/data/*/novel.txt; do
  [ -e "$f" ] || continue
  head -c 4000 "$f" > "corpus/script/$(basename "$(dirname "$f")").txt"
done
find ../tests/fixtures -name '*.toml' -exec cp {} corpus/cast/ \; 2>/dev/null || true
printf '[narrator]\nvoice = "espeak:en"\n\n[characters."Ann"]\naliases = ["Annie"]\ngender = "female"\nvoice = "espeak:en-us+f3"\npitch = 2.0\n\n[pronunciations]\nXander = "Zander"\n' > corpus/cast/seed.toml
