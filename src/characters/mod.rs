//! The roster: the characters of a story, with aliases, gender and number of lines.
//!
//! Detection rules. A candidate is a run of capitalised words, with an optional title (`Mr. Bennet`, `Emma Woodhouse`,
//! `Willow`), that is not a pronoun, a function word, a month or a title alone. It is a character when it speaks or
//! acts in narration: the subject of a speech tag (`said Emma`, `Emma said`), of a verb (`Xander let go`), or named
//! with an apposition (`Oz, her husband, held…`), or addressed by name in two quotes (`"Take care, Henry."`), or in one
//! when it is a common given name (`"Am I right, Jack?"`). Names only mentioned (inside quotes, as objects) are left
//! out, and so are places (mostly after `in`, `at`, `to`…, or ending or followed by a word like `Street`) and names
//! that qualify a noun after a determiner (`his London rooms`: no verb follows the name there) or complete one after
//! `of` (`the doctor of Carlingford had`: the verb is the doctor's), unless `the name of` brings a person in, as `whose
//! name was` and `named` do, and words with a lowercase part after a hyphen, greetings and numbers (`Good-evening`,
//! `Seventy-nine`). A word seen only at sentence starts needs stronger evidence (a tag, an apposition or two actions,
//! and never written in lowercase), since sentence starts capitalise every word. Aliases merge when the text supports
//! it: a single name that is the first or last name of exactly one longer name (`Bennet` → `Mr. Bennet`), a titled last
//! name and a full name of a compatible gender (`Miss Woodhouse` → `Emma Woodhouse`), and a short form that begins
//! exactly one name (`Wil` → `Willow`). Gender comes from titles, else from a common first name (`Emma`) unless many
//! pronouns disagree, else from the third-person pronouns that first follow each mention. A capitalised adverb that
//! only ever opens the sentence before a name is not part of it (`Presently Tom` is `Tom`); a titled short form joins
//! the full name with the same title and last name (`Dr. Archie` → `Dr. Howard Archie`), a short first name the longer
//! one it begins (`Sid` → `Sidney`), and a full name the text uses joins its first and last names (`Gabriel Oak` joins
//! `Gabriel` and `Oak`), a bare name its one titled form (`Bibot` → `Sergeant Bibot`), and no group mixes genders (`Mr.
//! Pett` and `Mrs. Pett` stay apart even when both fit `Nesta Pett`). A common word that the text uses as a surname
//! after a title and a first name is a name (`Captain John Good`, then `said Good`), and the full name is the
//! character's name. Unnamed people count too: a definite description that tags speech twice (`said the old man`, `the
//! old lady came up and said:` before the quote), or once while the same description acts elsewhere (`the boy`) or
//! while it names a role rather than a plain person (`the turnpike-keeper`, not `the young man`), or that acts three
//! times, is a character (not a relative: `the mother` is most often someone the story names; a speech verb before `by`
//! is a passive, no tag); when its head noun is the title of exactly one name (`the parson` and `Parson Tringham`, `the
//! doctor` and `Dr. Archie`), even one that only a quote uses, it is that character, and when several names carry that
//! title, the one the narration names last before the description first tags (`Sergeant Bibot`); a description whose
//! person gives their name in a quote it tags is that character (`"I am Mary Lennox," the little girl said`); a bare
//! description of a plain person (`said the gentleman`) is the next character of its gender the scene names. When
//! pronoun tags give lines to a man or a woman (`he said`) and the roster has nobody of that gender, a relative of that
//! gender who tags speech (`his mother had replied`) is a character, `His mother`, else the first such person the
//! narration brings in with an indefinite article (`a man behind her`), `A man`. Someone described only as they speak
//! (`said a hard-featured dame of fifty,`, `said another`) is a character named by that description (not the verb's
//! object, `laughed one of his laughs`, nor a voice, whom the text names next). A story told in the first person gets a
//! `Narrator` character for the narrator's own lines, and the narrator's relatives who tag speech twice (`said my
//! father`) are characters too, unless the narration names them (`my brother Robert` is `Robert`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

use crate::attribution::{
    Token, ends_description, is_action_word, is_capitalised, is_not_name, is_place_preposition, is_sentence_opener,
    is_speech_verb, key, noun_gender, pronoun_gender, sentence_initial, title, title_noun, tokens,
};
use crate::script::{Script, SegmentKind};
use crate::story::Story;

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

/// What the text shows about one candidate name.
#[derive(Debug, Default, Clone)]
struct Evidence {
    /// Every occurrence.
    count: usize,
    /// Occurrences not at a sentence start.
    inside: usize,
    /// Subject of a speech tag in narration.
    tags: usize,
    /// Subject of another verb in narration.
    actions: usize,
    /// Followed by an apposition (`Oz, her husband,`).
    appositions: usize,
    /// After a place preposition (`in London`).
    places: usize,
    /// Addressed by name inside a quote (`"Now, Henry, go."`).
    vocatives: usize,
    /// Votes of the pronouns after its mentions.
    male: usize,
    female: usize,
    /// The segment of its first occurrence.
    first: usize,
    /// The narration segments it occurs in, in story order.
    segments: Vec<usize>,
}

