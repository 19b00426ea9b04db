//! A first-person narrator's relatives: the ones who speak, and the names the narration gives them.

use std::collections::{BTreeMap, HashSet};

use super::names::name_run;
use super::{Character, Gender, NARRATOR};
use crate::attribution::{Token, is_capitalised, is_not_name, noun_gender, pronoun_gender, title};

/// Nouns of kinship: `the mother` is someone's mother, most often a character the story names.
pub(super) const RELATIONS: &[&str] = &[
    "mother",
    "father",
    "son",
    "daughter",
    "wife",
    "husband",
    "brother",
    "sister",
    "uncle",
    "aunt",
    "cousin",
    "nephew",
    "niece",
    "grandmother",
    "grandfather",
    "child",
    "baby",
];

/// The noun of kinship at token `j`, if there is one there (`mother`).
pub(super) fn relation_at(tokens: &[Token], j: usize) -> Option<String> {
    tokens.get(j).map(Token::key).filter(|w| RELATIONS.contains(&w.as_ref())).map(std::borrow::Cow::into_owned)
}

/// Counts the narrator's relatives who tag speech in one narration segment (`said my father`, `my aunt asked`),
/// by relation. `verbs` are the positions of the segment's speech verbs.
pub(super) fn count_kin_tags(tokens: &[Token], verbs: &[usize], kin: &mut BTreeMap<String, usize>) {
    let my = |j: usize| tokens.get(j).is_some_and(|t| t.key() == "my");
    for &i in verbs {
        let after = relation_at(tokens, i + 2).filter(|_| my(i + 1));
        let before = i.checked_sub(2).and_then(|j| relation_at(tokens, j + 1).filter(|_| my(j)));
        if let Some(relation) = after.or(before) {
            *kin.entry(relation).or_default() += 1;
        }
    }
}

/// Finds the narrator's relatives the narration names (`my brother Robert`, or `my mother … Her name was
/// Duchess.` in the next sentence), by relation.
pub(super) fn name_kin(tokens: &[Token], surnames: &HashSet<String>, names: &mut BTreeMap<String, String>) {
    for window in tokens.windows(3) {
        let [my, relation, name] = window else { continue };
        if my.key() == "my"
            && RELATIONS.contains(&relation.key().as_ref())
            && name.is_word()
            && is_capitalised(name.text)
            && !is_not_name(&name.key())
        {
            names.entry(relation.key().into_owned()).or_insert_with(|| name.text.trim_end_matches("'s").to_owned());
        }
    }
    // The relative the last sentence or the one before speaks of, with the sentence it is in.
    let mut last: Option<(String, usize)> = None;
    let mut sentence = 0;
    for (i, token) in tokens.iter().enumerate() {
        sentence += usize::from(token.ends_sentence());
        let relation = relation_at(tokens, i + 1);
        if token.key() == "my"
            && let Some(relation) = relation
        {
            last = Some((relation, sentence));
        }
        let Some((relation, at)) = &last else { continue };
        if sentence > at + 1 {
            continue;
        }
        if let Some(name) = introduced_name(tokens, i, surnames)
            && pronoun_gender(&token.key()).is_some_and(|g| noun_gender(relation).is_none_or(|n| n == g))
        {
            names.entry(relation.clone()).or_insert(name);
        }
    }
}

/// The name `Her name was Duchess` gives, when token `i` opens those words: after them, a name, or a single
/// capitalised word that is a title elsewhere (`Duchess`, `Major`).
fn introduced_name(tokens: &[Token], i: usize, surnames: &HashSet<String>) -> Option<String> {
    let word = |j: usize| tokens.get(j).filter(|t| t.is_word()).map(Token::key);
    let opens = matches!(word(i).as_deref(), Some("her" | "his"))
        && word(i + 1).as_deref() == Some("name")
        && matches!(word(i + 2).as_deref(), Some("was" | "is"));
    if !opens {
        return None;
    }
    let first = tokens.get(i + 3).filter(|t| t.is_word() && is_capitalised(t.text))?;
    match name_run(tokens, i + 3, surnames) {
        Some(end) => Some(tokens[i + 3..end].iter().map(|t| t.text).collect::<Vec<_>>().join(" ")),
        None => title(&first.key()).is_some().then(|| first.text.to_owned()),
    }
}

/// Adds the narrator of a first-person story, `Narrator` with the alias `I`, after the relatives who speak (see
/// [`kin`]).
pub(super) fn add_narrator(
    tags: &BTreeMap<String, usize>,
    names: &BTreeMap<String, String>,
    characters: &mut Vec<Character>,
) {
    kin(tags, names, characters);
    characters.push(Character {
        name: NARRATOR.to_owned(),
        aliases: vec!["I".to_owned()],
        gender: Gender::Unknown,
        lines: 0,
    });
}

/// The narrator's relatives who speak, in a first-person story. One the narration names (`my brother Robert`) is
/// that character, `my brother` becoming an alias; one it never names who tags speech twice (`said my father`) is a
/// character of their own (a relative of the narrator's is rarely named later the way `the mother` is).
fn kin(tags: &BTreeMap<String, usize>, names: &BTreeMap<String, String>, characters: &mut Vec<Character>) {
    for (relation, &count) in tags {
        let alias = format!("my {relation}");
        let relative =
            names.get(relation).and_then(|name| characters.iter_mut().find(|c| c.names().any(|n| n == name)));
        if let Some(character) = relative {
            character.aliases.push(alias);
        } else if let Some(name) = names.get(relation) {
            // A relative the narration names but who neither acts nor speaks under that name: the tags give the
            // name its lines (`said my mother` for Duchess).
            characters.push(Character {
                name: name.clone(),
                aliases: vec![alias],
                gender: noun_gender(relation).unwrap_or_default(),
                lines: 0,
            });
        } else if count >= 2 {
            characters.push(Character {
                name: format!("My {relation}"),
                aliases: Vec::new(),
                gender: noun_gender(relation).unwrap_or_default(),
                lines: 0,
            });
        }
    }
}
