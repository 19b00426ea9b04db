//! The roster: the characters of a story, with aliases, gender and number of lines.
//!
//! `detect` tokenises each segment once and reads them all in one pass, gathering the clues of every rule: candidate
//! names and what the text shows about them (`names`), descriptions that tag speech or act (`descriptions`), the
//! pronoun tags, strangers and passers-by (`strangers`), a first-person narrator's relatives (`kin`). Then the
//! candidates that speak or act become characters and their aliases merge (`merge`, with `gender`), the described
//! people join the character they turn out to be or become one, and the unnamed speakers and the narrator follow.
//!
//! Detection rules. A candidate is a run of capitalised words, with an optional title (`Mr. Bennet`, `Emma Woodhouse`,
//! `Willow`), that is not a pronoun, a function word, a month or a title alone. It is a character when it speaks or
//! acts in narration: the subject of a speech tag (`said Emma`, `Emma said`), of a verb (`Xander let go`), the owner of
//! a voice that speaks (`replied another voice, which Margaret knew to be that of Mrs. Gibson`), or named with an
//! apposition (`Oz, her husband, held…`, `my good friend, Ezra Pike, was`), or addressed by name in two quotes (`"Take
//! care, Henry."`), or in one when it is a common given name (`"Am I right, Jack?"`); a single word that is no given
//! name needs more than the subject of one verb (`Chicago brokers`, `Vienna glittered`: places, peoples and adjectives
//! pass for that), a `he` or `she` after it will do, and so does a longer name it is part of (`Oak` of `Gabriel Oak`).
//! Names only mentioned (inside quotes, as objects) are left out, and so are places (mostly after `in`, `at`, `to`…, or
//! ending or followed by a word like `Street`) and names that qualify a noun after a determiner (`his London rooms`: no
//! verb follows the name there) or complete one after `of` (`the doctor of Carlingford had`: the verb is the doctor's),
//! unless `the name of` brings a person in, as `whose name was` and `named` do, and words with a lowercase part after a
//! hyphen, greetings and numbers (`Good-evening`, `Seventy-nine`). A word seen only at sentence starts needs stronger
//! evidence (a tag, an apposition or two actions, and never written in lowercase), since sentence starts capitalise
//! every word. Aliases merge when the text supports it (a name goes without `Master`, how others address the person:
//! `Master Philip` is `Philip`): a single name that is the first or last name of exactly one longer name (`Bennet` →
//! `Mr. Bennet`), a titled last name and a full name of a compatible gender (`Miss Woodhouse` → `Emma Woodhouse`), a
//! short form that begins exactly one name (`Wil` → `Willow`), and a pet name that stands for the given name of exactly
//! one name (`Jack` → `John Reed`, `Meg` → `Margaret`; someone of its own when it could be several), and a given name
//! the narration never uses, which quotes call the one character known by title and surname whom a named tag shows
//! speaking just before (`"…," said Miss Bartlett.` / `"Charlotte, you mustn't spoil me"`: `Charlotte` → `Miss
//! Bartlett`). Gender comes from titles, else from a common first name (`Emma`) unless many pronouns disagree, else
//! from the third-person pronouns that first follow each mention. A capitalised adverb that only ever opens the
//! sentence before a name is not part of it (`Presently Tom` is `Tom`); a titled short form joins the full name with
//! the same title and last name (`Dr. Archie` → `Dr. Howard Archie`), a short first name the longer one it begins
//! (`Sid` → `Sidney`), and a full name the text uses joins its first and last names (`Gabriel Oak` joins `Gabriel` and
//! `Oak`), a bare name its one titled form (`Bibot` → `Sergeant Bibot`), and no group mixes genders (`Mr. Pett` and
//! `Mrs. Pett` stay apart even when both fit `Nesta Pett`). A common word that the text uses as a surname after a title
//! and a first name is a name (`Captain John Good`, then `said Good`), and the full name is the character's name.
//! Unnamed people count too: a definite description that tags speech twice (`said the old man`, `the old lady came up
//! and said:` before the quote), or once while the same description acts elsewhere (`the boy`) or while it names a role
//! rather than a plain person (`the turnpike-keeper`, not `the young man`), or that acts three times, is a character
//! (not a relative: `the mother` is most often someone the story names; a speech verb before `by` is a passive, no
//! tag); when its head noun is the title of exactly one name (`the parson` and `Parson Tringham`, `the doctor` and `Dr.
//! Archie`), even one that only a quote uses, it is that character, and when several names carry that title, the one
//! the narration names last before the description first tags (`Sergeant Bibot`); a description whose person gives
//! their name in a quote it tags is that character (`"I am Mary Lennox," the little girl said`); a bare description of
//! a plain person (`said the gentleman`) is the next character of its gender the scene names. When pronoun tags give
//! lines to a man or a woman (`he said`) and the roster has nobody of that gender, a relative of that gender who tags
//! speech (`his mother had replied`) is a character, `His mother`, else the first such person the narration brings in
//! with an indefinite article (`a man behind her`), `A man`. Someone described only as they speak (`said a
//! hard-featured dame of fifty,`, `said another`) is a character named by that description (not the verb's object,
//! `laughed one of his laughs`, nor a voice, whom the text names next), and so is an indefinite pronoun that speaks
//! (`somebody exclaimed`: `Somebody`; `asked someone else`: `Someone else`), and so are people a tag shows speaking
//! together (`cried the ladies`, `the girls whispered`): a group, `The ladies`. A story told in the first person, or
//! whose narration once tags speech with `I` (`I once said`), gets a `Narrator` character for the narrator's own lines,
//! and the narrator's relatives who tag speech twice (`said my father`) are characters too, unless the narration names
//! them (`my brother Robert` is `Robert`).

