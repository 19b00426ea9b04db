//! A deterministic test engine: a quiet tone whose length follows the text, so the whole pipeline runs without a model.

use super::{Engine, Prosody, VoiceInfo, VoiceRef};
use crate::audio::Audio;
use crate::characters::Gender;
use crate::{Error, Result};

/// Produces a low sine tone, 60 ms per character (scaled by rate), at 16 kHz; identical on every run.
#[derive(Debug, Default, Clone, Copy)]
pub struct Silence;

/// The test engine's sample rate.
pub const SAMPLE_RATE: u32 = 16_000;

/// The test engine's voices: `silence:narrator`, `silence:female1..4`, `silence:male1..4`.
const VOICES: &[(&str, Gender)] = &[
    ("narrator", Gender::Unknown),
    ("female1", Gender::Female),
    ("female2", Gender::Female),
    ("female3", Gender::Female),
    ("female4", Gender::Female),
    ("male1", Gender::Male),
    ("male2", Gender::Male),
    ("male3", Gender::Male),
    ("male4", Gender::Male),
];

impl Engine for Silence {
    fn voices(&self) -> Vec<VoiceInfo> {
        VOICES
            .iter()
            .map(|&(name, gender)| VoiceInfo {
                reference: VoiceRef { engine: "silence".into(), voice: name.into(), speaker: None },
                language: "en".into(),
                gender,
                sample_rate: SAMPLE_RATE,
                source: "built in (test engine)".into(),
            })
            .collect()
    }

    fn synthesize(&self, text: &str, voice: &VoiceRef, prosody: Prosody) -> Result<Audio> {
        let Some(index) = VOICES.iter().position(|(name, _)| *name == voice.voice) else {
            return Err(Error::UnknownVoice {
                reference: voice.to_string(),
                nearest: super::nearest_voices(&self.voices(), &voice.to_string()),
            });
        };
        let seconds = 0.06 * text.chars().count() as f64 / f64::from(prosody.rate.max(0.1));
        let frequency = 110.0 * 2f64.powf((index as f64 * 2.0 + f64::from(prosody.pitch)) / 12.0);
        let gain = 0.1 * 10f64.powf(f64::from(prosody.volume) / 20.0);
        let len = (seconds * f64::from(SAMPLE_RATE)).round() as usize;
        let samples = (0..len)
            .map(|i| (gain * (std::f64::consts::TAU * frequency * i as f64 / f64::from(SAMPLE_RATE)).sin()) as f32)
            .collect();
        Ok(Audio { samples, sample_rate: SAMPLE_RATE })
    }

    fn identity(&self, voice: &VoiceRef) -> String {
        format!("silence-1/{voice}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_follows_text_and_rate() {
        let voice: VoiceRef = "silence:female1".parse().unwrap();
        let one = Silence.synthesize("abcdefghij", &voice, Prosody::default()).unwrap();
        assert!((one.duration() - 0.6).abs() < 1e-3);
        let fast = Silence.synthesize("abcdefghij", &voice, Prosody { rate: 2.0, ..Prosody::default() }).unwrap();
        assert!((fast.duration() - 0.3).abs() < 1e-3);
        assert!(Silence.synthesize("x", &"silence:nobody".parse().unwrap(), Prosody::default()).is_err());
    }
}
