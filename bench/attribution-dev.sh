#!/usr/bin/env bash
# Speaker attribution on the development set, end to end: every novel through `audiobook script --format jsonl`,
# once with the detected roster and once with the gold roster given as a cast, scored by the set's own scorer.
#   bash bench/attribution-dev.sh [DEV_DIR] [OUT_DIR]
# Needs a release build (cargo build --release). Prints the pooled scores of both runs; per-novel JSONL stays in OUT_DIR.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dev=${1:-$root/../shared/attribution-dev}
[ -d "$dev/data" ] || dev=/work/shared/attribution-dev
out=${2:-/tmp/attribution-dev}
bin=$root/target/release/audiobook
mkdir -p "$out/detected" "$out/gold" "$out/casts"
for t in "$dev"/data/*/; do
    n=$(basename "$t")
    "$bin" script "$t/novel.txt" --format jsonl > "$out/detected/$n.jsonl"
    python3 "$root/bench/characters_to_cast.py" "$t/characters.json" > "$out/casts/$n.toml"
    "$bin" script "$t/novel.txt" --format jsonl --cast "$out/casts/$n.toml" > "$out/gold/$n.jsonl"
done
for run in detected gold; do
    echo "== roster: $run =="
    python3 "$dev/kit/bench.py" --work "$dev/data" --all --system-dir "$out/$run" --offsets byte ${PER_NOVEL:+--per-novel} | tail -n 3
done
