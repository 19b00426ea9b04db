//! Finding the roster's characters in text: every name and alias, and the first or last name alone when only one
//! character has it.

use std::collections::HashMap;

use super::lexicon;
use super::words::{Token, is_capitalised, key};
use crate::characters::{Gender, Roster};

/// A name the text may use for a character, as lowercase words.
#[derive(Debug, Clone)]
struct Entry {
    words: Vec<String>,
    who: usize,
    /// Names match only capitalised words; descriptions (`the convict`) match in any case.
    capitalised: bool,
    /// A surname that is also a common word (`Good` of `Captain John Good`) is a name only inside a sentence or
    /// as the subject of a verb, so `Good heavens!` names nobody.
    mid_sentence: bool,
}

/// Where a character is named in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mention {
    /// Index of the character in the roster.
    pub who: usize,
    /// First token of the mention.
    pub first: usize,
    /// One past its last token.
    pub last: usize,
}

/// Every way the text names a roster character, looked up by the first word.
#[derive(Debug, Default)]
pub(crate) struct NameIndex {
    by_first_word: HashMap<String, Vec<Entry>>,
    /// Each word of the names, lowercase, and the characters whose names have it.
    owners: HashMap<String, Vec<usize>>,
    genders: Vec<Gender>,
    /// Whether each character is a group that speaks together (`The ladies`).
    groups: Vec<bool>,
    /// Each title noun (`doctor` for `Dr.`) and the characters whose names open with it.
    titled: HashMap<String, Vec<usize>>,
    /// The first-person narrator: a character with the alias `narrator` or `I`.
    pub narrator: Option<usize>,
    /// The narrator's mother and father: the one woman titled `Mrs.` and the one man titled `Mr.` with the
    /// narrator's surname (`Mrs. Markham` for Gilbert Markham).
    parents: [Option<usize>; 2],
}

impl NameIndex {
    /// Indexes the names, aliases and unambiguous name parts of every character.
    pub fn new(roster: &Roster) -> Self {
        let mut index = Self {
            genders: roster.characters.iter().map(|c| c.gender).collect(),
            groups: roster.characters.iter().map(|c| is_group(&c.name)).collect(),
            ..Self::default()
        };
        let mut parts: HashMap<(String, bool), Vec<usize>> = HashMap::new();
        for (who, character) in roster.characters.iter().enumerate() {
            for name in std::iter::once(&character.name).chain(&character.aliases) {
                let lower = name.trim().to_lowercase();
                if lower == "narrator" || lower == "i" || lower == "the narrator" {
                    index.narrator.get_or_insert(who);
                    continue;
                }
                index.add(name, who);
                if let Some(first) = name.split_whitespace().next().map(key)
                    && lexicon::title(&first).is_some()
                    && name.split_whitespace().nth(1).is_some()
                {
                    let holders = index.titled.entry(lexicon::title_noun(&first).to_owned()).or_default();
                    if !holders.contains(&who) {
                        holders.push(who);
                    }
                }
                for part in name_parts(name) {
                    let owners = parts.entry(part).or_default();
                    if !owners.contains(&who) {
                        owners.push(who);
                    }
                }
            }
        }
        for ((part, common), owners) in parts {
            // A part is another character's whole name (`Amory` in `Beatrice Amory Blaine`, beside `Amory`): it
            // stays that character's.
            let words = vec![key(&part).into_owned()];
            let named = index.by_first_word.get(&words[0]).is_some_and(|e| e.iter().any(|e| e.words == words));
            if let [who] = owners[..]
                && !named
            {
                index.insert(&part, who, common);
            }
        }
        index.parents = index.narrator.map_or([None, None], |narrator| {
            [("mrs", Gender::Female), ("mr", Gender::Male)]
                .map(|(title, gender)| parent(roster, narrator, title, gender))
        });
        for entries in index.by_first_word.values_mut() {
            // Longest names first, so `Mr. Bennet` wins over `Mr.`; ties by character for determinism.
            entries.sort_by(|a, b| b.words.len().cmp(&a.words.len()).then(a.who.cmp(&b.who)));
            entries.dedup_by(|a, b| a.words == b.words && a.who == b.who);
        }
        index
    }

