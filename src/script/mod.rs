//! Paragraphs to a script: every paragraph split into narration, dialogue and thought segments.
//!
//! Rules. The document's dialogue marks are double (`"…"`, `“…”`) or single (`'…'`, `‘…’`), whichever opens more
//! often at word starts; the other kind is a nested quote or an apostrophe and stays inside its segment. A mark opens
//! at a word start before text and closes after text before a non-alphanumeric, so apostrophes (`it's`, `the '90s`,
//! `'em`, `Chris' book`) never quote; inside single-quoted speech neither do `'n'` nor a plural possessive before a
//! lowercase word (`'It's the boys' game.'`). A quote left open at a paragraph end runs to that end; if the next
//! paragraph opens with a mark, its first dialogue is a `continuation`; otherwise the quote is closed there. `< … >` is
//! thought. A quote of at most three words without sentence punctuation in the middle of a narrated sentence is a
//! title or scare quote and stays narration. Italics (`*…*`, `_…_`) are thought only when a thought tag is right
//! beside them (`*Not again,* Willow thought.`, `She thought, *Run.*`); other italics stay narration: emphasis is far
//! more common than italic thought, and voicing emphasis as a character would be a worse error than narrating a
//! thought. A document whose paragraphs open with `—` (or `--`) far more often than with quote marks uses dash-style
//! speech (Joyce): such a paragraph is dialogue after its dash, but for a tag clause inside it (`—Back! he said
//! sternly. Come.`).

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

/// Which marks open and close dialogue in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuoteStyle {
    /// `"…"` and `“…”`; single marks inside are nested quotes or apostrophes.
    Double,
    /// `'…'` and `‘…’` (British style); double marks inside are nested quotes.
    Single,
    /// Joyce's dashes: a paragraph that opens with `—` is speech, but for a tag inside it (`—Back! he said.`).
    Dash,
}

/// A quoted or thought region of a paragraph: the marks at `open..start` and `end..close`.
#[derive(Debug, Clone, Copy)]
struct Region {
    open: usize,
    start: usize,
    end: usize,
    close: usize,
    kind: SegmentKind,
    continuation: bool,
}

/// Elided words that begin with an apostrophe (`'em`, `'tis`): never an opening quote mark.
const ELISIONS: &[&str] =
    &["em", "tis", "twas", "twere", "twill", "n", "cause", "cos", "til", "bout", "im", "ere", "ow", "ave", "alf", "un"];

/// Splits every paragraph of the story into segments: headings first, then per paragraph narration,
/// dialogue and thought that cover the paragraph in order.
#[must_use]
pub fn segment(story: &Story) -> Script {
    let text = story.text.as_str();
    let style = quote_style(story);
    let mut segments = Vec::new();
    for span in [story.metadata.title(), story.metadata.author()].into_iter().flatten() {
        push_heading(&mut segments, text, 0, span);
    }
    for (c, chapter) in story.chapters.iter().enumerate() {
        for &span in &chapter.headings {
            push_heading(&mut segments, text, c, span);
        }
        for (s, scene) in chapter.scenes.iter().enumerate() {
            let mut open_at_end = false;
            for (p, &span) in scene.paragraphs.iter().enumerate() {
                let (regions, still_open) = regions(text, span, style, open_at_end);
                open_at_end = still_open;
                let mut cursor = span.start;
                let mut push = |kind, piece: Span, continuation| {
                    if let Some(piece) = trim(text, piece) {
                        segments.push(Segment {
                            chapter: c,
                            scene: s,
                            paragraph: p,
                            kind,
                            span: piece,
                            speaker: None,
                            confidence: if kind == SegmentKind::Narration { 1.0 } else { 0.0 },
                            continuation,
                        });
                    }
                };
                for region in regions {
                    push(SegmentKind::Narration, Span::new(cursor, region.open), false);
                    push(region.kind, Span::new(region.start, region.end), region.continuation);
                    cursor = region.close;
                }
                push(SegmentKind::Narration, Span::new(cursor, span.end), false);
            }
        }
    }
    Script { segments }
}

fn push_heading(segments: &mut Vec<Segment>, text: &str, chapter: usize, span: Span) {
    if let Some(span) = trim(text, span) {
        segments.push(Segment {
            chapter,
            scene: 0,
            paragraph: 0,
            kind: SegmentKind::Heading,
            span,
            speaker: None,
            confidence: 1.0,
            continuation: false,
        });
    }
}

