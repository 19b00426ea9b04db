//! Unnamed people the text describes as they speak or act (`said the old man`), and the names they turn out to have.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::kin::RELATIONS;
use super::names::{Evidence, following_pronoun, name_run, name_runs, vocative};
use super::{Character, Clues, Gender, same_paragraph, speech_verbs};
use crate::attribution::{
    Token, ends_description, is_action_word, is_capitalised, is_group_noun, is_not_name, key, noun_gender, title,
    title_noun,
};
use crate::script::{Segment, SegmentKind};

/// Adds the described people who are characters (see [`described`]) to the roster: each joins the character whose
/// name they gave (see [`introductions`]), else the one the quotes greeted as they came in (see [`greetings`]),
/// else the character the scene names next (see [`name_later`]), else the one whose title their head noun is, or
/// is a character of their own (see [`name_description`]).
pub(super) fn add_described(
    clues: &Clues,
    segments: &[Segment],
    tokenised: &[Vec<Token>],
    surnames: &HashSet<String>,
    characters: &mut Vec<Character>,
) {
    let introduced = introductions(segments, tokenised, surnames);
    let greeted = greetings(segments, tokenised, surnames);
    for character in described(&clues.descriptions, &clues.actors) {
        if join_introduced(&character, &introduced, characters) || join_greeted(&character, &greeted, characters) {
            continue;
        }
        if name_later(&character, &clues.first_tags, &clues.candidates, segments, characters) {
            continue;
        }
        name_description(character, &clues.first_tags, characters, &clues.candidates);
    }
}

/// Head nouns of descriptions that are not one person (`the other`, `the voice`, `the crowd`).
const NOT_PERSONS: &[&str] = &[
    "other", "others", "one", "first", "second", "latter", "former", "rest", "voice", "voices", "crowd", "people",
    "men", "women", "children", "words", "answer", "reply", "question", "same", "whole", "two", "three", "company",
    "party", "family", "group", "letter", "note", "paper", "book", "story", "tale", "thing", "door", "way",
];

/// Head nouns that say only what kind of person someone is, not their role in the story.
pub(super) const PLAIN_PERSONS: &[&str] = &[
    "man",
    "woman",
    "girl",
    "boy",
    "lady",
    "gentleman",
    "fellow",
    "lad",
    "lass",
    "youth",
    "child",
    "person",
    "creature",
];

/// Counts the definite descriptions that are the subject of a speech tag in one narration segment (`said the
/// old man`, `the doctor asked`), by head noun; `verbs` are the positions of its speech verbs.
pub(super) fn describe(
    tokens: &[Token],
    verbs: &[usize],
    descriptions: &mut BTreeMap<String, BTreeMap<String, usize>>,
) {
    for &i in verbs {
        // A participle before `by` is passive, no tag (`was the reflection suggested by this order`).
        if tokens.get(i + 1).is_some_and(|t| t.key() == "by") {
            continue;
        }
        // Inverted: `said the old man`.
        if tokens.get(i + 1).is_some_and(|t| t.key() == "the") {
            let words: Vec<&Token> = tokens[i + 2..]
                .iter()
                .take_while(|t| t.is_word() && !is_capitalised(t.text) && !ends_description(&t.key()))
                .take(3)
                .collect();
            count_description(&words, descriptions);
        }
        // Before the verb: `the old man said`.
        for start in i.saturating_sub(4)..i {
            if tokens[start].key() == "the"
                && tokens[start + 1..i].iter().all(|t| t.is_word() && !is_capitalised(t.text))
            {
                let words: Vec<&Token> = tokens[start + 1..i].iter().collect();
                count_description(&words, descriptions);
                break;
            }
        }
        // The subject of the clause, after another verb and `and`: `the old lady came up to my room and said`.
        if i > 0 && tokens[i - 1].key() == "and" {
            let start = tokens[..i].iter().rposition(|t| t.ends_clause() || t.text == ",").map_or(0, |p| p + 1);
            if tokens.get(start).is_some_and(|t| t.key() == "the") {
                let words: Vec<&Token> = tokens[start + 1..i]
                    .iter()
                    .take_while(|t| {
                        t.is_word()
                            && !is_capitalised(t.text)
                            && (t.key().ends_with("ly") || !is_action_word(&t.key()))
                            && !ends_description(&t.key())
                    })
                    .take(4)
                    .collect();
                let verb = tokens.get(start + 1 + words.len()).is_some_and(|t| is_action_word(&t.key()));
                if verb {
                    count_description(&words, descriptions);
                }
            }
        }
    }
}

