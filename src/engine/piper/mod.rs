//! Piper, natural neural voices: VITS models (`NAME.onnx` + `NAME.onnx.json`) run through ONNX Runtime.
//!
//! - **Voices** are found on disk (see [`catalogue`]): `piper:NAME`, and `piper:NAME#SPEAKER` for every speaker
//!   of a multi-speaker model.
//! - **Text** is phonemized by espeak-ng clause by clause and turned into the model's ids exactly as the
//!   reference Python `piper-tts` does (see [`phonemes`]); each sentence is one inference, followed by a short
//!   pause, so long paragraphs are never truncated.
//! - **Inference** runs in a pool of sessions per model, one per core, each with one thread (see [`runtime`]):
//!   the engine can be called from many threads at once.
//! - **Prosody**: `rate` divides the model's `length_scale`, `pitch` is a real pitch shift that keeps the
//!   duration, `volume` is a gain in dB (see [`prosody`]).
//!
//! Inference scales come from the voice's `.onnx.json` `inference` block (edit it to change one voice), or from
//! `AUDIOBOOK_PIPER_SCALES=NOISE_SCALE,LENGTH_SCALE,NOISE_W` for every voice.
//!
//! Determinism: the model's random draws are replaced, as it is loaded, by noise seeded from the phoneme ids (see
//! [`noise`]), so a line comes out the same on every run — each line with noise of its own — and a resumed render
//! equals an uninterrupted one.

pub mod catalogue;
pub mod noise;
pub mod phonemes;
pub mod prosody;
pub mod runtime;

use std::path::PathBuf;

pub use catalogue::{Config, Model, Problem, Scales, VOICE_PATH_VARIABLE};
pub use phonemes::{Ending, IdMap, Sentence};

use super::espeak::Espeak;
use super::{Engine, Prosody, VoiceInfo, VoiceRef};
use crate::audio::Audio;
use crate::{Error, Result};

/// The environment variable overriding every voice's inference scales: `NOISE_SCALE,LENGTH_SCALE,NOISE_W`.
pub const SCALES_VARIABLE: &str = "AUDIOBOOK_PIPER_SCALES";

/// Bumped when the engine's output changes for the same model and text, so cached audio is redone.
const ENGINE_VERSION: u32 = 2;

/// How the engine speaks, beyond the voice's own configuration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Replaces every voice's inference scales.
    pub scales: Option<Scales>,
    /// Multiplies `length_scale`. Piper voices speak at about 212 words a minute, fast for a book; 1.15 gives
    /// about 185.
    pub pace: f32,
    /// Silence after a sentence, in seconds (the model ends sentences with a very short tail).
    pub sentence_pause: f32,
    /// Silence after a piece of an over-long sentence, in seconds.
    pub clause_pause: f32,
}

impl Default for Options {
    fn default() -> Self {
        Self { scales: None, pace: 1.15, sentence_pause: 0.3, clause_pause: 0.12 }
    }
}

impl Options {
    /// The defaults, with `AUDIOBOOK_PIPER_SCALES` applied when it is set.
    pub fn from_environment() -> Result<Self> {
        let mut options = Self::default();
        if let Ok(value) = std::env::var(SCALES_VARIABLE)
            && !value.trim().is_empty()
        {
            options.scales = Some(parse_scales(&value).ok_or_else(|| Error::Engine {
                engine: "piper",
                message: format!(
                    "{SCALES_VARIABLE}={value:?} is not three numbers NOISE_SCALE,LENGTH_SCALE,NOISE_W \
                     (e.g. 0.667,1.0,0.8); fix or unset it"
                ),
            })?);
        }
        Ok(options)
    }
}

/// `NOISE_SCALE,LENGTH_SCALE,NOISE_W`: three finite numbers, none negative, the length above zero.
fn parse_scales(value: &str) -> Option<Scales> {
    let numbers: Vec<f32> = value.split(',').map(|part| part.trim().parse().ok()).collect::<Option<_>>()?;
    match numbers[..] {
        [noise_scale, length_scale, noise_w]
            if numbers.iter().all(|n| n.is_finite() && *n >= 0.0) && length_scale > 0.0 =>
        {
            Some(Scales { noise_scale, length_scale, noise_w })
        }
        _ => None,
    }
}