/// The span without surrounding whitespace, or `None` when nothing is left.
fn trim(text: &str, span: Span) -> Option<Span> {
    if span.start >= span.end {
        return None;
    }
    let piece = span.of(text);
    let start = span.start + (piece.len() - piece.trim_start().len());
    let end = span.start + piece.trim_end().len();
    (start < end).then_some(Span::new(start, end))
}

/// Decides the document's dialogue marks by counting opening marks at word starts.
fn quote_style(story: &Story) -> QuoteStyle {
    // Straight apostrophes open elided words as often as quotes (`'ere`, `'ave`); when the text has curly marks,
    // only curly ones vote.
    let curly = story.text.contains(['\u{201C}', '\u{2018}']);
    let (mut double, mut single, mut dashes) = (0usize, 0usize, 0usize);
    for chapter in &story.chapters {
        for scene in &chapter.scenes {
            for span in &scene.paragraphs {
                dashes += usize::from(dash_length(span.of(&story.text)).is_some());
                let chars: Vec<(usize, char)> = span.of(&story.text).char_indices().collect();
                for i in 0..chars.len() {
                    let c = chars[i].1;
                    match c {
                        '"' | '\u{201C}' if opens(&chars, i) => double += 1,
                        '\u{2018}' if opens(&chars, i) && !elision(&chars, i) => single += 1,
                        '\'' if !curly && opens(&chars, i) && !elision(&chars, i) => single += 1,
                        _ => {}
                    }
                }
            }
        }
    }
    if dashes > 2 * (single + double) {
        QuoteStyle::Dash
    } else if single > double {
        QuoteStyle::Single
    } else {
        QuoteStyle::Double
    }
}

/// A mark at a word start followed by text: it can open a quote.
fn opens(chars: &[(usize, char)], i: usize) -> bool {
    let before = i.checked_sub(1).map(|j| chars[j].1);
    let after = chars.get(i + 1).map(|&(_, c)| c);
    before.is_none_or(|b| !b.is_alphanumeric()) && after.is_some_and(|a| !a.is_whitespace() && !a.is_ascii_digit())
}

/// A mark after text and not followed by a letter or digit: it can close a quote.
fn closes(chars: &[(usize, char)], i: usize) -> bool {
    let before = i.checked_sub(1).map(|j| chars[j].1);
    let after = chars.get(i + 1).map(|&(_, c)| c);
    before.is_some_and(|b| !b.is_whitespace()) && after.is_none_or(|a| !a.is_alphanumeric())
}

/// A `<` with a space inside (`< Sitting in a corner. >`): thought when a capitalised word follows and a `>` after a
/// space or a word closes it later in the paragraph, which a comparison (`a < b`) does not have.
fn spaced_thought(chars: &[(usize, char)], i: usize) -> bool {
    let before_ok = i.checked_sub(1).is_none_or(|j| !chars[j].1.is_alphanumeric());
    let word_after =
        chars.get(i + 1).is_some_and(|&(_, c)| c == ' ') && chars.get(i + 2).is_some_and(|&(_, c)| c.is_uppercase());
    before_ok && word_after && chars[i + 2..].iter().any(|&(_, c)| c == '>')
}

/// An apostrophe inside single-quoted speech that only looks like its closing mark: the end of `'n'` (`rock 'n'
/// roll`), or a plural possessive before a lowercase word when a mark that can close still follows (`'It's the
/// boys' game.'`).
fn inner_apostrophe(chars: &[(usize, char)], i: usize) -> bool {
    let at = |j: usize| chars.get(j).map(|&(_, c)| c);
    let is_mark = |c: Option<char>| matches!(c, Some('\'' | '\u{2018}' | '\u{2019}'));
    let elided_and = i >= 2
        && matches!(at(i - 1), Some('n' | 'N'))
        && is_mark(at(i - 2))
        && i.checked_sub(3).is_none_or(|j| chars[j].1.is_whitespace());
    let possessive = i >= 1
        && at(i - 1) == Some('s')
        && at(i + 1) == Some(' ')
        && at(i + 2).is_some_and(char::is_lowercase)
        && (i + 2..chars.len()).any(|j| matches!(chars[j].1, '\'' | '\u{2019}') && closes(chars, j));
    elided_and || possessive
}

