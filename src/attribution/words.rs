//! Words and sentences of a stretch of story text, with byte offsets into the story.

use std::borrow::Cow;

/// Whether a token is a word or a punctuation mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// Letters and digits, with inner apostrophes and hyphens (`don't`, `d-dead`) and the dot of a title (`Mr.`).
    Word,
    /// One punctuation mark or a run of dashes.
    Punct,
}

/// One word or punctuation mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    /// The token's text.
    pub text: &'a str,
    /// First byte in the story text.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Word or punctuation.
    pub kind: TokenKind,
}

impl<'a> Token<'a> {
    /// Whether this is a word.
    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }

    /// Whether this punctuation ends a sentence (`.`, `!`, `?`, `…`).
    pub fn ends_sentence(&self) -> bool {
        self.kind == TokenKind::Punct && matches!(self.text, "." | "!" | "?" | "\u{2026}")
    }

    /// Whether this punctuation ends a clause (a sentence end, `;`, `:` or a dash).
    pub fn ends_clause(&self) -> bool {
        self.ends_sentence() || (self.kind == TokenKind::Punct && matches!(self.text, ";" | ":")) || self.is_dash()
    }

    /// Whether this is a dash (`--`, `—`, `–`).
    pub fn is_dash(&self) -> bool {
        self.kind == TokenKind::Punct && is_dash(self.text)
    }

    /// Whether this is a quote mark (straight or curly, single or double).
    pub fn is_quote_mark(&self) -> bool {
        self.kind == TokenKind::Punct
            && matches!(self.text, "\"" | "'" | "\u{201C}" | "\u{201D}" | "\u{2018}" | "\u{2019}")
    }

    /// The word in lowercase, without a possessive `'s` and without a title's dot: the form the word lists use.
    pub fn key(&self) -> Cow<'a, str> {
        key(self.text)
    }

    /// Whether the word ends with a possessive `'s` (`Willow's`).
    pub fn is_possessive(&self) -> bool {
        self.text.ends_with("'s") || self.text.ends_with("\u{2019}s")
    }
}

/// A word in the form the word lists use: lowercase, no possessive `'s`, no trailing dot. Most words are in that
/// form already (lowercase ASCII) and are borrowed, not copied.
pub(crate) fn key(word: &str) -> Cow<'_, str> {
    let word = word.strip_suffix("'s").or_else(|| word.strip_suffix("\u{2019}s")).unwrap_or(word);
    let word = word.trim_end_matches('.');
    if word.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(word.to_lowercase())
    }
}

/// Whether a word starts with a capital and is not all capitals (`Willow`, `I`, but not `NO`).
pub(crate) fn is_capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    let Some(first) = chars.next() else { return false };
    let rest: Vec<char> = chars.filter(|c| c.is_alphabetic()).collect();
    first.is_uppercase() && (rest.is_empty() || rest.iter().any(|c| c.is_lowercase()))
}

fn is_dash(text: &str) -> bool {
    text == "--" || text == "\u{2014}" || text == "\u{2013}" || text.chars().all(|c| c == '-') && text.len() > 1
}

/// Abbreviations whose dot does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "mt", "messrs", "mme", "mlle", "capt", "col", "gen", "lt", "rev", "prof", "sr",
    "jr", "hon",
];

/// Splits `text` (which starts at byte `base` of the story) into words and punctuation.
pub(crate) fn tokens(text: &str, base: usize) -> Vec<Token<'_>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let offset = |i: usize| chars.get(i).map_or(text.len(), |&(o, _)| o);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let begin = i;
        if c.is_alphanumeric() {
            i += 1;
            while i < chars.len() {
                let c = chars[i].1;
                let joins = matches!(c, '\'' | '\u{2019}' | '-')
                    && chars.get(i + 1).is_some_and(|&(_, n)| n.is_alphanumeric())
                    && i > begin;
                if c.is_alphanumeric() || joins {
                    i += 1;
                } else {
                    break;
                }
            }
            let word = &text[offset(begin)..offset(i)];
            if chars.get(i).is_some_and(|&(_, c)| c == '.') && ABBREVIATIONS.contains(&word.to_lowercase().as_str()) {
                i += 1;
            }
            out.push(Token {
                text: &text[offset(begin)..offset(i)],
                start: base + offset(begin),
                end: base + offset(i),
                kind: TokenKind::Word,
            });
        } else {
            i += 1;
            if c == '-' || c == '.' {
                while chars.get(i).is_some_and(|&(_, n)| n == c) {
                    i += 1;
                }
            }
            let piece = &text[offset(begin)..offset(i)];
            // A run of dots is an ellipsis, which ends a sentence like `…`.
            let piece = if piece.len() > 1 && piece.starts_with('.') { "\u{2026}" } else { piece };
            out.push(Token { text: piece, start: base + offset(begin), end: base + offset(i), kind: TokenKind::Punct });
        }
    }
    out
}

/// Whether the word at `i` begins a sentence: nothing before it but quote marks and brackets, back to the
/// start or to a sentence end.
pub(crate) fn sentence_initial(tokens: &[Token], i: usize) -> bool {
    for token in tokens[..i].iter().rev() {
        if token.is_word() {
            return false;
        }
        if token.ends_sentence() {
            return true;
        }
        if !(token.is_quote_mark() || matches!(token.text, "(" | "[" | "<" | ">")) {
            return false;
        }
    }
    true
}

/// The token ranges of the sentences in `tokens` (each ends after its closing punctuation).
pub(crate) fn sentences(tokens: &[Token]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, token) in tokens.iter().enumerate() {
        if token.ends_sentence() {
            let end = i + 1;
            if tokens[start..end].iter().any(Token::is_word) {
                out.push(start..end);
            }
            start = end;
        }
    }
    if tokens[start..].iter().any(Token::is_word) {
        out.push(start..tokens.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_apostrophes_hyphens_and_title_dots() {
        let got: Vec<&str> = tokens("Mr. Bennet's d-dead, isn't he?", 0).iter().map(|t| t.text).collect();
        assert_eq!(got, ["Mr.", "Bennet's", "d-dead", ",", "isn't", "he", "?"]);
    }

    #[test]
    fn offsets_point_into_the_story() {
        let text = "xx\u{e9} Ann said";
        let t = tokens(&text[5..], 5);
        assert_eq!(&text[t[0].start..t[0].end], "Ann");
    }

    #[test]
    fn sentences_end_at_marks_but_not_at_titles() {
        let t = tokens("Mr. Ames left. Then Ann . . came in!", 0);
        assert_eq!(sentences(&t).len(), 3);
        assert!(sentence_initial(&t, 0));
        assert!(!sentence_initial(&t, 1));
        assert!(sentence_initial(&t, 4));
    }

    #[test]
    fn capitals_are_names_but_shouting_is_not() {
        assert!(is_capitalised("Willow"));
        assert!(is_capitalised("I"));
        assert!(!is_capitalised("NO"));
        assert!(!is_capitalised("willow"));
    }
}
