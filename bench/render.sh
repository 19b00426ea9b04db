#!/usr/bin/env bash
# Render benchmarks (BENCHMARKS.md, section "Render"): `bash bench/render.sh [RUNS] [--piper]`.
#  - espeak end to end on the sample story, cold (empty output folder), 2 worker threads: real-time factor;
#  - warm re-render (nothing changed: every line cached, every file up to date) and re-assembly (cached lines,
#    files rewritten), as speed-ups over cold;
#  - recasting one character (the cast's first character, else the narrator): lines redone and time;
#  - peak memory (max RSS) of a cold render of the sample and of 20 copies of it, each copy's lines made distinct;
#  - with --piper: Piper end to end (automatic casting with --engine piper), cold.
# Medians of RUNS (default 3) side-by-side runs; the machine is shared, so compare figures from one run only.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
piper=${2:-}
cargo build --release --quiet
bin=$PWD/target/release/audiobook
story=$PWD/tests/fixtures/all-my-days-are-dark.txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
# Runs a command, prints "WALL_SECONDS PEAK_KB".
timed() { /usr/bin/time -f "%e %M" -o "$work/time" $("$@") >/dev/null 2>"$work/log"; cat "$work/time"; }
audio_seconds() { python3 -c "import json,sys; print(sum(c['duration_s'] for c in json.load(open(sys.argv[1]))['chapters']))" "$1/timeline.json"; }

# `render STORY OUT [OPTIONS]`: the command timed.
render() { echo "$bin" render "$1" -o "$2" -j 2 "${@:3}"; }

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
cold=(); warm=(); assemble=(); recast=(); recast_lines=""; mem1=()
for run in $(seq "$runs"); do
    out=$work/out$run
    read -r t m < <(timed render "$story" "$out"); cold+=("$t"); mem1+=("$m")
    read -r t _ < <(timed render "$story" "$out"); warm+=("$t")
    rm -f "$out"/.cache/*.done
    read -r t _ < <(timed render "$story" "$out"); assemble+=("$t")
    # Recast: the first character of the cast used, else the narrator, to another espeak voice.
    cp "$out/cast.toml" "$work/cast$run.toml"
    python3 - "$work/cast$run.toml" <<'EOF'
import re, sys
path = sys.argv[1]
text = open(path).read()
tables = [m.start() for m in re.finditer(r'^\[characters\.', text, re.M)]
start = tables[0] if tables else text.index('[narrator]')
voice = re.compile(r'^voice = "[^"]*"', re.M)
m = voice.search(text, start)
text = text[:m.start()] + 'voice = "espeak:en-gb-x-rp+m2"' + text[m.end():]
open(path, 'w').write(text)
EOF
    read -r t _ < <(timed render "$story" "$out" --cast "$work/cast$run.toml"); recast+=("$t")
    recast_lines=$(grep -o '[0-9]* synthesized, [0-9]* reused' "$work/log" || true)
done
audio=$(audio_seconds "$work/out1")
c=$(printf '%s\n' "${cold[@]}" | median); w=$(printf '%s\n' "${warm[@]}" | median)
a=$(printf '%s\n' "${assemble[@]}" | median); r=$(printf '%s\n' "${recast[@]}" | median)
echo "audio: ${audio} s"
echo "| run | wall (median) | runs | figure |"
echo "|---|---|---|---|"
echo "| cold, espeak, -j 2 | $c s | ${cold[*]} | $(python3 -c "print(f'{$audio/$c:.0f}x real time')") |"
echo "| warm (nothing changed) | $w s | ${warm[*]} | $(python3 -c "print(f'{$c/max($w,0.005):.0f}x faster than cold')") |"
echo "| re-assembly (cached lines) | $a s | ${assemble[*]} | $(python3 -c "print(f'{$c/$a:.1f}x faster than cold')") |"
echo "| recast one part | $r s | ${recast[*]} | $recast_lines |"

# Peak memory: 1 and 20 copies, each copy's paragraphs prefixed so every line is distinct (nothing deduplicated).
python3 - "$story" "$work/x20.txt" <<'EOF'
import sys
text = open(sys.argv[1], encoding='utf-8').read()
words = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliet", "Kilo",
         "Lima", "Mike", "November", "Oscar", "Papa", "Quebec", "Romeo", "Sierra", "Tango"]
copies = []
for word in words:
    copies.append("\n".join(f"{word}. {line}" if line.strip() and "∞" not in line else line for line in text.split("\n")))
open(sys.argv[2], "w", encoding="utf-8").write("\n\n".join(copies))
EOF
read -r t20 m20 < <(timed render "$work/x20.txt" "$work/x20")
audio20=$(audio_seconds "$work/x20")
echo "| peak memory, 1x (${audio} s of audio) | $(printf '%s\n' "${mem1[@]}" | median) KB | ${mem1[*]} | |"
echo "| peak memory, 20x (${audio20} s of audio) | $m20 KB | $t20 s wall | $(python3 -c "print(f'{$audio20/$t20:.0f}x real time')") |"

if [ "$piper" = "--piper" ]; then
    read -r tp mp < <(timed render "$story" "$work/piper" --engine piper)
    ap=$(audio_seconds "$work/piper")
    echo "| cold, piper (joe), -j 2 | $tp s | 1 run, ${ap} s of audio, $mp KB | $(python3 -c "print(f'{$ap/$tp:.1f}x real time')") |"
fi
