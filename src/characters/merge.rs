//! Which candidate names are characters, and which names are the same character.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::gender::{has_pet_forms, is_pet_name, name_gender};
use super::names::{Evidence, is_place_name, name_runs, vocative, written};
use super::{Character, Clues, Gender};
use crate::attribution::{Token, is_not_name, is_sentence_opener, is_speech_verb_at, key, title};
use crate::script::{Segment, SegmentKind};

/// Folds a run like `Finally Tom` into `Tom`: a capitalised word that opens every sentence the run is seen in, and
/// that the text also writes in lowercase, is an adverb or adjective that the sentence start capitalised.
pub(super) fn fold_openers(evidence: &mut BTreeMap<String, Evidence>, lowercase: &HashMap<String, usize>) {
    let folded: Vec<(String, String)> = evidence
        .iter()
        .filter_map(|(name, e)| {
            let (first, rest) = name.split_once(' ')?;
            let opener = e.inside == 0
                && title(&key(first)).is_none()
                && (lowercase.contains_key(&first.to_lowercase())
                    || key(first).ends_with("ly")
                    || is_sentence_opener(&key(first)))
                && rest.split_whitespace().all(|w| !is_not_name(&key(w)));
            opener.then(|| (name.clone(), rest.to_owned()))
        })
        .collect();
    for (name, rest) in folded {
        if let Some(e) = evidence.remove(&name) {
            evidence.entry(rest).or_default().absorb(&e);
        }
    }
}

/// Words used to address people that are not their names (`"Yes, Ma."`, `"Come, Boys!"`).
const ADDRESS_WORDS: &[&str] = &[
    "ma",
    "pa",
    "mamma",
    "mama",
    "papa",
    "mammy",
    "mum",
    "mummy",
    "dad",
    "daddy",
    "granny",
    "grandma",
    "grandpa",
    "boys",
    "girls",
    "men",
    "gentlemen",
    "ladies",
    "friends",
    "children",
    "lads",
    "fellows",
    "darling",
    "dearest",
    "honey",
    "love",
];

/// Whether a candidate name speaks or acts enough to be a character. A name the quotes address at least twice, or
/// once for a common given name, is one even when the narration never shows it (`"What's up, Jim?"`): whoever is
/// addressed often answers.
pub(super) fn is_character(name: &str, e: &Evidence, clues: &Clues) -> bool {
    let lowercase = &clues.lowercase;
    // A lowercase part after a hyphen makes a greeting or a number, not a name (`Good-evening`, `Seventy-nine`).
    let hyphenated_word =
        name.split_whitespace().any(|w| w.split('-').skip(1).any(|part| part.starts_with(char::is_lowercase)));
    if hyphenated_word {
        return false;
    }
    let acts = e.tags + e.actions + e.appositions;
    // Once is enough for a common given name (`"Am I right, Jack?"`): other capitalised words a quote sets off
    // with commas are most often exclamations (`"Excellent, Watson!"`).
    let given = !name.contains(' ') && name_gender(name).is_some();
    if acts == 0 && (e.vocatives >= 2 || (e.vocatives == 1 && given)) && e.places < e.vocatives && !is_place_name(name)
    {
        let never_lowercase = !lowercase.contains_key(&name.to_lowercase());
        // `Yes'm` is a contraction, not a name.
        let letters = name.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '-'));
        return never_lowercase && letters && !ADDRESS_WORDS.contains(&key(name).as_ref());
    }
    if acts == 0 || e.places > acts || is_place_name(name) {
        return false;
    }
    // Several capitalised words, or a title and a name, are a name wherever they stand.
    if name.contains(' ') {
        return true;
    }
    let in_lowercase = lowercase.get(&name.to_lowercase()).copied().unwrap_or(0);
    if in_lowercase > e.inside {
        return false;
    }
    // One verb alone makes a single unknown word no person: the words that pass for it are places, peoples and
    // adjectives (`Chicago brokers`, `Italian painters`, `Vienna lay`). A person also speaks, is set off, called, or
    // followed by `he` or `she`, or has a given name, or a longer name the text uses holds the word (`Gabriel Oak`).
    let one_verb_only = e.tags == 0 && e.appositions == 0 && e.vocatives == 0 && e.actions == 1;
    let part_of_a_name = || clues.candidates.keys().any(|n| n.contains(' ') && n.split(' ').any(|w| w == name));
    if one_verb_only && e.male + e.female == 0 && name_gender(name).is_none() && !part_of_a_name() {
        return false;
    }
    e.inside > 0 || ((e.tags > 0 || e.appositions > 0 || e.actions > 1) && in_lowercase == 0)
}

