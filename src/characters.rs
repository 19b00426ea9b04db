//! The roster: the characters of a story, with aliases, gender and number of lines.

use crate::script::Script;
use crate::story::Story;

/// A character's gender as the text shows it (pronouns, titles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    /// She, her, Mrs., Miss, …
    Female,
    /// He, him, Mr., Sir, …
    Male,
    /// Not known.
    #[default]
    Unknown,
}

/// One character of the story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Character {
    /// The canonical name.
    pub name: String,
    /// Other names the text uses for the character (`Wil`, `Miss Woodhouse`).
    pub aliases: Vec<String>,
    /// Gender, from pronouns and titles.
    pub gender: Gender,
    /// Number of dialogue and thought segments attributed to the character.
    pub lines: usize,
}

/// All characters of a story.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    /// The characters, most lines first.
    pub characters: Vec<Character>,
}

/// Finds the characters of a story from its text.
#[must_use]
pub fn detect(_story: &Story, _script: &Script) -> Roster {
    Roster::default()
}