/// An apostrophe starting an elided word (`'em`, `'tis`, `'n'`).
fn elision(chars: &[(usize, char)], i: usize) -> bool {
    let word: String = chars[i + 1..].iter().map(|&(_, c)| c).take_while(|c| c.is_alphabetic()).take(6).collect();
    ELISIONS.iter().any(|e| word.eq_ignore_ascii_case(e))
}

/// The length in bytes of the dash that opens a paragraph of dash-style speech before a word (`—Come up, Kinch!`,
/// `--What is your name?`): an em dash, or the two hyphens that stand for one in plain-text editions.
fn dash_length(paragraph: &str) -> Option<usize> {
    let text = paragraph.trim_start();
    let dash = if text.starts_with('\u{2014}') {
        '\u{2014}'.len_utf8()
    } else if text.starts_with("--") {
        2
    } else {
        return None;
    };
    text[dash..].chars().next().is_some_and(char::is_alphanumeric).then_some(dash)
}

/// The speech of a dash-style paragraph: everything after the opening dash, but for a tag clause inside it
/// (`—The mockery of it! he said gaily. Your absurd name…`), which is narration.
fn dash_regions(text: &str, span: Span) -> Vec<Region> {
    let body = span.of(text);
    let Some(dash) = dash_length(body) else {
        return Vec::new();
    };
    let open = span.start + (body.len() - body.trim_start().len());
    let start = open + dash;
    let speech = Span::new(start, span.end);
    let Some((tag_start, tag_end)) = dash_tag(speech.of(text)) else {
        return vec![Region {
            open,
            start,
            end: span.end,
            close: span.end,
            kind: SegmentKind::Dialogue,
            continuation: false,
        }];
    };
    let mut regions = vec![Region {
        open,
        start,
        end: start + tag_start,
        close: start + tag_start,
        kind: SegmentKind::Dialogue,
        continuation: false,
    }];
    if speech.of(text)[tag_end..].chars().any(char::is_alphanumeric) {
        let rest = start + tag_end;
        regions.push(Region {
            open: rest,
            start: rest,
            end: span.end,
            close: span.end,
            kind: SegmentKind::Dialogue,
            continuation: false,
        });
    }
    regions
}