/// Counts one description by its head noun, in the form the text writes it (`the child's nurse`).
fn count_description(words: &[&Token], descriptions: &mut BTreeMap<String, BTreeMap<String, usize>>) {
    // An adverb after the noun belongs to the tag (`said the man impatiently`).
    let words = without_adverbs(words);
    let Some(head) = words.last().map(|t| t.key()) else { return };
    let no_person = is_plural(&head)
        || head.ends_with("ly")
        || NOT_PERSONS.contains(&head.as_ref())
        || is_action_word(&head)
        || (is_not_name(&head) && title(&head).is_none());
    // People who speak together are a group, one character (`cried the ladies`).
    if no_person && !is_group_noun(&head) {
        return;
    }
    let form: Vec<String> = words.iter().map(|t| t.text.replace('\u{2019}', "'").to_lowercase()).collect();
    *descriptions.entry(head.into_owned()).or_default().entry(format!("the {}", form.join(" "))).or_default() += 1;
}

/// Counts, by head noun, the descriptions that open a sentence or clause as the subject of a verb (`The boy
/// wearily dropped his bundle`, `a girl was dancing`): evidence that an unnamed person acts in the story.
pub(super) fn count_actors(tokens: &[Token], actors: &mut HashMap<String, Evidence>) {
    for (i, token) in tokens.iter().enumerate() {
        if !token.is_word() || !matches!(token.key().as_ref(), "the" | "a" | "an") {
            continue;
        }
        let opens =
            i == 0 || !tokens[i - 1].is_word() || matches!(tokens[i - 1].key().as_ref(), "and" | "but" | "then");
        if !opens {
            continue;
        }
        let words: Vec<&Token> =
            tokens[i + 1..].iter().take_while(|t| t.is_word() && !is_capitalised(t.text)).take(4).collect();
        // A word in `-ly` is an adjective or an adverb here, not the verb (`the monthly nurse tried`, `the
        // captain gradually brightened`), and so never the head noun either.
        let adverb = |t: &&Token| t.key().ends_with("ly");
        let Some(verb) = words.iter().position(|t| !adverb(t) && is_action_word(&t.key())) else { continue };
        if words[..verb].iter().any(|t| ends_description(&t.key())) {
            continue;
        }
        let Some(head) = words[..verb].iter().rev().find(|t| !adverb(t)).map(|t| t.key()) else { continue };
        if !is_plural(&head) && !NOT_PERSONS.contains(&head.as_ref()) && !RELATIONS.contains(&head.as_ref()) {
            let e = actors.entry(head.into_owned()).or_default();
            e.count += 1;
            e.vote(following_pronoun(tokens, i + verb + 1));
        }
    }
}

/// Unnamed characters: a description that tags speech at least twice (`the doctor`), or once while it acts
/// elsewhere in the story or names a role (`the porter`), or that acts at least three times (`The girl flushed`), named by its most used form,
/// the others its aliases; gender from its noun, else from the pronouns after it.
fn described(
    descriptions: &BTreeMap<String, BTreeMap<String, usize>>,
    actors: &HashMap<String, Evidence>,
) -> Vec<Character> {
    let none = BTreeMap::new();
    let mut heads: Vec<&String> = descriptions.keys().collect();
    let mut acting: Vec<&String> =
        actors.iter().filter(|(h, e)| e.count >= 3 && !descriptions.contains_key(*h)).map(|(h, _)| h).collect();
    acting.sort();
    heads.extend(acting);
    let mut out: Vec<(usize, Character)> = heads
        .into_iter()
        .filter_map(|head| {
            let forms = descriptions.get(head).unwrap_or(&none);
            let total: usize = forms.values().sum();
            let acts = actors.get(head).map_or(0, |e| e.count);
            // One tag is enough for a role (`said the turnpike-keeper`), not for a plain person (`said the young
            // man`), who is most often someone the story names.
            let role = !PLAIN_PERSONS.contains(&head.as_str());
            let enough = total >= 2 || (total >= 1 && (acts >= 1 || role)) || acts >= 3;
            if RELATIONS.contains(&head.as_str()) || !enough {
                return None;
            }
            let mut name = forms
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.len().cmp(&a.0.len())))
                .map_or_else(|| format!("the {head}"), |(n, _)| n.clone());
            name.replace_range(..1, "T");
            let mut aliases: Vec<String> = forms.keys().cloned().chain([format!("the {head}")]).collect();
            aliases.retain(|a| a[4..] != name[4..]);
            aliases.dedup();
            let votes = actors.get(head).map_or(Gender::Unknown, |e| e.gender(""));
            let gender = noun_gender(head).unwrap_or(votes);
            Some((total + acts, Character { name, aliases, gender, lines: 0 }))
        })
        .collect();
    out.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.name.cmp(&b.1.name)));
    out.into_iter().map(|(_, c)| c).collect()
}

