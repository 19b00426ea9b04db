//! Story files to structure: decoding, the metadata header, chapters, scenes and paragraphs.
//!
//! Every position is a [`Span`] of byte offsets into [`Story::text`], the decoded file. For UTF-8 input
//! (with or without a byte-order mark) these are byte offsets into the file itself.

use crate::{Error, Result};

/// A byte range `start..end` into [`Story::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (exclusive).
    #[must_use]
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// The text this span covers.
    #[must_use]
    pub fn of(self, text: &str) -> &str {
        &text[self.start..self.end]
    }

    /// Number of bytes covered.
    #[must_use]
    pub const fn len(self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers nothing.
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// How the file's bytes were decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingKind {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (kept at the start of [`Story::text`] so offsets match the file).
    Utf8Bom,
    /// UTF-16 (little or big endian) with a byte-order mark; offsets refer to the UTF-8 re-encoding.
    Utf16,
    /// Not valid UTF-8, read as Windows-1252; offsets refer to the UTF-8 re-encoding.
    Windows1252,
}

/// One `Key: value` line of the metadata header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The key as written (`Title`, `Author`, `Summary`, …).
    pub key: String,
    /// Where the value is.
    pub value: Span,
}

/// The metadata header at the top of a story.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// Every header field in file order.
    pub fields: Vec<Field>,
}

impl Metadata {
    /// The value of the first field whose key matches one of `keys` (case-insensitive).
    #[must_use]
    pub fn field(&self, keys: &[&str]) -> Option<Span> {
        self.fields.iter().find(|f| keys.iter().any(|k| f.key.eq_ignore_ascii_case(k))).map(|f| f.value)
    }

    /// The story's title, if the header names one.
    #[must_use]
    pub fn title(&self) -> Option<Span> {
        self.field(&["title", "story", "story title"])
    }

    /// The story's author, if the header names one.
    #[must_use]
    pub fn author(&self) -> Option<Span> {
        self.field(&["author", "authors", "by", "writer"])
    }
}

/// A run of paragraphs between scene breaks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scene {
    /// The paragraphs, each trimmed of surrounding whitespace; may contain hard line breaks.
    pub paragraphs: Vec<Span>,
}

/// A chapter: its heading lines (none for a story without headings) and its scenes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chapter {
    /// The heading line and an optional subtitle line (`CHAPTER I.` then `Down the Rabbit-Hole`).
    pub headings: Vec<Span>,
    /// The scenes, never empty ones.
    pub scenes: Vec<Scene>,
}

/// A parsed story.
#[derive(Debug, Clone)]
pub struct Story {
    /// The decoded text; every [`Span`] indexes into it.
    pub text: String,
    /// How the bytes were decoded.
    pub encoding: EncodingKind,
    /// The metadata header.
    pub metadata: Metadata,
    /// The chapters in reading order; at least one.
    pub chapters: Vec<Chapter>,
}

impl Story {
    /// Warnings a user should see about how the file was read.
    #[must_use]
    pub fn warnings(&self) -> Vec<String> {
        match self.encoding {
            EncodingKind::Utf8 | EncodingKind::Utf8Bom => Vec::new(),
            EncodingKind::Utf16 => vec!["the story is UTF-16; offsets refer to its UTF-8 re-encoding".to_owned()],
            EncodingKind::Windows1252 => vec![
                "the story is not valid UTF-8; read it as Windows-1252 (offsets refer to its UTF-8 re-encoding)"
                    .to_owned(),
            ],
        }
    }

    /// The chapter's title: its heading lines joined, or `None` for a chapter without a heading.
    #[must_use]
    pub fn chapter_title(&self, chapter: &Chapter) -> Option<String> {
        if chapter.headings.is_empty() {
            return None;
        }
        let parts: Vec<&str> = chapter
            .headings
            .iter()
            .map(|s| s.of(&self.text).trim_start_matches('#').trim_matches(DECORATION).trim())
            .collect();
        Some(parts.join(": "))
    }
}

