//! What to speak and where it goes: lines with their voices, loudness gains, the layout of chapter files, and the
//! verbatim check.
//!
//! Who reads what:
//! - the narrator reads narration and headings (so dialogue tags such as "she said" are the narrator's);
//! - a character reads their dialogue in their cast voice;
//! - a character's thoughts are read in their own voice, [`THOUGHT_RATE`] slower and [`THOUGHT_LEVEL_DB`] quieter,
//!   so an inner voice is told apart from speech;
//! - dialogue or thought with no known speaker, or a speaker the cast does not name, is read by the narrator:
//!   an unattributed line in the narrator's voice is a smaller error than a line in the wrong character's voice.

use std::collections::BTreeMap;

use sha2::Digest as _;

use crate::audio::{self, Loudness};
use crate::cast::{Cast, Pauses, Role};
use crate::engine::{Prosody, VoiceRef};
use crate::script::{Script, SegmentKind};
use crate::story::{Span, Story};
use crate::{Error, Result};

/// Speed factor applied to a character's rate for their thoughts.
pub const THOUGHT_RATE: f32 = 0.92;
/// Level of thoughts relative to the character's speech, in dB.
pub const THOUGHT_LEVEL_DB: f64 = -3.0;
/// The level every voice is brought to before chapter normalisation, in LUFS.
const VOICE_REFERENCE_LUFS: f64 = -20.0;

/// The identity of an utterance's audio: a hash of its spoken text, voice, variation, engine identity and
/// output sample rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key(pub [u8; 32]);

impl Key {
    /// The key as 64 hexadecimal digits.
    #[must_use]
    pub fn hex(&self) -> String {
        use std::fmt::Write as _;
        self.0.iter().fold(String::with_capacity(64), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
    }
}

/// One utterance: a script segment with its voice, variation and spoken text.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Index into [`Script::segments`].
    pub segment: usize,
    /// Chapter index.
    pub chapter: usize,
    /// Scene index within the chapter.
    pub scene: usize,
    /// Paragraph index within the scene.
    pub paragraph: usize,
    /// What the segment is.
    pub kind: SegmentKind,
    /// Where the segment's text is in the story.
    pub span: Span,
    /// The speaking character, if known.
    pub speaker: Option<String>,
    /// The voice that reads it.
    pub voice: VoiceRef,
    /// How the voice is varied.
    pub prosody: Prosody,
    /// The text as spoken (normalized).
    pub text: String,
    /// Level relative to the voice's levelled loudness, in dB (the cast's volume; quieter for thoughts).
    pub level_db: f64,
    /// The cached audio's identity.
    pub key: Key,
}

impl Line {
    /// The voice and variation without volume: lines with the same slot are levelled together.
    fn slot(&self) -> (String, u32, u32) {
        (self.voice.to_string(), self.prosody.rate.to_bits(), self.prosody.pitch.to_bits())
    }
}

/// Resolves every speakable segment of the script to a [`Line`]; `identity` gives an engine's identity for a
/// voice (see [`crate::engine::Engine::identity`]). Segments whose spoken text is empty (scene-break glyphs,
/// lone punctuation) are left out; the verbatim check catches any that had words in them.
pub fn lines(
    story: &Story,
    script: &Script,
    cast: &Cast,
    sample_rate: u32,
    identity: impl Fn(&VoiceRef) -> String,
) -> Result<Vec<Line>> {
    let narrator = cast.narrator.voice.clone().ok_or_else(no_narrator)?;
    let mut lines = Vec::with_capacity(script.segments.len());
    for (index, segment) in script.segments.iter().enumerate() {
        let text = crate::normalize::spoken(segment.span.of(&story.text), &cast.pronunciations);
        if text.is_empty() {
            continue;
        }
        let character = match segment.kind {
            SegmentKind::Dialogue | SegmentKind::Thought => segment
                .speaker
                .as_ref()
                .and_then(|name| cast.characters.get(name))
                .map(crate::cast::CharacterEntry::role)
                .filter(|role| role.voice.is_some()),
            SegmentKind::Narration | SegmentKind::Heading => None,
        };
        let reader = character
            .as_ref()
            .map_or((&narrator, &cast.narrator), |role| (role.voice.as_ref().unwrap_or(&narrator), role));
        let (voice, role): (&VoiceRef, &Role) = reader;
        let mut prosody = role.prosody();
        let mut level_db = f64::from(role.volume);
        if segment.kind == SegmentKind::Thought {
            prosody.rate *= THOUGHT_RATE;
            level_db += THOUGHT_LEVEL_DB;
        }
        let key = key(&text, voice, prosody, &identity(voice), sample_rate);
        lines.push(Line {
            segment: index,
            chapter: segment.chapter,
            scene: segment.scene,
            paragraph: segment.paragraph,
            kind: segment.kind,
            span: segment.span,
            speaker: if character.is_some() { segment.speaker.clone() } else { None },
            voice: voice.clone(),
            prosody,
            text,
            level_db,
            key,
        });
    }
    Ok(lines)
}