/// Joins a described character to the one character whose name the description's person gave as they spoke (see
/// [`introductions`]). Returns whether it joined.
fn join_introduced(described: &Character, introduced: &HashMap<String, String>, characters: &mut [Character]) -> bool {
    let head = head_noun(described);
    let Some(name) = introduced.get(&head) else { return false };
    let homes: Vec<usize> = (0..characters.len()).filter(|&i| characters[i].names().any(|n| n == name)).collect();
    let [home] = homes[..] else { return false };
    join(described, &mut characters[home]);
    true
}

/// The names people give themselves as they speak, by the head noun of the description that tags the quote:
/// `"I am Mary Lennox," the little girl said` gives `girl` → `Mary Lennox`. The first introduction of each head counts.
fn introductions(
    segments: &[Segment],
    tokenised: &[Vec<Token>],
    surnames: &HashSet<String>,
) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for (index, segment) in segments.iter().enumerate() {
        if segment.kind != SegmentKind::Dialogue {
            continue;
        }
        // Only a quote that opens with `I am`, `I'm` or `my name is` is read further.
        let keys: Vec<String> =
            tokenised[index].iter().filter(|t| t.is_word()).take(3).map(|t| t.key().into_owned()).collect();
        let start = match keys.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["i", "am", ..] => 2,
            ["i'm" | "i\u{2019}m", ..] => 1,
            ["my", "name", "is"] => 3,
            _ => continue,
        };
        let words: Vec<Token> = tokenised[index].iter().copied().filter(Token::is_word).collect();
        let Some(end) = name_run(&words, start, surnames) else { continue };
        let name = words[start..end].iter().map(|t| t.text).collect::<Vec<_>>().join(" ");
        for neighbour in [index + 1].into_iter().chain(index.checked_sub(1)) {
            if !same_paragraph(segments, neighbour, segment, SegmentKind::Narration) {
                continue;
            }
            let tokens = &tokenised[neighbour];
            let mut tag = BTreeMap::new();
            describe(tokens, &speech_verbs(tokens), &mut tag);
            for head in tag.into_keys() {
                out.entry(head).or_insert_with(|| name.clone());
            }
        }
    }
    out
}

/// How many segments after the narration brings someone in (`revealed a clergyman`) a greeting may name them.
const GREETING_SPAN: usize = 6;

/// The names people are greeted by as the narration brings them in, by the head noun that brings them in:
/// `revealed a clergyman, stout but attractive` / `"How do you do, Mr. Beebe?"` gives `clergyman` → [`Mr. Beebe`].
/// Each head has the names the quotes after it, up to [`GREETING_SPAN`] segments on in the scene, call or
/// recognise (`"Why, it's Mr. Beebe!"`), in order; the first newcomer of each head counts.
fn greetings(
    segments: &[Segment],
    tokenised: &[Vec<Token>],
    surnames: &HashSet<String>,
) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for (index, segment) in segments.iter().enumerate() {
        if segment.kind != SegmentKind::Narration {
            continue;
        }
        let tokens = &tokenised[index];
        for (i, token) in tokens.iter().enumerate() {
            if !matches!(token.key().as_ref(), "a" | "an") {
                continue;
            }
            let words = tokens[i + 1..]
                .iter()
                .take_while(|t| {
                    let word = t.key();
                    t.is_word() && !is_capitalised(t.text) && !ends_description(&word) && !is_action_word(&word)
                })
                .take(3);
            let Some(head) = words.last().map(|t| t.key().into_owned()) else { continue };
            if out.contains_key(&head) {
                continue;
            }
            let following = (index + 1..segments.len().min(index + 1 + GREETING_SPAN))
                .take_while(|&j| (segments[j].chapter, segments[j].scene) == (segment.chapter, segment.scene))
                .filter(|&j| segments[j].kind == SegmentKind::Dialogue);
            let names: Vec<String> = following.flat_map(|j| greeted_names(&tokenised[j], surnames)).collect();
            out.insert(head, names);
        }
    }
    out
}

