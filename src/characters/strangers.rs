//! People who speak before the text names them: a relative or a stranger who answers the pronoun tags, passers-by.

use std::collections::HashMap;

use super::descriptions::{PLAIN_PERSONS, without_adverbs};
use super::kin::relation_at;
use super::{Character, Gender};
use crate::attribution::{
    Token, after_aside, ends_description, is_action_word, is_capitalised, is_indefinite_person, key, noun_gender,
    pronoun_gender,
};

/// Counts the pronoun speech tags of one narration segment (`he said`, `said she`) and those of someone's relatives
/// (`his mother had replied`), by gender; the first relative of each gender who tags goes to `relatives` (`His
/// mother`). `verbs` are the positions of the segment's speech verbs.
pub(super) fn count_pronoun_tags(
    tokens: &[Token],
    verbs: &[usize],
    tags: &mut HashMap<Gender, usize>,
    relatives: &mut Vec<(Gender, String)>,
) {
    for &i in verbs {
        let pronoun = |j: usize| {
            tokens.get(j).filter(|t| matches!(t.key().as_ref(), "he" | "she")).and_then(|t| pronoun_gender(&t.key()))
        };
        // A relative of someone in the story tags as well (`his mother had replied`, `said her father`).
        let relative = |j: usize| {
            let owner =
                j.checked_sub(1).and_then(|o| tokens.get(o)).filter(|t| matches!(t.key().as_ref(), "his" | "her"))?;
            let relation = relation_at(tokens, j)?;
            let gender = noun_gender(&relation)?;
            let owner = if owner.key() == "his" { "His" } else { "Her" };
            Some((gender, format!("{owner} {relation}")))
        };
        // `his mother had replied`, `his mother replied`, `said his mother`.
        let relative_tag = i
            .checked_sub(2)
            .and_then(relative)
            .or_else(|| i.checked_sub(1).and_then(relative))
            .or_else(|| relative(i + 2));
        if let Some(gender) = i.checked_sub(1).and_then(pronoun).or_else(|| pronoun(i + 1)) {
            *tags.entry(gender).or_default() += 1;
        } else if let Some((gender, name)) = relative_tag {
            *tags.entry(gender).or_default() += 1;
            if relatives.iter().all(|(g, _)| *g != gender) {
                relatives.push((gender, name));
            }
        }
    }
}

/// Records the first person of each gender the narration brings in with an indefinite article (`a man behind`,
/// `a lady who met his eyes`), by the gender of their noun: `A man`.
pub(super) fn introduce_strangers(tokens: &[Token], strangers: &mut Vec<(Gender, String)>) {
    for (i, token) in tokens.iter().enumerate() {
        if !matches!(token.key().as_ref(), "a" | "an") {
            continue;
        }
        let words = tokens[i + 1..].iter().take_while(|t| t.is_word() && !is_capitalised(t.text)).take(3);
        for word in words {
            let head = word.key();
            if PLAIN_PERSONS.contains(&head.as_ref()) {
                // Only the first of each gender can become a character.
                if let Some(gender) = noun_gender(&head)
                    && strangers.iter().all(|(g, _)| *g != gender)
                {
                    strangers.push((gender, format!("A {head}")));
                }
                break;
            }
            if ends_description(&head) || is_action_word(&head) {
                break;
            }
        }
    }
}

/// Speakers of a gender the roster has nobody of: when pronoun tags give lines to a man (`he said`) and no man is
/// named, the first candidate of that gender is the one speaking: a relative who tags (`his mother had replied`),
/// else the first man the narration brings in (`a man behind`).
pub(super) fn add_strangers(
    tags: &HashMap<Gender, usize>,
    relatives: &[(Gender, String)],
    strangers: &[(Gender, String)],
    characters: &mut Vec<Character>,
) {
    for gender in [Gender::Male, Gender::Female] {
        let tagged = tags.get(&gender).copied().unwrap_or(0);
        if tagged == 0 || characters.iter().any(|c| c.gender == gender) {
            continue;
        }
        if let Some((_, name)) = relatives.iter().chain(strangers).find(|(g, _)| *g == gender) {
            characters.push(Character { name: name.clone(), aliases: Vec::new(), gender, lines: 0 });
        }
    }
}