/// Decodes and parses a story file's bytes.
pub fn parse(bytes: &[u8]) -> Result<Story> {
    let (text, encoding) = decode(bytes)?;
    let body_start = if encoding == EncodingKind::Utf8Bom { 3 } else { 0 };
    if text[body_start..].trim().is_empty() {
        return Err(story_error(if bytes.is_empty() {
            "the file is empty; give a text file with the story in it"
        } else {
            "the file has only whitespace; give a text file with the story in it"
        }));
    }
    let lines = lines(&text, body_start);
    let (metadata, body) = header(&text, &lines);
    let chapters = chapters(&text, body);
    Ok(Story { text, encoding, metadata, chapters })
}

fn story_error(reason: &str) -> Error {
    Error::Story { path: None, reason: reason.to_owned() }
}

fn decode(bytes: &[u8]) -> Result<(String, EncodingKind)> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let encoding = if bytes[0] == 0xFF { encoding_rs::UTF_16LE } else { encoding_rs::UTF_16BE };
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[2..]);
        if had_errors {
            return Err(story_error("the file starts like UTF-16 but is not valid UTF-16; save it as UTF-8"));
        }
        return Ok((text.into_owned(), EncodingKind::Utf16));
    }
    if looks_binary(bytes) {
        return Err(story_error("this looks like a binary file, not a text story; give a plain-text file (UTF-8)"));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) if text.starts_with('\u{feff}') => Ok((text.to_owned(), EncodingKind::Utf8Bom)),
        Ok(text) => Ok((text.to_owned(), EncodingKind::Utf8)),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Ok((text.into_owned(), EncodingKind::Windows1252))
        }
    }
}

/// NUL bytes or many control characters in the first 8 KiB mean a binary file.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let control = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C)).count();
    head.contains(&0) || control * 20 > head.len().max(1)
}

/// A line of the file without its line ending.
#[derive(Debug, Clone, Copy)]
struct Line {
    span: Span,
}

impl Line {
    fn text(self, text: &str) -> &str {
        self.span.of(text)
    }

    fn is_blank(self, text: &str) -> bool {
        self.text(text).chars().all(char::is_whitespace)
    }

    /// The line without surrounding whitespace (including no-break spaces).
    fn trimmed(self, text: &str) -> Span {
        let line = self.text(text);
        let start = self.span.start + (line.len() - line.trim_start().len());
        let end = self.span.start + line.trim_end().len();
        Span::new(start, end.max(start))
    }
}

fn lines(text: &str, from: usize) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = from;
    for (i, b) in text.bytes().enumerate().skip(from) {
        if b == b'\n' {
            let end = if i > start && text.as_bytes()[i - 1] == b'\r' { i - 1 } else { i };
            out.push(Line { span: Span::new(start, end) });
            start = i + 1;
        }
    }
    if start < text.len() {
        let end = if text.ends_with('\r') { text.len() - 1 } else { text.len() };
        out.push(Line { span: Span::new(start, end.max(start)) });
    }
    out
}

/// Splits off the metadata header: `Key: value` lines at the top (blank lines between them allowed),
/// or everything before a Project Gutenberg `*** START OF …` marker.
fn header<'a>(text: &str, lines: &'a [Line]) -> (Metadata, &'a [Line]) {
    let mut metadata = Metadata::default();
    if let Some(start) = lines.iter().position(|l| is_gutenberg_marker(l.text(text), "START")) {
        metadata.fields = lines[..start].iter().filter_map(|l| field(text, *l)).collect();
        let end = lines.iter().rposition(|l| is_gutenberg_marker(l.text(text), "END")).filter(|&e| e > start);
        return (metadata, &lines[start + 1..end.unwrap_or(lines.len())]);
    }
    let mut body_from = 0;
    let mut fields = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.is_blank(text) {
            continue;
        }
        if is_heading(line.text(text).trim()) {
            // `Chapter 1: The Shed` has the shape of a field, but the story starts there.
            break;
        }
        match field(text, *line) {
            Some(f) => {
                fields.push(f);
                body_from = i + 1;
            }
            None => break,
        }
    }
    // One lone `Note: …` line is more likely prose than a header: insist on a known key or two fields.
    let known = fields.iter().any(|f| KNOWN_KEYS.iter().any(|k| f.key.eq_ignore_ascii_case(k)));
    if known || fields.len() >= 2 {
        metadata.fields = fields;
        (metadata, &lines[body_from..])
    } else {
        (metadata, lines)
    }
}