impl Evidence {
    /// The gender of `name`: its title's, else its first name's (unless the pronouns clearly say otherwise),
    /// else the pronouns' majority.
    fn gender(&self, name: &str) -> Gender {
        let first = name.split_whitespace().next().map(key).unwrap_or_default();
        match title(&first) {
            Some(g) if g != Gender::Unknown => g,
            _ => self.weighed(name_gender(name)),
        }
    }

    /// The pronouns' majority, or `given` (a first name's gender) unless at least three pronouns and twice as
    /// many as agree with it say otherwise: the pronoun after a name is often someone else's.
    fn weighed(&self, given: Option<Gender>) -> Gender {
        let (with, against) = match given {
            Some(Gender::Male) => (self.male, self.female),
            Some(Gender::Female) => (self.female, self.male),
            _ => (0, 0),
        };
        match given {
            Some(g) if g != Gender::Unknown && (against < 3 || against <= 2 * with) => g,
            _ if self.male > self.female => Gender::Male,
            _ if self.female > self.male => Gender::Female,
            _ => Gender::Unknown,
        }
    }
}

/// Common given names of women, lowercase, separated by spaces: the gender a first name shows when the pronouns
/// are few or mixed.
const FEMALE_NAMES: &str = "\
    abigail ada adela adelaide agatha agnes alexandra alice amanda amelia amy angela ann anna anne annie arabella \
    augusta barbara beatrice beatrix bella belle bertha bess bessie beth betsey betsy betty blanche bridget \
    carlotta carol caroline carrie cassandra catharine catherine cecilia cecily celia charlotte christina \
    christine claire clara clare constance cora cordelia cynthia daisy deborah delia diana dinah dolly dora doris \
    dorothea dorothy edith edna eleanor elinor eliza elizabeth ella ellen elsie emily emma emmeline esther ethel \
    eugenia eva eve evelina fanny flora florence frances georgiana georgina gertrude gladys grace gwendolen hannah \
    harriet hattie hazel helen helena henrietta hester hetty hilda honora ida irene isabel isabella isabelle jane \
    janet jemima jennie jenny jessie joan joanna josephine judith judy julia juliana julie juliet kate katherine \
    kathleen katie kitty laura lavinia leah leonora letty lilian lillian lily lizzie lizzy lottie louisa louise \
    lucia lucilla lucinda lucretia lucy lydia mabel madeleine madeline maggie mamie marcia margaret margery \
    marguerite maria marian marianne marie marion marjorie martha mary matilda maud maude meg mildred minnie \
    miriam molly muriel myra nancy nell nellie nelly nettie nora norah octavia olive olivia pamela pauline peggy \
    penelope phoebe phyllis polly priscilla prudence rachel rebecca rhoda rosa rosalind rosamond rose rosie ruth \
    sadie sally sara sarah selina sophia sophie sophy stella susan susanna susannah susie sybil sylvia tabitha \
    teresa tess thea theresa ursula vera victoria violet virginia wilhelmina winifred winnie";

/// Common given names of men, lowercase, separated by spaces.
const MALE_NAMES: &str = "\
    aaron abel abraham adam adolphus alan albert alec alexander alfred algernon allan ambrose amos andrew andy \
    angus anthony antonio archibald archie arthur august augustus barnaby bartholomew basil ben benjamin bernard \
    bert bertie bertram bill billy bob bobby carl cecil charles charley charlie christopher clarence claude \
    clement cyril dan daniel david davy dennis dick donald douglas duncan edgar edmund edward edwin eli elijah \
    emil enoch ephraim ernest eugene ezra felix ferdinand fergus francis frank franz fred freddie freddy frederick \
    gabriel geoffrey george gerald gilbert giles godfrey gordon gregory guy hans harold harry hector henry herbert \
    herman hiram homer horace howard hubert hugh hugo humphrey ichabod isaac ivan jack jacob jake james jasper jem \
    jeremiah jeremy jerome jerry jesse jim jimmy joe joel john johnny jonas jonathan joseph joshua josiah julian \
    julius karl kenneth laurence lawrence leonard lewis lionel louis lucas lucius luke malcolm marcus mark martin \
    matthew maurice michael mike mortimer moses nathan nathaniel ned neville nicholas nick noah norman obadiah \
    oliver oscar otto owen patrick paul percy peter phil philip pierre ralph randolph raymond reginald reuben \
    richard rob robert roderick roger roland ronald roy rudolf rudolph rufus rupert samuel sebastian seth sid \
    sidney silas simon solomon stanley stephen steven stewart stuart sylvester ted teddy theodore thomas tim \
    timothy tobias toby tom tommy tony victor vincent wallace walter wilfred will william willie willy zachary";

/// The gender a name's first given name shows (`Emma Woodhouse` female), skipping a title.
fn name_gender(name: &str) -> Option<Gender> {
    static GIVEN: LazyLock<HashMap<&'static str, Gender>> = LazyLock::new(|| {
        let male = MALE_NAMES.split_whitespace().map(|n| (n, Gender::Male));
        male.chain(FEMALE_NAMES.split_whitespace().map(|n| (n, Gender::Female))).collect()
    });
    let first = name.split_whitespace().map(key).find(|w| title(w).is_none())?;
    GIVEN.get(first.as_str()).copied()
}

