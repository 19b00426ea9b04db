//! espeak-ng, the built-in engine: the system C library when it loads, else the embedded pure-Rust port.
//!
//! - **System** (`libespeak-ng`, preferred): loaded at run time, so nothing is needed at build time. Not
//!   thread-safe: every call takes one process-wide lock (it runs at several hundred times real time, so the
//!   lock is rarely contended).
//! - **Embedded** (crate `espeak-ng`, draft quality): used when the system library cannot be loaded, with one
//!   warning saying how to install the better one. Its data is unpacked once into a per-version cache directory.
//!
//! `AUDIOBOOK_ESPEAK=system` or `AUDIOBOOK_ESPEAK=embedded` forces a backend (default: `auto`).
//!
//! Voices are `espeak:ACCENT[+VARIANT]`, e.g. `espeak:en-us+f3`: [`ACCENTS`] × [`VARIANTS`]. The cast's pitch
//! shift maps to espeak-ng's pitch parameter, its rate to words per minute and its volume to a gain in dB
//! applied to the samples (with headroom, so loud voices do not clip).

mod embedded;
mod system;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::{Engine, Prosody, VoiceInfo, VoiceRef};
use crate::audio::Audio;
use crate::characters::Gender;
use crate::{Error, Result};

/// The environment variable that forces a backend: `system`, `embedded` or `auto`.
pub const BACKEND_VARIABLE: &str = "AUDIOBOOK_ESPEAK";

/// espeak-ng's output sample rate (both backends).
pub const SAMPLE_RATE: u32 = 22_050;

/// The English accents: the name espeak-ng loads and the language tag shown in the catalogue.
pub const ACCENTS: &[(&str, &str)] = &[
    ("en-us", "en-US"),
    ("en", "en-GB"),
    ("en-gb-x-rp", "en-GB-x-rp"),
    ("en-gb-scotland", "en-GB-scotland"),
    ("en-gb-x-gbclan", "en-GB-x-gbclan"),
    ("en-gb-x-gbcwmd", "en-GB-x-gbcwmd"),
    ("en-us-nyc", "en-US-nyc"),
    ("en-029", "en-029"),
];

/// The voice variants (timbre and pitch register) offered in the catalogue, with their gender.
/// Without a variant, espeak-ng's voices are male.
pub const VARIANTS: &[(&str, Gender)] = &[
    ("m1", Gender::Male),
    ("m2", Gender::Male),
    ("m3", Gender::Male),
    ("m4", Gender::Male),
    ("m5", Gender::Male),
    ("m6", Gender::Male),
    ("m7", Gender::Male),
    ("m8", Gender::Male),
    ("f1", Gender::Female),
    ("f2", Gender::Female),
    ("f3", Gender::Female),
    ("f4", Gender::Female),
    ("f5", Gender::Female),
    ("croak", Gender::Male),
    ("whisper", Gender::Male),
    ("whisperf", Gender::Female),
];

/// A voice with its variation: `(accent+variant, pitch in semitones)`.
type Part = (&'static str, f32);

/// The narrator: the plain American voice, the most intelligible one espeak-ng has.
pub const NARRATOR: Part = ("en-us", 0.0);

/// Male character voices, most distinct first: every one differs from the others in accent, variant and
/// pitch. Measured median fundamentals (system library, 1.51) run from about 75 to 135 Hz.
pub const MALE_PARTS: &[Part] = &[
    ("en-gb-x-rp+m3", 0.0),
    ("en-us-nyc+m1", -3.0),
    ("en-gb-scotland+m7", 3.0),
    ("en+m2", -1.5),
    ("en-029+m4", 1.5),
    ("en-us+m8", -2.0),
    ("en-gb-x-gbclan+m5", 4.5),
    ("en-gb-x-gbcwmd+m6", -4.5),
    ("en-us+croak", 1.0),
];

/// Female character voices, most distinct first, like [`MALE_PARTS`]: about 160 to 250 Hz.
pub const FEMALE_PARTS: &[Part] = &[
    ("en-us+f3", 0.0),
    ("en-gb-x-rp+f1", -1.5),
    ("en-us-nyc+f2", 2.5),
    ("en-gb-scotland+f4", 1.0),
    ("en+f5", -2.5),
    ("en-029+f2", 4.5),
    ("en-gb-x-gbclan+f3", -3.5),
    ("en-us+f4", 5.0),
    ("en-gb-x-gbcwmd+f5", 1.0),
];

fn reference(voice: &str) -> VoiceRef {
    VoiceRef { engine: "espeak".into(), voice: voice.to_owned(), speaker: None }
}

fn part((voice, pitch): Part) -> (VoiceRef, Prosody) {
    (reference(voice), Prosody { pitch, ..Prosody::default() })
}

/// The narrator's voice and variation.
#[must_use]
pub fn narrator() -> (VoiceRef, Prosody) {
    part(NARRATOR)
}

/// The recommended character voices for `gender`, most distinct first (unknown gender alternates female and
/// male), for automatic casting. None of them is the narrator's voice.
#[must_use]
pub fn casting_order(gender: Gender) -> Vec<(VoiceRef, Prosody)> {
    match gender {
        Gender::Male => MALE_PARTS.iter().copied().map(part).collect(),
        Gender::Female => FEMALE_PARTS.iter().copied().map(part).collect(),
        Gender::Unknown => FEMALE_PARTS.iter().zip(MALE_PARTS).flat_map(|(&f, &m)| [part(f), part(m)]).collect(),
    }
}

/// Speaking rate at `Prosody::rate == 1.0`, in words per minute (espeak-ng's own default is 175).
const WORDS_PER_MINUTE: f32 = 165.0;
/// espeak-ng's volume parameter: its default (100) peaks at -0.03 dBFS, so leave headroom for gain.
const ESPEAK_VOLUME: i32 = 70;
/// Highest peak allowed after the cast's gain; louder clips are scaled down to it.
const PEAK_LIMIT: f32 = 0.97;

/// Which implementation speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    /// The system C library (`libespeak-ng`).
    System,
    /// The embedded pure-Rust port (crate `espeak-ng`).
    Embedded,
}