/// The byte range of a speech tag inside dash-style speech: after a `,` `!` `?` or `.`, a subject of at most
/// three words and then a speech verb (`he said`, `Stephen said`), or the verb and then a name or pronoun (`said
/// Buck Mulligan`), up to the next sentence mark or comma. The subject runs unbroken to its verb, so a call or an
/// exclamation before the tag stays speech (`—Tell me, Mulligan, Stephen said.`, `—Ah, poor dogsbody! he said.`).
fn dash_tag(speech: &str) -> Option<(usize, usize)> {
    for (at, c) in speech.char_indices() {
        if !matches!(c, ',' | '!' | '?' | '.') {
            continue;
        }
        let after = at + c.len_utf8();
        let rest = &speech[after..];
        if !rest.starts_with(char::is_whitespace) {
            continue;
        }
        let words: Vec<&str> = rest.split_whitespace().take(4).collect();
        let verb = words.iter().position(|w| {
            crate::attribution::is_speech_verb(&w.trim_end_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        });
        let unbroken = |w: &&str| w.ends_with(char::is_alphanumeric);
        let subject_before = |v: usize| v >= 1 && words[..v].iter().all(unbroken);
        let subject_after = |v: usize| {
            v == 0
                && words.get(1).is_some_and(|w| {
                    w.starts_with(char::is_uppercase)
                        || matches!(w.trim_end_matches(|c: char| !c.is_alphanumeric()), "he" | "she")
                })
        };
        if verb.is_some_and(|v| subject_before(v) || subject_after(v)) {
            let tag_start = after + (rest.len() - rest.trim_start().len());
            let end_rel =
                speech[tag_start..].find(['.', '!', '?', ',', ':', ';']).map_or(speech.len(), |e| tag_start + e + 1);
            return Some((tag_start, end_rel));
        }
    }
    None
}

/// The quoted and thought regions of one paragraph, and whether a quote is still open at its end.
fn regions(text: &str, span: Span, style: QuoteStyle, previous_open: bool) -> (Vec<Region>, bool) {
    if style == QuoteStyle::Dash {
        return (dash_regions(text, span), false);
    }
    let body = span.of(text);
    let chars: Vec<(usize, char)> = body.char_indices().collect();
    let at = |i: usize| span.start + chars.get(i).map_or(body.len(), |&(o, _)| o);
    let mut regions = Vec::new();
    // (index of the opening mark, whether it continues the previous paragraph's speech)
    let mut open: Option<(usize, bool)> = None;
    let mut thought: Option<usize> = None;
    let mut first_mark = true;
    for i in 0..chars.len() {
        let c = chars[i].1;
        let is_double = matches!(c, '"' | '\u{201C}' | '\u{201D}');
        let is_single = matches!(c, '\'' | '\u{2018}' | '\u{2019}');
        let dialogue_mark = match style {
            QuoteStyle::Double => is_double,
            QuoteStyle::Single => is_single,
            QuoteStyle::Dash => false,
        };
        if dialogue_mark && thought.is_none() {
            if let Some((o, continuation)) = open {
                let closing = match c {
                    '\u{201C}' | '\u{2018}' => false,
                    '\'' | '\u{2019}' => closes(&chars, i) && !inner_apostrophe(&chars, i),
                    _ => true,
                };
                if closing {
                    let region = Region {
                        open: at(o),
                        start: at(o + 1),
                        end: at(i),
                        close: at(i + 1),
                        kind: SegmentKind::Dialogue,
                        continuation,
                    };
                    if !continuation && scare_quote(body, span.start, &region) {
                        // Left as narration: the marks and words stay in the surrounding narration.
                    } else {
                        regions.push(region);
                    }
                    open = None;
                }
            } else {
                let opening = match c {
                    '\u{201D}' | '\u{2019}' => false,
                    '\'' | '\u{2018}' => opens(&chars, i) && !elision(&chars, i),
                    _ => opens(&chars, i) || (c == '\u{201C}'),
                };
                if opening {
                    let leading = body[..chars[i].0].trim().is_empty();
                    open = Some((i, previous_open && first_mark && leading));
                }
            }
            first_mark = false;
        } else if open.is_none() {
            match c {
                '<' if thought.is_none() && (opens(&chars, i) || spaced_thought(&chars, i)) => thought = Some(i),
                '>' if thought.is_some() => {
                    if let Some(o) = thought.take() {
                        regions.push(Region {
                            open: at(o),
                            start: at(o + 1),
                            end: at(i),
                            close: at(i + 1),
                            kind: SegmentKind::Thought,
                            continuation: false,
                        });
                    }
                }
                _ => {}
            }
        }
    }
    // A `<` without its `>` is left as narration; a quote left open runs to the paragraph end.
    let left_open = open.map(|(o, continuation)| Region {
        open: at(o),
        start: at(o + 1),
        end: span.end,
        close: span.end,
        kind: SegmentKind::Dialogue,
        continuation,
    });
    regions.extend(left_open);
    // Last, once every quote has its region: italics inside a quote are never a thought of their own.
    italic_thoughts(body, span.start, &mut regions);
    (regions, left_open.is_some())
}

/// Verbs of a thought tag (`Willow thought`, `wondered Tom`).
const THOUGHT_VERBS: &[&str] = &["thought", "wondered", "mused", "thinks", "wonders", "muses"];

/// Adds to `regions` (sorted, in the paragraph `body` at byte `base`) the italics that a thought tag shows to be
/// thought: `*I should not be here,* Willow thought.`, `_Not again_, he thought`, `She thought, *Run.*`. Other
/// italics are emphasis and stay narration.
fn italic_thoughts(body: &str, base: usize, regions: &mut Vec<Region>) {
    let chars: Vec<(usize, char)> = body.char_indices().collect();
    let inside = |at: usize| regions.iter().any(|r| r.open <= base + at && base + at < r.close);
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let marker = chars[i].1;
        if !matches!(marker, '*' | '_') || !opens(&chars, i) || inside(chars[i].0) {
            i += 1;
            continue;
        }
        // The closing marker: the next same marker that closes, within the paragraph and outside any quote.
        let close = (i + 1..chars.len()).find(|&j| chars[j].1 == marker && closes(&chars, j) && !inside(chars[j].0));
        let Some(j) = close else { break };
        let (open_at, close_at) = (chars[i].0, chars[j].0 + marker.len_utf8());
        let around_a_quote = regions.iter().any(|r| base + open_at < r.close && r.open < base + close_at);
        if !around_a_quote && (thought_tag_after(&body[close_at..]) || thought_tag_before(&body[..open_at])) {
            found.push(Region {
                open: base + open_at,
                start: base + chars[i + 1].0,
                end: base + chars[j].0,
                close: base + close_at,
                kind: SegmentKind::Thought,
                continuation: false,
            });
        }
        i = j + 1;
    }
    if !found.is_empty() {
        regions.extend(found);
        regions.sort_by_key(|r| r.open);
    }
}

