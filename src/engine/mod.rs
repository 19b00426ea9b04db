//! The speech-engine boundary: one narrow trait, voice references and the engines behind them.
//!
//! # Contract
//! - [`Engine::synthesize`] takes *normalized* text (see `normalize`): plain words and sentence punctuation,
//!   never scene-break glyphs, markup or empty strings. It returns mono `f32` samples in -1.0..=1.0 at the
//!   voice's own sample rate (callers resample).
//! - Engines are `Send + Sync`: a caller may call `synthesize` from many threads at once. Engines whose
//!   native library is not thread-safe serialize internally; engines that can run in parallel keep one
//!   instance per worker internally.

pub mod silence;

use std::fmt;
use std::str::FromStr;

use crate::audio::Audio;
use crate::characters::Gender;
use crate::{Error, Result};

/// A voice as written in a cast file or on the command line: `ENGINE:VOICE[#SPEAKER]`,
/// e.g. `espeak:en-us+f3`, `piper:en_US-joe-medium`, `piper:en_US-libritts_r-medium#p3922`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VoiceRef {
    /// The engine's name (`espeak`, `piper`, `silence`).
    pub engine: String,
    /// The voice within the engine.
    pub voice: String,
    /// The speaker of a multi-speaker model.
    pub speaker: Option<String>,
}

impl FromStr for VoiceRef {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let bad = || Error::VoiceReference(s.to_owned());
        let (engine, rest) = s.split_once(':').ok_or_else(bad)?;
        let (voice, speaker) = match rest.split_once('#') {
            Some((voice, speaker)) => (voice, Some(speaker)),
            None => (rest, None),
        };
        let valid = |part: &str| !part.is_empty() && !part.contains(char::is_whitespace);
        if !valid(engine) || !valid(voice) || speaker.is_some_and(|s| !valid(s)) {
            return Err(bad());
        }
        Ok(Self { engine: engine.to_owned(), voice: voice.to_owned(), speaker: speaker.map(str::to_owned) })
    }
}

impl fmt::Display for VoiceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.engine, self.voice)?;
        if let Some(speaker) = &self.speaker {
            write!(f, "#{speaker}")?;
        }
        Ok(())
    }
}

impl serde::Serialize for VoiceRef {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for VoiceRef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// How a voice is varied: speed, pitch and loudness.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Prosody {
    /// Speed factor: 1.0 is the voice's own pace, 1.2 is 20 % faster.
    pub rate: f32,
    /// Pitch shift in semitones.
    pub pitch: f32,
    /// Gain in dB.
    pub volume: f32,
}

impl Default for Prosody {
    fn default() -> Self {
        Self { rate: 1.0, pitch: 0.0, volume: 0.0 }
    }
}

/// What the catalogue knows about a voice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceInfo {
    /// How to reference it.
    pub reference: VoiceRef,
    /// Language and accent, e.g. `en-US`, `en-GB-scotland`.
    pub language: String,
    /// The voice's gender, when known.
    pub gender: Gender,
    /// Output sample rate in Hz.
    pub sample_rate: u32,
    /// Where it comes from: `built in`, a model path, a Python package.
    pub source: String,
}

/// A speech engine. See the module documentation for the contract.
pub trait Engine: Send + Sync {
    /// Every voice this engine offers.
    fn voices(&self) -> Vec<VoiceInfo>;

    /// Speaks normalized `text` with `voice` varied by `prosody`.
    fn synthesize(&self, text: &str, voice: &VoiceRef, prosody: Prosody) -> Result<Audio>;

    /// Identifies the engine build and the voice's model, so cached audio is redone when either changes.
    fn identity(&self, voice: &VoiceRef) -> String;
}

/// The voices of `engine` closest in spelling to `wanted`, for "did you mean" suggestions.
#[must_use]
pub fn nearest_voices(voices: &[VoiceInfo], wanted: &str) -> Vec<String> {
    let mut scored: Vec<(usize, String)> = voices
        .iter()
        .map(|v| {
            let name = v.reference.to_string();
            (edit_distance(&name.to_lowercase(), &wanted.to_lowercase()), name)
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, name)| name).collect()
}

/// Levenshtein distance over characters.
#[must_use]
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(previous + 1).min(row[j] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voice_references_round_trip() {
        for s in ["espeak:en-us+f3", "piper:en_US-joe-medium", "piper:en_US-libritts_r-medium#p3922"] {
            assert_eq!(s.parse::<VoiceRef>().unwrap().to_string(), s);
        }
        let r: VoiceRef = "piper:model#7".parse().unwrap();
        assert_eq!((r.engine.as_str(), r.voice.as_str(), r.speaker.as_deref()), ("piper", "model", Some("7")));
    }

    #[test]
    fn malformed_references_are_rejected() {
        for s in ["", "espeak", "espeak:", ":voice", "piper:model#", "espeak:en us"] {
            assert!(s.parse::<VoiceRef>().is_err(), "{s:?}");
        }
    }

    #[test]
    fn nearest_voices_ranks_by_spelling() {
        let info = |r: &str| VoiceInfo {
            reference: r.parse().unwrap(),
            language: "en".into(),
            gender: Gender::Unknown,
            sample_rate: 22_050,
            source: "test".into(),
        };
        let voices = [info("espeak:en-us"), info("espeak:en"), info("piper:en_US-joe-medium")];
        assert_eq!(nearest_voices(&voices, "espeak:en-xx")[0], "espeak:en-us");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