impl Evidence {
    fn absorb(&mut self, other: &Evidence) {
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
}

/// Folds a run like `Finally Tom` into `Tom`: a capitalised word that opens every sentence the run is seen in, and
/// that the text also writes in lowercase, is an adverb or adjective that the sentence start capitalised.
fn fold_openers(evidence: &mut BTreeMap<String, Evidence>, lowercase: &HashMap<String, usize>) {
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

/// Whether a name's first word is the title a description's head noun stands for (`the doctor` for `Dr.`).
fn same_title(word: &str, description: &str) -> bool {
    title_noun(word) == title_noun(description)
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
    let head = described.name.rsplit(' ').next().map(key).unwrap_or_default();
    let titled = |name: &str| {
        let mut words = name.split_whitespace();
        words.next().is_some_and(|first| same_title(&key(first), &head)) && words.next().is_some()
    };
    let mut homes: Vec<usize> = (0..characters.len())
        .filter(|&i| std::iter::once(&characters[i].name).chain(&characters[i].aliases).any(|n| titled(n)))
        .collect();
    // Several people share the title: the writer's `the sergeant` is the one just named.
    if homes.len() > 1
        && let Some(&tagged) = first_tags.get(&head)
    {
        let last_named = |i: usize| {
            let c: &Character = &characters[i];
            std::iter::once(&c.name)
                .chain(&c.aliases)
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
    let mut aliases = described.aliases.clone();
    aliases.insert(0, described.name.clone());
    if let [home] = homes[..] {
        characters[home].aliases.extend(aliases);
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
        characters.push(Character { name: name.clone(), aliases, gender, lines: 0 });
        return;
    }
    characters.push(described);
}

/// Joins a plain person a bare description tags (`said the gentleman`, not an epithet like `the old man`) to the
/// character the scene names next, of the same gender (`Mr. Greyson`): the writer describes someone until the story
/// gives their name. Characters named before the description's first tag, or known by a description of their own
/// (`the parson`), are someone else. Returns whether the description joined a character.
fn name_later(
    described: &Character,
    first_tags: &HashMap<String, usize>,
    evidence: &BTreeMap<String, Evidence>,
    segments: &[crate::script::Segment],
    characters: &mut [Character],
) -> bool {
    let head = described.name.rsplit(' ').next().map(key).unwrap_or_default();
    let Some(&tagged) = first_tags.get(&head) else { return false };
    // An epithet (`the old man`) is how the writer goes on naming someone; a bare `the man` waits for a name.
    let bare = described.name.split_whitespace().count() == 2;
    if !bare || !PLAIN_PERSONS.contains(&head.as_str()) || described.gender == Gender::Unknown {
        return false;
    }
    let scene = |i: usize| segments.get(i).map(|s| (s.chapter, s.scene));
    let first_mention = |c: &Character| {
        std::iter::once(&c.name).chain(&c.aliases).filter_map(|n| evidence.get(n)).map(|e| e.first).min()
    };
    let described_already = |c: &Character| {
        std::iter::once(&c.name).chain(&c.aliases).any(|n| n.starts_with("The ") || n.starts_with("the "))
    };
    let next = characters
        .iter()
        .enumerate()
        .filter(|(_, c)| c.gender == described.gender && !described_already(c))
        .filter_map(|(i, c)| first_mention(c).map(|first| (first, i)))
        .filter(|&(first, _)| first > tagged && scene(first) == scene(tagged))
        .min();
    let Some((_, home)) = next else { return false };
    characters[home].aliases.push(described.name.clone());
    characters[home].aliases.extend(described.aliases.iter().cloned());
    true
}

/// Finds the characters of a story from its text.
#[must_use]
pub fn detect(story: &Story, script: &Script) -> Roster {
    let mut evidence: BTreeMap<String, Evidence> = BTreeMap::new();
    let mut lowercase: HashMap<String, usize> = HashMap::new();
    let mut descriptions: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut described_actors: HashMap<String, Evidence> = HashMap::new();
    let mut kin_tags: BTreeMap<String, usize> = BTreeMap::new();
    let mut kin_names: BTreeMap<String, String> = BTreeMap::new();
    let mut first_person = 0usize;
    let mut pronoun_tags: HashMap<Gender, usize> = HashMap::new();
    let mut first_tags: HashMap<String, usize> = HashMap::new();
    let mut strangers: Vec<(Gender, String)> = Vec::new();
    let mut tagging_relatives: Vec<(Gender, String)> = Vec::new();
    let mut narration_words = 0usize;
    let mut passers_by: Vec<String> = Vec::new();
    let segments = &script.segments;
    let tokenised: Vec<Vec<Token>> = segments.iter().map(|s| tokens(s.span.of(&story.text), s.span.start)).collect();
    let surnames = common_word_surnames(&tokenised);
    for (index, segment) in segments.iter().enumerate() {
        if segment.kind == SegmentKind::Heading {
            continue;
        }
        // A tag sits in narration next to a quote of the same paragraph.
        let quote_at = |i: Option<usize>| {
            i.and_then(|i| segments.get(i)).is_some_and(|s| {
                s.kind == SegmentKind::Dialogue
                    && (s.chapter, s.scene, s.paragraph) == (segment.chapter, segment.scene, segment.paragraph)
            })
        };
        // Narration that ends with a colon announces the quote that opens the next paragraph (`Then the old lady
        // came up and said:`).
        let announces = segment.span.of(&story.text).trim_end().ends_with(':')
            && segments.get(index + 1).is_some_and(|s| s.kind == SegmentKind::Dialogue);
        let next_to_quote = quote_at(index.checked_sub(1)) || quote_at(Some(index + 1)) || announces;
        let narration = segment.kind == SegmentKind::Narration;
        let tokens = &tokenised[index];
        for token in tokens.iter().filter(|t| t.is_word()) {
            if token.text.chars().next().is_some_and(char::is_lowercase) {
                *lowercase.entry(token.text.to_owned()).or_default() += 1;
            }
            if narration {
                narration_words += 1;
                first_person += usize::from(matches!(token.text, "I" | "my" | "me" | "My"));
            }
        }
        gather(tokens, (index, narration), &surnames, &mut evidence);
        if narration && next_to_quote {
            describe(tokens, &mut descriptions);
            // A description is counted only when it tags: the segment where its head first appears is its first tag.
            // Every head of `descriptions` has its first tag once no new head appears, so only a new one is looked for.
            if first_tags.len() < descriptions.len() {
                for head in descriptions.keys() {
                    first_tags.entry(head.clone()).or_insert(index);
                }
            }
            count_kin_tags(tokens, &mut kin_tags);
            count_pronoun_tags(tokens, &mut pronoun_tags, &mut tagging_relatives);
            tag_passers_by(tokens, &mut passers_by);
        }
        if narration {
            introduce_strangers(tokens, &mut strangers);
            count_actors(tokens, &mut described_actors);
            name_kin(tokens, &surnames, &mut kin_names);
        }
    }
    fold_openers(&mut evidence, &lowercase);
    let accepted: Vec<(&String, &Evidence)> =
        evidence.iter().filter(|(name, e)| is_character(name, e, &lowercase)).collect();
    let mut characters = merge(&accepted, &evidence, &surnames);
    let introduced = introductions(segments, &tokenised, &surnames);
    for character in described(&descriptions, &described_actors) {
        if join_introduced(&character, &introduced, &mut characters) {
            continue;
        }
        if name_later(&character, &first_tags, &evidence, segments, &mut characters) {
            continue;
        }
        name_description(character, &first_tags, &mut characters, &evidence);
    }
    tagging_relatives.extend(strangers);
    add_strangers(&pronoun_tags, &tagging_relatives, &mut characters);
    add_passers_by(&passers_by, &mut characters);
    if first_person >= 3 && first_person * 100 >= narration_words {
        kin(&kin_tags, &kin_names, &mut characters);
        characters.push(Character {
            name: NARRATOR.to_owned(),
            aliases: vec!["I".to_owned()],
            gender: Gender::Unknown,
            lines: 0,
        });
    }
    Roster { characters }
}

/// The names people give themselves as they speak, by the head noun of the description that tags the quote:
/// `"I am Mary Lennox," the little girl said` gives `girl` → `Mary Lennox`. The first introduction of each head counts.
fn introductions(
    segments: &[crate::script::Segment],
    tokenised: &[Vec<Token>],
    surnames: &HashSet<String>,
) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for (index, segment) in segments.iter().enumerate() {
        if segment.kind != SegmentKind::Dialogue {
            continue;
        }
        // Only a quote that opens with `I am`, `I'm` or `my name is` is read further.
        let keys: Vec<String> = tokenised[index].iter().filter(|t| t.is_word()).take(3).map(Token::key).collect();
        let start = match keys.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["i", "am", ..] => 2,
            ["i'm" | "i\u{2019}m", ..] => 1,
            ["my", "name", "is"] => 3,
            _ => continue,
        };
        let words: Vec<Token> = tokenised[index].iter().copied().filter(Token::is_word).collect();
        let Some(end) = name_run(&words, start, surnames) else { continue };
        let name = words[start..end].iter().map(|t| t.text).collect::<Vec<_>>().join(" ");
        let same_paragraph = |i: usize| {
            segments.get(i).is_some_and(|s| {
                s.kind == SegmentKind::Narration
                    && (s.chapter, s.scene, s.paragraph) == (segment.chapter, segment.scene, segment.paragraph)
            })
        };
        for neighbour in [index + 1].into_iter().chain(index.checked_sub(1)) {
            if !same_paragraph(neighbour) {
                continue;
            }
            let mut tag = BTreeMap::new();
            describe(&tokenised[neighbour], &mut tag);
            for head in tag.into_keys() {
                out.entry(head).or_insert_with(|| name.clone());
            }
        }
    }
    out
}

/// Joins a described character to the one character whose name the description's person gave as they spoke (see
/// [`introductions`]). Returns whether it joined.
fn join_introduced(described: &Character, introduced: &HashMap<String, String>, characters: &mut [Character]) -> bool {
    let head = described.name.rsplit(' ').next().map(key).unwrap_or_default();
    let Some(name) = introduced.get(&head) else { return false };
    let homes: Vec<usize> = (0..characters.len())
        .filter(|&i| characters[i].name == *name || characters[i].aliases.contains(name))
        .collect();
    let [home] = homes[..] else { return false };
    characters[home].aliases.push(described.name.clone());
    characters[home].aliases.extend(described.aliases.iter().cloned());
    true
}

/// Head nouns of descriptions that are not one person (`the other`, `the voice`, `the crowd`).
const NOT_PERSONS: &[&str] = &[
    "other", "others", "one", "first", "second", "latter", "former", "rest", "voice", "voices", "crowd", "people",
    "men", "women", "children", "words", "answer", "reply", "question", "same", "whole", "two", "three", "company",
    "party", "family", "group", "letter", "note", "paper", "book", "story", "tale", "thing", "door", "way",
];

/// Head nouns that say only what kind of person someone is, not their role in the story.
const PLAIN_PERSONS: &[&str] = &[
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
/// old man`, `the doctor asked`), by head noun.
fn describe(tokens: &[Token], descriptions: &mut BTreeMap<String, BTreeMap<String, usize>>) {
    for (i, token) in tokens.iter().enumerate() {
        // A participle before `by` is passive, no tag (`was the reflection suggested by this order`).
        let passive = tokens.get(i + 1).is_some_and(|t| t.key() == "by");
        if !token.is_word() || !is_speech_verb(&token.key()) || passive {
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
    let end = words.iter().rposition(|t| !t.key().ends_with("ly")).map_or(0, |p| p + 1);
    let words = &words[..end];
    let Some(head) = words.last().map(|t| t.key()) else { return };
    let plural = head.ends_with('s') && !head.ends_with("ss");
    if plural
        || head.ends_with("ly")
        || NOT_PERSONS.contains(&head.as_str())
        || is_action_word(&head)
        || (is_not_name(&head) && title(&head).is_none())
    {
        return;
    }
    let form: Vec<String> = words.iter().map(|t| t.text.replace('\u{2019}', "'").to_lowercase()).collect();
    *descriptions.entry(head).or_default().entry(format!("the {}", form.join(" "))).or_default() += 1;
}

/// Counts, by head noun, the descriptions that open a sentence or clause as the subject of a verb (`The boy
/// wearily dropped his bundle`, `a girl was dancing`): evidence that an unnamed person acts in the story.
fn count_actors(tokens: &[Token], actors: &mut HashMap<String, Evidence>) {
    for (i, token) in tokens.iter().enumerate() {
        if !token.is_word() || !matches!(token.key().as_str(), "the" | "a" | "an") {
            continue;
        }
        let opens =
            i == 0 || !tokens[i - 1].is_word() || matches!(tokens[i - 1].key().as_str(), "and" | "but" | "then");
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
        let plural = head.ends_with('s') && !head.ends_with("ss");
        if !plural && !NOT_PERSONS.contains(&head.as_str()) && !RELATIONS.contains(&head.as_str()) {
            let e = actors.entry(head).or_default();
            e.count += 1;
            match following_pronoun(tokens, i + verb + 1) {
                Some(Gender::Male) => e.male += 1,
                Some(Gender::Female) => e.female += 1,
                _ => {}
            }
        }
    }
}

/// Counts the pronoun speech tags of one narration segment (`he said`, `said she`) and those of someone's relatives
/// (`his mother had replied`), by gender; the first relative of each gender who tags goes to `relatives` (`His
/// mother`).
fn count_pronoun_tags(tokens: &[Token], tags: &mut HashMap<Gender, usize>, relatives: &mut Vec<(Gender, String)>) {
    for (i, token) in tokens.iter().enumerate() {
        if !token.is_word() || !is_speech_verb(&token.key()) {
            continue;
        }
        let pronoun = |j: usize| {
            tokens.get(j).filter(|t| matches!(t.key().as_str(), "he" | "she")).and_then(|t| pronoun_gender(&t.key()))
        };
        // A relative of someone in the story tags as well (`his mother had replied`, `said her father`).
        let relative = |j: usize| {
            let owner =
                j.checked_sub(1).and_then(|o| tokens.get(o)).filter(|t| matches!(t.key().as_str(), "his" | "her"))?;
            let relation = tokens.get(j).map(Token::key).filter(|w| RELATIONS.contains(&w.as_str()))?;
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

/// Collects the indefinite descriptions that tag speech in one narration segment (`said a hard-featured dame of
/// fifty,`, `exclaimed a man in the crowd,`, `said another,`), in the words the text uses, up to the punctuation
/// that ends them.
fn tag_passers_by(tokens: &[Token], passers_by: &mut Vec<String>) {
    for (i, token) in tokens.iter().enumerate() {
        if !token.is_word() || !is_speech_verb(&token.key()) {
            continue;
        }
        let start = i + 1;
        let Some(article) = tokens.get(start).filter(|t| matches!(t.key().as_str(), "a" | "an" | "another" | "one"))
        else {
            continue;
        };
        let words: Vec<&Token> = tokens[start..].iter().take_while(|t| t.is_word()).take(PASSER_BY_WORDS + 1).collect();
        // A description that runs on is a clause, not a name (`said a porter who had come in late`).
        let runs_on = words.len() > PASSER_BY_WORDS;
        // An adverb after the noun belongs to the tag (`said a man quietly`).
        let end = words.iter().rposition(|t| !t.key().ends_with("ly")).map_or(0, |p| p + 1);
        let words = &words[..end];
        let lone = words.len() == 1 && article.key() != "another";
        // Someone's own laugh or word is what the verb gives out, not who speaks (`laughed one of his laughs`,
        // `said a little`, `said another word`).
        let object = words.iter().any(|t| matches!(t.key().as_str(), "his" | "her" | "their" | "its" | "my" | "your"))
            || words.last().is_some_and(|t| NOT_SPEAKERS.contains(&t.key().as_str()));
        // A voice is someone not yet seen, whom the text most often names next (`replied another voice, which
        // Margaret knew to be that of Mrs. Gibson`).
        let voice = words.iter().any(|t| matches!(t.key().as_str(), "voice" | "voices"));
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

/// Last words of an indefinite phrase after a speech verb that say how much or what was said, not who said it.
const NOT_SPEAKERS: &[&str] = &["little", "bit", "while", "moment", "minute", "time", "word", "laugh", "thing", "lot"];

/// The most words an indefinite description of a speaker runs to, its article included.
const PASSER_BY_WORDS: usize = 6;

/// Someone the story describes only as they speak (`said a hard-featured dame of fifty`): a character of their own,
/// named by the description, unless it already names one.
fn add_passers_by(passers_by: &[String], characters: &mut Vec<Character>) {
    for form in passers_by {
        let known =
            characters.iter().any(|c| std::iter::once(&c.name).chain(&c.aliases).any(|n| n.eq_ignore_ascii_case(form)));
        if !known {
            // The head noun is the last word before a preposition or a relative word (`a man in the crowd`).
            let head = form.split(' ').skip(1).map(key).take_while(|w| !ends_description(w)).last();
            let gender = head.and_then(|head| noun_gender(&head)).unwrap_or_default();
            characters.push(Character { name: form.clone(), aliases: Vec::new(), gender, lines: 0 });
        }
    }
}

/// Records the first person of each gender the narration brings in with an indefinite article (`a man behind`,
/// `a lady who met his eyes`), by the gender of their noun: `A man`.
fn introduce_strangers(tokens: &[Token], strangers: &mut Vec<(Gender, String)>) {
    for (i, token) in tokens.iter().enumerate() {
        if !matches!(token.key().as_str(), "a" | "an") {
            continue;
        }
        let words = tokens[i + 1..].iter().take_while(|t| t.is_word() && !is_capitalised(t.text)).take(3);
        for word in words {
            let head = word.key();
            if PLAIN_PERSONS.contains(&head.as_str()) {
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
fn add_strangers(tags: &HashMap<Gender, usize>, candidates: &[(Gender, String)], characters: &mut Vec<Character>) {
    for gender in [Gender::Male, Gender::Female] {
        let tagged = tags.get(&gender).copied().unwrap_or(0);
        if tagged == 0 || characters.iter().any(|c| c.gender == gender) {
            continue;
        }
        if let Some((_, name)) = candidates.iter().find(|(g, _)| *g == gender) {
            characters.push(Character { name: name.clone(), aliases: Vec::new(), gender, lines: 0 });
        }
    }
}

/// Nouns of kinship: `the mother` is someone's mother, most often a character the story names.
const RELATIONS: &[&str] = &[
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

/// Counts the narrator's relatives who tag speech in one narration segment (`said my father`, `my aunt asked`),
/// by relation.
fn count_kin_tags(tokens: &[Token], kin: &mut BTreeMap<String, usize>) {
    let relation = |j: usize| tokens.get(j).map(Token::key).filter(|w| RELATIONS.contains(&w.as_str()));
    let my = |j: usize| tokens.get(j).is_some_and(|t| t.key() == "my");
    for (i, token) in tokens.iter().enumerate() {
        if !token.is_word() || !is_speech_verb(&token.key()) {
            continue;
        }
        let after = relation(i + 2).filter(|_| my(i + 1));
        let before = i.checked_sub(2).and_then(|j| relation(j + 1).filter(|_| my(j)));
        if let Some(relation) = after.or(before) {
            *kin.entry(relation).or_default() += 1;
        }
    }
}

/// Finds the narrator's relatives the narration names (`my brother Robert`, or `my mother … Her name was
/// Duchess.` in the next sentence), by relation.
fn name_kin(tokens: &[Token], surnames: &HashSet<String>, names: &mut BTreeMap<String, String>) {
    for window in tokens.windows(3) {
        let [my, relation, name] = window else { continue };
        if my.key() == "my"
            && RELATIONS.contains(&relation.key().as_str())
            && name.is_word()
            && is_capitalised(name.text)
            && !is_not_name(&name.key())
        {
            names.entry(relation.key()).or_insert_with(|| name.text.trim_end_matches("'s").to_owned());
        }
    }
    // The relative the last sentence or the one before speaks of, with the sentence it is in.
    let mut last: Option<(String, usize)> = None;
    let mut sentence = 0;
    for (i, token) in tokens.iter().enumerate() {
        sentence += usize::from(token.ends_sentence());
        let relation = tokens.get(i + 1).map(Token::key).filter(|r| RELATIONS.contains(&r.as_str()));
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

/// The narrator's relatives who speak, in a first-person story. One the narration names (`my brother Robert`) is
/// that character, `my brother` becoming an alias; one it never names who tags speech twice (`said my father`) is a
/// character of their own (a relative of the narrator's is rarely named later the way `the mother` is).
fn kin(tags: &BTreeMap<String, usize>, names: &BTreeMap<String, String>, characters: &mut Vec<Character>) {
    for (relation, &count) in tags {
        let alias = format!("my {relation}");
        let relative = names
            .get(relation)
            .and_then(|name| characters.iter_mut().find(|c| c.name == *name || c.aliases.iter().any(|a| a == name)));
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

/// Collects the candidate names of one segment and what the text shows about them.
fn gather(
    tokens: &[Token],
    (segment, narration): (usize, bool),
    surnames: &HashSet<String>,
    evidence: &mut BTreeMap<String, Evidence>,
) {
    let mut i = 0;
    while i < tokens.len() {
        let Some(end) = name_run(tokens, i, surnames) else {
            i += 1;
            continue;
        };
        let name = tokens[i..end]
            .iter()
            .map(|t| t.text.trim_end_matches("'s").trim_end_matches("\u{2019}s"))
            .collect::<Vec<_>>()
            .join(" ");
        let e = evidence.entry(name).or_insert_with(|| Evidence { first: segment, ..Evidence::default() });
        e.count += 1;
        if narration {
            e.segments.push(segment);
        }
        let initial = sentence_initial(tokens, i);
        e.inside += usize::from(!initial);
        e.vocatives += usize::from(!narration && vocative(tokens, i, end));
        if narration {
            let word = |j: usize| tokens.get(j).filter(|t| t.is_word()).map(Token::key);
            let possessive = tokens[end - 1].is_possessive();
            let next = word(end);
            let previous = i.checked_sub(1).and_then(word);
            let verb_after =
                !possessive && previous.as_deref() != Some("of") && next.as_deref().is_some_and(is_speech_verb);
            let verb_before = previous.as_deref().is_some_and(is_speech_verb);
            e.tags += usize::from(verb_after || verb_before);
            // After a determiner, a name qualifies a noun (`his London apartments`): the word after it is no verb.
            let modifier = title(&tokens[i].key()).is_none()
                && previous.as_deref().is_some_and(|w| {
                    matches!(w, "his" | "her" | "their" | "my" | "our" | "your" | "its" | "the" | "a" | "an")
                });
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
                || (matches!(previous.as_deref(), Some("was" | "is"))
                    && key_at(i.checked_sub(2)).as_deref() == Some("name"));
            e.appositions += usize::from(apposed || introduced);
            let described = if apposed { apposition_gender(tokens, end) } else { None };
            match described.or_else(|| following_pronoun(tokens, end)) {
                Some(Gender::Male) => e.male += 1,
                Some(Gender::Female) => e.female += 1,
                _ => {}
            }
        }
        i = end;
    }
}

/// Common words that the text uses as a surname, after a title and a first name (`good` for `Captain John Good`):
/// they are names wherever the text capitalises them (`said Good`), though word lists say otherwise.
fn common_word_surnames(segments: &[Vec<Token>]) -> HashSet<String> {
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
                out.insert(last.key());
            }
        }
    }
    out
}

/// The end of the name that starts at token `i`: an optional title, then up to three capitalised words that can
/// be names (or are among the text's `surnames`).
fn name_run(tokens: &[Token], i: usize, surnames: &HashSet<String>) -> Option<usize> {
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
            || (is_not_name(&t.key()) && !surnames.contains(&t.key()))
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
                .is_some_and(|t| matches!(t.key().as_str(), "her" | "his" | "the" | "a" | "my" | "our" | "their"))
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

/// The gender an apposition's nouns show (`Oz, her husband,`).
fn apposition_gender(tokens: &[Token], end: usize) -> Option<Gender> {
    tokens[end..].iter().take_while(|t| !t.ends_sentence()).take(12).find_map(|t| noun_gender(&t.key()))
}

/// The gender of the first third-person pronoun within the next sentence or so after a name, unless another
/// capitalised word comes first.
fn following_pronoun(tokens: &[Token], end: usize) -> Option<Gender> {
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
        if matches!(t.key().as_str(), "he" | "his" | "himself" | "she" | "herself") {
            return pronoun_gender(&t.key());
        }
        if is_capitalised(t.text) && !is_not_name(&t.key()) {
            return None;
        }
    }
    None
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
fn is_place_name(name: &str) -> bool {
    let mut words = name.split_whitespace();
    let first = words.next().map(key).unwrap_or_default();
    let last = words.last().map(key);
    title(&first).is_none() && last.is_some_and(|w| PLACE_WORDS.contains(&w.as_str()))
}

/// Whether the name from token `i` to `end` of a quote is someone addressed: at the quote's start or after a comma,
/// and before a comma or an end mark (`"Henry, don't."`, `"Take care, Aunt Juley."`).
fn vocative(tokens: &[Token], i: usize, end: usize) -> bool {
    let before = i == 0 || tokens[i - 1].text == ",";
    let after = tokens.get(end).is_none_or(|t| matches!(t.text, "," | "!" | "?" | "." | ";"));
    before && after && !tokens[end - 1].is_possessive()
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
fn is_character(name: &str, e: &Evidence, lowercase: &HashMap<String, usize>) -> bool {
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
        return never_lowercase && letters && !ADDRESS_WORDS.contains(&key(name).as_str());
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
    e.inside > 0 || ((e.tags > 0 || e.appositions > 0 || e.actions > 1) && in_lowercase == 0)
}

/// Whether a single name is a short form of a single-word name (`Sid` for `Sidney`).
fn short_form(short: &str, name: &str) -> bool {
    !name.contains(' ') && short.chars().count() >= 3 && name.len() > short.len() && name.starts_with(short)
}

/// Whether every word of `part` appears in `whole`, in order.
fn subsequence(part: &[String], whole: &[String]) -> bool {
    let mut rest = whole.iter();
    part.iter().all(|p| rest.any(|w| w == p))
}

/// Groups accepted names that are the same person, most mentioned group first.
fn merge(
    accepted: &[(&String, &Evidence)],
    all: &BTreeMap<String, Evidence>,
    surnames: &HashSet<String>,
) -> Vec<Character> {
    let mut groups: Vec<Vec<String>> = Vec::new();
    let words = |name: &str| -> Vec<String> {
        name.split_whitespace().filter(|w| title(&key(w)).is_none()).map(str::to_owned).collect()
    };
    let gender = |name: &str| all.get(name).map_or(Gender::Unknown, |e| e.gender(name));
    let compatible = |a: Gender, b: Gender| a == b || a == Gender::Unknown || b == Gender::Unknown;
    let has_title = |name: &str| words(name).len() < name.split_whitespace().count();
    // Longer names first, and a titled name before the same name bare: they are the ones shorter names merge into.
    let mut ordered: Vec<&String> = accepted.iter().map(|(n, _)| *n).collect();
    ordered.sort_by(|a, b| words(b).len().cmp(&words(a).len()).then(has_title(b).cmp(&has_title(a))).then(a.cmp(b)));
    for name in ordered {
        let parts = words(name);
        let titled = parts.len() < name.split_whitespace().count();
        let homes: Vec<usize> = (0..groups.len())
            .filter(|&g| {
                let head = &groups[g][0];
                let head_parts = words(head);
                let same_title = titled && name.split_whitespace().next() == head.split_whitespace().next();
                let shares = if parts.len() == 1 && !titled {
                    (head_parts.len() > 1 && (head_parts.first() == parts.first() || head_parts.last() == parts.last()))
                        || (head_parts == parts && has_title(head))
                        || short_form(&parts[0], head)
                        || short_form(head, name)
                } else if same_title && head_parts.len() > parts.len() && head_parts.last() == parts.last() {
                    // `Dr. Archie` joins `Dr. Howard Archie`.
                    subsequence(&parts, &head_parts)
                } else if parts.len() == 1 {
                    // `Miss Woodhouse` joins `Emma Woodhouse`, not `Mr. Woodhouse`.
                    head_parts.len() > 1 && head_parts.last() == parts.last() && !head.contains('.')
                } else {
                    false
                };
                // Every name of the group must fit: `Mr. Pett` does not join `Mrs. Pett` through `Nesta Pett`.
                shares && groups[g].iter().all(|n| compatible(gender(name), gender(n)))
            })
            .collect();
        match homes[..] {
            [home] => groups[home].push(name.clone()),
            [] => groups.push(vec![name.clone()]),
            _ => {} // a part shared by several people (`Bennet`) is nobody's alias
        }
    }
    // Names the text uses without enough evidence of their own join the one character they name: a first or
    // last name (`Bennet` → `Mr. Bennet`) or a short form (`Wil` → `Willow`).
    // Each name of each group with its untitled words, worked out once: the loop below runs over every name the
    // text uses.
    let mut names: Vec<Vec<(String, Vec<String>)>> =
        groups.iter().map(|g| g.iter().map(|n| (n.clone(), words(n))).collect()).collect();
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
            names[home].push((short.clone(), words(short)));
        }
    }
    // A full name the text uses joins the characters of its first and its last name (`Gabriel Oak` joins
    // `Gabriel` and `Oak`), or the one character named by its last name alone when no titled name of that family
    // could be someone else (`Ichabod Crane` joins `Crane`).
    for full in all.keys() {
        let parts: Vec<&str> = full.split_whitespace().collect();
        let [first, last] = parts[..] else { continue };
        if title(&key(first)).is_some() {
            continue;
        }
        let group_of = |n: &str| groups.iter().position(|g| g.iter().any(|m| m == n));
        if let (Some(a), Some(b)) = (group_of(first), group_of(last))
            && a != b
            && compatible(gender(&groups[a][0]), gender(&groups[b][0]))
        {
            let moved = groups.remove(b);
            let a = if b < a { a - 1 } else { a };
            groups[a].extend(moved);
        } else if let (None, Some(b)) = (group_of(full), group_of(last))
            && group_of(first).is_none()
            && groups[b].iter().all(|n| !has_title(n) && compatible(gender(full), gender(n)))
        {
            groups[b].push(full.clone());
        }
    }
    // A titled full name whose surname is a common word joins the one character of that surname, and names it:
    // `Captain John Good` joins `Good`, a name that reads as a word.
    for full in all.keys() {
        let parts: Vec<&str> = full.split_whitespace().collect();
        let [first, _, last] = parts[..] else { continue };
        if title(&key(first)).is_none() || !surnames.contains(&key(last)) {
            continue;
        }
        let homes: Vec<usize> = (0..groups.len()).filter(|&g| groups[g].iter().any(|n| n == last)).collect();
        if let [home] = homes[..]
            && !groups[home].contains(full)
        {
            groups[home].insert(0, full.clone());
        }
    }
    let mut characters: Vec<(usize, Character)> =
        groups.into_iter().map(|group| character_of(group, all, surnames)).collect();
    characters.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.name.cmp(&b.1.name)));
    characters.into_iter().map(|(_, c)| c).collect()
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
    if surnames.contains(&key(&name))
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
    let aliases = group.into_iter().filter(|n| *n != name).collect();
    (total, Character { name, aliases, gender, lines: 0 })
}

#[cfg(test)]
mod tests;
