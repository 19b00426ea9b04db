//! Text to Piper model input: espeak-ng IPA clauses grouped into sentences, then phoneme ids.
//!
//! As Piper builds them: each clause's IPA followed by its punctuation (and a space after `,` `:` `;`),
//! decomposed (NFD) into code points, one phoneme each; a sentence ends at `.` `?` `!`. A sentence's ids are
//! `^`, then every phoneme followed by the pad `_`, then `$`, looked up in the voice's `phoneme_id_map`
//! (phonemes missing from the map are left out, as Piper does).

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use crate::engine::espeak::Clause;

/// The longest piece sent to the model at once, in phonemes (about 30 s of speech). Longer sentences are split
/// at a clause or word boundary, so nothing is truncated and memory stays bounded.
pub const MAX_PHONEMES: usize = 400;

/// A sentence (or a piece of a very long one) ready for the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Its phonemes, one code point each.
    pub phonemes: Vec<char>,
    /// How it ends, which sets the pause after it.
    pub ending: Ending,
}

/// How a piece of speech ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `.` `?` `!`: a full stop.
    Sentence,
    /// A long sentence split at a clause or word boundary, or text without final punctuation.
    Clause,
}

/// Groups espeak-ng clauses into sentences of phonemes, as Piper does, splitting sentences longer than
/// [`MAX_PHONEMES`].
#[must_use]
pub fn sentences(clauses: &[Clause]) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    let mut current = String::new();
    for clause in clauses {
        current.push_str(&clause.ipa);
        if let Some(punctuation) = clause.punctuation {
            current.push(punctuation);
            if matches!(punctuation, ',' | ':' | ';') {
                current.push(' ');
            }
        }
        if clause.ends_sentence() {
            push_sentence(&mut sentences, &current, Ending::Sentence);
            current.clear();
        }
    }
    push_sentence(&mut sentences, &current, Ending::Clause);
    sentences
}

fn push_sentence(sentences: &mut Vec<Sentence>, text: &str, ending: Ending) {
    // A trailing space (text ending in `,`) is kept, as Piper keeps it.
    let mut phonemes: Vec<char> = text.nfd().collect();
    if phonemes.iter().all(|c| c.is_whitespace()) {
        return;
    }
    while phonemes.len() > MAX_PHONEMES {
        let cut = split_point(&phonemes);
        let rest = phonemes.split_off(cut);
        sentences.push(Sentence { phonemes, ending: Ending::Clause });
        phonemes = rest;
    }
    sentences.push(Sentence { phonemes, ending });
}

/// Where to cut a too-long sentence: after the last clause mark within [`MAX_PHONEMES`], else after the last
/// word, else at the limit.
fn split_point(phonemes: &[char]) -> usize {
    let window = &phonemes[..MAX_PHONEMES];
    let after = |wanted: &dyn Fn(char) -> bool| {
        window.iter().rposition(|&c| wanted(c)).map(|i| i + 1).filter(|&i| i > MAX_PHONEMES / 4)
    };
    after(&|c| matches!(c, ',' | ':' | ';'))
        .map(|i| if phonemes.get(i) == Some(&' ') { i + 1 } else { i })
        .or_else(|| after(&char::is_whitespace))
        .unwrap_or(MAX_PHONEMES)
}

/// A voice's phoneme-to-id table, keyed by single code points (how Piper's espeak phonemes are split).
#[derive(Debug, Clone)]
pub struct IdMap {
    ids: HashMap<char, Vec<i64>>,
    start: Vec<i64>,
    end: Vec<i64>,
    pad: Vec<i64>,
}

impl IdMap {
    /// Builds the table from a voice's `phoneme_id_map`; `None` when `^`, `_` or `$` is missing.
    #[must_use]
    pub fn new(map: &HashMap<String, Vec<i64>>) -> Option<Self> {
        let symbol = |s: &str| map.get(s).cloned();
        let ids = map
            .iter()
            .filter_map(|(phoneme, ids)| {
                let mut chars = phoneme.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => Some((c, ids.clone())),
                    _ => None,
                }
            })
            .collect();
        Some(Self { ids, start: symbol("^")?, end: symbol("$")?, pad: symbol("_")? })
    }

    /// The model input for one sentence: `^ _`, each known phoneme followed by `_`, then `$`.
    #[must_use]
    pub fn ids(&self, phonemes: &[char]) -> Vec<i64> {
        let mut ids = Vec::with_capacity(phonemes.len() * 2 + 3);
        ids.extend(&self.start);
        ids.extend(&self.pad);
        for phoneme in phonemes {
            if let Some(phoneme_ids) = self.ids.get(phoneme) {
                ids.extend(phoneme_ids);
                ids.extend(&self.pad);
            }
        }
        ids.extend(&self.end);
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(ipa: &str, punctuation: Option<char>) -> Clause {
        Clause { ipa: ipa.into(), punctuation }
    }

    #[test]
    fn clauses_join_into_sentences_with_their_punctuation() {
        let clauses = [
            clause("wˈɛl", Some(',')),
            clause("wˈɛl", Some('.')),
            clause("wˌʌt", Some('?')),
            clause("ʃiː lˈæft", None),
        ];
        let got: Vec<(String, Ending)> =
            sentences(&clauses).into_iter().map(|s| (s.phonemes.into_iter().collect(), s.ending)).collect();
        assert_eq!(
            got,
            [
                ("wˈɛl, wˈɛl.".to_owned(), Ending::Sentence),
                ("wˌʌt?".to_owned(), Ending::Sentence),
                ("ʃiː lˈæft".to_owned(), Ending::Clause)
            ]
        );
    }

    #[test]
    fn phonemes_are_decomposed_code_points() {
        let [sentence] = sentences(&[clause("ç", Some('.'))]).try_into().unwrap();
        assert_eq!(sentence.phonemes, ['c', '\u{327}', '.']);
    }

    #[test]
    fn long_sentences_are_split_without_losing_phonemes() {
        let word = "kˈæt ";
        let text: String = word.repeat(200);
        let pieces = sentences(&[clause(text.trim(), Some('.'))]);
        assert!(pieces.len() >= 3, "{}", pieces.len());
        assert!(pieces.iter().all(|p| p.phonemes.len() <= MAX_PHONEMES));
        let rejoined: String = pieces.iter().flat_map(|p| p.phonemes.iter()).collect();
        assert_eq!(rejoined, format!("{}.", text.trim()));
        assert_eq!(pieces.last().unwrap().ending, Ending::Sentence);
        assert!(pieces[..pieces.len() - 1].iter().all(|p| p.ending == Ending::Clause));
    }

    #[test]
    fn ids_are_framed_and_padded() {
        let map: HashMap<String, Vec<i64>> = [("_", 0), ("^", 1), ("$", 2), ("a", 14), ("b", 15)]
            .iter()
            .map(|&(k, v)| (k.to_owned(), vec![v]))
            .collect();
        let map = IdMap::new(&map).unwrap();
        assert_eq!(map.ids(&['a', 'x', 'b']), [1, 0, 14, 0, 15, 0, 2]);
        assert!(IdMap::new(&HashMap::new()).is_none());
    }
}