mod descriptions;
mod gender;
mod kin;
mod merge;
mod names;
mod strangers;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::attribution::{Token, is_explicit_filler, is_speech_verb_at, tokens};
use crate::script::{Script, Segment, SegmentKind};
use crate::story::Story;
use names::Evidence;

/// A character's gender as the text shows it (pronouns, titles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    /// She, her, Mrs., Miss, …
    Female,
    /// He, him, Mr., Sir, …
    Male,
    /// Not known.
    #[default]
    Unknown,
}

/// One character of the story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Character {
    /// The canonical name.
    pub name: String,
    /// Other names the text uses for the character (`Wil`, `Miss Woodhouse`).
    pub aliases: Vec<String>,
    /// Gender, from pronouns and titles.
    pub gender: Gender,
    /// Number of dialogue and thought segments attributed to the character.
    pub lines: usize,
}

impl Character {
    /// The character's name, then its aliases.
    fn names(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.name).chain(&self.aliases)
    }
}

/// All characters of a story.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    /// The characters, most lines first.
    pub characters: Vec<Character>,
}

impl Roster {
    /// Counts each character's attributed dialogue and thought segments and sorts the roster by them, most
    /// first (ties keep their order).
    pub fn count_lines(&mut self, script: &Script) {
        let mut lines: HashMap<&str, usize> = HashMap::new();
        for segment in &script.segments {
            if let Some(speaker) = &segment.speaker {
                *lines.entry(speaker.as_str()).or_default() += 1;
            }
        }
        for character in &mut self.characters {
            character.lines = lines.get(character.name.as_str()).copied().unwrap_or(0);
        }
        self.characters.sort_by_key(|c| std::cmp::Reverse(c.lines));
    }
}

/// The name given to a first-person narrator the text does not name.
pub const NARRATOR: &str = "Narrator";

/// Finds the characters of a story from its text.
#[must_use]
pub fn detect(story: &Story, script: &Script) -> Roster {
    let segments = &script.segments;
    // Every rule reads the same tokens: each segment is tokenised once.
    let tokenised: Vec<Vec<Token>> = segments.iter().map(|s| tokens(s.span.of(&story.text), s.span.start)).collect();
    let surnames = names::common_word_surnames(&tokenised);
    let mut clues = read(story, segments, &tokenised, &surnames);
    // Named characters: the candidates with enough evidence, their aliases merged.
    merge::fold_openers(&mut clues.candidates, &clues.lowercase);
    let accepted: Vec<(&String, &Evidence)> =
        clues.candidates.iter().filter(|(name, e)| merge::is_character(name, e, &clues)).collect();
    let mut characters = merge::merge(&accepted, &clues.candidates, &surnames);
    merge::join_called_given_names(&mut characters, &clues.candidates, segments, &tokenised, &surnames);
    // Unnamed characters: described people, speakers of a gender nobody named has, passers-by.
    descriptions::add_described(&clues, segments, &tokenised, &surnames, &mut characters);
    descriptions::part_married_from_children(&mut characters);
    strangers::add_strangers(&clues.pronoun_tags, &clues.tagging_relatives, &clues.strangers, &mut characters);
    strangers::add_passers_by(&clues.passers_by, &mut characters);
    // A story told in the first person: `I`, `me` or `my` at least three times and in 1% of the narration, or an
    // `I` that tags speech (`"…?" I once said to an old labouring man`).
    let first_person = clues.first_person >= 3 && clues.first_person * 100 >= clues.narration_words;
    if first_person || clues.narrator_tags > 0 {
        kin::add_narrator(&clues.kin_tags, &clues.kin_names, &mut characters);
    }
    Roster { characters }
}