/// Groups accepted names that are the same person, most mentioned group first.
pub(super) fn merge(
    accepted: &[(&String, &Evidence)],
    all: &BTreeMap<String, Evidence>,
    surnames: &HashSet<String>,
) -> Vec<Character> {
    let mut groups = group(accepted, all);
    join_parts(&mut groups, all);
    join_full_names(&mut groups, all);
    join_word_surnames(&mut groups, all, surnames);
    let mut characters: Vec<(usize, Character)> =
        groups.into_iter().map(|group| character_of(group, all, surnames)).collect();
    characters.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.name.cmp(&b.1.name)));
    characters.into_iter().map(|(_, c)| c).collect()
}

/// Puts each accepted name in the one group whose first name it is a part, short or titled form of, else in a group
/// of its own. Each group's first name is the one later names merge into.
fn group(accepted: &[(&String, &Evidence)], all: &BTreeMap<String, Evidence>) -> Vec<Vec<String>> {
    let mut groups: Vec<Vec<String>> = Vec::new();
    // Longer names first, and a titled name before the same name bare: they are the ones shorter names merge into.
    let mut ordered: Vec<&String> = accepted.iter().map(|(n, _)| *n).collect();
    ordered.sort_by(|a, b| {
        untitled_words(b).len().cmp(&untitled_words(a).len()).then(has_title(b).cmp(&has_title(a))).then(a.cmp(b))
    });
    for &name in &ordered {
        let parts = untitled_words(name);
        let titled = parts.len() < name.split_whitespace().count();
        let homes: Vec<usize> = (0..groups.len())
            .filter(|&g| {
                let head = &groups[g][0];
                let head_parts = untitled_words(head);
                let same_title = titled && name.split_whitespace().next() == head.split_whitespace().next();
                let shares = if parts.len() == 1 && !titled {
                    (head_parts.len() > 1 && (head_parts.first() == parts.first() || head_parts.last() == parts.last()))
                        || (head_parts == parts && has_title(head))
                        || short_form(&parts[0], head)
                        || short_form(head, name)
                } else if same_title
                    && head_parts.len() > parts.len()
                    && (head_parts.last() == parts.last() || takes_given_name(name))
                {
                    // `Dr. Archie` joins `Dr. Howard Archie`; `Sir Henry` joins `Sir Henry Curtis`, but `Miss
                    // Jemima` is not `Miss Jemima Pinkerton` when her sister is `Miss Pinkerton`.
                    subsequence(&parts, &head_parts)
                } else if parts.len() == 1 {
                    // `Miss Woodhouse` joins `Emma Woodhouse`, not `Mr. Woodhouse`; a full name that both `Mr. Pett`
                    // and `Mrs. Pett` could be (`Nesta Ford Pett`) is neither's.
                    head_parts.len() > 1
                        && head_parts.last() == parts.last()
                        && !head.contains('.')
                        && (gender_of(all, head) != Gender::Unknown || !titled_apart(name, &ordered, all))
                } else {
                    false
                };
                // Every name of the group must fit: `Mr. Pett` does not join `Mrs. Pett` through `Nesta Pett`.
                shares && groups[g].iter().all(|n| compatible(gender_of(all, name), gender_of(all, n)))
            })
            .collect();
        // A pet name (`Jack`) joins the one group whose given name it stands for (`John Reed`); when it could
        // stand for several, it is someone of its own.
        let pet_homes = || -> Vec<usize> {
            if titled || parts.len() != 1 || !has_pet_forms(&key(&parts[0])) {
                return Vec::new();
            }
            (0..groups.len())
                .filter(|&g| {
                    pet_of(name, &groups[g][0])
                        && groups[g].iter().all(|n| compatible(gender_of(all, name), gender_of(all, n)))
                })
                .collect()
        };
        match homes[..] {
            [home] => groups[home].push(name.clone()),
            [] => match pet_homes()[..] {
                [home] => groups[home].push(name.clone()),
                _ => groups.push(vec![name.clone()]),
            },
            _ => {} // a part shared by several people (`Bennet`) is nobody's alias
        }
    }
    groups
}

