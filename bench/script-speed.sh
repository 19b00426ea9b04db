#!/usr/bin/env bash
# Speed of `audiobook script` (parse, segment, detect the roster, attribute) on a ~1.5 MB novel: the dev-set
# excerpts concatenated twice. Prints the wall time of 5 runs and their median.
#   bash bench/script-speed.sh [DEV_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dev=${1:-$root/../shared/attribution-dev}
[ -d "$dev/data" ] || dev=/work/shared/attribution-dev
big=$(mktemp --suffix=.txt)
trap 'rm -f "$big"' EXIT
cat "$dev"/data/*/novel.txt "$dev"/data/*/novel.txt > "$big"
echo "input: $(wc -c < "$big") bytes"
times=()
for _ in 1 2 3 4 5; do
    start=$(date +%s.%N)
    "$root/target/release/audiobook" script "$big" --format jsonl > /dev/null
    times+=("$(echo "$(date +%s.%N) - $start" | bc)")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "runs: "; for (i=1;i<=NR;i++) printf "%.3f ", a[i]; printf "\nmedian: %.3f s\n", a[3]}'