/// Collects the indefinite descriptions that tag speech in one narration segment (`said a hard-featured dame of
/// fifty,`, `exclaimed a man in the crowd,`, `said another,`, `interposed, more softly, a young wife,`), in the
/// words the text uses, up to the punctuation that ends them, and the indefinite pronouns that do (`somebody
/// exclaimed`, see [`indefinite_speaker`]). `verbs` are the positions of the segment's speech verbs.
pub(super) fn tag_passers_by(tokens: &[Token], verbs: &[usize], passers_by: &mut Vec<String>) {
    for &i in verbs {
        if let Some(form) = indefinite_speaker(tokens, i) {
            if !passers_by.contains(&form) {
                passers_by.push(form);
            }
            continue;
        }
        // An aside may stand between the verb and the speaker (`interposed, more softly, a young wife`).
        let start = after_aside(tokens, i + 1).unwrap_or(i + 1);
        let Some(article) = tokens.get(start).filter(|t| matches!(t.key().as_ref(), "a" | "an" | "another" | "one"))
        else {
            continue;
        };
        let words: Vec<&Token> = tokens[start..].iter().take_while(|t| t.is_word()).take(PASSER_BY_WORDS + 1).collect();
        // A description that runs on is a clause, not a name (`said a porter who had come in late`).
        let runs_on = words.len() > PASSER_BY_WORDS;
        // An adverb after the noun belongs to the tag (`said a man quietly`).
        let words = without_adverbs(&words);
        let lone = words.len() == 1 && article.key() != "another";
        // Someone's own laugh or word is what the verb gives out, not who speaks (`laughed one of his laughs`,
        // `said a little`, `said another word`).
        let object = words.iter().any(|t| matches!(t.key().as_ref(), "his" | "her" | "their" | "its" | "my" | "your"))
            || words.last().is_some_and(|t| NOT_SPEAKERS.contains(&t.key().as_ref()));
        // A voice is someone not yet seen, whom the text most often names next (`replied another voice, which
        // Margaret knew to be that of Mrs. Gibson`).
        let voice = words.iter().any(|t| matches!(t.key().as_ref(), "voice" | "voices"));
        if runs_on || words.is_empty() || lone || object || voice {
            continue;
        }
        let mut form = words.iter().map(|t| t.text).collect::<Vec<_>>().join(" ");
        if let Some(first) = form.get(..1) {
            form.replace_range(..1, &first.to_uppercase());
        }
        if !passers_by.contains(&form) {
            passers_by.push(form);
        }
    }
}

/// The indefinite pronoun that is the subject of the speech verb at `verb`, as a name: `Somebody` for `somebody
/// exclaimed` or `said somebody`, `Someone else` for `asked someone else`.
fn indefinite_speaker(tokens: &[Token], verb: usize) -> Option<String> {
    let key = |j: usize| tokens.get(j).filter(|t| t.is_word()).map(Token::key);
    let someone = |j: usize| key(j).is_some_and(|w| is_indefinite_person(&w));
    let (at, other) = if verb >= 1 && someone(verb - 1) {
        (verb - 1, false)
    } else if verb >= 2 && someone(verb - 2) && key(verb - 1).as_deref() == Some("else") {
        (verb - 2, true)
    } else if someone(verb + 1) {
        (verb + 1, key(verb + 2).as_deref() == Some("else"))
    } else {
        return None;
    };
    let mut name = key(at)?.into_owned();
    name.replace_range(..1, &name[..1].to_uppercase());
    Some(if other { format!("{name} else") } else { name })
}

/// Last words of an indefinite phrase after a speech verb that say how much or what was said, not who said it.
const NOT_SPEAKERS: &[&str] = &["little", "bit", "while", "moment", "minute", "time", "word", "laugh", "thing", "lot"];

/// The most words an indefinite description of a speaker runs to, its article included.
const PASSER_BY_WORDS: usize = 6;

/// Someone the story describes only as they speak (`said a hard-featured dame of fifty`): a character of their own,
/// named by the description, unless it already names one.
pub(super) fn add_passers_by(passers_by: &[String], characters: &mut Vec<Character>) {
    for form in passers_by {
        let known = characters.iter().any(|c| c.names().any(|n| n.eq_ignore_ascii_case(form)));
        if !known {
            // The head noun is the last word before a preposition or a relative word (`a man in the crowd`).
            let head = form.split(' ').skip(1).map(key).take_while(|w| !ends_description(w)).last();
            let gender = head.and_then(|head| noun_gender(&head)).unwrap_or_default();
            characters.push(Character { name: form.clone(), aliases: Vec::new(), gender, lines: 0 });
        }
    }
}