/// Whether a titled name has a title that goes before a given name alone (`Sir Henry`, `Lady Bridget`), which leaves
/// the surname out, where other titles take the surname.
fn takes_given_name(name: &str) -> bool {
    name.split_whitespace().next().is_some_and(|t| matches!(key(t).as_ref(), "sir" | "lady" | "lord" | "dame"))
}

/// Whether another of `names` has the same surname as the titled `name` and a title of another gender: `Mrs. Pett`
/// for `Mr. Pett`.
fn titled_apart(name: &str, names: &[&String], all: &BTreeMap<String, Evidence>) -> bool {
    let surname = name.split_whitespace().last();
    names.iter().any(|other| {
        has_title(other)
            && untitled_words(other).len() == 1
            && other.split_whitespace().last() == surname
            && !compatible(gender_of(all, name), gender_of(all, other))
    })
}

/// Names the text uses without enough evidence of their own join the one character they name: a first or last
/// name (`Bennet` → `Mr. Bennet`) or a short form (`Wil` → `Willow`).
fn join_parts(groups: &mut [Vec<String>], all: &BTreeMap<String, Evidence>) {
    // Each name of each group with its untitled words, worked out once: the loop below runs over every name the
    // text uses.
    let mut names: Vec<Vec<(String, Vec<String>)>> =
        groups.iter().map(|g| g.iter().map(|n| (n.clone(), untitled_words(n))).collect()).collect();
    let grouped: HashSet<String> = groups.iter().flatten().cloned().collect();
    for short in all.keys() {
        if short.contains(' ') || short.chars().count() < 3 || grouped.contains(short) {
            continue;
        }
        let part_of = |n: &String, parts: &[String]| {
            n.contains(' ') && (parts.first() == Some(short) || parts.last() == Some(short))
        };
        let begins = |n: &String| {
            n.len() > short.len() && n.split_whitespace().next().is_some_and(|f| f.starts_with(short.as_str()))
        };
        let mut homes = (0..names.len()).filter(|&g| names[g].iter().any(|(n, parts)| part_of(n, parts) || begins(n)));
        if let (Some(home), None) = (homes.next(), homes.next()) {
            groups[home].push(short.clone());
            names[home].push((short.clone(), untitled_words(short)));
        }
    }
}

/// A full name the text uses joins the characters of its first and its last name (`Gabriel Oak` joins `Gabriel` and
/// `Oak`), or the one character named by its last name alone when no titled name of that family could be someone
/// else (`Ichabod Crane` joins `Crane`).
fn join_full_names(groups: &mut Vec<Vec<String>>, all: &BTreeMap<String, Evidence>) {
    for full in all.keys() {
        let parts: Vec<&str> = full.split_whitespace().collect();
        let [first, last] = parts[..] else { continue };
        if title(&key(first)).is_some() {
            continue;
        }
        let group_of = |n: &str| groups.iter().position(|g| g.iter().any(|m| m == n));
        if let (Some(a), Some(b)) = (group_of(first), group_of(last))
            && a != b
            && compatible(gender_of(all, &groups[a][0]), gender_of(all, &groups[b][0]))
        {
            let moved = groups.remove(b);
            let a = if b < a { a - 1 } else { a };
            groups[a].extend(moved);
        } else if let (None, Some(b)) = (group_of(full), group_of(last))
            && group_of(first).is_none()
            && groups[b].iter().all(|n| !has_title(n) && compatible(gender_of(all, full), gender_of(all, n)))
        {
            groups[b].push(full.clone());
        }
    }
}

/// A titled full name whose surname is a common word joins the one character of that surname, and names it:
/// `Captain John Good` joins `Good`, a name that reads as a word.
fn join_word_surnames(groups: &mut [Vec<String>], all: &BTreeMap<String, Evidence>, surnames: &HashSet<String>) {
    for full in all.keys() {
        let parts: Vec<&str> = full.split_whitespace().collect();
        let [first, _, last] = parts[..] else { continue };
        if title(&key(first)).is_none() || !surnames.contains(key(last).as_ref()) {
            continue;
        }
        let homes: Vec<usize> = (0..groups.len()).filter(|&g| groups[g].iter().any(|n| n == last)).collect();
        if let [home] = homes[..]
            && !groups[home].contains(full)
        {
            groups[home].insert(0, full.clone());
        }
    }
}