/// One voice model with what inference needs.
#[derive(Debug)]
struct Voice {
    model: Model,
    ids: IdMap,
    pool: runtime::Pool,
}

/// The Piper engine: the voices found on disk and their session pools.
#[derive(Debug)]
pub struct Piper {
    voices: Vec<Voice>,
    problems: Vec<Problem>,
    espeak: Espeak,
    options: Options,
}

impl Piper {
    /// Loads ONNX Runtime and finds the voices in the usual places (see [`catalogue`]). Voice files that cannot
    /// be used are reported once on standard error.
    pub fn open() -> Result<Self> {
        let directories: Vec<PathBuf> = catalogue::search_directories().into_iter().map(|(path, _)| path).collect();
        let piper = Self::with_directories(&directories, Options::from_environment()?)?;
        for problem in &piper.problems {
            eprintln!("warning: skipping a Piper voice: {}", problem.message);
        }
        Ok(piper)
    }

    /// Loads ONNX Runtime and finds the voices in `directories` only.
    pub fn with_directories(directories: &[PathBuf], options: Options) -> Result<Self> {
        runtime::environment()?;
        let (models, problems) = catalogue::discover(directories);
        let sessions = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let voices = models
            .into_iter()
            .filter_map(|model| {
                // `Config::read` checked that the framing symbols are there.
                let ids = IdMap::new(&model.config.phoneme_id_map)?;
                let pool = runtime::Pool::new(&model.path, sessions);
                Some(Voice { model, ids, pool })
            })
            .collect();
        Ok(Self { voices, problems, espeak: Espeak::open()?, options })
    }

    /// The voice files that were found but cannot be used.
    #[must_use]
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The models found, in lookup order.
    pub fn models(&self) -> impl Iterator<Item = &Model> {
        self.voices.iter().map(|voice| &voice.model)
    }

    fn voice(&self, reference: &VoiceRef) -> Result<(&Voice, Option<i64>)> {
        let unknown = || Error::UnknownVoice {
            reference: reference.to_string(),
            nearest: super::nearest_voices(&self.voices(), &reference.to_string()),
        };
        if reference.engine != "piper" {
            return Err(unknown());
        }
        let voice =
            self.voices.iter().find(|v| v.model.name.eq_ignore_ascii_case(&reference.voice)).ok_or_else(unknown)?;
        let speakers = voice.model.config.speakers();
        let speaker = match (&reference.speaker, speakers.is_empty()) {
            (None, true) => None,
            // A multi-speaker model without a speaker: its first speaker.
            (None, false) => Some(speakers[0].1),
            (Some(_), true) => return Err(unknown()),
            (Some(wanted), false) => Some(
                speakers
                    .iter()
                    .find(|(name, _)| name == wanted)
                    .map(|&(_, id)| id)
                    .or_else(|| wanted.parse().ok().filter(|id| speakers.iter().any(|&(_, known)| known == *id)))
                    .ok_or_else(unknown)?,
            ),
        };
        Ok((voice, speaker))
    }

    /// The model input ids for `text`, one list per sentence (or piece of an over-long sentence).
    pub fn phoneme_ids(&self, text: &str, reference: &VoiceRef) -> Result<Vec<Vec<i64>>> {
        let (voice, _) = self.voice(reference)?;
        Ok(self.sentences(voice, text)?.iter().map(|s| voice.ids.ids(&s.phonemes)).collect())
    }

    fn sentences(&self, voice: &Voice, text: &str) -> Result<Vec<Sentence>> {
        let clauses = self.espeak.clauses(text, &voice.model.config.espeak.voice)?;
        Ok(phonemes::sentences(&clauses))
    }

