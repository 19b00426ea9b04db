//! The embedded pure-Rust espeak-ng port (crate `espeak-ng`): the fallback when the system library is missing.
//!
//! Its English data is compiled into the binary and unpacked once into a per-version cache directory
//! (`$XDG_CACHE_HOME/audiobook/espeak-ng-data-VERSION`, else `~/.cache/...`). It keeps no global state, so
//! each call builds its own engine and calls run in parallel.

use std::path::PathBuf;

use espeak_ng::{EspeakNg, Parameter, TextToPhonemesOptions};

use super::{Clause, Settings};
use crate::{Error, Result};

/// The crate's version, part of the cache directory's name and of the engine identity.
pub const VERSION: &str = "0.2.0";

/// The embedded engine: where its data lives.
#[derive(Debug)]
pub struct Embedded {
    data: PathBuf,
}

impl Embedded {
    /// Unpacks the data (first use only) and checks that it loads.
    pub fn open() -> Result<Self> {
        let data = super::cache_directory()?.join(format!("espeak-ng-data-{VERSION}"));
        super::build_once(&data, "phontab", |folder| espeak_ng::install_bundled_language(folder, "en"))?;
        Ok(Self { data })
    }

    fn engine(&self, voice: &str, settings: Option<&Settings>) -> Result<EspeakNg> {
        let mut engine = EspeakNg::with_data_dir(voice, &self.data).map_err(|e| failure(&e))?;
        if let Some(settings) = settings {
            engine.set_parameter(Parameter::Rate, settings.words_per_minute);
            engine.set_parameter(Parameter::Pitch, settings.pitch);
            engine.set_parameter(Parameter::Range, settings.range);
            engine.set_parameter(Parameter::Volume, settings.volume);
        }
        Ok(engine)
    }

    /// Speaks `text` with `voice` (an espeak-ng voice name such as `en-us+f3`); 16-bit samples.
    pub fn synthesize(&self, text: &str, voice: &str, settings: &Settings) -> Result<Vec<i16>> {
        let (samples, rate) = self.engine(voice, Some(settings))?.synth(text).map_err(|e| failure(&e))?;
        if rate != super::SAMPLE_RATE {
            return Err(Error::Engine {
                engine: "espeak",
                message: format!("the embedded espeak-ng produced {rate} Hz instead of {} Hz", super::SAMPLE_RATE),
            });
        }
        Ok(samples)
    }

    /// Converts `text` to IPA clause by clause.
    pub fn clauses(&self, text: &str, voice: &str) -> Result<Vec<Clause>> {
        let options = TextToPhonemesOptions { preserve_punctuation: true, flatten_clauses: false, markup: false };
        let lines = self.engine(voice, None)?.text_to_phonemes_with_options(text, options).map_err(|e| failure(&e))?;
        Ok(lines
            .lines()
            .map(|line| {
                // The punctuation is reinserted into the phonemes; move it to the clause's `punctuation`.
                let line = line.trim();
                let ipa = line.trim_end_matches(|c: char| ".,?!:;…".contains(c) || c.is_whitespace());
                Clause::new(ipa, line)
            })
            .filter(|clause| !clause.ipa.is_empty())
            .collect())
    }
}

fn failure(error: &espeak_ng::Error) -> Error {
    Error::Engine { engine: "espeak", message: format!("the embedded espeak-ng failed: {error}") }
}