/// A name's words without its title (`Howard Archie` for `Dr. Howard Archie`).
fn untitled_words(name: &str) -> Vec<String> {
    name.split_whitespace().filter(|w| title(&key(w)).is_none()).map(str::to_owned).collect()
}

/// Whether a name has a title (`Dr.`, `Miss`).
fn has_title(name: &str) -> bool {
    untitled_words(name).len() < name.split_whitespace().count()
}

/// The gender the text shows for a name.
fn gender_of(all: &BTreeMap<String, Evidence>, name: &str) -> Gender {
    all.get(name).map_or(Gender::Unknown, |e| e.gender(name))
}

/// Whether two genders can be one person's: equal, or one of them unknown.
fn compatible(a: Gender, b: Gender) -> bool {
    a == b || a == Gender::Unknown || b == Gender::Unknown
}

/// Whether a single name is a short form of a single-word name (`Sid` for `Sidney`).
fn short_form(short: &str, name: &str) -> bool {
    !name.contains(' ') && short.chars().count() >= 3 && name.len() > short.len() && name.starts_with(short)
}

/// Whether one of two names is a single word that is a pet form of the other's given name: `Jack` of `John Reed`,
/// `Meg` of `Margaret`, either way round.
fn pet_of(name: &str, other: &str) -> bool {
    let (a, b) = (untitled_words(name), untitled_words(other));
    let pet = |pet: &[String], of: &[String]| {
        pet.len() == 1 && of.first().is_some_and(|g| is_pet_name(&key(&pet[0]), &key(g)))
    };
    pet(&a, &b) || pet(&b, &a)
}

/// Whether every word of `part` appears in `whole`, in order.
fn subsequence(part: &[String], whole: &[String]) -> bool {
    let mut rest = whole.iter();
    part.iter().all(|p| rest.any(|w| w == p))
}

/// The character a group of names stands for, with the group's number of mentions: named by its most mentioned
/// name, its gender from a gendered title, else a first name and the pronouns.
fn character_of(
    group: Vec<String>,
    all: &BTreeMap<String, Evidence>,
    surnames: &HashSet<String>,
) -> (usize, Character) {
    let count = |n: &String| all.get(n).map_or(0, |e| e.count);
    let total: usize = group.iter().map(count).sum();
    let mut name = group
        .iter()
        .max_by(|a, b| count(a).cmp(&count(b)).then(b.len().cmp(&a.len()).reverse()))
        .cloned()
        .unwrap_or_default();
    // A surname that is a common word (`Good`) reads badly as a name of its own: the longest name says who it is.
    if surnames.contains(key(&name).as_ref())
        && let Some(longest) = group.iter().max_by_key(|n| n.split_whitespace().count())
    {
        name.clone_from(longest);
    }
    let mut votes = Evidence::default();
    let mut titled = Gender::Unknown;
    for n in &group {
        if let Some(e) = all.get(n) {
            votes.male += e.male;
            votes.female += e.female;
            if e.gender(n) != Gender::Unknown
                && title(&n.split_whitespace().next().map(key).unwrap_or_default()).is_some()
            {
                titled = e.gender(n);
            }
        }
    }
    let given = group.iter().find_map(|n| name_gender(n));
    let gender = if titled == Gender::Unknown { votes.weighed(given) } else { titled };
    let mut aliases: Vec<String> = group.into_iter().filter(|n| *n != name).collect();
    // `Master` is how others address someone (`Master Philip`, `my good friend, Master John Rolfe`), not part of
    // the name the story knows them by: the name goes without it, the form with it stays an alias.
    if let Some((first, rest)) = name.split_once(' ')
        && key(first) == "master"
    {
        let rest = rest.to_owned();
        aliases.retain(|n| *n != rest);
        aliases.push(std::mem::replace(&mut name, rest));
    }
    (total, Character { name, aliases, gender, lines: 0 })
}