fn no_narrator() -> Error {
    Error::Cast {
        path: "cast".into(),
        line: None,
        message: "the narrator has no voice; set `voice` under [narrator]".into(),
    }
}

/// The cache key of an utterance.
#[must_use]
pub fn key(text: &str, voice: &VoiceRef, prosody: Prosody, identity: &str, sample_rate: u32) -> Key {
    let mut hash = sha2::Sha256::new();
    // Every field is length-prefixed or fixed-size, so no two different inputs hash the same bytes.
    for part in [identity, &voice.to_string(), text] {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part.as_bytes());
    }
    for value in [prosody.rate, prosody.pitch, prosody.volume] {
        hash.update(value.to_bits().to_le_bytes());
    }
    hash.update(sample_rate.to_le_bytes());
    Key(hash.finalize().into())
}

/// The audio of one utterance as far as layout needs it: its length and loudness.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measure {
    /// Length in samples at the output rate.
    pub samples: usize,
    /// Its loudness.
    pub loudness: Loudness,
}

/// Loudness targets of a render.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoudnessTarget {
    /// Integrated loudness of each chapter, in LUFS.
    pub integrated: f64,
    /// Highest true peak, in dBTP; it wins over `integrated` when the two conflict.
    pub true_peak: f64,
}

impl Default for LoudnessTarget {
    fn default() -> Self {
        Self { integrated: -18.0, true_peak: -3.0 }
    }
}

/// Each line's gain in dB that brings its voice to a common level (then its own `level_db` on top): voices are
/// levelled by the combined loudness of all their lines in the book, so the result does not depend on the order in
/// which lines were synthesized.
#[must_use]
pub fn voice_gains(lines: &[Line], measure: impl Fn(&Key) -> Measure) -> Vec<f64> {
    let mut slots: BTreeMap<(String, u32, u32), Vec<(usize, f64)>> = BTreeMap::new();
    for line in lines {
        let m = measure(&line.key);
        slots.entry(line.slot()).or_default().push((m.samples, m.loudness.integrated));
    }
    let gains: BTreeMap<_, f64> = slots
        .into_iter()
        .map(|(slot, clips)| {
            let gain = audio::combined_loudness(clips).map_or(0.0, |lufs| VOICE_REFERENCE_LUFS - lufs);
            (slot, gain)
        })
        .collect();
    lines.iter().map(|line| gains[&line.slot()] + line.level_db).collect()
}

/// The gain in dB that brings a file whose measured integrated loudness is `loudness` (LUFS; `None` when it has
/// nothing measurable) and whose highest true peak is `peak_db` (dBTP) to `target`: the loudness goes to the target
/// unless that would push the true peak above the ceiling, in which case the peak decides.
#[must_use]
pub fn file_gain(loudness: Option<f64>, peak_db: f64, target: LoudnessTarget) -> f64 {
    let wanted = loudness.filter(|l| l.is_finite()).map_or(0.0, |lufs| target.integrated - lufs);
    if peak_db.is_finite() { wanted.min(target.true_peak - peak_db) } else { wanted }
}