    fn add(&mut self, name: &str, who: usize) {
        self.insert(name, who, false);
    }

    fn insert(&mut self, name: &str, who: usize, mid_sentence: bool) {
        let words: Vec<String> =
            super::words::tokens(name, 0).iter().filter(|t| t.is_word()).map(|t| key(t.text).into_owned()).collect();
        for word in words.iter().filter(|w| w.len() > 2 && !lexicon::is_determiner(w) && !lexicon::is_not_name(w)) {
            let owners = self.owners.entry(word.clone()).or_default();
            if !owners.contains(&who) {
                owners.push(who);
            }
        }
        let Some(first) = words.first().cloned() else { return };
        // A description (`the convict`) or an indefinite pronoun (`Somebody else`) matches in any case.
        let capitalised = name.split_whitespace().all(is_capitalised)
            && !lexicon::is_determiner(&first)
            && !lexicon::is_indefinite_person(&first);
        let entry = Entry { words, who, capitalised, mid_sentence };
        let entries = self.by_first_word.entry(first).or_default();
        if !entries.iter().any(|e| e.words == entry.words && e.who == who) {
            entries.push(entry);
        }
    }

    /// The character named at token `i`, if any: the longest name that matches there.
    pub fn at(&self, tokens: &[Token], i: usize) -> Option<Mention> {
        let token = tokens.get(i)?;
        if !token.is_word() {
            return None;
        }
        let entries = self.by_first_word.get(token.key().as_ref())?;
        // At a sentence's start, a common word is a name only as the subject of a verb (`Good beamed`).
        let opens_sentence = || {
            i.checked_sub(1).is_none_or(|j| !tokens[j].is_word() && tokens[j].text != ",")
                && !tokens.get(i + 1).is_some_and(|t| {
                    t.is_word() && !is_capitalised(t.text) && lexicon::is_past_or_common_verb(&t.key())
                })
        };
        entries
            .iter()
            .filter(|entry| !entry.mid_sentence || !opens_sentence())
            .find_map(|entry| {
                let mut j = i;
                for (n, word) in entry.words.iter().enumerate() {
                    let t = tokens.get(j)?;
                    if !t.is_word()
                        || t.key() != *word
                        || (entry.capitalised && !is_capitalised(t.text) && !shouted(t.text))
                    {
                        return None;
                    }
                    // Only the last word of a name may carry a possessive `'s`.
                    if n + 1 < entry.words.len() && t.is_possessive() {
                        return None;
                    }
                    j += 1;
                }
                Some(Mention { who: entry.who, first: i, last: j })
            })
            .filter(|m| !self.titled_otherwise(tokens, m))
    }

    /// Whether a title of the other gender stands right before the mention (`Mrs. Kronborg` is not Mr. Kronborg
    /// when only he is known as `Kronborg`).
    fn titled_otherwise(&self, tokens: &[Token], m: &Mention) -> bool {
        let Some(before) = m.first.checked_sub(1).map(|i| &tokens[i]) else { return false };
        let gender = self.genders[m.who];
        before.is_word()
            && gender != Gender::Unknown
            && lexicon::title(&before.key()).is_some_and(|g| g != Gender::Unknown && g != gender)
    }