/// A given name the narration never uses, only quotes that call someone by it (`"Charlotte, you mustn't spoil
/// me"`), joins the one character known only by a title and surname (`Miss Bartlett`) whom a named tag shows
/// speaking just before those quotes, in their paragraph or the one before (`"…," said Miss Bartlett.`): the
/// answer calls the speaker by the given name the narration leaves out.
pub(super) fn join_called_given_names(
    characters: &mut Vec<Character>,
    all: &BTreeMap<String, Evidence>,
    segments: &[Segment],
    tokenised: &[Vec<Token>],
    surnames: &HashSet<String>,
) {
    let mut i = 0;
    while i < characters.len() {
        let given = &characters[i];
        let lone = given.aliases.is_empty() && !given.name.contains(' ');
        let unnarrated = || all.get(&given.name).is_some_and(|e| e.segments.is_empty() && e.vocatives > 0);
        let Some(gender) = name_gender(&given.name).filter(|_| lone && unnarrated()) else {
            i += 1;
            continue;
        };
        // Those known only by a title of a fitting gender and a surname, who could have this given name.
        let titled: Vec<usize> = (0..characters.len())
            .filter(|&j| {
                characters[j].names().all(|n| {
                    let words: Vec<&str> = n.split_whitespace().collect();
                    words.len() == 2 && title(&key(words[0])).is_some_and(|g| g == gender)
                })
            })
            .collect();
        let home = if titled.is_empty() {
            None
        } else {
            tagged_before_calls(&characters[i].name, &titled, characters, segments, tokenised, surnames)
        };
        match home {
            Some(home) => {
                let given = characters.remove(i);
                let home = if home > i { home - 1 } else { home };
                characters[home].aliases.push(given.name);
            }
            None => i += 1,
        }
    }
}

/// The one of `candidates` whom a named tag shows speaking in the paragraph of a quote that calls `given` by name,
/// or the paragraph before it, when no such tag shows another of them before another such quote.
fn tagged_before_calls(
    given: &str,
    candidates: &[usize],
    characters: &[Character],
    segments: &[Segment],
    tokenised: &[Vec<Token>],
    surnames: &HashSet<String>,
) -> Option<usize> {
    let mut found: Option<usize> = None;
    for (q, segment) in segments.iter().enumerate() {
        if segment.kind != SegmentKind::Dialogue || !calls(&tokenised[q], given, surnames) {
            continue;
        }
        let (chapter, scene, at) = (segment.chapter, segment.scene, segment.paragraph);
        let near =
            |s: &Segment| s.chapter == chapter && s.scene == scene && (s.paragraph + 1 == at || s.paragraph == at);
        let before =
            (0..q).rev().take_while(|&k| near(&segments[k])).filter(|&k| segments[k].kind == SegmentKind::Narration);
        let tagged: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&c| before.clone().any(|k| names_in_tag(&tokenised[k], &characters[c].name, surnames)))
            .collect();
        match (tagged.as_slice(), found) {
            ([], _) => {}
            (&[c], None) => found = Some(c),
            (&[c], Some(f)) if c == f => {}
            _ => return None,
        }
    }
    found
}

/// Whether a quote calls `name` (see [`vocative`]).
fn calls(tokens: &[Token], name: &str, surnames: &HashSet<String>) -> bool {
    mentions(tokens, name)
        && name_runs(tokens, surnames).any(|(i, end)| written(&tokens[i..end]) == name && vocative(tokens, i, end))
}

/// Whether `tokens` have the first word of `name`: most segments do not, and need not be read for names.
fn mentions(tokens: &[Token], name: &str) -> bool {
    let first = name.split_whitespace().next().unwrap_or(name);
    tokens.iter().any(|t| t.text == first)
}

/// Whether a narration segment has `name` as the subject of a speech tag (`said Miss Bartlett`, `Miss Bartlett
/// continued`).
fn names_in_tag(tokens: &[Token], name: &str, surnames: &HashSet<String>) -> bool {
    mentions(tokens, name)
        && name_runs(tokens, surnames).any(|(i, end)| {
            written(&tokens[i..end]) == name
                && ((i > 0 && is_speech_verb_at(tokens, i - 1)) || is_speech_verb_at(tokens, end))
        })
}