impl BackendKind {
    /// The backend `AUDIOBOOK_ESPEAK` asks for; `None` means "system if it loads, else embedded".
    pub fn from_environment() -> Result<Option<Self>> {
        match std::env::var(BACKEND_VARIABLE).unwrap_or_default().trim() {
            "" | "auto" => Ok(None),
            "system" => Ok(Some(Self::System)),
            "embedded" => Ok(Some(Self::Embedded)),
            other => Err(Error::Engine {
                engine: "espeak",
                message: format!("{BACKEND_VARIABLE}={other:?} is not a backend; use system, embedded or auto"),
            }),
        }
    }
}

/// espeak-ng parameters for one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Settings {
    /// Words per minute (80–450).
    pub words_per_minute: i32,
    /// Base pitch (0–100, 50 is the voice's own).
    pub pitch: i32,
    /// Intonation range (0–100, 50 is the voice's own).
    pub range: i32,
    /// Amplitude (0–200).
    pub volume: i32,
}

impl Settings {
    fn from_prosody(prosody: Prosody) -> Self {
        let rate = if prosody.rate.is_finite() && prosody.rate > 0.0 { prosody.rate } else { 1.0 };
        Self {
            words_per_minute: (WORDS_PER_MINUTE * rate).round().clamp(80.0, 450.0) as i32,
            pitch: pitch_parameter(prosody.pitch),
            range: 50,
            volume: ESPEAK_VOLUME,
        }
    }
}

/// espeak-ng's pitch parameter for a shift in semitones.
///
/// espeak-ng scales a voice's base pitch by a table indexed by the parameter. Measured with `en-us` (median
/// fundamental of a two-sentence text, 1.51): every 10 steps above 50 raise it by about 1.8 semitones, every
/// 10 below lower it by about 1.45, so the reachable range is about -7 to +9 semitones.
fn pitch_parameter(semitones: f32) -> i32 {
    let semitones = if semitones.is_finite() { semitones } else { 0.0 };
    let steps = if semitones >= 0.0 { semitones * 10.0 / 1.8 } else { semitones * 10.0 / 1.45 };
    (50.0 + steps).round().clamp(0.0, 100.0) as i32
}

/// One clause of phonemes, as espeak-ng splits text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// The clause in IPA, without punctuation.
    pub ipa: String,
    /// The punctuation that ends the clause (`.` `,` `?` `!` `:` `;`), when there is one.
    pub punctuation: Option<char>,
}

impl Clause {
    /// A clause from its phonemes and the source text espeak-ng consumed for it. The C library reads one
    /// character past the clause's end (`"Hello there, M"`), so a trailing letter or digit is not part of it.
    pub(crate) fn new(ipa: &str, source: &str) -> Self {
        let closing = |c: char| c.is_whitespace() || "\"'“”‘’«»()[]{}".contains(c);
        let mut source = source.trim_end();
        if source.ends_with(char::is_alphanumeric) {
            source = &source[..source.len() - source.chars().next_back().map_or(0, char::len_utf8)];
        }
        let punctuation = match source.trim_end_matches(closing).chars().next_back() {
            Some(c @ ('.' | ',' | '?' | '!' | ':' | ';')) => Some(c),
            Some('…') => Some('.'),
            _ => None,
        };
        let ipa = ipa.chars().filter(|&c| !"\"“”«»()[]{}".contains(c)).collect::<String>();
        Self { ipa: ipa.split_whitespace().collect::<Vec<_>>().join(" "), punctuation }
    }