const KNOWN_KEYS: &[&str] = &[
    "title",
    "author",
    "authors",
    "summary",
    "rating",
    "disclaimer",
    "feedback",
    "email",
    "distribution",
    "archive",
    "pairing",
    "pairings",
    "category",
    "categories",
    "warnings",
    "spoilers",
    "fandom",
    "notes",
    "series",
    "language",
    "release date",
    "translator",
    "illustrator",
    "credits",
];

fn is_gutenberg_marker(line: &str, which: &str) -> bool {
    let line = line.trim();
    line.starts_with("***")
        && line.to_ascii_uppercase().contains(&format!("{which} OF TH"))
        && line.contains("GUTENBERG")
}

/// A `Key: value` header line: a short capitalised key of at most four words, then a value.
fn field(text: &str, line: Line) -> Option<Field> {
    let raw = line.text(text);
    let colon = raw.find(':')?;
    let key = raw[..colon].trim();
    let words = key.split_whitespace().count();
    let well_formed = (1..=4).contains(&words)
        && key.len() <= 30
        && key.starts_with(|c: char| c.is_uppercase())
        && key.chars().all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '\'');
    if !well_formed || raw[colon + 1..].starts_with("//") {
        return None;
    }
    let value_line = Line { span: Span::new(line.span.start + colon + 1, line.span.end) };
    Some(Field { key: key.to_owned(), value: value_line.trimmed(text) })
}

/// What a non-blank body line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    SceneBreak,
    Heading,
    Text,
}

fn classify(line: &str) -> LineKind {
    let trimmed = line.trim();
    if is_scene_break(trimmed) {
        LineKind::SceneBreak
    } else if is_heading(trimmed) {
        LineKind::Heading
    } else {
        LineKind::Text
    }
}

/// A line made only of break glyphs and whitespace: `∞ ∞ ∞`, `* * *`, `#`, `~~~`, `---`, `⁂`, `oOo`, `xXx`, `o0o`.
pub(crate) fn is_scene_break(trimmed: &str) -> bool {
    const GLYPHS: &str = "*∞#~-_=+•·⁂※◆◇○●◦§♦❖✦✧⋆★☆❀✿❁♥♡|/\\<>^.:–—";
    const LETTERS: &str = "oOxX0";
    if trimmed.is_empty() {
        return false;
    }
    let glyphs: Vec<char> = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
    if glyphs.iter().all(|c| GLYPHS.contains(*c)) {
        // `.` or `:` alone (or `...`) is punctuation that lost its sentence, not a break.
        return glyphs.iter().any(|c| !".:".contains(*c));
    }
    // oOo, xXx, o0o, OoOoO: at least three, mixing case or digits, or spaced out.
    glyphs.len() >= 3
        && glyphs.iter().all(|c| LETTERS.contains(*c) || GLYPHS.contains(*c))
        && (glyphs.iter().any(|c| !c.is_ascii_lowercase()) || trimmed.contains(' '))
        && !matches!(trimmed, "XXX" | "OOO" | "xxx")
}

const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "last",
    "final",
];

/// Characters that decorate a heading line around its words (`~Chapter Three~`, `_Chapter I_`).
const DECORATION: &[char] = &['~', '*', '=', '_', ' ', '\t'];