/// What one pass over the segments gathers for the rules of the roster.
#[derive(Debug, Default)]
struct Clues {
    /// Candidate names and what the text shows about each.
    candidates: BTreeMap<String, Evidence>,
    /// How often the text writes each word in lowercase: a capitalised word it also writes so is most often common.
    lowercase: HashMap<String, usize>,
    /// The definite descriptions that tag speech, by head noun, then by the form the text writes (`the old man`).
    descriptions: BTreeMap<String, BTreeMap<String, usize>>,
    /// The segment where each description's head noun first tags speech.
    first_tags: HashMap<String, usize>,
    /// The descriptions that are the subject of a verb, by head noun (`The boy wearily dropped his bundle`).
    actors: HashMap<String, Evidence>,
    /// Pronoun speech tags by gender (`he said`), relatives' tags included (`his mother replied`).
    pronoun_tags: HashMap<Gender, usize>,
    /// The first relative of each gender who tags speech (`His mother`).
    tagging_relatives: Vec<(Gender, String)>,
    /// The first person of each gender the narration brings in with an indefinite article (`A man`).
    strangers: Vec<(Gender, String)>,
    /// The indefinite descriptions that tag speech, as the text writes them (`a hard-featured dame of fifty`).
    passers_by: Vec<String>,
    /// The narrator's relatives who tag speech, by relation (`said my father`).
    kin_tags: BTreeMap<String, usize>,
    /// The names the narration gives the narrator's relatives, by relation (`my brother Robert`).
    kin_names: BTreeMap<String, String>,
    /// Words of narration.
    narration_words: usize,
    /// Words of narration in the first person (`I`, `me`, `my`).
    first_person: usize,
    /// Speech tags whose subject is `I` (`I once said`, `said I`).
    narrator_tags: usize,
}

/// Reads every segment once and gathers the clues of every rule.
fn read(story: &Story, segments: &[Segment], tokenised: &[Vec<Token>], surnames: &HashSet<String>) -> Clues {
    let mut clues = Clues::default();
    for (index, segment) in segments.iter().enumerate() {
        if segment.kind == SegmentKind::Heading {
            continue;
        }
        let narration = segment.kind == SegmentKind::Narration;
        let tokens = &tokenised[index];
        for token in tokens.iter().filter(|t| t.is_word()) {
            if token.text.chars().next().is_some_and(char::is_lowercase) {
                *clues.lowercase.entry(token.text.to_owned()).or_default() += 1;
            }
            if narration {
                clues.narration_words += 1;
                clues.first_person += usize::from(matches!(token.text, "I" | "my" | "me" | "My"));
            }
        }
        names::gather(tokens, (index, narration), surnames, &mut clues.candidates);
        if !narration {
            continue;
        }
        if tags_a_quote(story, segments, index) {
            let verbs = speech_verbs(tokens);
            descriptions::describe(tokens, &verbs, &mut clues.descriptions);
            // A description is counted only when it tags: the segment where its head first appears is its first tag.
            // Every head of `descriptions` has its first tag once no new head appears, so only a new one is looked for.
            if clues.first_tags.len() < clues.descriptions.len() {
                for head in clues.descriptions.keys() {
                    clues.first_tags.entry(head.clone()).or_insert(index);
                }
            }
            kin::count_kin_tags(tokens, &verbs, &mut clues.kin_tags);
            clues.narrator_tags += verbs.iter().filter(|&&v| narrator_tag(tokens, v)).count();
            strangers::count_pronoun_tags(tokens, &verbs, &mut clues.pronoun_tags, &mut clues.tagging_relatives);
            strangers::tag_passers_by(tokens, &verbs, &mut clues.passers_by);
        }
        strangers::introduce_strangers(tokens, &mut clues.strangers);
        descriptions::count_actors(tokens, &mut clues.actors);
        kin::name_kin(tokens, surnames, &mut clues.kin_names);
    }
    clues
}

/// Whether the narration segment `index` can tag a quote: a tag sits next to a quote of the same paragraph, or ends
/// with a colon that announces the quote opening the next paragraph (`Then the old lady came up and said:`).
fn tags_a_quote(story: &Story, segments: &[Segment], index: usize) -> bool {
    let segment = &segments[index];
    let quote_at = |i: Option<usize>| i.is_some_and(|i| same_paragraph(segments, i, segment, SegmentKind::Dialogue));
    let announces = segment.span.of(&story.text).trim_end().ends_with(':')
        && segments.get(index + 1).is_some_and(|s| s.kind == SegmentKind::Dialogue);
    quote_at(index.checked_sub(1)) || quote_at(Some(index + 1)) || announces
}

/// Whether the speech verb at `v` has `I` for its subject (`I once said`, `said I`).
fn narrator_tag(tokens: &[Token], v: usize) -> bool {
    let before = tokens[..v].iter().rev().find(|t| !(t.is_word() && is_explicit_filler(&t.key())));
    before.is_some_and(|t| t.text == "I") || tokens.get(v + 1).is_some_and(|t| t.text == "I")
}

/// Whether segment `i` is of `kind` and in the same paragraph as `segment`.
fn same_paragraph(segments: &[Segment], i: usize, segment: &Segment, kind: SegmentKind) -> bool {
    segments.get(i).is_some_and(|s| {
        s.kind == kind && (s.chapter, s.scene, s.paragraph) == (segment.chapter, segment.scene, segment.paragraph)
    })
}

/// The positions of the speech verbs among `tokens` (`said`, `asked`): every kind of speech tag is looked for
/// around them.
fn speech_verbs(tokens: &[Token]) -> Vec<usize> {
    (0..tokens.len()).filter(|&i| is_speech_verb_at(tokens, i)).collect()
}