    /// Whether the clause ends a sentence (`.`, `?` or `!`).
    #[must_use]
    pub fn ends_sentence(&self) -> bool {
        matches!(self.punctuation, Some('.' | '?' | '!'))
    }
}

/// Converts `text` to IPA, one string per clause as espeak-ng splits it, for `language` (an espeak-ng voice
/// name such as `en-us`, as in a Piper voice's `espeak.voice`).
///
/// Uses the system library when it loads (or `AUDIOBOOK_ESPEAK` says so), else the embedded port.
pub fn text_to_ipa(text: &str, language: &str) -> Result<Vec<String>> {
    Espeak::open()?.text_to_ipa(text, language)
}

/// Like [`text_to_ipa`], keeping each clause's closing punctuation (what Piper appends to the phonemes).
pub fn clauses(text: &str, language: &str) -> Result<Vec<Clause>> {
    Espeak::open()?.clauses(text, language)
}

/// The loaded backend; both live for the whole process.
#[derive(Debug, Clone, Copy)]
enum Backend {
    System(&'static system::Library),
    Embedded(&'static embedded::Embedded),
}

/// The process-wide system library (espeak-ng may be initialized only once per process).
fn system_library() -> std::result::Result<&'static system::Library, &'static str> {
    static LIBRARY: OnceLock<std::result::Result<system::Library, String>> = OnceLock::new();
    LIBRARY.get_or_init(system::Library::load).as_ref().map_err(String::as_str)
}

/// The process-wide embedded engine (its data unpacked once).
fn embedded_engine() -> Result<&'static embedded::Embedded> {
    static ENGINE: OnceLock<std::result::Result<embedded::Embedded, String>> = OnceLock::new();
    ENGINE
        .get_or_init(|| embedded::Embedded::open().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|message| Error::Engine { engine: "espeak", message: message.clone() })
}

/// `$XDG_CACHE_HOME/audiobook`, else `~/.cache/audiobook`.
pub(crate) fn cache_directory() -> Result<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").filter(|dir| !dir.is_empty()).map(|home| Path::new(&home).join(".cache")))
        .ok_or_else(|| Error::Engine {
            engine: "espeak",
            message: "neither XDG_CACHE_HOME nor HOME is set, so espeak-ng has nowhere to keep its data; set \
                      XDG_CACHE_HOME"
                .into(),
        })?;
    Ok(base.join("audiobook"))
}

/// Makes the directory `target` once, for good: `fill` writes it under a temporary sibling, which is then renamed
/// into place, so a crash or a concurrent process never leaves a half-made directory. It is complete when
/// `target/marker` exists (made here, or by another process that got there first).
fn build_once(target: &Path, marker: &str, fill: impl FnOnce(&Path) -> std::io::Result<()>) -> Result<()> {
    if target.join(marker).exists() {
        return Ok(());
    }
    let parent = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|source| Error::Write { path: parent.to_path_buf(), source })?;
    let temporary = parent.join(format!(
        ".{}.tmp-{}",
        target.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    // A leftover from a crashed run of this same process id is garbage.
    let _ = std::fs::remove_dir_all(&temporary);
    if let Err(source) = fill(&temporary).and_then(|()| std::fs::rename(&temporary, target)) {
        let _ = std::fs::remove_dir_all(&temporary);
        if !target.join(marker).exists() {
            return Err(Error::Write { path: target.to_path_buf(), source });
        }
    }
    Ok(())
}

/// The command that installs the system library on this platform.
fn install_command() -> &'static str {
    if cfg!(target_os = "macos") { "brew install espeak-ng" } else { "sudo apt-get install espeak-ng" }
}

impl Backend {
    fn open(wanted: Option<BackendKind>) -> Result<Self> {
        match wanted {
            Some(BackendKind::System) => system_library().map(Backend::System).map_err(|reason| Error::Engine {
                engine: "espeak",
                message: format!(
                    "the espeak-ng library cannot be loaded ({reason}); install it with `{}` or unset {BACKEND_VARIABLE}",
                    install_command()
                ),
            }),
            Some(BackendKind::Embedded) => embedded_engine().map(Backend::Embedded),
            None => match system_library() {
                Ok(library) => Ok(Backend::System(library)),
                Err(reason) => {
                    static WARNING: std::sync::Once = std::sync::Once::new();
                    WARNING.call_once(|| {
                        eprintln!(
                            "warning: the espeak-ng system library is not installed ({reason}); using the built-in \
                             draft-quality port instead. The system library sounds better: install it with `{}`",
                            install_command()
                        );
                    });
                    embedded_engine().map(Backend::Embedded)
                }
            },
        }
    }
}

