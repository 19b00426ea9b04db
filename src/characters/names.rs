//! Candidate names and what the text shows about each: runs of capitalised words, the verbs and
//! appositions around them, the quotes that address them.

use std::collections::{BTreeMap, HashSet};

use super::Gender;
use crate::attribution::{
    Token, is_action_word, is_capitalised, is_explicit_filler, is_not_name, is_place_preposition, is_speech_verb_at,
    key, noun_gender, pronoun_gender, sentence_initial, title,
};

/// What the text shows about one candidate name.
#[derive(Debug, Default, Clone)]
pub(super) struct Evidence {
    /// Every occurrence.
    pub(super) count: usize,
    /// Occurrences not at a sentence start.
    pub(super) inside: usize,
    /// Subject of a speech tag in narration.
    pub(super) tags: usize,
    /// Subject of another verb in narration.
    pub(super) actions: usize,
    /// Followed by an apposition (`Oz, her husband,`).
    pub(super) appositions: usize,
    /// After a place preposition (`in London`).
    pub(super) places: usize,
    /// Addressed by name inside a quote (`"Now, Henry, go."`).
    pub(super) vocatives: usize,
    /// Votes of the pronouns after its mentions.
    pub(super) male: usize,
    pub(super) female: usize,
    /// The segment of its first occurrence.
    pub(super) first: usize,
    /// The narration segments it occurs in, in story order.
    pub(super) segments: Vec<usize>,
}

impl Evidence {
    /// Adds what the text shows about another name to this one's (`Finally Tom` folding into `Tom`).
    pub(super) fn absorb(&mut self, other: &Evidence) {
        self.first = if self.count == 0 { other.first } else { self.first.min(other.first) };
        self.count += other.count;
        self.inside += other.inside;
        self.tags += other.tags;
        self.actions += other.actions;
        self.appositions += other.appositions;
        self.places += other.places;
        self.vocatives += other.vocatives;
        self.male += other.male;
        self.female += other.female;
        self.segments.extend(&other.segments);
        self.segments.sort_unstable();
    }

    /// Counts the vote of the pronoun after a mention, if it has a gender.
    pub(super) fn vote(&mut self, pronoun: Option<Gender>) {
        match pronoun {
            Some(Gender::Male) => self.male += 1,
            Some(Gender::Female) => self.female += 1,
            _ => {}
        }
    }
}

/// Collects the candidate names of one segment and what the text shows about them.
pub(super) fn gather(
    tokens: &[Token],
    (segment, narration): (usize, bool),
    surnames: &HashSet<String>,
    evidence: &mut BTreeMap<String, Evidence>,
) {
    for (i, end) in name_runs(tokens, surnames) {
        let e = evidence
            .entry(written(&tokens[i..end]))
            .or_insert_with(|| Evidence { first: segment, ..Evidence::default() });
        e.count += 1;
        e.inside += usize::from(!sentence_initial(tokens, i));
        if narration {
            e.segments.push(segment);
            weigh_narration(tokens, (i, end), e);
        } else {
            e.vocatives += usize::from(vocative(tokens, i, end));
        }
    }
}

/// The names among `tokens`, in order, each as the token range from its first word to its end (see [`name_run`]).
pub(super) fn name_runs<'t>(
    tokens: &'t [Token],
    surnames: &'t HashSet<String>,
) -> impl Iterator<Item = (usize, usize)> + 't {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < tokens.len() {
            if let Some(end) = name_run(tokens, i, surnames) {
                let start = std::mem::replace(&mut i, end);
                return Some((start, end));
            }
            i += 1;
        }
        None
    })
}

/// A name as the roster writes it: its words without a possessive `'s` (`Miss Bartlett's` is `Miss Bartlett`).
pub(super) fn written(name: &[Token]) -> String {
    name.iter().map(|t| t.text.trim_end_matches("'s").trim_end_matches("\u{2019}s")).collect::<Vec<_>>().join(" ")
}