    /// The inference scales for `voice` at `rate`.
    fn scales(&self, voice: &Voice, rate: f32) -> Scales {
        let base = self.options.scales.unwrap_or(voice.model.config.inference);
        let rate = if rate.is_finite() && rate > 0.0 { rate.clamp(0.25, 4.0) } else { 1.0 };
        Scales { length_scale: base.length_scale * self.options.pace / rate, ..base }
    }

    /// Loads `reference`'s model now (its first session), so a broken model file is reported before a long run.
    pub fn check(&self, reference: &VoiceRef) -> Result<()> {
        self.voice(reference)?.0.pool.warm_up()
    }
}

impl Engine for Piper {
    fn voices(&self) -> Vec<VoiceInfo> {
        let mut voices = Vec::new();
        for voice in &self.voices {
            let model = &voice.model;
            let info = |speaker: Option<String>| VoiceInfo {
                reference: VoiceRef { engine: "piper".into(), voice: model.name.clone(), speaker },
                language: model.config.language_tag(),
                gender: model.gender(),
                sample_rate: model.config.audio.sample_rate,
                source: model.path.display().to_string(),
            };
            let speakers = model.config.speakers();
            if speakers.is_empty() {
                voices.push(info(None));
            } else {
                voices.extend(speakers.into_iter().map(|(name, _)| info(Some(name))));
            }
        }
        voices
    }

    fn synthesize(&self, text: &str, reference: &VoiceRef, prosody: Prosody) -> Result<Audio> {
        let (voice, speaker) = self.voice(reference)?;
        let sample_rate = voice.model.config.audio.sample_rate;
        let scales = self.scales(voice, prosody.rate);
        let sentences = self.sentences(voice, text)?;
        let mut samples = Vec::new();
        for (index, sentence) in sentences.iter().enumerate() {
            let audio = voice.pool.run(&voice.ids.ids(&sentence.phonemes), scales, speaker)?;
            samples.extend(audio.iter().map(|s| if s.is_finite() { s.clamp(-1.0, 1.0) } else { 0.0 }));
            if index + 1 < sentences.len() {
                let pause = match sentence.ending {
                    Ending::Sentence => self.options.sentence_pause,
                    Ending::Clause => self.options.clause_pause,
                };
                samples.resize(samples.len() + (pause.max(0.0) * sample_rate as f32).round() as usize, 0.0);
            }
        }
        let mut samples = prosody::shift_pitch(&samples, sample_rate, prosody.pitch);
        prosody::apply_gain(&mut samples, prosody.volume);
        Ok(Audio { samples, sample_rate })
    }

    fn identity(&self, reference: &VoiceRef) -> String {
        let model = self.voice(reference).ok().map(|(voice, speaker)| {
            let stamp = |path: &std::path::Path| {
                std::fs::metadata(path).ok().map_or_else(String::new, |m| {
                    let modified = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
                    format!("{}-{}", m.len(), modified.map_or(0, |d| d.as_secs()))
                })
            };
            let scales = self.scales(voice, 1.0);
            format!(
                "{}/{}/{}/speaker {}/scales {},{},{}",
                voice.model.name,
                stamp(&voice.model.path),
                stamp(&catalogue::config_path(&voice.model.path)),
                speaker.unwrap_or(0),
                scales.noise_scale,
                scales.length_scale,
                scales.noise_w
            )
        });
        format!("piper-{ENGINE_VERSION}/{:?}/{}", self.espeak.backend(), model.unwrap_or_else(|| reference.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_from_the_environment_are_three_numbers() {
        assert_eq!(parse_scales(" 0.5, 1.2 ,0.6"), Some(Scales { noise_scale: 0.5, length_scale: 1.2, noise_w: 0.6 }));
        for bad in ["", "1,2", "1,2,3,4", "0.5,0,0.6", "a,1,1", "-1,1,1", "0.5,1,NaN"] {
            assert_eq!(parse_scales(bad), None, "{bad:?}");
        }
    }
}