/// The espeak-ng engine. Cheap to create: the backend is loaded once per process.
#[derive(Debug)]
pub struct Espeak {
    backend: Backend,
}

impl Espeak {
    /// Opens the backend `AUDIOBOOK_ESPEAK` asks for, else the system library, else the embedded port (with a
    /// warning saying how to install the system library).
    pub fn open() -> Result<Self> {
        Ok(Self { backend: Backend::open(BackendKind::from_environment()?)? })
    }

    /// Opens a specific backend.
    pub fn with_backend(kind: BackendKind) -> Result<Self> {
        Ok(Self { backend: Backend::open(Some(kind))? })
    }

    /// Which backend speaks.
    #[must_use]
    pub fn backend(&self) -> BackendKind {
        match self.backend {
            Backend::System(_) => BackendKind::System,
            Backend::Embedded(_) => BackendKind::Embedded,
        }
    }

    /// Converts `text` to IPA, one string per clause; see [`text_to_ipa`].
    pub fn text_to_ipa(&self, text: &str, language: &str) -> Result<Vec<String>> {
        Ok(self.clauses(text, language)?.into_iter().map(|clause| clause.ipa).collect())
    }

    /// Converts `text` to IPA clauses with their punctuation; see [`clauses`].
    pub fn clauses(&self, text: &str, language: &str) -> Result<Vec<Clause>> {
        match self.backend {
            Backend::System(library) => library.clauses(text, language),
            Backend::Embedded(embedded) => embedded.clauses(text, language),
        }
    }

    fn source(&self) -> String {
        match self.backend {
            Backend::System(library) => format!("built in (espeak-ng {} library)", library.version()),
            Backend::Embedded(_) => format!("built in (embedded espeak-ng port {}, draft quality)", embedded::VERSION),
        }
    }
}

/// The espeak-ng voice name for a reference (`en-us+f3`), checked against the catalogue.
fn voice_name(voice: &VoiceRef) -> Option<String> {
    if voice.engine != "espeak" || voice.speaker.is_some() {
        return None;
    }
    let lower = voice.voice.to_lowercase();
    let (accent, variant) = match lower.split_once('+') {
        Some((accent, variant)) => (accent, Some(variant)),
        None => (lower.as_str(), None),
    };
    // espeak-ng 1.51 cannot load "en-gb": its British voice is "en".
    let accent = if accent == "en-gb" { "en" } else { accent };
    let accent = ACCENTS.iter().find(|(name, _)| *name == accent)?.0;
    match variant {
        None => Some(accent.to_owned()),
        Some(variant) => VARIANTS.iter().find(|(name, _)| *name == variant).map(|(name, _)| format!("{accent}+{name}")),
    }
}

/// Every catalogue voice, in casting order: the narrator, the recommended character voices (female and male
/// alternating), then every other accent and variant.
fn catalogue(source: &str) -> Vec<VoiceInfo> {
    let recommended = std::iter::once(NARRATOR.0)
        .chain(FEMALE_PARTS.iter().zip(MALE_PARTS).flat_map(|(f, m)| [f.0, m.0]))
        .chain(FEMALE_PARTS.iter().chain(MALE_PARTS).map(|p| p.0));
    let every = ACCENTS.iter().flat_map(|&(accent, _)| {
        std::iter::once(accent.to_owned()).chain(VARIANTS.iter().map(move |(variant, _)| format!("{accent}+{variant}")))
    });
    let mut names: Vec<String> = Vec::with_capacity(ACCENTS.len() * (VARIANTS.len() + 1));
    for name in recommended.map(str::to_owned).chain(every) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
        .into_iter()
        .map(|voice| {
            let (accent, variant) = voice.split_once('+').map_or((voice.as_str(), None), |(a, v)| (a, Some(v)));
            let language = ACCENTS.iter().find(|(name, _)| *name == accent).map_or(accent, |(_, language)| language);
            let gender = variant.map_or(Gender::Male, |variant| {
                VARIANTS.iter().find(|(name, _)| *name == variant).map_or(Gender::Unknown, |(_, gender)| *gender)
            });
            VoiceInfo {
                language: language.to_owned(),
                gender,
                sample_rate: SAMPLE_RATE,
                source: source.to_owned(),
                reference: reference(&voice),
            }
        })
        .collect()
}