/// Whether the narration right after italics tags them as thought: a name or pronoun and a thought verb, in either
/// order, after at most a comma (`, Willow thought.`, ` he wondered`, ` thought Tom`).
fn thought_tag_after(after: &str) -> bool {
    let after = after.trim_start_matches([',', ' ', '\n']);
    let words: Vec<&str> =
        after.split_whitespace().take(2).map(|w| w.trim_end_matches(['.', ',', '!', '?', ';'])).collect();
    let thinks = |w: &&str| THOUGHT_VERBS.contains(&w.to_lowercase().as_str());
    let thinker =
        |w: &&str| matches!(*w, "he" | "she" | "I" | "they" | "we") || w.chars().next().is_some_and(char::is_uppercase);
    match words[..] {
        [first, second, ..] => (thinker(&first) && thinks(&second)) || (thinks(&first) && thinker(&second)),
        _ => false,
    }
}

/// Whether the narration right before italics announces them as thought: it ends with a thought verb and a comma
/// or colon (`She thought, *Run.*`).
fn thought_tag_before(before: &str) -> bool {
    let before = before.trim_end();
    let Some(rest) = before.strip_suffix([',', ':']) else { return false };
    rest.split_whitespace().next_back().is_some_and(|w| THOUGHT_VERBS.contains(&w.to_lowercase().as_str()))
}