/// The names a quote calls someone by (`"How do you do, Mr. Beebe?"`) or recognises them by (`"Why, it's Mr.
/// Beebe!"`), in order.
fn greeted_names(tokens: &[Token], surnames: &HashSet<String>) -> Vec<String> {
    let mut names = Vec::new();
    for (i, end) in name_runs(tokens, surnames) {
        let word = |j: usize| tokens.get(j).filter(|t| t.is_word()).map(Token::key);
        let recognised = i.checked_sub(1).and_then(word).is_some_and(|w| matches!(w.as_ref(), "it's" | "it\u{2019}s"));
        // A newcomer may be the one calling someone by name: a title they are called by is more telling.
        let titled = end - i > 1 && title(&tokens[i].key()).is_some();
        if (titled && vocative(tokens, i, end)) || recognised {
            names.push(tokens[i..end].iter().map(|t| t.text).collect::<Vec<_>>().join(" "));
        }
    }
    names
}

/// Joins a described character to the first character of a gender that fits whom the quotes greeted as the
/// narration brought them in (see [`greetings`]). Returns whether it joined.
fn join_greeted(described: &Character, greeted: &HashMap<String, Vec<String>>, characters: &mut [Character]) -> bool {
    let Some(names) = greeted.get(&head_noun(described)) else { return false };
    let fits = |c: &Character| {
        c.gender == described.gender || c.gender == Gender::Unknown || described.gender == Gender::Unknown
    };
    for name in names {
        let homes: Vec<usize> = (0..characters.len()).filter(|&i| characters[i].names().any(|n| n == name)).collect();
        if let [home] = homes[..]
            && fits(&characters[home])
        {
            join(described, &mut characters[home]);
            return true;
        }
    }
    false
}

/// Joins a plain person a bare description tags (`said the gentleman`, not an epithet like `the old man`) to the
/// character the scene names next, of the same gender (`Mr. Greyson`): the writer describes someone until the story
/// gives their name. Characters named before the description's first tag, or known by a description of their own
/// (`the parson`), are someone else. Returns whether the description joined a character.
fn name_later(
    described: &Character,
    first_tags: &HashMap<String, usize>,
    evidence: &BTreeMap<String, Evidence>,
    segments: &[Segment],
    characters: &mut [Character],
) -> bool {
    let head = head_noun(described);
    let Some(&tagged) = first_tags.get(&head) else { return false };
    // An epithet (`the old man`) is how the writer goes on naming someone; a bare `the man` waits for a name.
    let bare = described.name.split_whitespace().count() == 2;
    if !bare || !PLAIN_PERSONS.contains(&head.as_str()) || described.gender == Gender::Unknown {
        return false;
    }
    let scene = |i: usize| segments.get(i).map(|s| (s.chapter, s.scene));
    let first_mention = |c: &Character| c.names().filter_map(|n| evidence.get(n)).map(|e| e.first).min();
    let described_already = |c: &Character| c.names().any(|n| n.starts_with("The ") || n.starts_with("the "));
    let next = characters
        .iter()
        .enumerate()
        .filter(|(_, c)| c.gender == described.gender && !described_already(c))
        .filter_map(|(i, c)| first_mention(c).map(|first| (first, i)))
        .filter(|&(first, _)| first > tagged && scene(first) == scene(tagged))
        .min();
    let Some((_, home)) = next else { return false };
    join(described, &mut characters[home]);
    true
}

