//! The cast file (TOML): who is in the story, which voice reads whom, pronunciations and pauses.
//!
//! ```toml
//! [narrator]
//! voice = "espeak:en"
//!
//! [characters."Spike"]   # 12 lines
//! aliases = ["William"]
//! gender = "male"
//! voice = "espeak:en+m3"
//! rate = 1.0      # speed factor
//! pitch = -2.0    # semitones
//! volume = 0.0    # dB
//!
//! [pronunciations]
//! Xander = "Zander"
//! ```

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::characters::{Character, Gender, Roster};
use crate::engine::{Prosody, VoiceRef};
use crate::{Error, Result};

/// A voice and how it is varied.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// The voice; `None` means "choose automatically".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<VoiceRef>,
    /// Speed factor (1.0 = the voice's own pace).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<f32>,
    /// Pitch shift in semitones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pitch: Option<f32>,
    /// Gain in dB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<f32>,
}

impl Role {
    /// The prosody this role asks for, defaults filled in.
    #[must_use]
    pub fn prosody(&self) -> Prosody {
        let default = Prosody::default();
        Prosody {
            rate: self.rate.unwrap_or(default.rate),
            pitch: self.pitch.unwrap_or(default.pitch),
            volume: self.volume.unwrap_or(default.volume),
        }
    }
}

/// A character's entry: identity (aliases, gender) and role.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CharacterEntry {
    /// Other names the text uses for this character.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The character's gender.
    #[serde(default)]
    pub gender: Gender,
    /// The voice and its variation.
    #[serde(flatten)]
    pub role: Role,
}

/// Pauses in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Pauses {
    /// Between segments of one paragraph.
    pub segment: f64,
    /// Between paragraphs.
    pub paragraph: f64,
    /// Added when the voice changes.
    pub speaker_change: f64,
    /// At a scene break.
    pub scene: f64,
    /// Before the first segment of a chapter.
    pub lead_in: f64,
    /// After the last segment of a chapter.
    pub tail: f64,
}

impl Default for Pauses {
    fn default() -> Self {
        Self { segment: 0.3, paragraph: 0.7, speaker_change: 0.2, scene: 2.0, lead_in: 0.5, tail: 1.5 }
    }
}

/// A parsed cast file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cast {
    /// The narrator's voice.
    #[serde(default)]
    pub narrator: Role,
    /// Characters by canonical name, in file order.
    #[serde(default)]
    pub characters: IndexMap<String, CharacterEntry>,
    /// Words mapped to respellings, applied before synthesis (`Xander = "Zander"`).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub pronunciations: IndexMap<String, String>,
    /// Pauses; defaults when absent.
    #[serde(default)]
    pub pauses: Pauses,
}

impl Cast {
    /// Reads and parses a cast file; errors name the file and line.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
        Self::parse(&text, path)
    }

    /// Parses cast TOML; `path` is used in error messages.
    pub fn parse(text: &str, path: &Path) -> Result<Self> {
        toml::from_str(text).map_err(|e| {
            let line = e.span().map(|span| line_of(text, span.start));
            Error::Cast { path: path.to_path_buf(), line, message: toml_message(&e) }
        })
    }

    /// The roster the cast fixes: its characters with their aliases and gender.
    #[must_use]
    pub fn roster(&self) -> Roster {
        Roster {
            characters: self
                .characters
                .iter()
                .map(|(name, entry)| Character {
                    name: name.clone(),
                    aliases: entry.aliases.clone(),
                    gender: entry.gender,
                    lines: 0,
                })
                .collect(),
        }
    }
}

/// The default cast file for a story: `STORY.cast.toml` next to it.
#[must_use]
pub fn default_path(story: &Path) -> PathBuf {
    let mut name = story.file_stem().unwrap_or_default().to_os_string();
    name.push(".cast.toml");
    story.with_file_name(name)
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// The first line of toml's message, lowercased, with a hint for the common mistakes.
fn toml_message(error: &toml::de::Error) -> String {
    let message = error.message().trim().to_owned();
    if message.starts_with("unknown field") {
        format!("{message}; fix or remove that key")
    } else {
        message
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_cast() {
        let text = r#"
[narrator]
voice = "espeak:en"

[characters."Spike"]
aliases = ["William"]
gender = "male"
voice = "espeak:en+m3"
pitch = -2.0

[characters.Willow]

[pronunciations]
Xander = "Zander"
"#;
        let cast = Cast::parse(text, Path::new("c.toml")).unwrap();
        assert_eq!(cast.narrator.voice.as_ref().unwrap().to_string(), "espeak:en");
        let names: Vec<&str> = cast.characters.keys().map(String::as_str).collect();
        assert_eq!(names, ["Spike", "Willow"]);
        assert_eq!(cast.characters["Spike"].role.prosody().pitch, -2.0);
        assert_eq!(cast.characters["Willow"].gender, Gender::Unknown);
        assert_eq!(cast.pronunciations["Xander"], "Zander");
        assert_eq!(cast.roster().characters[0].aliases, ["William"]);
    }

    #[test]
    fn errors_name_file_and_line() {
        let err = Cast::parse("[narrator]\nvoice = \"espeak:en\"\nspeed = 2\n", Path::new("c.toml")).unwrap_err();
        let message = err.to_string();
        assert!(message.starts_with("c.toml line 3: unknown field `speed`"), "{message}");
        let err = Cast::parse("[narrator\n", Path::new("c.toml")).unwrap_err();
        assert!(err.to_string().starts_with("c.toml line 1:"), "{err}");
        let err = Cast::parse("[narrator]\nvoice = \"nocolon\"\n", Path::new("c.toml")).unwrap_err();
        assert!(err.to_string().contains("ENGINE:VOICE"), "{err}");
    }

    #[test]
    fn default_path_sits_next_to_the_story() {
        assert_eq!(default_path(Path::new("a/b/story.txt")), Path::new("a/b/story.cast.toml"));
    }
}