/// Converts espeak-ng's 16-bit output to `f32`, applies the gain in dB and keeps the peak below [`PEAK_LIMIT`].
fn to_audio(samples: &[i16], sample_rate: u32, volume_db: f32) -> Audio {
    let gain = if volume_db.is_finite() { 10f32.powf(volume_db / 20.0) } else { 1.0 };
    let mut samples: Vec<f32> = samples.iter().map(|&s| f32::from(s) / 32_768.0 * gain).collect();
    let peak = samples.iter().fold(0f32, |peak, s| peak.max(s.abs()));
    if peak > PEAK_LIMIT {
        let scale = PEAK_LIMIT / peak;
        for sample in &mut samples {
            *sample *= scale;
        }
    }
    Audio { samples, sample_rate }
}

impl Engine for Espeak {
    fn voices(&self) -> Vec<VoiceInfo> {
        catalogue(&self.source())
    }

    fn synthesize(&self, text: &str, voice: &VoiceRef, prosody: Prosody) -> Result<Audio> {
        let Some(name) = voice_name(voice) else {
            return Err(Error::UnknownVoice {
                reference: voice.to_string(),
                nearest: super::nearest_voices(&self.voices(), &voice.to_string()),
            });
        };
        let settings = Settings::from_prosody(prosody);
        Ok(match self.backend {
            Backend::System(library) => {
                to_audio(&library.synthesize(text, &name, &settings)?, library.sample_rate(), prosody.volume)
            }
            Backend::Embedded(embedded) => {
                to_audio(&embedded.synthesize(text, &name, &settings)?, SAMPLE_RATE, prosody.volume)
            }
        })
    }

