//! The script as people and programs read it: a reviewable text listing and JSON Lines.

use std::io::{self, Write};

use serde::Serialize;

use super::{Script, SegmentKind};
use crate::story::Story;

/// One JSON Lines record: a segment with its text and byte offsets into the story file.
#[derive(Debug, Serialize)]
pub struct Record<'a> {
    /// Chapter index.
    pub chapter: usize,
    /// Scene index within the chapter.
    pub scene: usize,
    /// `narration`, `dialogue`, `thought` or `heading`.
    pub kind: SegmentKind,
    /// The speaker's canonical name, `null` for narration and headings or when unknown.
    pub speaker: Option<&'a str>,
    /// Confidence in the speaker, 0..=1, rounded to two decimals.
    pub confidence: f64,
    /// The text, exactly `story[start..end]`.
    pub text: &'a str,
    /// First byte in the story file.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// The script's segments as JSON Lines records.
pub fn records<'a>(story: &'a Story, script: &'a Script) -> impl Iterator<Item = Record<'a>> {
    script.segments.iter().map(|s| Record {
        chapter: s.chapter,
        scene: s.scene,
        kind: s.kind,
        speaker: s.speaker.as_deref(),
        confidence: (f64::from(s.confidence) * 100.0).round() / 100.0,
        text: s.span.of(&story.text),
        start: s.span.start,
        end: s.span.end,
    })
}

/// Writes one JSON object per segment, in reading order.
pub fn write_jsonl(out: &mut impl Write, story: &Story, script: &Script) -> io::Result<()> {
    for record in records(story, script) {
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Writes a readable script: chapter and scene markers, then one line per segment
/// (`[Spike 0.92] Come on Willow.`, `[narrator] The pain stopped.`), line breaks inside a segment folded.
pub fn write_text(out: &mut impl Write, story: &Story, script: &Script) -> io::Result<()> {
    let mut position = None;
    for segment in &script.segments {
        if position != Some((segment.chapter, segment.scene)) {
            if position.is_some_and(|(chapter, _)| chapter == segment.chapter) {
                writeln!(out, "\n== scene {} ==", segment.scene + 1)?;
            } else {
                let chapter = &story.chapters[segment.chapter];
                let title = story.chapter_title(chapter).unwrap_or_else(|| "untitled".to_owned());
                if position.is_some() {
                    writeln!(out)?;
                }
                writeln!(out, "=== chapter {}: {title} ===\n== scene {} ==", segment.chapter + 1, segment.scene + 1)?;
            }
            position = Some((segment.chapter, segment.scene));
        }
        let text = segment.span.of(&story.text).split_whitespace().collect::<Vec<_>>().join(" ");
        let label = match (segment.kind, &segment.speaker) {
            (SegmentKind::Narration, _) => "narrator".to_owned(),
            (SegmentKind::Heading, _) => "heading".to_owned(),
            (kind, speaker) => {
                let who = speaker.as_deref().unwrap_or("?");
                let thought = if kind == SegmentKind::Thought { " thinks" } else { "" };
                format!("{who}{thought} {:.2}", segment.confidence)
            }
        };
        writeln!(out, "[{label}] {text}")?;
    }
    Ok(())
}