    /// Every mention in `tokens`, in order, not overlapping.
    pub fn all(&self, tokens: &[Token]) -> Vec<Mention> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            if let Some(m) = self.at(tokens, i) {
                out.push(m);
                i = m.last;
            } else {
                i += 1;
            }
        }
        out
    }

    /// The narrator's parent of `gender` (see [`NameIndex::parents`]).
    pub fn narrators_parent(&self, gender: Gender) -> Option<usize> {
        match gender {
            Gender::Female => self.parents[0],
            Gender::Male => self.parents[1],
            Gender::Unknown => None,
        }
    }

    /// The characters a quote calls by their title alone (`"Good-evening, doctor."` to Dr. Archie, `"Uncle!"`): a
    /// title noun standing on its own between punctuation, held by one character's name. The titles anyone may
    /// be called (`sir`, `miss`), and those two people call each other (`sister`, `cousin`), name nobody.
    pub fn called_by_title(&self, tokens: &[Token]) -> Vec<Mention> {
        let generic = |noun: &str| {
            matches!(
                noun,
                "mister" | "sir" | "miss" | "mrs" | "ms" | "master" | "lady" | "lord" | "sister" | "brother" | "cousin"
            )
        };
        let stop = |t: Option<&Token>| t.is_none_or(|t| !t.is_word());
        (0..tokens.len())
            .filter(|&i| tokens[i].is_word() && (i == 0 || stop(tokens.get(i - 1))) && stop(tokens.get(i + 1)))
            .filter_map(|i| {
                let noun = lexicon::title_noun(&tokens[i].key()).to_owned();
                match self.titled.get(&noun).map(Vec::as_slice) {
                    Some(&[who]) if !generic(&noun) => Some(Mention { who, first: i, last: i + 1 }),
                    _ => None,
                }
            })
            .collect()
    }

    /// The one character whose names contain `word` (lowercase), as `parson` in `Parson Tringham`.
    /// The one character whose name opens with the title a description uses (`the doctor` for `Dr. Archie`).
    pub fn owner_of_word(&self, word: &str) -> Option<usize> {
        match self.owners.get(word).map(Vec::as_slice) {
            Some(&[who]) => Some(who),
            _ => match self.titled.get(lexicon::title_noun(word)).map(Vec::as_slice) {
                Some(&[who]) => Some(who),
                _ => None,
            },
        }
    }

    /// A character's gender.
    pub fn gender(&self, who: usize) -> Gender {
        self.genders.get(who).copied().unwrap_or_default()
    }

    /// Whether a character is a group that speaks together (`The ladies`): only a tag or a beat gives them lines,
    /// never a guess.
    pub fn is_group(&self, who: usize) -> bool {
        self.groups.get(who).copied().unwrap_or_default()
    }
}

/// A name in capitals, as a shout or a heading writes it (`"TOMMY, old thing!"`): three letters at least, so an
/// initialism or `I` is not taken for a name.
fn shouted(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 3 && letters.iter().all(|c| c.is_uppercase())
}

/// The one character of `gender` named `title` and the narrator's surname, other than the narrator.
fn parent(roster: &Roster, narrator: usize, title: &str, gender: Gender) -> Option<usize> {
    // A one-word name (`Pip`) has no surname to share.
    let surname = match roster.characters[narrator].name.split_whitespace().collect::<Vec<_>>()[..] {
        [_, .., last] => key(last),
        _ => return None,
    };
    let mut found = roster.characters.iter().enumerate().filter(|&(who, c)| {
        let words: Vec<String> = c.name.split_whitespace().map(|w| key(w).into_owned()).collect();
        who != narrator
            && (c.gender == gender || c.gender == Gender::Unknown)
            && words.len() == 2
            && words[0] == title
            && words[1] == surname
    });
    let (who, _) = found.next()?;
    found.next().is_none().then_some(who)
}

/// The capitalised parts of a multi-word name that can stand alone: `Emma Woodhouse` gives `Emma` and
/// `Woodhouse`; titles are left out (`Mr. Bennet` gives `Bennet`). A last part that is also a common word
/// (`Captain John Good`) comes with `true`: it names the character only inside a sentence.
fn name_parts(name: &str) -> Vec<(String, bool)> {
    let words: Vec<&str> = name.split_whitespace().map(|w| w.trim_end_matches(['.', ','])).collect();
    if words.len() < 2 {
        return Vec::new();
    }
    let proper = words.iter().all(|w| is_capitalised(w));
    words
        .iter()
        .enumerate()
        .filter(|(_, w)| w.chars().count() > 1 && is_capitalised(w))
        .filter_map(|(n, w)| {
            let word = key(w);
            let common = lexicon::is_not_name(&word);
            let surname = proper && n + 1 == words.len() && lexicon::title(&word).is_none();
            (!common || surname).then(|| ((*w).to_owned(), common))
        })
        .collect()
}