    fn identity(&self, voice: &VoiceRef) -> String {
        let backend = match self.backend {
            Backend::System(library) => format!("system-{}", library.version()),
            Backend::Embedded(_) => format!("embedded-{}", embedded::VERSION),
        };
        format!("espeak-ng/{backend}/{WORDS_PER_MINUTE}wpm-v{ESPEAK_VOLUME}/{voice}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_map_to_espeak_voice_names() {
        let name = |s: &str| voice_name(&s.parse().unwrap());
        assert_eq!(name("espeak:en-us+f3").as_deref(), Some("en-us+f3"));
        assert_eq!(name("espeak:en-GB").as_deref(), Some("en"));
        assert_eq!(name("espeak:en-gb-x-rp+m2").as_deref(), Some("en-gb-x-rp+m2"));
        assert_eq!(name("espeak:en-us+nosuch"), None);
        assert_eq!(name("espeak:fr"), None);
        assert_eq!(name("piper:en-us"), None);
    }

    #[test]
    fn catalogue_has_every_accent_and_variant_with_gender() {
        let voices = catalogue("test");
        assert_eq!(voices.len(), ACCENTS.len() * (VARIANTS.len() + 1));
        let find = |r: &str| voices.iter().find(|v| v.reference.to_string() == r).unwrap();
        assert_eq!(find("espeak:en-us+f3").gender, Gender::Female);
        assert_eq!(find("espeak:en-gb-scotland+m7").gender, Gender::Male);
        assert_eq!(find("espeak:en").language, "en-GB");
        assert!(voices.iter().all(|v| voice_name(&v.reference).is_some()), "every listed voice resolves");
        // Casting order first: the narrator, then the recommended parts.
        assert_eq!(voices[0].reference, narrator().0);
        assert_eq!(voices[1].reference, casting_order(Gender::Female)[0].0);
        assert_eq!(voices[2].reference, casting_order(Gender::Male)[0].0);
    }

    #[test]
    fn casting_order_offers_distinct_gendered_parts() {
        let voices = catalogue("test");
        for gender in [Gender::Female, Gender::Male] {
            let parts = casting_order(gender);
            assert!(parts.len() >= 8, "{gender:?}: only {} parts", parts.len());
            for (i, (voice, prosody)) in parts.iter().enumerate() {
                let info = voices.iter().find(|v| v.reference == *voice).expect("a catalogue voice");
                assert_eq!(info.gender, gender, "{voice}");
                assert_ne!(*voice, narrator().0);
                assert!(
                    parts[..i].iter().all(|(other, p)| other != voice || (p.pitch - prosody.pitch).abs() > 0.1),
                    "{voice}"
                );
            }
            let accents: std::collections::BTreeSet<&str> =
                parts.iter().map(|(v, _)| v.voice.split('+').next().unwrap_or_default()).collect();
            assert!(accents.len() >= 7, "{gender:?} parts use {} accents", accents.len());
        }
        assert_eq!(casting_order(Gender::Unknown).len(), 2 * FEMALE_PARTS.len().min(MALE_PARTS.len()));
    }

    #[test]
    fn prosody_maps_to_parameters() {
        let settings = Settings::from_prosody(Prosody::default());
        assert_eq!((settings.words_per_minute, settings.pitch), (165, 50));
        let fast_high = Settings::from_prosody(Prosody { rate: 1.2, pitch: 4.0, volume: 0.0 });
        assert_eq!((fast_high.words_per_minute, fast_high.pitch), (198, 72));
        let extreme = Settings::from_prosody(Prosody { rate: 10.0, pitch: -40.0, volume: 0.0 });
        assert_eq!((extreme.words_per_minute, extreme.pitch), (450, 0));
        assert_eq!(Settings::from_prosody(Prosody { rate: f32::NAN, ..Prosody::default() }).words_per_minute, 165);
    }

    #[test]
    fn gain_never_clips() {
        let audio = to_audio(&[i16::MAX, i16::MIN, 0, 1000], SAMPLE_RATE, 12.0);
        assert!(audio.samples.iter().all(|s| s.abs() <= PEAK_LIMIT + 1e-6));
        let quiet = to_audio(&[16_384], SAMPLE_RATE, -6.0);
        assert!((quiet.samples[0] - 0.25).abs() < 0.01, "{}", quiet.samples[0]);
    }

    /// The system library, or `None` (the test is skipped with a note) when it is not installed — unless
    /// [`crate::engine::REQUIRE_ENGINES_VARIABLE`] is set, as CI sets it, when its absence fails the test.
    fn system() -> Option<Espeak> {
        crate::engine::installed_or_skip("the espeak-ng library", Espeak::with_backend(BackendKind::System))
    }

    fn embedded() -> Espeak {
        Espeak::with_backend(BackendKind::Embedded).unwrap()
    }

    const TEXT: &str = "The old house stood at the end of the lane, and nobody had lived there for years. \
                        She walked up to the door and knocked twice.";

    /// Median fundamental frequency in Hz of the voiced 40 ms frames every 20 ms (normalized autocorrelation
    /// above 0.6, 60 to 400 Hz), or 0 when nothing is voiced. Works on the signal decimated by 2 to stay fast
    /// in debug builds.
    fn fundamental(audio: &Audio) -> f32 {
        let samples: Vec<f32> = audio.samples.chunks_exact(2).map(|pair| f32::midpoint(pair[0], pair[1])).collect();
        let rate = audio.sample_rate as f32 / 2.0;
        let (frame, hop) = ((rate * 0.04) as usize, (rate * 0.02) as usize);
        let (shortest, longest) = ((rate / 400.0) as usize, (rate / 60.0) as usize);
        let mut found = Vec::new();
        let mut start = 0;
        while start + frame + longest < samples.len() {
            let x = &samples[start..start + frame + longest];
            let energy: f32 = x[..frame].iter().map(|s| s * s).sum();
            if energy / frame as f32 > 1e-4 {
                let (best, lag) = (shortest..=longest)
                    .map(|lag| {
                        let cross: f32 = x[..frame].iter().zip(&x[lag..]).map(|(a, b)| a * b).sum();
                        let shifted: f32 = x[lag..lag + frame].iter().map(|s| s * s).sum();
                        (cross / (energy * shifted).sqrt().max(1e-9), lag)
                    })
                    .fold((0.0, 0), |a, b| if b.0 > a.0 { b } else { a });
                if best > 0.6 {
                    found.push(rate / lag as f32);
                }
            }
            start += hop;
        }
        found.sort_by(f32::total_cmp);
        found.get(found.len() / 2).copied().unwrap_or(0.0)
    }

    fn peak(audio: &Audio) -> f32 {
        audio.samples.iter().fold(0.0, |p, s| p.max(s.abs()))
    }

    fn rms(audio: &Audio) -> f32 {
        (audio.samples.iter().map(|s| s * s).sum::<f32>() / audio.samples.len().max(1) as f32).sqrt()
    }

    #[test]
    fn system_library_speaks_at_a_listenable_pace_and_level() {
        let Some(engine) = system() else { return };
        let voice: VoiceRef = "espeak:en-us".parse().unwrap();
        let audio = engine.synthesize(TEXT, &voice, Prosody::default()).unwrap();
        assert_eq!(audio.sample_rate, 22_050);
        // 24 words at 165 words per minute, plus the pause between the sentences.
        assert!((7.0..11.0).contains(&audio.duration()), "{} s", audio.duration());
        assert!((0.3..=PEAK_LIMIT).contains(&peak(&audio)), "peak {}", peak(&audio));
        let fast = engine.synthesize(TEXT, &voice, Prosody { rate: 1.5, ..Prosody::default() }).unwrap();
        let ratio = audio.duration() / fast.duration();
        assert!((1.3..1.7).contains(&ratio), "1.5x rate gave {ratio}x speed");
        let quiet = engine.synthesize(TEXT, &voice, Prosody { volume: -6.0, ..Prosody::default() }).unwrap();
        let db = 20.0 * (rms(&quiet) / rms(&audio)).log10();
        assert!((db + 6.0).abs() < 0.1, "-6 dB gave {db} dB");
        let loud = engine.synthesize(TEXT, &voice, Prosody { volume: 12.0, ..Prosody::default() }).unwrap();
        assert!(peak(&loud) <= PEAK_LIMIT + 1e-6, "loud voices must not clip");
        let identity = engine.identity(&voice);
        assert!(identity.starts_with("espeak-ng/system-1.") && identity.ends_with("espeak:en-us"), "{identity}");
        let unknown = engine.synthesize("Hi.", &"espeak:en-us+f9".parse().unwrap(), Prosody::default());
        assert!(
            matches!(unknown, Err(Error::UnknownVoice { ref nearest, .. }) if nearest.contains(&"espeak:en-us+f1".to_owned()))
        );
    }

    #[test]
    fn pitch_shift_moves_the_fundamental() {
        let Some(engine) = system() else { return };
        let voice: VoiceRef = "espeak:en-gb-x-rp".parse().unwrap();
        let base = fundamental(&engine.synthesize(TEXT, &voice, Prosody::default()).unwrap());
        for semitones in [-4.0f32, 4.0] {
            let shifted = engine.synthesize(TEXT, &voice, Prosody { pitch: semitones, ..Prosody::default() }).unwrap();
            let measured = 12.0 * (fundamental(&shifted) / base).log2();
            assert!((measured - semitones).abs() < 1.0, "{semitones} semitones measured as {measured}");
        }
    }

    #[test]
    fn cast_voices_are_distinct_and_sound_their_gender() {
        let Some(engine) = system() else { return };
        let measure =
            |(voice, prosody): &(VoiceRef, Prosody)| fundamental(&engine.synthesize(TEXT, voice, *prosody).unwrap());
        let male: Vec<f32> = casting_order(Gender::Male).iter().map(measure).collect();
        let female: Vec<f32> = casting_order(Gender::Female).iter().map(measure).collect();
        let narrator = measure(&narrator());
        let (male_top, female_bottom) =
            (male.iter().copied().fold(0.0, f32::max), female.iter().copied().fold(f32::MAX, f32::min));
        assert!(male.iter().all(|&f| (65.0..150.0).contains(&f)), "male fundamentals {male:?} (female {female:?})");
        assert!(female.iter().all(|&f| (150.0..320.0).contains(&f)), "female fundamentals {female:?}");
        assert!(male_top < female_bottom, "male {male:?} overlap female {female:?}");
        assert!((80.0..130.0).contains(&narrator), "narrator {narrator}");
        // The first parts of each gender spread over at least 5 semitones.
        for (gender, f0) in [("male", &male), ("female", &female)] {
            let (low, high) = f0.iter().fold((f32::MAX, 0f32), |(l, h), &f| (l.min(f), h.max(f)));
            assert!(12.0 * (high / low).log2() > 5.0, "{gender} fundamentals {f0:?} are too close");
        }
    }

    #[test]
    fn system_library_speaks_a_line_the_same_whatever_was_spoken_before() {
        let Some(engine) = system() else { return };
        // `f3` breathes (espeak-ng draws that noise from `rand()`); the flutter, gain and filters carry over too.
        let voice: VoiceRef = "espeak:en-us+f3".parse().unwrap();
        let first = engine.synthesize(TEXT, &voice, Prosody::default()).unwrap();
        let other: VoiceRef = "espeak:en-gb-scotland+m7".parse().unwrap();
        engine
            .synthesize("Something else, louder and higher!", &other, Prosody { pitch: 4.0, ..Prosody::default() })
            .unwrap();
        engine.clauses("And a line only phonemized.", "en-us").unwrap();
        let again = engine.synthesize(TEXT, &voice, Prosody::default()).unwrap();
        assert!(first.samples == again.samples, "the same line came out differently");
    }

    #[test]
    fn concurrent_calls_give_the_same_audio_as_sequential_ones() {
        let Some(engine) = system() else { return };
        let voices: Vec<VoiceRef> =
            ["espeak:en-us+m3", "espeak:en-gb-scotland+m7", "espeak:en"].map(|v| v.parse().unwrap()).to_vec();
        let expected: Vec<Audio> =
            voices.iter().map(|voice| engine.synthesize(TEXT, voice, Prosody::default()).unwrap()).collect();
        assert!(expected[0].samples != expected[1].samples, "different voices must not match");
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..4)
                .map(|worker| {
                    let (engine, voices, expected) = (&engine, &voices, &expected);
                    scope.spawn(move || {
                        for round in 0..3 {
                            let i = (worker + round) % voices.len();
                            let pitch = if round == 1 { 3.0 } else { 0.0 };
                            let audio = engine.synthesize(TEXT, &voices[i], Prosody { pitch, ..Prosody::default() });
                            let audio = audio.unwrap();
                            assert_eq!(
                                audio.samples == expected[i].samples,
                                pitch == 0.0,
                                "worker {worker} round {round}"
                            );
                        }
                    })
                })
                .collect();
            for worker in workers {
                worker.join().expect("a worker panicked");
            }
        });
    }

    #[test]
    fn embedded_port_speaks_without_the_system_library() {
        let engine = embedded();
        assert_eq!(engine.backend(), BackendKind::Embedded);
        let female = engine.synthesize(TEXT, &"espeak:en-us+f3".parse().unwrap(), Prosody::default()).unwrap();
        let male = engine.synthesize(TEXT, &"espeak:en-us+m3".parse().unwrap(), Prosody::default()).unwrap();
        assert_eq!(female.sample_rate, 22_050);
        assert!((5.0..12.0).contains(&female.duration()), "{} s", female.duration());
        assert!(peak(&female) > 0.1 && peak(&female) <= PEAK_LIMIT, "peak {}", peak(&female));
        assert!(fundamental(&female) > fundamental(&male) * 1.2, "{} vs {}", fundamental(&female), fundamental(&male));
        assert!(engine.identity(&"espeak:en".parse().unwrap()).starts_with("espeak-ng/embedded-0.2.0/"));
        assert!(engine.voices()[0].source.contains("draft quality"));
        // One engine per call: parallel calls agree with each other.
        let again = std::thread::scope(|scope| {
            let a = scope.spawn(|| engine.synthesize(TEXT, &"espeak:en-us+f3".parse().unwrap(), Prosody::default()));
            let b = scope.spawn(|| engine.synthesize(TEXT, &"espeak:en-us+f3".parse().unwrap(), Prosody::default()));
            (a.join().expect("no panic").unwrap(), b.join().expect("no panic").unwrap())
        });
        assert!(again.0.samples == female.samples && again.1.samples == female.samples);
    }

    #[test]
    fn system_library_phonemizes_clause_by_clause() {
        let Some(system) = system() else { return };
        let clauses = system.clauses("Hello there, my friend. Are you coming? \"No!\" she said", "en-us").unwrap();
        let pairs: Vec<(&str, Option<char>)> = clauses.iter().map(|c| (c.ipa.as_str(), c.punctuation)).collect();
        assert_eq!(
            pairs,
            [
                ("həlˈoʊ ðˈɛɹ", Some(',')),
                ("maɪ fɹˈɛnd", Some('.')),
                ("ɑːɹ juː kˈʌmɪŋ", Some('?')),
                ("nˈoʊ", Some('!')),
                ("ʃiː sˈɛd", None),
            ]
        );
        // British English is "en" in espeak-ng 1.51.
        assert_eq!(system.text_to_ipa("Hello", "en").unwrap(), ["həlˈəʊ"]);
        assert!(system.text_to_ipa("", "en-us").unwrap().is_empty());
        assert!(system.text_to_ipa("Hello", "xx-nonsense").is_err());
    }

    #[test]
    fn embedded_port_phonemizes_clause_by_clause() {
        let clauses = embedded().clauses("Hello there, my friend. Are you coming?", "en-us").unwrap();
        let pairs: Vec<(&str, Option<char>)> = clauses.iter().map(|c| (c.ipa.as_str(), c.punctuation)).collect();
        assert_eq!(pairs, [("həlˈoʊ ðˈɛɹ", Some(',')), ("maɪ fɹˈɛnd", Some('.')), ("ɑːɹ juː kˈʌmɪŋ", Some('?'))]);
    }

    #[test]
    fn clause_punctuation_comes_from_the_source() {
        assert_eq!(Clause::new("həlˈoʊ", "Hello, ").punctuation, Some(','));
        // The C library's read-ahead character is not part of the clause.
        assert_eq!(Clause::new("həlˈoʊ ðˈɛɹ", "Hello there, M").punctuation, Some(','));
        assert_eq!(Clause::new("mˈɛɹiz", "ary's").punctuation, None);
        assert_eq!(Clause::new("\" ʃiː ˈæskt", "she asked; i").ipa, "ʃiː ˈæskt");
        assert!(Clause::new("x", "Really?” ").ends_sentence());
        assert_eq!(Clause::new("x", "and then").punctuation, None);
        assert!(!Clause::new("x", "a; ").ends_sentence());
    }
}