/// Weighs what the narration shows about the mention of a name from token `i` to `end`: the speech tag or the other
/// verb it is the subject of, the apposition or words that bring it in, the place it names, the pronoun after it.
fn weigh_narration(tokens: &[Token], (i, end): (usize, usize), e: &mut Evidence) {
    let word = |j: usize| tokens.get(j).filter(|t| t.is_word()).map(Token::key);
    let possessive = tokens[end - 1].is_possessive();
    let next = word(end);
    let previous = i.checked_sub(1).and_then(word);
    // The verb may come after a short filler (`Cantwell had answered`, `Tom then said`).
    let filler = next.as_deref().is_some_and(is_explicit_filler);
    let verb_at = if filler { end + 1 } else { end };
    let verb_after = !possessive && previous.as_deref() != Some("of") && is_speech_verb_at(tokens, verb_at);
    let verb_before = i.checked_sub(1).is_some_and(|v| is_speech_verb_at(tokens, v));
    e.tags += usize::from(verb_after || verb_before);
    // After a determiner, a name qualifies a noun (`his London apartments`): the word after it is no verb.
    let modifier = title(&tokens[i].key()).is_none()
        && previous
            .as_deref()
            .is_some_and(|w| matches!(w, "his" | "her" | "their" | "my" | "our" | "your" | "its" | "the" | "a" | "an"));
    // A place word after a name makes it a place (`in Onslow gardens`), not a subject.
    let place_word = next.as_deref().is_some_and(|w| PLACE_WORDS.contains(&w));
    // After `of`, a name completes a noun phrase (`the favourite doctor of Carlingford had`): the verb that
    // follows is that phrase's, not the name's.
    let complement = previous.as_deref() == Some("of");
    e.actions += usize::from(
        !possessive && !modifier && !place_word && !complement && next.as_deref().is_some_and(is_action_word),
    );
    e.places += usize::from(place_word || previous.as_deref().is_some_and(is_place_preposition));
    let apposed = apposition(tokens, end);
    // `a man by the name of Ichabod Crane`, `an officer whose name was Blakeney`, `a man named Smith` bring a
    // person into the story, as an apposition does.
    let key_at = |j: Option<usize>| j.and_then(|j| tokens.get(j)).map(Token::key);
    let introduced = (complement && key_at(i.checked_sub(2)).as_deref() == Some("name"))
        || previous.as_deref() == Some("named")
        || (matches!(previous.as_deref(), Some("was" | "is")) && key_at(i.checked_sub(2)).as_deref() == Some("name"));
    e.appositions += usize::from(apposed || introduced || described_before(tokens, (i, end)));
    // A voice that is someone's speaks for them (`replied another voice, which Margaret knew to be that of Mrs.
    // Gibson`, `the voice of Mr. Thornton`).
    let voiced =
        complement && (i.saturating_sub(12)..i).any(|j| matches!(key_at(Some(j)).as_deref(), Some("voice" | "voices")));
    e.tags += usize::from(voiced);
    let described = if apposed { apposition_gender(tokens, end) } else { None };
    e.vote(described.or_else(|| following_pronoun(tokens, end)));
}

/// Common words that the text uses as a surname, after a title and a first name (`good` for `Captain John Good`):
/// they are names wherever the text capitalises them (`said Good`), though word lists say otherwise.
pub(super) fn common_word_surnames(segments: &[Vec<Token>]) -> HashSet<String> {
    let mut out = HashSet::new();
    for tokens in segments {
        for window in tokens.windows(3) {
            let [title_word, first, last] = window else { continue };
            let name_word = |t: &Token| t.is_word() && is_capitalised(t.text);
            if title(&title_word.key()).is_some()
                && name_word(first)
                && !is_not_name(&first.key())
                && name_word(last)
                && is_not_name(&last.key())
                && title(&last.key()).is_none()
                && !last.text.contains('\'')
            {
                out.insert(last.key().into_owned());
            }
        }
    }
    out
}

/// The end of the name that starts at token `i`: an optional title, then up to three capitalised words that can
/// be names (or are among the text's `surnames`).
pub(super) fn name_run(tokens: &[Token], i: usize, surnames: &HashSet<String>) -> Option<usize> {
    let first = tokens[i];
    if !first.is_word() || !is_capitalised(first.text) {
        return None;
    }
    let mut j = i;
    if title(&first.key()).is_some() && tokens.get(i + 1).is_some_and(|t| t.is_word() && is_capitalised(t.text)) {
        j += 1;
    }
    let start = j;
    while j < tokens.len() && j < start + 3 {
        let t = tokens[j];
        if !t.is_word()
            || !is_capitalised(t.text)
            || (is_not_name(&t.key()) && !surnames.contains(t.key().as_ref()))
            || t.text.starts_with("I'")
            || t.text.starts_with("I\u{2019}")
            || t.text.chars().all(|c| c.is_ascii_digit())
        {
            break;
        }
        j += 1;
        if t.is_possessive() {
            break;
        }
    }
    (j > start).then_some(j)
}