/// Adds a described character (`The parson`) to the roster: as an alias of the one character whose name starts
/// with its head noun as a title (`Parson Tringham`, `Dr. Archie` for `the doctor`), or of the one of several such
/// characters the text names last before the description first tags (`Sergeant Bibot`, named just before
/// `continued the sergeant`, rather than a `Sergeant Grospierre` named earlier), else under the one such name the
/// text uses anywhere, even inside quotes (`"I am Parson Tringham"`), else under its description.
fn name_description(
    described: Character,
    first_tags: &HashMap<String, usize>,
    characters: &mut Vec<Character>,
    evidence: &BTreeMap<String, Evidence>,
) {
    let head = head_noun(&described);
    let titled = |name: &str| {
        let mut words = name.split_whitespace();
        words.next().is_some_and(|first| same_title(&key(first), &head)) && words.next().is_some()
    };
    let mut homes: Vec<usize> = (0..characters.len()).filter(|&i| characters[i].names().any(|n| titled(n))).collect();
    // Several people share the title: the writer's `the sergeant` is the one just named.
    if homes.len() > 1
        && let Some(&tagged) = first_tags.get(&head)
    {
        let last_named = |i: usize| {
            characters[i]
                .names()
                .filter_map(|n| evidence.get(n))
                .filter_map(|e| e.segments[..e.segments.partition_point(|&s| s <= tagged)].last().copied())
                .max()
        };
        let latest = homes.iter().filter_map(|&i| last_named(i).map(|at| (at, i))).max();
        let tie = latest.is_some_and(|(at, i)| homes.iter().any(|&j| j != i && last_named(j) == Some(at)));
        if let Some((_, home)) = latest.filter(|_| !tie) {
            homes = vec![home];
        }
    }
    if let [home] = homes[..] {
        join(&described, &mut characters[home]);
        return;
    }
    let named: Vec<&String> = evidence.keys().filter(|n| titled(n)).collect();
    if homes.is_empty()
        && let [name] = named[..]
    {
        let gender = evidence.get(name).map_or(described.gender, |e| match e.gender(name) {
            Gender::Unknown => described.gender,
            known => known,
        });
        let aliases = std::iter::once(described.name).chain(described.aliases).collect();
        characters.push(Character { name: name.clone(), aliases, gender, lines: 0 });
        return;
    }
    characters.push(described);
}

/// Head nouns of descriptions that say someone is a child.
const CHILDREN: &[&str] = &["girl", "boy", "child", "lass", "lad"];

/// Titles a child does not have.
const MARRIED_TITLES: &[&str] = &["mrs", "mistress", "madame", "madam"];

/// A married title joined to a child by their shared surname is someone else: `Mrs. Lennox` is not `Mary Lennox` when
/// the text describes Mary as `the little girl`. Such names leave the child for a character of their own.
pub(super) fn part_married_from_children(characters: &mut Vec<Character>) {
    let first_word = |n: &str| n.split_whitespace().next().map(|w| key(w).into_owned()).unwrap_or_default();
    let married = |n: &String| MARRIED_TITLES.contains(&first_word(n).as_ref());
    let described = |n: &String| first_word(n) == "the";
    let child = |n: &String| described(n) && CHILDREN.contains(&key(n.rsplit(' ').next().unwrap_or_default()).as_ref());
    let mut parted = Vec::new();
    for character in characters.iter_mut() {
        let names: Vec<String> = character.names().cloned().collect();
        if !names.iter().any(child) {
            continue;
        }
        // The child goes by their first name that is neither titled so nor a description.
        let Some(own_name) = names.iter().find(|n| !married(n) && !described(n)).cloned() else { continue };
        let (titled, own): (Vec<String>, Vec<String>) = names.into_iter().partition(married);
        let Some((name, aliases)) = titled.split_first() else { continue };
        parted.push(Character { name: name.clone(), aliases: aliases.to_vec(), gender: Gender::Female, lines: 0 });
        character.aliases = own.into_iter().filter(|n| *n != own_name).collect();
        character.name = own_name;
    }
    characters.extend(parted);
}

/// Whether a name's first word is the title a description's head noun stands for (`the doctor` for `Dr.`).
fn same_title(word: &str, description: &str) -> bool {
    title_noun(word) == title_noun(description)
}

/// The head noun of a described character's name (`man` for `The old man`).
fn head_noun(described: &Character) -> String {
    described.name.rsplit(' ').next().map(|w| key(w).into_owned()).unwrap_or_default()
}

/// Adds a described character's names to the aliases of the character it turns out to be.
fn join(described: &Character, home: &mut Character) {
    home.aliases.push(described.name.clone());
    home.aliases.extend(described.aliases.iter().cloned());
}

/// Whether a noun is plural: it ends in `s`, though not in `ss` (`mistress`).
fn is_plural(noun: &str) -> bool {
    noun.ends_with('s') && !noun.ends_with("ss")
}

/// The words of a description up to its last word not in `-ly`: an adverb after the noun belongs to the tag
/// (`said the man impatiently`, `said a man quietly`).
pub(super) fn without_adverbs<'w, 't, 'a>(words: &'w [&'t Token<'a>]) -> &'w [&'t Token<'a>] {
    let end = words.iter().rposition(|t| !t.key().ends_with("ly")).map_or(0, |p| p + 1);
    &words[..end]
}