/// A line placed in a file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    /// Index into the lines.
    pub line: usize,
    /// First sample in the file.
    pub start: u64,
    /// Length in samples.
    pub samples: u64,
    /// Linear gain applied to the cached audio to level its voice (before the file's own gain).
    pub gain: f32,
    /// The line's true peak after that gain, in dBTP.
    pub peak_db: f64,
}

/// One output file: a chapter, or a part of a chapter too long for one WAV file.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// Chapter index.
    pub chapter: usize,
    /// 1-based part number when the chapter is split, else `None`.
    pub part: Option<usize>,
    /// The lines in the file, in order.
    pub placed: Vec<Placed>,
    /// Total length in samples.
    pub samples: u64,
}

/// Lays out the lines of one chapter (all with the same `chapter`) with pauses; a new part starts whenever the
/// next line would take the file's audio data past `max_bytes` (16-bit samples).
#[must_use]
pub fn layout(
    chapter: usize,
    lines: &[(usize, &Line)],
    measures: &[Measure],
    gains: &[f64],
    pauses: &Pauses,
    sample_rate: u32,
    max_bytes: u64,
) -> Vec<Part> {
    let pause = |seconds: f64| audio::samples_for(seconds, sample_rate) as u64;
    let (lead_in, tail) = (pause(pauses.lead_in), pause(pauses.tail));
    let max_samples = (max_bytes / 2).max(1);
    let mut parts = vec![Part { chapter, part: None, placed: Vec::new(), samples: lead_in }];
    let mut previous: Option<&Line> = None;
    for (&(index, line), (measure, gain)) in lines.iter().zip(measures.iter().zip(gains)) {
        let gap = previous.map_or(0, |p| pause(gap_seconds(p, line, pauses)));
        let samples = measure.samples as u64;
        let current = parts.last_mut().map_or(0, |p| p.samples);
        if previous.is_some() && current + gap + samples + tail > max_samples {
            parts.push(Part { chapter, part: None, placed: Vec::new(), samples: lead_in });
            previous = None;
        }
        let gap = if previous.is_some() { gap } else { 0 };
        if let Some(part) = parts.last_mut() {
            let peak_db = if measure.loudness.true_peak > 0.0 {
                audio::gain_to_db(measure.loudness.true_peak) + gain
            } else {
                f64::NEG_INFINITY
            };
            let gain = audio::db_to_gain(*gain) as f32;
            part.placed.push(Placed { line: index, start: part.samples + gap, samples, gain, peak_db });
            part.samples += gap + samples;
        }
        previous = Some(line);
    }
    let count = parts.len();
    for (n, part) in parts.iter_mut().enumerate() {
        part.samples += tail;
        if count > 1 {
            part.part = Some(n + 1);
        }
    }
    parts
}

/// The silence between two consecutive lines of a chapter: the scene pause at a scene break (exactly that), else
/// the paragraph pause (each heading is its own paragraph) or the segment pause, plus the speaker-change pause when
/// the voice changes.
#[must_use]
pub fn gap_seconds(previous: &Line, next: &Line, pauses: &Pauses) -> f64 {
    if previous.scene != next.scene {
        return pauses.scene;
    }
    let new_paragraph = previous.paragraph != next.paragraph
        || previous.kind == SegmentKind::Heading
        || next.kind == SegmentKind::Heading;
    let base = if new_paragraph { pauses.paragraph } else { pauses.segment };
    let changed = previous.voice != next.voice || previous.prosody != next.prosody;
    base + if changed { pauses.speaker_change } else { 0.0 }
}