/// Whether a name is a group's, a description with a plural head noun of people (`The ladies`, `The other girls`).
fn is_group(name: &str) -> bool {
    let mut words = name.split_whitespace().map(key);
    words.next().is_some_and(|w| w == "the") && words.next_back().is_some_and(|w| lexicon::is_group_noun(&w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::words::tokens;
    use crate::characters::Character;

    fn roster(names: &[(&str, &[&str])]) -> Roster {
        Roster {
            characters: names
                .iter()
                .map(|(n, a)| Character {
                    name: (*n).to_owned(),
                    aliases: a.iter().map(|s| (*s).to_owned()).collect(),
                    gender: Gender::Unknown,
                    lines: 0,
                })
                .collect(),
        }
    }

    #[test]
    fn names_aliases_and_unique_parts_are_found() {
        let index = NameIndex::new(&roster(&[
            ("Mr. Bennet", &[]),
            ("Emma Woodhouse", &["Miss Woodhouse"]),
            ("convict", &["The man"]),
        ]));
        let text = "Bennet saw Emma. Mr. Bennet's hat. Miss Woodhouse and the man left.";
        let t = tokens(text, 0);
        let found: Vec<usize> = index.all(&t).iter().map(|m| m.who).collect();
        assert_eq!(found, [0, 1, 0, 1, 2]);
    }

    #[test]
    fn a_part_of_a_name_that_is_another_characters_name_is_that_character() {
        let index = NameIndex::new(&roster(&[("Beatrice Amory Blaine", &[]), ("Amory", &[])]));
        let found = |text: &str| index.at(&tokens(text, 0), 0).map(|m| m.who);
        assert_eq!(found("Amory"), Some(1));
        assert_eq!(found("Beatrice"), Some(0));
    }

    #[test]
    fn a_name_in_capitals_is_found_but_not_a_short_word_in_capitals() {
        let index = NameIndex::new(&roster(&[("Tommy", &[]), ("Al", &[])]));
        let found = |text: &str| index.all(&tokens(text, 0)).iter().map(|m| m.who).collect::<Vec<_>>();
        assert_eq!(found("TOMMY, old thing!"), [0]);
        assert_eq!(found("AL said so. tommy"), Vec::<usize>::new());
    }

    #[test]
    fn a_title_of_the_other_gender_before_a_name_is_someone_else() {
        let mut roster = roster(&[("Mr. Kronborg", &["Kronborg"])]);
        roster.characters[0].gender = Gender::Male;
        let index = NameIndex::new(&roster);
        let found = |text: &str| index.all(&tokens(text, 0)).len();
        assert_eq!(found("Mrs. Kronborg will need you."), 0);
        assert_eq!(found("Kronborg coughed. Mr. Kronborg sat."), 2);
    }

    #[test]
    fn a_shared_last_name_is_not_a_name_on_its_own() {
        let index = NameIndex::new(&roster(&[("Mr. Bennet", &[]), ("Mrs. Bennet", &[])]));
        let t = tokens("Bennet came. Mrs. Bennet sat.", 0);
        let found: Vec<usize> = index.all(&t).iter().map(|m| m.who).collect();
        assert_eq!(found, [1]);
    }

    #[test]
    fn a_surname_that_is_a_common_word_names_only_inside_a_sentence() {
        let index = NameIndex::new(&roster(&[("Captain John Good", &[])]));
        let found = |text: &str| index.all(&tokens(text, 0)).len();
        assert_eq!(found("Don't know the place, said Good."), 1);
        assert_eq!(found("How very odd, eh, Good?"), 1);
        assert_eq!(found("Good heavens! Good."), 0);
        assert_eq!(found("Good beamed at me."), 1);
    }

    #[test]
    fn the_narrator_alias_marks_the_first_person_narrator() {
        let index = NameIndex::new(&roster(&[("Ann", &[]), ("Pip", &["narrator"])]));
        assert_eq!(index.narrator, Some(1));
    }
}