/// A chapter heading: `Chapter 1`, `CHAPTER IV.`, `Chapter Two: The Tree`, `Chapter 1 The Boy Who Lived`, `Ch. 3`,
/// `CHAPTER THE FIRST`, `Part II`, `Prologue`, `VOLUME I`, `# Markdown`, or a lone Roman numeral such as `XII.`;
/// decorations around it do not count (`~Chapter Three~`).
pub(crate) fn is_heading(trimmed: &str) -> bool {
    if trimmed.len() > 100 {
        return false;
    }
    let trimmed = trimmed.trim_matches(DECORATION);
    if let Some(rest) = trimmed.strip_prefix('#') {
        let rest = rest.trim_start_matches('#');
        return rest.starts_with(' ') && rest.trim().chars().any(char::is_alphanumeric);
    }
    let lower = trimmed.to_lowercase();
    // A dash may glue the number to the title (`CHAPTER I—START IN LIFE`, `PART ONE--The Old Buccaneer`).
    let spaced = lower.replace("--", " ").replace(['\u{2014}', '\u{2013}'], " ");
    let mut words = spaced.split(|c: char| c.is_whitespace() || c == '.' || c == ':').filter(|w| !w.is_empty());
    let Some(first) = words.next() else { return false };
    match first {
        keyword if CHAPTER_KEYWORDS.contains(&keyword) || PART_KEYWORDS.contains(&keyword) => {
            let Some(mut number) = words.next() else { return false };
            // `CHAPTER THE FIRST`
            if number == "the" {
                let Some(ordinal) = words.next() else { return false };
                number = ordinal;
            }
            let number = number.trim_end_matches(|c: char| ",;-)".contains(c));
            let numeric = number.chars().all(|c| c.is_ascii_digit())
                || is_roman(number)
                || NUMBER_WORDS.iter().any(|w| number.starts_with(w) && number.len() <= w.len() + 8);
            // `Chapter one was the worst of…` is prose: a heading line ends quickly, continues after a separator,
            // or is all capitals (`CHAPTER I THE CONSUL'S YARN`).
            let capitals = !trimmed.chars().any(char::is_lowercase);
            numeric
                && !trimmed.ends_with(',')
                && (lower.split_whitespace().count() <= 3 || has_separator(trimmed) || capitals || title_case(trimmed))
        }
        "prologue" | "epilogue" | "introduction" | "preface" | "interlude" | "afterword" | "foreword" => {
            lower.split_whitespace().count() == 1 || has_separator(trimmed)
        }
        _ => {
            let bare = trimmed.trim_end_matches('.');
            // A lone `I` is the pronoun; `I.` and `II` are numerals.
            (bare.len() >= 2 || trimmed.ends_with('.'))
                && bare.chars().all(|c| "IVXLCDM".contains(c))
                && is_roman(&bare.to_lowercase())
                && bare.len() <= 7
        }
    }
}

/// Words that open a numbered chapter heading (`Chapter 1`, `ACT II`, `Letter 4`).
const CHAPTER_KEYWORDS: &[&str] = &["chapter", "chap", "ch", "act", "section", "canto", "letter"];

/// Words that open a numbered heading of a division above chapters (`Part II`, `BOOK ONE`, `VOLUME I`).
const PART_KEYWORDS: &[&str] = &["part", "book", "volume", "vol"];

/// Whether a heading opens a division above chapters (see [`PART_KEYWORDS`]), read past its decoration as
/// [`is_heading`] reads it.
fn opens_part(heading: &str) -> bool {
    let bare = heading.trim_matches(DECORATION).trim_start_matches('#');
    let first = bare.split_whitespace().next().unwrap_or_default().to_lowercase();
    PART_KEYWORDS.contains(&first.trim_end_matches('.'))
}

/// Whether the words after a heading's keyword and number are a title: each capitalised but for short function words,
/// the first one capitalised, and no sentence punctuation at the end (`Chapter 1 The Boy Who Lived`, not `Chapter 1
/// was the worst`).
fn title_case(line: &str) -> bool {
    const SMALL: &[&str] = &["a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by", "from"];
    let title: Vec<&str> = line.split_whitespace().skip(2).collect();
    let capitalised = |w: &str| w.chars().next().is_some_and(|c| c.is_uppercase() || !c.is_alphabetic());
    title.first().is_some_and(|w| capitalised(w))
        && title.iter().all(|w| capitalised(w) || SMALL.contains(w))
        && !line.ends_with(['.', '?', '!', ',', ';'])
}

fn has_separator(line: &str) -> bool {
    [":", " - ", " — ", " – ", ". ", "--"].iter().any(|s| line.contains(s))
        && !line.ends_with(['.', '?', '!', '"', '”'])
        || line.contains(':')
}