/// Whether the name ending before token `end` is followed by appositions and a verb: `Oz, her husband, her
/// friend, held`.
fn apposition(tokens: &[Token], end: usize) -> bool {
    let opens = |j: usize| {
        tokens.get(j).is_some_and(|t| t.text == ",")
            && tokens
                .get(j + 1)
                .is_some_and(|t| matches!(t.key().as_ref(), "her" | "his" | "the" | "a" | "my" | "our" | "their"))
    };
    if !opens(end) {
        return false;
    }
    let rest = &tokens[end + 1..];
    let limit = rest.iter().take(16).position(Token::ends_sentence).unwrap_or(rest.len().min(16));
    (1..limit).any(|k| {
        rest[k].text == ","
            && rest.get(k + 1).is_some_and(|t| t.is_word() && is_action_word(&t.key()) && !opens(end + 1 + k))
    })
}

/// Whether the name from token `i` to `end` is an apposition to the description before it, the verb's subject: `my
/// good friend, Master John Rolfe, was without`. The description brings the person in, as one after a name does.
fn described_before(tokens: &[Token], (i, end): (usize, usize)) -> bool {
    let comma = |j: usize| tokens.get(j).is_some_and(|t| t.text == ",");
    if i < 3 || !comma(i - 1) || !comma(end) {
        return false;
    }
    let verb = tokens.get(end + 1).is_some_and(|t| t.is_word() && is_action_word(&t.key()));
    // Back from the comma: a noun and up to two more lowercase words after a possessive (`my good friend`).
    let description = tokens[..i - 1]
        .iter()
        .rev()
        .take(4)
        .take_while(|t| t.is_word() && !is_capitalised(t.text))
        .position(|t| matches!(t.key().as_ref(), "my" | "his" | "her" | "our" | "their" | "your"));
    verb && description.is_some_and(|p| p >= 1)
}

/// The gender an apposition's nouns show (`Oz, her husband,`).
fn apposition_gender(tokens: &[Token], end: usize) -> Option<Gender> {
    tokens[end..].iter().take_while(|t| !t.ends_sentence()).take(12).find_map(|t| noun_gender(&t.key()))
}

/// The gender of the first third-person pronoun within the next sentence or so after a name, unless another
/// capitalised word comes first.
pub(super) fn following_pronoun(tokens: &[Token], end: usize) -> Option<Gender> {
    let mut sentence_ends = 0;
    for t in tokens.iter().skip(end).take(25) {
        if t.ends_sentence() {
            sentence_ends += 1;
            if sentence_ends > 1 {
                return None;
            }
        }
        if !t.is_word() {
            continue;
        }
        // `her` and `him` are as often someone else, the object of the name's own verb.
        if matches!(t.key().as_ref(), "he" | "his" | "himself" | "she" | "herself") {
            return pronoun_gender(&t.key());
        }
        if is_capitalised(t.text) && !is_not_name(&t.key()) {
            return None;
        }
    }
    None
}

/// Whether the name from token `i` to `end` of a quote is someone addressed: at the quote's start or after a comma,
/// and before a comma or an end mark (`"Henry, don't."`, `"Take care, Aunt Juley."`).
pub(super) fn vocative(tokens: &[Token], i: usize, end: usize) -> bool {
    let before = i == 0 || tokens[i - 1].text == ",";
    let after = tokens.get(end).is_none_or(|t| matches!(t.text, "," | "!" | "?" | "." | ";"));
    before && after && !tokens[end - 1].is_possessive()
}

/// Last words that make a name a place or an institution (`Dover Street`, `Borgo Pass`, `Blodgett College`).
const PLACE_WORDS: &[&str] = &[
    "street",
    "st",
    "road",
    "lane",
    "avenue",
    "drive",
    "square",
    "row",
    "city",
    "town",
    "county",
    "pass",
    "hill",
    "hills",
    "mountain",
    "mountains",
    "river",
    "lake",
    "bay",
    "island",
    "islands",
    "valley",
    "park",
    "bridge",
    "station",
    "college",
    "university",
    "school",
    "society",
    "company",
    "church",
    "abbey",
    "cathedral",
    "hall",
    "channel",
    "ocean",
    "sea",
    "states",
    "landing",
    "survey",
    "office",
    "hotel",
    "inn",
    "gate",
    "gardens",
];

/// Whether a name of several words ends with a word that names a place (`Columbia City`, `Hell Row`).
pub(super) fn is_place_name(name: &str) -> bool {
    let mut words = name.split_whitespace();
    let first = words.next().map(key).unwrap_or_default();
    let last = words.last().map(key);
    title(&first).is_none() && last.is_some_and(|w| PLACE_WORDS.contains(&w.as_ref()))
}
