//! The speech-engine boundary: one narrow trait, voice references and the engines behind them.
//!
//! # Contract
//! - [`Engine::synthesize`] takes *normalized* text (see `normalize`): plain words and sentence punctuation,
//!   never scene-break glyphs, markup or empty strings. It returns mono `f32` samples in -1.0..=1.0 at the
//!   voice's own sample rate (callers resample).
//! - Engines are `Send + Sync`: a caller may call `synthesize` from many threads at once. Engines whose
//!   native library is not thread-safe serialize internally; engines that can run in parallel keep one
//!   instance per worker internally.

pub mod espeak;
pub mod piper;
pub mod silence;

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

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

/// The engines a [`Registry`] can open, in the order `audiobook voices` lists them. `silence` is the
/// deterministic test engine: it opens on request but is left out of the full listing.
pub const ENGINES: &[&str] = &["espeak", "piper", "silence"];

/// Engines listed by [`Registry::voices`] when no engine is named.
const LISTED_ENGINES: &[&str] = &["espeak", "piper"];

/// Opens engines by name on first use and keeps them for the rest of the run.
#[derive(Default)]
pub struct Registry {
    opened: Mutex<HashMap<String, Arc<dyn Engine>>>,
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let opened = self.opened.lock().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
        f.debug_struct("Registry").field("opened", &opened).finish()
    }
}

impl Registry {
    /// A registry with no engine opened yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The engine called `name`, opened on first use.
    pub fn engine(&self, name: &str) -> Result<Arc<dyn Engine>> {
        let mut opened = self.opened.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(engine) = opened.get(name) {
            return Ok(Arc::clone(engine));
        }
        let engine: Arc<dyn Engine> = match name {
            "espeak" => Arc::new(espeak::Espeak::open()?),
            "piper" => Arc::new(piper::Piper::open()?),
            "silence" => Arc::new(silence::Silence),
            _ => {
                return Err(Error::UnknownEngine {
                    name: name.to_owned(),
                    known: ENGINES.iter().map(|&e| e.to_owned()).collect(),
                });
            }
        };
        opened.insert(name.to_owned(), Arc::clone(&engine));
        Ok(engine)
    }

    /// The voices of `engine`, or of every installed engine when `None` (engines that cannot be opened are
    /// left out of that full listing; naming one reports why it cannot be opened).
    pub fn voices(&self, engine: Option<&str>) -> Result<Vec<VoiceInfo>> {
        match engine {
            Some(name) => Ok(self.engine(name)?.voices()),
            None => {
                Ok(LISTED_ENGINES.iter().filter_map(|name| self.engine(name).ok()).flat_map(|e| e.voices()).collect())
            }
        }
    }

    /// The engine and catalogue entry of `voice`; an unknown voice's error names the nearest ones.
    pub fn resolve(&self, voice: &VoiceRef) -> Result<(Arc<dyn Engine>, VoiceInfo)> {
        let engine = self.engine(&voice.engine)?;
        let voices = engine.voices();
        let wanted = voice.to_string();
        match voices.iter().find(|info| info.reference.to_string().eq_ignore_ascii_case(&wanted)) {
            Some(info) => Ok((engine, info.clone())),
            None => Err(Error::UnknownVoice { reference: wanted.clone(), nearest: nearest_voices(&voices, &wanted) }),
        }
    }
}

/// The environment variable that makes tests of optional engines (the espeak-ng system library, Piper) fail when
/// the engine is missing instead of being skipped. CI sets it, because CI installs them.
pub const REQUIRE_ENGINES_VARIABLE: &str = "AUDIOBOOK_REQUIRE_ENGINES";

/// For tests of an optional engine: the engine when `opened` succeeded; otherwise `None` after a note on stderr
/// (the test is skipped), or a panic when [`REQUIRE_ENGINES_VARIABLE`] is set.
///
/// # Panics
/// When the engine is missing and [`REQUIRE_ENGINES_VARIABLE`] is set.
#[doc(hidden)]
pub fn installed_or_skip<T, E: fmt::Display>(what: &str, opened: std::result::Result<T, E>) -> Option<T> {
    match opened {
        Ok(engine) => Some(engine),
        Err(error) if std::env::var_os(REQUIRE_ENGINES_VARIABLE).is_some() => {
            panic!("{what} is required ({REQUIRE_ENGINES_VARIABLE} is set) but cannot be used: {error}")
        }
        Err(error) => {
            eprintln!("skipped: {what} is not installed ({error}); `bash .ci/run` installs it");
            None
        }
    }
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

    #[test]
    fn registry_opens_engines_by_name_and_resolves_voices() {
        let registry = Registry::new();
        let (engine, info) = registry.resolve(&"silence:female2".parse().unwrap()).unwrap();
        assert_eq!(info.gender, Gender::Female);
        assert_eq!(engine.identity(&info.reference), "silence-1/silence:female2");
        match registry.resolve(&"silence:femal2".parse().unwrap()) {
            Err(Error::UnknownVoice { nearest, .. }) => assert_eq!(nearest[0], "silence:female2"),
            Err(other) => panic!("expected an unknown voice, got {other}"),
            Ok(_) => panic!("a misspelt voice resolved"),
        }
        let error = registry.engine("festival").err().unwrap().to_string();
        assert!(error.contains("festival") && error.contains("espeak"), "{error}");
        assert_eq!(registry.voices(Some("silence")).unwrap().len(), 9);
    }
}