fn is_roman(word: &str) -> bool {
    !word.is_empty() && word.len() <= 8 && word.chars().all(|c| "ivxlcdm".contains(c))
}

/// Groups body lines into chapters, scenes and paragraphs.
fn chapters(text: &str, body: &[Line]) -> Vec<Chapter> {
    let blocks = blocks(text, body);
    let mut chapters = vec![Chapter::default()];
    let mut scene = Scene::default();
    let mut i = 0;
    while i < blocks.len() {
        let block = &blocks[i];
        match block.kind {
            LineKind::SceneBreak => push_scene(&mut chapters, &mut scene),
            LineKind::Heading => {
                push_scene(&mut chapters, &mut scene);
                let mut headings = vec![block.lines[0].trimmed(text)];
                // A short untitled line right after the heading is its subtitle (`CHAPTER I.` / `Down the Rabbit-Hole`).
                if let Some(next) = blocks.get(i + 1).filter(|b| is_subtitle(text, b)) {
                    headings.push(next.lines[0].trimmed(text));
                    i += 1;
                }
                let current = chapters.last_mut().expect("chapters starts non-empty");
                if current.headings.is_empty() && current.scenes.is_empty() {
                    current.headings = headings;
                } else {
                    chapters.push(Chapter { headings, scenes: Vec::new() });
                }
            }
            LineKind::Text => scene.paragraphs.extend(paragraphs(text, &block.lines)),
        }
        i += 1;
    }
    push_scene(&mut chapters, &mut scene);
    // A heading with nothing under it folds into the next chapter: a part's heading opens it (`PART ONE` then
    // `CHAPTER I` is one chapter, `PART ONE: CHAPTER I`), any other gives way to it (a table of contents line).
    let mut merged: Vec<Chapter> = Vec::new();
    for chapter in chapters {
        match merged.last_mut() {
            Some(previous) if previous.scenes.is_empty() && !previous.headings.is_empty() => {
                if !opens_part(previous.headings[0].of(text)) {
                    previous.headings.clear();
                }
                previous.headings.extend(chapter.headings);
                previous.scenes = chapter.scenes;
            }
            _ => merged.push(chapter),
        }
    }
    merged
}

fn push_scene(chapters: &mut [Chapter], scene: &mut Scene) {
    if !scene.paragraphs.is_empty() {
        chapters.last_mut().expect("chapters starts non-empty").scenes.push(std::mem::take(scene));
    }
}

/// Consecutive non-blank lines of one kind; a scene break or heading line is always a block of its own.
struct Block {
    kind: LineKind,
    lines: Vec<Line>,
}

fn blocks(text: &str, body: &[Line]) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut open = false;
    for &line in body {
        if line.is_blank(text) {
            open = false;
            continue;
        }
        let kind = classify(line.text(text));
        match blocks.last_mut() {
            Some(block) if open && kind == LineKind::Text && block.kind == LineKind::Text => block.lines.push(line),
            _ => blocks.push(Block { kind, lines: vec![line] }),
        }
        open = kind == LineKind::Text;
    }
    blocks
}

fn is_subtitle(text: &str, block: &Block) -> bool {
    let line = block.lines[0].trimmed(text).of(text);
    block.kind == LineKind::Text
        && block.lines.len() == 1
        && line.chars().count() <= 60
        && !line.ends_with(['.', '?', '!', ',', ';', '"', '”', '\''])
        && line.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
}

/// Lines of one block: joined when hard-wrapped, one paragraph per line when the lines are long or nearly all end a
/// sentence (files written with one paragraph per line and no blank lines), or when they start indented.
fn paragraphs(text: &str, lines: &[Line]) -> Vec<Span> {
    // A wholly indented block is one paragraph (a letter, verse).
    let all_indented = lines.iter().all(|l| indented(text, l));
    let long = lines.iter().take(lines.len().saturating_sub(1)).any(|l| l.text(text).trim().chars().count() > 100);
    let per_line = long || (!all_indented && one_per_line(text, lines));
    let mut out: Vec<Span> = Vec::new();
    let mut current: Option<Span> = None;
    for &line in lines {
        let trimmed = line.trimmed(text);
        // An indented line in the middle of a sentence goes on with it (`…I see,"` / ` swinging back the top.`).
        let after_a_sentence = current.is_some_and(|span| ends_paragraph(&text[span.start..span.end]));
        let starts_new = per_line || (indented(text, &line) && after_a_sentence && !all_indented);
        match current.as_mut() {
            Some(span) if !starts_new => span.end = trimmed.end,
            _ => {
                if let Some(span) = current.take() {
                    out.push(span);
                }
                current = Some(trimmed);
            }
        }
    }
    out.extend(current);
    out
}