/// A short quoted phrase in the middle of a narrated sentence (`the so-called "expert" said`): a title, a
/// word or a scare quote rather than speech, so it stays narration. Short: at most three words and no sentence
/// punctuation; in the middle: a word or a comma-free phrase before it and lowercase text after it.
fn scare_quote(body: &str, base: usize, region: &Region) -> bool {
    let inner = &body[region.start - base..region.end - base];
    let words = inner.split_whitespace().count();
    if words == 0 || words > 3 || inner.contains(['.', ',', '!', '?', ';', ':', '\u{2014}']) {
        return false;
    }
    let before = body[..region.open - base].trim_end();
    let after = body[region.close - base..].trim_start();
    let before_ok = before.chars().next_back().is_some_and(char::is_alphanumeric);
    let after_ok = after.is_empty()
        || after.chars().next().is_some_and(|c| c.is_lowercase() || matches!(c, ',' | '.' | ';' | ')'));
    before_ok && after_ok
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::story;

    fn pieces(input: &str) -> Vec<(SegmentKind, String, bool)> {
        let story = story::parse(input.as_bytes()).expect("fixture parses");
        segment(&story).segments.iter().map(|s| (s.kind, s.span.of(&story.text).to_owned(), s.continuation)).collect()
    }

    fn kinds_texts(input: &str) -> Vec<(SegmentKind, String)> {
        pieces(input).into_iter().map(|(k, t, _)| (k, t)).collect()
    }

    use SegmentKind::{Dialogue, Narration, Thought};

    #[test]
    fn straight_and_curly_quotes_become_dialogue_without_marks() {
        let got = kinds_texts("\"Stop here,\" the driver said. \u{201C}Now.\u{201D}\n");
        assert_eq!(
            got,
            vec![
                (Dialogue, "Stop here,".to_owned()),
                (Narration, "the driver said.".to_owned()),
                (Dialogue, "Now.".to_owned())
            ]
        );
    }

    #[test]
    fn single_quotes_are_dialogue_in_british_style_documents() {
        let got = kinds_texts("'Fetch the lamp,' Ada said. 'It's dark, isn't it?'\n\n'Yes,' said Tom.\n");
        assert_eq!(got[0], (Dialogue, "Fetch the lamp,".to_owned()));
        assert_eq!(got[2], (Dialogue, "It's dark, isn't it?".to_owned()));
        assert_eq!(got[3], (Dialogue, "Yes,".to_owned()));
        // Inside single-quoted speech, `'n'` and a plural possessive do not close it.
        let got = kinds_texts("'It's the boys' game, and rock 'n' roll,' said Tom. 'Yes.'\n");
        assert_eq!(got[0], (Dialogue, "It's the boys' game, and rock 'n' roll,".to_owned()));
        assert_eq!(got[1], (Narration, "said Tom.".to_owned()));
    }

    #[test]
    fn apostrophes_are_never_quote_marks() {
        let got = kinds_texts("He liked rock 'n' roll and the '90s, and fed 'em at o' clock in Chris' barn.\n");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, Narration);
    }

    #[test]
    fn multi_paragraph_speech_marks_continuations() {
        let got = pieces("\"The first part of the tale.\n\n\"The second part,\" he said.\n");
        assert_eq!(got[0], (Dialogue, "The first part of the tale.".to_owned(), false));
        assert_eq!(got[1], (Dialogue, "The second part,".to_owned(), true));
    }

    #[test]
    fn an_unclosed_quote_stops_at_the_paragraph_end() {
        let got = kinds_texts("He said \"wait and left.\n\nThe rain kept falling on the town.\n");
        assert_eq!(got.last(), Some(&(Narration, "The rain kept falling on the town.".to_owned())));
    }

    #[test]
    fn nested_quotes_stay_inside_the_outer_dialogue() {
        let got = kinds_texts("\"She told me 'never again' twice,\" Mo said.\n");
        assert_eq!(got[0], (Dialogue, "She told me 'never again' twice,".to_owned()));
    }

    #[test]
    fn dash_paragraphs_are_speech_around_their_tag() {
        let story = "\u{2014}Come up, Kinch!\n\n\u{2014}Back to barracks! he said sternly. Come now.\n\nHe left.\n\n\u{2014}Yes.\n";
        let got = kinds_texts(story);
        assert_eq!(got[0], (Dialogue, "Come up, Kinch!".to_owned()));
        assert_eq!(got[1], (Dialogue, "Back to barracks!".to_owned()));
        assert_eq!(got[2], (Narration, "he said sternly.".to_owned()));
        assert_eq!(got[3], (Dialogue, "Come now.".to_owned()));
        assert_eq!(got[4], (Narration, "He left.".to_owned()));
    }

    #[test]
    fn a_dash_tag_is_an_unbroken_subject_and_its_verb_or_the_verb_and_a_name() {
        let got = kinds_texts("\u{2014}Tell me, Mulligan, Stephen said quietly.\n");
        assert_eq!(got[0], (Dialogue, "Tell me, Mulligan,".to_owned()));
        assert_eq!(got[1], (Narration, "Stephen said quietly.".to_owned()));
        let got = kinds_texts("\u{2014}Ah, poor dogsbody! he said in a kind voice. I must go.\n");
        assert_eq!(got[0], (Dialogue, "Ah, poor dogsbody!".to_owned()));
        assert_eq!(got[1], (Narration, "he said in a kind voice.".to_owned()));
        let got = kinds_texts("\u{2014}That fellow, said Buck Mulligan, says you are mad.\n");
        assert_eq!(got[0], (Dialogue, "That fellow,".to_owned()));
        assert_eq!(got[1], (Narration, "said Buck Mulligan,".to_owned()));
        assert_eq!(got[2], (Dialogue, "says you are mad.".to_owned()));
    }

    #[test]
    fn two_hyphens_open_dash_style_speech_too() {
        let got = kinds_texts("--What is your name?\n\nStephen had answered.\n\n--What kind of a name is that?\n");
        assert_eq!(got[0], (Dialogue, "What is your name?".to_owned()));
        assert_eq!(got[1], (Narration, "Stephen had answered.".to_owned()));
        assert_eq!(got[2], (Dialogue, "What kind of a name is that?".to_owned()));
    }

    #[test]
    fn straight_apostrophes_do_not_outvote_curly_double_quotes() {
        let story =
            "\u{201C}Bah!\u{201D} he said. \u{201C}He said 'Has a cart gone through?' and 'Who 'ere?'\u{201D}\n";
        let got = kinds_texts(story);
        assert_eq!(got[0], (Dialogue, "Bah!".to_owned()));
        assert_eq!(got[2], (Dialogue, "He said 'Has a cart gone through?' and 'Who 'ere?'".to_owned()));
    }

    #[test]
    fn italics_a_thought_tag_stands_beside_are_thought_and_other_italics_emphasis() {
        let got = kinds_texts("*I should not be here,* Willow thought.\n");
        assert_eq!(got[0], (Thought, "I should not be here,".to_owned()));
        let got = kinds_texts("Mara frowned. _Not again_, she thought.\n");
        assert_eq!(got[1], (Thought, "Not again".to_owned()));
        let got = kinds_texts("Tom stopped. He thought: *Run.* And he ran.\n");
        assert_eq!(got[1], (Thought, "Run.".to_owned()));
        let got = kinds_texts("\"You *never* listen,\" she thought aloud. It was *very* late, Tom thought.\n");
        assert_eq!(got.iter().filter(|(kind, _)| *kind == Thought).count(), 0, "{got:?}");
        // Italics around a quote are not a thought of their own: the quote stays one segment.
        let got = kinds_texts("*\"Hi,\" she said* he thought.\n");
        assert_eq!(got.iter().map(|(kind, _)| *kind).collect::<Vec<_>>(), [Narration, Dialogue, Narration]);
        // Nor are italics inside a quote left open to the paragraph's end.
        let got = kinds_texts("\"*Ada* thought Ada'\n");
        assert_eq!(got, [(Dialogue, "*Ada* thought Ada'".to_owned())]);
    }

    #[test]
    fn angle_brackets_are_thought() {
        let got = kinds_texts("Mara frowned. <Where did he go?> she wondered.\n");
        assert_eq!(got[1], (Thought, "Where did he go?".to_owned()));
        let got = kinds_texts("\"Fine.\" < Sitting in a corner, alone. >\n");
        assert_eq!(got[1], (Thought, "Sitting in a corner, alone.".to_owned()));
        let got = kinds_texts("If a < b and c > d then.\n");
        assert_eq!(got.len(), 1);
    }

    #[test]
    fn short_quoted_words_inside_a_sentence_stay_narration() {
        let got = kinds_texts("They called the shed the \"castle\" and laughed.\n");
        assert_eq!(got, vec![(Narration, "They called the shed the \"castle\" and laughed.".to_owned())]);
    }

    proptest! {
        #[test]
        fn segments_partition_every_paragraph(
            words in proptest::collection::vec(
                prop_oneof![
                    "[a-zA-Z0-9]{1,6}", Just("\"".to_owned()), Just("'".to_owned()), Just("\u{201C}".to_owned()),
                    Just("\u{201D}".to_owned()), Just("\u{2019}".to_owned()), Just("<".to_owned()),
                    Just(">".to_owned()), Just(",".to_owned()), Just(".".to_owned()), Just("\n\n".to_owned()),
                    Just("é".to_owned()), Just("*".to_owned())
                ],
                0..60,
            ),
            glue in proptest::collection::vec(prop_oneof![Just(""), Just(" ")], 60),
        ) {
            let mut input = String::new();
            for (i, w) in words.iter().enumerate() {
                input.push_str(w);
                input.push_str(glue[i]);
            }
            let Ok(story) = story::parse(input.as_bytes()) else { return Ok(()) };
            let script = segment(&story);
            let body: Vec<&Segment> =
                script.segments.iter().filter(|s| s.kind != SegmentKind::Heading).collect();
            for pair in body.windows(2) {
                prop_assert!(pair[0].span.end <= pair[1].span.start);
            }
            for chapter in &story.chapters {
                for scene in &chapter.scenes {
                    for para in &scene.paragraphs {
                        for (offset, c) in para.of(&story.text).char_indices() {
                            if c.is_alphanumeric() {
                                let at = para.start + offset;
                                let n = body.iter().filter(|s| s.span.start <= at && at < s.span.end).count();
                                prop_assert_eq!(n, 1, "char {:?} at {} in {:?}", c, at, input);
                            }
                        }
                    }
                }
            }
            for s in &body {
                prop_assert!(story.text.is_char_boundary(s.span.start) && story.text.is_char_boundary(s.span.end));
                prop_assert!(s.span.start < s.span.end);
            }
        }
    }
}