/// Checks that `placed` speaks every segment of the script that has words in it exactly once, in order, each
/// with some audio, and nothing else.
pub fn verify_verbatim(story: &Story, script: &Script, lines: &[Line], placed: &[Placed]) -> Result<()> {
    let expected: Vec<Span> = script
        .segments
        .iter()
        .map(|s| s.span)
        .filter(|span| span.of(&story.text).chars().any(char::is_alphanumeric))
        .collect();
    let mut spoken = placed.iter().map(|p| (&lines[p.line], p.samples));
    let mut last_end = 0;
    for span in &expected {
        let Some((line, samples)) = spoken.next() else {
            return Err(Error::Verbatim(format!("bytes {}..{} of the story are never spoken", span.start, span.end)));
        };
        if line.span != *span {
            return Err(Error::Verbatim(format!(
                "expected bytes {}..{} of the story, the timeline has {}..{}",
                span.start, span.end, line.span.start, line.span.end
            )));
        }
        if line.span.start < last_end {
            return Err(Error::Verbatim(format!("bytes {}..{} are out of order", span.start, span.end)));
        }
        if samples == 0 {
            return Err(Error::Verbatim(format!(
                "bytes {}..{} ({:?}) came back from {} as no audio",
                span.start, span.end, line.text, line.voice
            )));
        }
        last_end = line.span.end;
    }
    if let Some((line, _)) = spoken.next() {
        return Err(Error::Verbatim(format!(
            "bytes {}..{} are spoken but are not a line of the script",
            line.span.start, line.span.end
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story_and_script(text: &str) -> (Story, Script) {
        let story = crate::story::parse(text.as_bytes()).unwrap();
        let script = crate::script::segment(&story);
        (story, script)
    }

    fn cast() -> Cast {
        Cast::parse(
            "[narrator]\nvoice = \"silence:narrator\"\n[characters.Ann]\nvoice = \"silence:female1\"\nvolume = 2.0\n",
            std::path::Path::new("c.toml"),
        )
        .unwrap()
    }

    fn measure(samples: usize) -> Measure {
        Measure { samples, loudness: Loudness { integrated: -25.0, true_peak: 0.1 } }
    }

    #[test]
    fn narrator_reads_tags_character_reads_quotes_and_thoughts_are_slower_and_quieter() {
        let (story, mut script) = story_and_script("\"Hello there,\" Ann said. <Odd.> \"Hi,\" said Bo.\n");
        for segment in &mut script.segments {
            if segment.kind != SegmentKind::Narration {
                segment.speaker = Some(if segment.span.of(&story.text) == "Hi," { "Bo" } else { "Ann" }.into());
            }
        }
        let lines = lines(&story, &script, &cast(), 16_000, ToString::to_string).unwrap();
        let who: Vec<(&str, &str)> = lines.iter().map(|l| (l.span.of(&story.text), l.voice.voice.as_str())).collect();
        assert_eq!(who[0], ("Hello there,", "female1"));
        assert_eq!(who[1], ("Ann said.", "narrator"));
        assert_eq!(who[2], ("Odd.", "female1"));
        assert_eq!(who[3], ("Hi,", "narrator"), "a speaker the cast does not name falls back to the narrator");
        assert!((lines[2].prosody.rate - THOUGHT_RATE).abs() < 1e-6);
        assert!((lines[2].level_db - (2.0 + THOUGHT_LEVEL_DB)).abs() < 1e-9);
        assert_eq!(lines[3].speaker, None);
        assert_ne!(lines[0].key, lines[2].key);
    }

    #[test]
    fn keys_change_with_every_input() {
        let voice: VoiceRef = "silence:male1".parse().unwrap();
        let base = key("hi", &voice, Prosody::default(), "id", 16_000);
        assert_eq!(base, key("hi", &voice, Prosody::default(), "id", 16_000));
        assert_ne!(base, key("ho", &voice, Prosody::default(), "id", 16_000));
        assert_ne!(base, key("hi", &"silence:male2".parse().unwrap(), Prosody::default(), "id", 16_000));
        assert_ne!(base, key("hi", &voice, Prosody { pitch: 1.0, ..Prosody::default() }, "id", 16_000));
        assert_ne!(base, key("hi", &voice, Prosody::default(), "id2", 16_000));
        assert_ne!(base, key("hi", &voice, Prosody::default(), "id", 22_050));
        assert_eq!(base.hex().len(), 64);
    }

    #[test]
    fn voices_are_levelled_together_and_file_gain_respects_the_peak() {
        let (story, mut script) = story_and_script("\"Hello there,\" Ann said.\n");
        script.segments[0].speaker = Some("Ann".into());
        let lines = lines(&story, &script, &cast(), 16_000, ToString::to_string).unwrap();
        let gains = voice_gains(&lines, |_| measure(16_000));
        assert!((gains[0] - (VOICE_REFERENCE_LUFS + 25.0 + 2.0)).abs() < 1e-9, "{gains:?}");
        assert!((gains[1] - (VOICE_REFERENCE_LUFS + 25.0)).abs() < 1e-9, "{gains:?}");
        let target = LoudnessTarget { integrated: -18.0, true_peak: -3.0 };
        // The peak (-20 dBTP) allows +17 dB, the loudness asks for +7 dB.
        assert!((file_gain(Some(-25.0), -20.0, target) - 7.0).abs() < 1e-9);
        // A peak at -6 dBTP allows only +3 dB.
        assert!((file_gain(Some(-25.0), -6.0, target) - 3.0).abs() < 1e-9);
        assert!((file_gain(None, f64::NEG_INFINITY, target)).abs() < 1e-9);
    }

    #[test]
    fn layout_adds_pauses_and_splits_long_chapters() {
        let (story, script) = story_and_script("One.\n\nTwo. \"Three.\"\n\n* * *\n\nFour.\n");
        let lines = lines(&story, &script, &cast(), 1000, ToString::to_string).unwrap();
        assert_eq!(lines.len(), 4);
        let indexed: Vec<(usize, &Line)> = lines.iter().enumerate().collect();
        let measures = vec![measure(100); 4];
        let gains = vec![0.0; 4];
        let pauses =
            Pauses { segment: 0.01, paragraph: 0.02, speaker_change: 0.004, scene: 0.5, lead_in: 0.1, tail: 0.2 };
        let parts = layout(0, &indexed, &measures, &gains, &pauses, 1000, u64::MAX);
        assert_eq!(parts.len(), 1);
        let starts: Vec<u64> = parts[0].placed.iter().map(|p| p.start).collect();
        // lead-in 100; paragraph 20; segment 10 (same narrator voice, no change); scene 500.
        assert_eq!(starts, [100, 220, 330, 930]);
        assert_eq!(parts[0].samples, 930 + 100 + 200);
        let split = layout(0, &indexed, &measures, &gains, &pauses, 1000, 2 * 700);
        assert!(split.len() > 1 && split.iter().all(|p| p.samples <= 700), "{split:?}");
        assert_eq!(split.iter().map(|p| p.placed.len()).sum::<usize>(), 4);
        assert_eq!(split[1].part, Some(2));
    }

    #[test]
    fn verbatim_check_fails_on_a_missing_or_repeated_line() {
        let (story, script) = story_and_script("One.\n\nTwo.\n\n∞ ∞ ∞\n\nThree.\n");
        let lines = lines(&story, &script, &cast(), 1000, ToString::to_string).unwrap();
        let placed: Vec<Placed> =
            (0..lines.len()).map(|line| Placed { line, start: 0, samples: 10, gain: 1.0, peak_db: -20.0 }).collect();
        verify_verbatim(&story, &script, &lines, &placed).unwrap();
        assert!(verify_verbatim(&story, &script, &lines, &placed[1..]).is_err());
        let mut repeated = placed.clone();
        repeated.push(placed[2]);
        assert!(verify_verbatim(&story, &script, &lines, &repeated).is_err());
        let mut silent = placed.clone();
        silent[0].samples = 0;
        assert!(verify_verbatim(&story, &script, &lines, &silent).unwrap_err().to_string().contains("no audio"));
    }
}