/// Whether a block of three lines or more is written one paragraph per line: at least four lines in five end a
/// sentence (`"Hi," said Tom.` / `"Hello."`), where a hard-wrapped paragraph ends most lines mid-sentence.
fn one_per_line(text: &str, lines: &[Line]) -> bool {
    let ends_sentence = |line: &Line| {
        let trimmed = line.text(text).trim_end();
        let bare = trimmed.trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', ')', '*', '_']);
        bare.ends_with(['.', '!', '?', '\u{2026}'])
    };
    lines.len() >= 3 && lines.iter().filter(|l| ends_sentence(l)).count() * 5 >= lines.len() * 4
}

/// Whether text can end a paragraph: it ends a sentence, before any closing quote or bracket (`…the end."`), or
/// breaks off (`I was--"`), or announces what follows (`he said:`).
fn ends_paragraph(text: &str) -> bool {
    let bare = text.trim_end().trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', ')', ']', '*', '_']);
    bare.ends_with(['.', '!', '?', '\u{2026}', ':', '-', '\u{2014}', '\u{2013}'])
}

/// Whether a line starts indented.
fn indented(text: &str, line: &Line) -> bool {
    line.text(text).starts_with(['\t', ' ', '\u{a0}', '\u{3000}'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Story {
        parse(text.as_bytes()).unwrap()
    }

    fn paragraphs_of(story: &Story) -> Vec<Vec<Vec<&str>>> {
        story
            .chapters
            .iter()
            .map(|c| c.scenes.iter().map(|s| s.paragraphs.iter().map(|p| p.of(&story.text)).collect()).collect())
            .collect()
    }

    #[test]
    fn header_fields_become_metadata() {
        let story = parse_str("Title: A Tale\nAuthor: Someone\nRating: PG\n\nOnce upon a time.\n");
        assert_eq!(story.metadata.title().unwrap().of(&story.text), "A Tale");
        assert_eq!(story.metadata.author().unwrap().of(&story.text), "Someone");
        assert_eq!(paragraphs_of(&story), vec![vec![vec!["Once upon a time."]]]);
    }

    #[test]
    fn a_heading_with_a_colon_after_the_header_starts_the_story() {
        for heading in ["Chapter 1: The Shed", "Part II: Home", "Prologue: Before"] {
            let story = parse_str(&format!("Title: A Tale\nAuthor: Someone\n\n{heading}\n\nOnce upon a time.\n"));
            assert_eq!(story.metadata.fields.len(), 2, "{heading}");
            assert_eq!(story.chapter_title(&story.chapters[0]).as_deref(), Some(heading));
            assert_eq!(paragraphs_of(&story), vec![vec![vec!["Once upon a time."]]]);
        }
    }

    #[test]
    fn a_lone_colon_line_is_prose_not_a_header() {
        let story = parse_str("Note to self: never again.\n\nShe left.\n");
        assert!(story.metadata.fields.is_empty());
        assert_eq!(paragraphs_of(&story)[0][0], vec!["Note to self: never again.", "She left."]);
    }

    #[test]
    fn scene_breaks_split_scenes_and_are_never_text() {
        for mark in ["∞ ∞ ∞", "* * *", "***", "#", "~~~", "---", "⁂", "oOo", "xXx", "o0o", "\u{a0}∞\u{a0}\u{a0}∞\u{a0}"]
        {
            assert!(is_scene_break(mark.trim()), "{mark:?} should be a scene break");
            let story = parse_str(&format!("One.\n\n{mark}\n\nTwo.\n"));
            assert_eq!(paragraphs_of(&story), vec![vec![vec!["One."], vec!["Two."]]], "break {mark:?}");
        }
        for prose in ["...", "Oh.", "xxx", "ooo", "Oz", "I"] {
            assert!(!is_scene_break(prose), "{prose:?} is not a scene break");
        }
    }

    #[test]
    fn chapter_headings_start_chapters() {
        for heading in [
            "Chapter 1",
            "CHAPTER IV.",
            "Chapter Two: The Tree",
            "Part II",
            "Prologue",
            "Epilogue",
            "VOLUME I",
            "# The Start",
            "XII.",
            "I.",
            "CHAPTER I. THE YOUNG ADVENTURERS, LTD.",
            "CHAPTER I THE CONSUL\u{2019}S YARN",
            "CHAPTER I\u{2014}START IN LIFE",
            "PART ONE--The Old Buccaneer",
            "PART I.  A VOYAGE TO LILLIPUT.",
            "Chapter Twenty-One",
        ] {
            assert!(is_heading(heading), "{heading:?} should be a heading");
        }
        for prose in [
            "Chapter one was the worst of my life, she said.",
            "I",
            "Part of me wanted to stay.",
            "Prologues are dull.",
            "Part one of the plan was simple.",
            "Book two--the one with the dragon--was better.",
        ] {
            assert!(!is_heading(prose), "{prose:?} is not a heading");
        }
        for decorated in ["Ch. 3", "~Chapter Three~", "_Chapter I_", "CHAPTER THE FIRST", "Chapter 1 The Boy Who Lived"]
        {
            assert!(is_heading(decorated), "{decorated:?} should be a heading");
        }
        for prose in ["Chapter 1 was the worst of all.", "Part of the Plan Was Good"] {
            assert!(!is_heading(prose), "{prose:?} is not a heading");
        }
        let story = parse_str("~Chapter Three~\n\nThird.\n");
        assert_eq!(story.chapter_title(&story.chapters[0]).as_deref(), Some("Chapter Three"));
        let story = parse_str("Chapter 1\n\nFirst.\n\nChapter 2: Later\n\nSecond.\n");
        assert_eq!(story.chapters.len(), 2);
        assert_eq!(story.chapter_title(&story.chapters[1]).as_deref(), Some("Chapter 2: Later"));
    }

    #[test]
    fn a_part_heading_opens_the_chapter_under_it_and_a_table_of_contents_gives_way() {
        let story = parse_str("PART ONE\n\nCHAPTER I\n\nFirst.\n\nPart II\n\n# Home\n\nSecond.\n");
        let titles: Vec<Option<String>> = story.chapters.iter().map(|c| story.chapter_title(c)).collect();
        assert_eq!(titles, [Some("PART ONE: CHAPTER I".to_owned()), Some("Part II: Home".to_owned())]);
        let story = parse_str("~Part III~\n\nChapter 9\n\nThird.\n");
        assert_eq!(story.chapter_title(&story.chapters[0]).as_deref(), Some("Part III: Chapter 9"));
        let story = parse_str("Chapter 1\n\nChapter 2\n\nChapter 1\n\nFirst.\n");
        assert_eq!(story.chapters.len(), 1);
        assert_eq!(story.chapter_title(&story.chapters[0]).as_deref(), Some("Chapter 1"));
    }

    #[test]
    fn a_short_line_after_a_heading_is_its_subtitle() {
        let story = parse_str("CHAPTER I.\n\nDown the Rabbit-Hole\n\nAlice was beginning to get very tired.\n");
        assert_eq!(story.chapter_title(&story.chapters[0]).as_deref(), Some("CHAPTER I.: Down the Rabbit-Hole"));
        assert_eq!(paragraphs_of(&story), vec![vec![vec!["Alice was beginning to get very tired."]]]);
    }

    #[test]
    fn hard_wrapped_lines_join_into_one_paragraph() {
        let story = parse_str("It was a dark\r\nand stormy night.\r\n\r\nThe end.\r\n");
        assert_eq!(paragraphs_of(&story), vec![vec![vec!["It was a dark\r\nand stormy night.", "The end."]]]);
    }

    #[test]
    fn an_indented_line_starts_a_paragraph_only_after_a_sentence_ends() {
        let story = parse_str(
            "It was late. We sat\ndown to eat.\n    Then the door opened.\n\n\"Here, this opens, I see,\"\n swinging \
             back the lid. \"Lift her.\"\n",
        );
        assert_eq!(
            paragraphs_of(&story),
            vec![vec![vec![
                "It was late. We sat\ndown to eat.",
                "Then the door opened.",
                "\"Here, this opens, I see,\"\n swinging back the lid. \"Lift her.\""
            ]]]
        );
    }

    #[test]
    fn one_paragraph_per_line_files_split_per_line() {
        let long = "word ".repeat(30);
        let story = parse_str(&format!("{long}one.\n{long}two.\n{long}three.\n"));
        assert_eq!(story.chapters[0].scenes[0].paragraphs.len(), 3);
        // Short lines that each end a sentence are paragraphs too; verse (all indented) stays one block.
        let story =
            parse_str("\"Hi,\" said Tom.\n\"Hello.\"\nThey sat down.\n\n  Row, row,\n  row your boat.\n  Merrily.\n");
        assert_eq!(
            paragraphs_of(&story),
            vec![vec![vec![
                "\"Hi,\" said Tom.",
                "\"Hello.\"",
                "They sat down.",
                "Row, row,\n  row your boat.\n  Merrily."
            ]]]
        );
    }

    #[test]
    fn bom_is_kept_so_offsets_match_the_file() {
        let bytes = b"\xEF\xBB\xBFHello there.\n";
        let story = parse(bytes).unwrap();
        assert_eq!(story.encoding, EncodingKind::Utf8Bom);
        let p = story.chapters[0].scenes[0].paragraphs[0];
        assert_eq!(&bytes[p.start..p.end], b"Hello there.");
    }

    #[test]
    fn invalid_utf8_is_read_as_windows_1252() {
        let story = parse(b"\x93Hi,\x94 she said. Caf\xe9.\n").unwrap();
        assert_eq!(story.encoding, EncodingKind::Windows1252);
        assert!(story.text.contains("“Hi,” she said. Café."));
        assert_eq!(story.warnings().len(), 1);
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("Hi there.".encode_utf16().flat_map(u16::to_le_bytes));
        let story = parse(&bytes).unwrap();
        assert_eq!(story.chapters[0].scenes[0].paragraphs[0].of(&story.text), "Hi there.");
    }

    #[test]
    fn empty_whitespace_and_binary_files_are_errors() {
        for (bytes, words) in
            [(&b""[..], "empty"), (b" \n\t\n", "whitespace"), (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "binary")]
        {
            let message = parse(bytes).unwrap_err().to_string();
            assert!(message.contains(words), "{message}");
        }
    }

    #[test]
    fn gutenberg_boilerplate_is_skipped() {
        let text = "The Project Gutenberg eBook\n\nTitle: Emma\n\nAuthor: Jane Austen\n\n*** START OF THE PROJECT GUTENBERG EBOOK EMMA ***\n\nEmma Woodhouse was rich.\n\n*** END OF THE PROJECT GUTENBERG EBOOK EMMA ***\n\nLicence text.\n";
        let story = parse_str(text);
        assert_eq!(story.metadata.author().unwrap().of(&story.text), "Jane Austen");
        assert_eq!(paragraphs_of(&story), vec![vec![vec!["Emma Woodhouse was rich."]]]);
    }

    #[test]
    fn sample_story_has_four_scenes() {
        let story = parse(include_bytes!("../tests/fixtures/all-my-days-are-dark.txt")).unwrap();
        assert_eq!(story.chapters.len(), 1);
        assert_eq!(story.chapters[0].scenes.len(), 4);
        assert_eq!(story.metadata.title().unwrap().of(&story.text), "All My Days Are Dark");
        assert!(story.chapters[0].scenes.iter().flat_map(|s| &s.paragraphs).all(|p| !p.of(&story.text).contains('∞')));
    }
}
