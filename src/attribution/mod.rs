//! Speaker attribution: fills [`Segment::speaker`](crate::script::Segment::speaker) for dialogue and thought.
//!
//! Each paragraph's quotes are attributed by the first rule that gives a character, strongest first:
//! 1. a continuation of a speech left open in the previous paragraph keeps its speaker;
//! 2. an explicit tag right after or right before the quote (`"…," said Emma`, `Emma said, "…"`, `she exclaimed`);
//!    a quote that ends with a comma promises a tag, so the narration after it is one whatever its verb (`"Aw,"
//!    fleered Happy Jack`). The tag's subject is:
//!    - a name or an alias: that character; `I`: the first-person narrator;
//!    - a pronoun: the speaker whose tag alone stands between it and the quote before (`"…," said my uncle. "…,"
//!      he added`), else the person the quote just before called by name, when of that gender (`"…, Robert," said
//!      she. "My dear!" he cried.`), else the nearest character of that gender in mentions, other than one the tag
//!      speaks to (`said he to Temple`) or its clause names after it (`He beckoned Kronborg in and said:`). A
//!      subject counts nearer than a name in passing, the scene's focus nearer still, and a pronoun that opens a
//!      sentence of narration is a mention of the character it resolves to, as is every quote of its speaker. It is
//!      never the first-person narrator, who is `I`;
//!    - a description: the one character with its title (`said the doctor` for Dr. Archie) or the name it holds
//!      (`said the burly Moze`), the narrator's parent for `cried my mother` (the Mrs. or Mr. with the narrator's
//!      surname), else the nearest character of its gender other than the speaker just heard, even with narration
//!      between (`said the girl`), unless its verb says the speaker goes on (`continued the prostrate man`): then
//!      the speaker just heard, when of its gender;
//!    - a relation: the person the quote just before called by name (`"Am I right, Jack?" / "…," said my uncle`),
//!      else the one person it spoke of (`"I am sure Florence joins with me----" / "…," said his cousin`);
//!    - a new person (`another voice breathed`): left to the scene's later narration (below);
//!    - a definite description, a relation or a pronoun that no rule resolves (`said the young man`, `said his
//!      uncle`, `she said` with no woman in sight): left to the rules for untagged quotes, whose guess must then
//!      have the tag's gender, never be the first-person narrator and, for a description or a relation, not be the
//!      speaker just heard, for a pronoun not whom the tag says hears or is spoken to (`Mary heard her say.`);
//! 3. the other quotes of a paragraph with a tag share that tag's speaker, unless they call that speaker by name (`'…,'
//!    observed Fergus. 'Nonsense, Fergus!'`) or a sentence after the tag's shows someone else acting before them (`"…!"
//!    cried the ladies. Mrs. Griffin, however, wanted more light. "…"`: hers), and a tag before its quote lends its
//!    speaker to no quote before it (`"Good night." He left; whereupon Mrs. Griffin spoke. "…"`); a paragraph of
//!    narration that ends with a tag and a colon (`she abruptly asked:`) or a dash (`and said at once--`) tags the
//!    quote that opens the next paragraph;
//! 4. an action beat in the same paragraph: the character (or pronoun, or description that fits one character:
//!    `The doctor shut the door.`) that opens the sentence before the quote or, failing that, one of the two after
//!    it (`Xander let go slowly. "…"`, `Buffy's voice was sharp.`), or the one it watches (`I can see Douglas there
//!    before the fire.`), or whose voice the sentence speaks of (`Fear crept into her voice.`), unless a sentence
//!    after the quote says what someone of the other gender meant or said: its subject listens (`Philip did not
//!    know what she meant.`);
//! 5. the last speaker, when a paragraph of narration answered them without words (`A nod was the answer.`, `I shook
//!    my head.`, `There was no reply.`);
//! 6. the person addressed by name, or by a title only they hold (`"Good evening, doctor."`), in the previous
//!    paragraph's quotes answers (`"Please Wil, don't."`), even after a paragraph of narration, and once the
//!    scene is read, a guessed turn is the person the next turn addresses;
//! 7. the character who acts in the last sentence of the previous paragraph, or whose voice it speaks of, or whose
//!    lips let words out (`a muttered oath escaped his lips`);
//! 8. turn-taking: in an exchange A, B the next untagged quote is A's.
//!
//! Reading forward cannot use a tag that comes after a guess, so once the scene is read each exchange is settled
//! (see `settle_exchanges`): the guessed turns between two turns the text anchors are fitted to both, by two
//! people alternating when that explains the anchors (a third person tagged at the end of a run comes in there: the
//! run goes on with the two who spoke before it), and the untagged turns that open an exchange alternate back from
//! its first anchor.
//!
//! A new person a tag brings in (`asked a gentleman`) is the first character of their gender the narration names after
//! the quote and had not named in the scene before (see `newcomers`), and a later tag that describes them by the same
//! noun (`said the gentleman`) is them again (see `described_again`), as is a tag naming the narrator's relation (`said
//! my uncle`) that another tag showed to be someone (see `relations_again`). A turn that still has nobody takes the
//! first character named as a subject after it in the scene, else the first one the scene names there for the first
//! time (see `look_ahead`), as does a voice a paragraph of narration announces (`Then a voice spoke, shattering his
//! dream of solitude.` / `"Hello, pop!"`), which is no one already on stage.
//!
//! Throughout, a character named inside the quote is taken to be addressed, never the speaker, except one the speaker
//! introduces as themself (`"I am Mary Lennox"`, or a name that answers a question for one: `"What name?"` /
//! `"Greyson,--office on second floor."`), who is the speaker when no tag says otherwise. A name in words the speaker
//! quotes (`you made reply 'Good night, Sir John'`) counts for neither. A group that speaks together (`The ladies`)
//! speaks only the lines a tag, a beat or a tagged quote of the same paragraph gives it, never a guessed turn.

mod lexicon;
mod names;
mod tags;
mod words;

pub(crate) use lexicon::{
    ends_description, is_action_word, is_explicit_filler, is_group_noun, is_indefinite_person, is_not_name,
    is_place_preposition, is_sentence_opener, is_speech_verb, is_speech_verb_at, noun_gender, pronoun_gender, title,
    title_noun,
};
use lexicon::{is_past_or_common_verb, is_perception_verb};
pub(crate) use tags::after_aside;
pub(crate) use words::{Token, is_capitalised, key, sentence_initial, sentences, tokens};

use std::borrow::Cow;
use std::collections::HashMap;

use crate::characters::{Gender, Roster};
use crate::script::{Script, Segment, SegmentKind};
use crate::story::Story;
use names::{Mention, NameIndex};
use tags::{Found, Subject};

/// Confidence of each rule, strongest first.
mod confidence {
    pub const NAMED_TAG: f32 = 0.95;
    pub const NARRATOR_TAG: f32 = 0.9;
    pub const PRONOUN_TAG: f32 = 0.85;
    pub const DESCRIPTION: f32 = 0.6;
    pub const SAME_PARAGRAPH: f32 = 0.9;
    pub const BEAT: f32 = 0.75;
    pub const ADDRESSEE: f32 = 0.65;
    pub const LAST_ACTOR: f32 = 0.6;
    pub const TURN: f32 = 0.55;
    pub const OTHER: f32 = 0.35;
    pub const UNKNOWN: f32 = 0.2;
}

/// How many paragraphs with quotes turn-taking looks back over for the last speaker's partner.
const TURN_WINDOW: usize = 6;

/// How many recent mentions pronoun resolution looks back over.
const SALIENCE_WINDOW: usize = 40;

/// How much further, in mentions, pronoun resolution counts a character named in passing (`Ann's hat`, `saw Ann`)
/// than one named as a subject: the subject of the last sentence outranks a name in passing since (`Ann looked at
/// Kate's hat. She…` is Ann), while an older subject does not outrank a fresh mention (`A sense of helplessness
/// came upon Mr. Pett. "…," he said`).
const IN_PASSING: usize = 2;

/// How much nearer, in mentions, pronoun resolution counts the focus: the character most often the subject
/// among the recent mentions, whom a pronoun most likely goes on about.
const FOCUS: usize = 4;

/// Gives every dialogue and thought segment a speaker from the roster (or `None`) and a confidence.
pub fn attribute(story: &Story, script: &mut Script, roster: &Roster) {
    let names = NameIndex::new(roster);
    let mut state = State::default();
    let mut turns: Vec<Turn> = Vec::new();
    for range in paragraphs(&script.segments) {
        let first = &script.segments[range.start];
        let place = (first.chapter, first.scene);
        if state.place != Some(place) {
            if state.place.is_some_and(|(chapter, _)| chapter != place.0) {
                state.recent.clear();
            }
            state.history.clear();
            state.previous = Previous::default();
            state.place = Some(place);
        }
        let paragraph = Paragraph::new(&story.text, &script.segments[range.clone()], &names, state.previous.asked_name);
        if let Some(mut turn) = state.attribute(&paragraph, &names) {
            turn.at = (place.0, place.1, first.paragraph);
            for (offset, _) in &mut turn.quotes {
                *offset += range.start;
            }
            turns.push(turn);
        }
    }
    answered(&mut turns, &names);
    let scenes = scene_spans(&script.segments);
    state.mentions.sort_unstable();
    newcomers(&mut turns, &state.mentions, &scenes, &script.segments, &names);
    described_again(&mut turns);
    relations_again(&mut turns, &story.text, &names);
    settle_exchanges(&mut turns, &names);
    state.subjects.sort_unstable();
    look_ahead(&mut turns, &state.subjects, &state.mentions, &scenes, &script.segments, &names);
    for turn in turns {
        for (i, (speaker, confidence)) in turn.quotes {
            let segment = &mut script.segments[i];
            segment.speaker = speaker.map(|who| roster.characters[who].name.clone());
            segment.confidence = confidence;
        }
    }
}

/// One paragraph with quotes, as the exchange it belongs to sees it.
#[derive(Debug, Default)]
struct Turn {
    /// The paragraph's place: chapter, scene, paragraph.
    at: (usize, usize, usize),
    /// Its dialogue and thought segments (indices into the script) and their attributions.
    quotes: Vec<(usize, Attribution)>,
    /// Its speaker was found by a tag, a beat, a continued speech, the person addressed or the last actor, not
    /// guessed by turn-taking from the paragraphs around it.
    anchored: bool,
    /// The characters its quotes name, who are spoken to or about and so are not its speaker.
    excluded: Vec<usize>,
    /// The gender of a tag that named nobody (`she said`), which its speaker must have.
    gender: Option<Gender>,
    /// The person its first quote addresses by name.
    addressee: Option<usize>,
    /// The description its tag gives of a speaker it does not name (`asked a gentleman`, `said the gentleman`).
    description: Option<Description>,
    /// The narrator's relation its tag names (`said my uncle`): the byte where it opens, and whether the tag
    /// found who they are.
    relation: Option<(usize, bool)>,
}

/// A speaker a tag describes without naming (`a gentleman on his way to his office`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Description {
    /// The head noun, lowercase (`gentleman`).
    head: String,
    /// The gender its nouns show.
    gender: Gender,
    /// Whether it is definite (`the gentleman`), so may be someone already met, or brings in a new person.
    definite: bool,
}

impl Turn {
    fn first(&self) -> Option<usize> {
        self.quotes.first().and_then(|(_, (who, _))| *who)
    }

    fn last(&self) -> Option<usize> {
        self.quotes.last().and_then(|(_, (who, _))| *who)
    }

    /// Whether any of its quotes has a speaker.
    fn speaks(&self) -> bool {
        self.quotes.iter().any(|(_, (who, _))| who.is_some())
    }

    /// Whether `who` may speak this turn.
    fn admits(&self, who: usize, names: &NameIndex) -> bool {
        let gender = names.gender(who);
        !self.excluded.contains(&who)
            && !names.is_group(who)
            && self.gender.is_none_or(|g| g == Gender::Unknown || gender == Gender::Unknown || g == gender)
    }

    /// Gives every quote of the turn to `who`, with `confidence`.
    fn set(&mut self, who: usize, confidence: f32) {
        for (_, attribution) in &mut self.quotes {
            *attribution = (Some(who), confidence);
        }
    }
}

/// Most paragraphs of narration between two paragraphs with quotes of one exchange.
const EXCHANGE_GAP: usize = 1;

/// Settles the guessed turns of every exchange (paragraphs with quotes, at most [`EXCHANGE_GAP`] paragraphs
/// apart) between the turns whose speakers the text gives. Turn-taking reads forward, so it cannot use a tag that
/// comes after the guesses; here, each run of guesses is fitted to the anchored turns on both sides of it:
/// - between two anchors that two people alternating explains (`A … A` an even number of turns apart, `A … B` an
///   odd number), the run alternates them, except that when `B` is a third person, not the one `A` answered, the
///   run goes on with `A` and the one they answered: a writer tags someone new as they come in;
/// - between two that it does not (someone spoke twice running, or a third person), the half of the run nearer
///   the later anchor is swapped when it would otherwise lead its speaker into speaking twice;
/// - before the first anchor of an exchange, the run alternates backwards from it with the anchor's partner.
fn settle_exchanges(turns: &mut [Turn], names: &NameIndex) {
    let mut start = 0;
    while start < turns.len() {
        let mut end = start + 1;
        while end < turns.len() && same_exchange(&turns[end - 1], &turns[end]) {
            end += 1;
        }
        settle_exchange(&mut turns[start..end], names);
        start = end;
    }
}

fn same_exchange(a: &Turn, b: &Turn) -> bool {
    a.at.0 == b.at.0 && a.at.1 == b.at.1 && b.at.2 <= a.at.2 + 1 + EXCHANGE_GAP
}

fn settle_exchange(turns: &mut [Turn], names: &NameIndex) {
    let mut i = 0;
    while i < turns.len() {
        if turns[i].anchored {
            i += 1;
            continue;
        }
        let start = i;
        while i < turns.len() && !turns[i].anchored {
            i += 1;
        }
        settle_run(turns, start..i, names);
    }
}

/// Fits the guessed turns `run` to the anchored turns around it (see [`settle_exchanges`]).
fn settle_run(turns: &mut [Turn], run: std::ops::Range<usize>, names: &NameIndex) {
    let Some(right) = turns.get(run.end).and_then(Turn::first) else { return };
    let left = run.start.checked_sub(1).map(|l| turns[l].last());
    // The speakers of the run, from its first turn on, when two people alternate with `right` speaking at the end.
    let (even, odd) = match left {
        Some(Some(left)) => {
            let distance = run.len() + 1;
            let alternates = distance.is_multiple_of(2) == (left == right);
            if !alternates {
                swap_before(turns, run, right, left);
                return;
            }
            if distance.is_multiple_of(2) {
                let partner = run.start.checked_sub(2).and_then(|p| turns[p].last()).filter(|&p| p != left);
                let Some(partner) =
                    partner.or_else(|| turns[run.clone()].iter().find_map(Turn::first).filter(|&g| g != left))
                else {
                    return;
                };
                (partner, left)
            } else {
                // A third person coming in at the end is tagged as they come: the run goes on with the two who
                // spoke before it (`"Who?" said I.` / `"Father Flynn."` / `"Is he dead?"` / … / `"…," said my aunt`).
                let partner = run.start.checked_sub(2).and_then(|p| turns[p].last()).filter(|&p| p != left);
                (partner.unwrap_or(right), left)
            }
        }
        Some(None) => return,
        None => {
            let partner = turns.get(run.end + 1).and_then(Turn::first).filter(|&p| p != right);
            let guess = || turns[run.end - 1].first().filter(|&g| g != right);
            let Some(partner) = partner.or_else(guess) else { return };
            if run.len().is_multiple_of(2) { (right, partner) } else { (partner, right) }
        }
    };
    let speaker = |k: usize| if k.is_multiple_of(2) { even } else { odd };
    if (0..run.len()).all(|k| turns[run.start + k].admits(speaker(k), names)) {
        for k in 0..run.len() {
            turns[run.start + k].set(speaker(k), confidence::TURN);
        }
    }
}

/// A run of guesses between `left` and `right` that two people alternating cannot explain: when its last guess
/// is `right` itself, the half nearer `right` has its two talkers swapped, so nobody leads into speaking twice.
fn swap_before(turns: &mut [Turn], run: std::ops::Range<usize>, right: usize, left: usize) {
    if turns[run.end - 1].last() != Some(right) {
        return;
    }
    let other =
        turns[run.clone()].iter().flat_map(|t| t.quotes.iter().filter_map(|(_, (who, _))| *who)).find(|&w| w != right);
    let Some(b) = other.or(Some(left).filter(|&l| l != right)) else { return };
    let a = right;
    for turn in &mut turns[run.start + run.len() / 2..run.end] {
        for (_, (who, _)) in &mut turn.quotes {
            *who = match *who {
                Some(w) if w == a => Some(b),
                Some(w) if w == b => Some(a),
                other => other,
            };
        }
    }
}

/// Gives a guessed turn the person the next turn of its exchange addresses by name, since an answer names who
/// spoke (`"Tommy, old thing!"` / `"Tuppence, old bean!"`), and makes it an anchor for settling the exchange.
fn answered(turns: &mut [Turn], names: &NameIndex) {
    for t in 0..turns.len().saturating_sub(1) {
        let (turn, next) = (&turns[t], &turns[t + 1]);
        if turn.anchored || !same_exchange(turn, next) {
            continue;
        }
        let Some(who) = next.addressee.filter(|&w| turn.admits(w, names) && next.first() != Some(w)) else { continue };
        turns[t].set(who, confidence::ADDRESSEE);
        turns[t].anchored = true;
    }
}

/// The byte span of each scene of the story, by (chapter, scene).
type Scenes = HashMap<(usize, usize), std::ops::Range<usize>>;

fn scene_spans(segments: &[Segment]) -> Scenes {
    let mut scenes = Scenes::new();
    for segment in segments {
        let span = segment.span.start..segment.span.end;
        scenes.entry((segment.chapter, segment.scene)).and_modify(|r| r.end = span.end).or_insert(span);
    }
    scenes
}

/// How far after a new person's quote, in bytes, the scene may name them.
const NEWCOMER_REACH: usize = 6000;

/// Gives a turn whose tag brings in a new person (`"How much?" asked a gentleman`) the first character of that
/// person's gender whom the narration names after it, within [`NEWCOMER_REACH`] bytes of the same scene, and had
/// not named in the scene before it: the writer introduces someone by description and names them once they matter
/// (`The officer, whose name was Blakeney`).
fn newcomers(
    turns: &mut [Turn],
    mentions: &[(usize, usize)],
    scenes: &Scenes,
    segments: &[Segment],
    names: &NameIndex,
) {
    for turn in turns.iter_mut() {
        let Some(gender) = turn.description.as_ref().filter(|d| !d.definite).map(|d| d.gender) else { continue };
        if turn.speaks() {
            continue;
        }
        if let Some(who) = newcomer(turn, gender, mentions, scenes, segments, names) {
            turn.set(who, confidence::OTHER);
        }
    }
}

/// The first character of `gender` whom the narration names after the turn, within [`NEWCOMER_REACH`] bytes of the
/// same scene, and had not named in the scene before it, of those the turn admits.
fn newcomer(
    turn: &Turn,
    gender: Gender,
    mentions: &[(usize, usize)],
    scenes: &Scenes,
    segments: &[Segment],
    names: &NameIndex,
) -> Option<usize> {
    let (Some(&(first, _)), Some(&(last, _))) = (turn.quotes.first(), turn.quotes.last()) else { return None };
    let scene = scenes.get(&(turn.at.0, turn.at.1))?;
    let (start, end) = (segments[first].span.start, segments[last].span.end);
    let from = mentions.partition_point(|&(at, _)| at < scene.start);
    let here = mentions.partition_point(|&(at, _)| at < end);
    let met: Vec<usize> = mentions[from..here].iter().filter(|&&(at, _)| at < start).map(|&(_, who)| who).collect();
    let bound = scene.end.min(end + NEWCOMER_REACH);
    let fits = |who: usize| {
        let g = names.gender(who);
        gender == Gender::Unknown || g == Gender::Unknown || g == gender
    };
    first_named(mentions, end, bound, |who| !met.contains(&who) && fits(who) && turn.admits(who, names))
}

/// Gives a turn whose tag describes its speaker as someone already met (`said the gentleman`) the speaker of the
/// scene's latest new person described by the same noun (`asked a gentleman`), once [`newcomers`] has named them.
fn described_again(turns: &mut [Turn]) {
    for t in 0..turns.len() {
        let Some(description) = turns[t].description.as_ref().filter(|d| d.definite) else { continue };
        let place = (turns[t].at.0, turns[t].at.1);
        let earlier = turns[..t]
            .iter()
            .rev()
            .take_while(|e| (e.at.0, e.at.1) == place)
            .find(|e| e.description.as_ref().is_some_and(|d| !d.definite && d.head == description.head));
        if let Some(who) = earlier.and_then(Turn::first) {
            turns[t].set(who, confidence::DESCRIPTION);
        }
    }
}

/// Gives the turns whose tag names one of the narrator's relations (`My uncle … said to me:`) that no rule
/// identified the person another tag found that relation to be (`"Am I right, Jack?" / "…," said my uncle`):
/// the narrator's uncle is the same man throughout.
fn relations_again(turns: &mut [Turn], text: &str, names: &NameIndex) {
    let mut known: HashMap<String, Option<usize>> = HashMap::new();
    for turn in turns.iter() {
        if let (Some((at, true)), Some(who)) = (turn.relation, turn.first())
            && let Some(key) = narrators_relation(text, at, names)
        {
            let entry = known.entry(key).or_insert(Some(who));
            if *entry != Some(who) {
                *entry = None;
            }
        }
    }
    for turn in turns.iter_mut() {
        let Some((at, false)) = turn.relation else { continue };
        let Some(&Some(who)) = narrators_relation(text, at, names).and_then(|key| known.get(&key)) else { continue };
        if !turn.admits(who, names) {
            continue;
        }
        for (_, attribution) in &mut turn.quotes {
            if attribution.1 < confidence::DESCRIPTION {
                *attribution = (Some(who), confidence::DESCRIPTION);
            }
        }
        turn.anchored = true;
    }
}

/// The narrator's relation whose words open at byte `at` (`my uncle`, `our dear old aunt`), as `my uncle`.
fn narrators_relation(text: &str, at: usize, names: &NameIndex) -> Option<String> {
    // A relation is a possessive and at most three more words (see `tags::relation_at`).
    let rest = text.get(at..)?;
    let end = rest.char_indices().nth(80).map_or(rest.len(), |(i, _)| i);
    let tokens = tokens(&rest[..end], at);
    let owner = tokens.first().map(Token::key).filter(|w| w == "my" || w == "our")?;
    let end = tags::relation_end(&tokens, 0, names)?;
    Some(format!("{owner} {}", tokens[end - 1].key()))
}

/// How far after a quote nobody could be found for, in bytes, the first character named as a subject is taken
/// for its speaker.
const LOOK_AHEAD: usize = 1500;

/// Gives the turns that found nobody at all (an exchange that opens a chapter, `"TOM!"`, or a tag the roster has
/// nobody for, `said the day clerk`) the first character named as a subject after them in the same scene, within
/// [`LOOK_AHEAD`] bytes: the writer introduces the speaker right after the first words (`"TOM!" … The old lady
/// pulled her spectacles down`). When no subject is named that near, the first person the scene names after them
/// for the first time (see [`newcomer`]): `"Wake up, Philip," she said.` before anyone else is on stage.
fn look_ahead(
    turns: &mut [Turn],
    subjects: &[(usize, usize)],
    mentions: &[(usize, usize)],
    scenes: &Scenes,
    segments: &[Segment],
    names: &NameIndex,
) {
    for turn in turns.iter_mut() {
        if turn.speaks() {
            continue;
        }
        let Some(&(last, _)) = turn.quotes.last() else { continue };
        let Some(scene) = scenes.get(&(turn.at.0, turn.at.1)) else { continue };
        let end = segments[last].span.end;
        let bound = scene.end.min(end + LOOK_AHEAD);
        let who = first_named(subjects, end, bound, |who| turn.admits(who, names))
            .or_else(|| newcomer(turn, Gender::Unknown, mentions, scenes, segments, names));
        if let Some(who) = who {
            turn.set(who, confidence::OTHER);
        }
    }
}

/// The first character of `named` (byte, character, in byte order) named from byte `from` up to byte `to` that
/// `accept` takes.
fn first_named(named: &[(usize, usize)], from: usize, to: usize, accept: impl Fn(usize) -> bool) -> Option<usize> {
    let start = named.partition_point(|&(at, _)| at < from);
    named[start..].iter().take_while(|&&(at, _)| at < to).map(|&(_, who)| who).find(|&who| accept(who))
}

/// The character most often the subject among `window`'s mentions; of equals, the latest.
fn focus(window: &[Recent]) -> Option<usize> {
    let mut counts: Vec<(usize, usize, usize)> = Vec::new();
    for (i, r) in window.iter().enumerate().filter(|(_, r)| r.subject) {
        match counts.iter_mut().find(|(who, _, _)| *who == r.who) {
            Some(entry) => {
                entry.1 += 1;
                entry.2 = i;
            }
            None => counts.push((r.who, 1, i)),
        }
    }
    counts.into_iter().max_by_key(|&(_, n, last)| (n, last)).map(|(who, _, _)| who)
}

/// The segment ranges of the paragraphs, headings left out.
fn paragraphs(segments: &[Segment]) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let key = |s: &Segment| (s.chapter, s.scene, s.paragraph);
    for (i, segment) in segments.iter().enumerate() {
        if segment.kind == SegmentKind::Heading {
            continue;
        }
        match out.last_mut() {
            Some(range) if range.end == i && key(&segments[range.start]) == key(segment) => range.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// One paragraph, tokenised: its narration pieces and its quotes.
struct Paragraph<'a> {
    pieces: Vec<Piece<'a>>,
}

/// A segment of a paragraph with its tokens and the characters it names.
struct Piece<'a> {
    quote: bool,
    continuation: bool,
    tokens: Vec<Token<'a>>,
    mentions: Vec<Mention>,
    /// The token ranges of its sentences, for narration (the rules that read sentences only read narration).
    sentences: Vec<std::ops::Range<usize>>,
    /// For a quote, the characters it calls by name for certain (see [`addressed`]).
    called: Vec<usize>,
    /// For a quote, the character it addresses first, by the looser test (see [`addressed`]).
    addressee: Option<usize>,
    /// For a quote that answers a question for a name by opening with one (`"What name?"` / `"Greyson,--office
    /// on second floor."`), that character: the speaker giving their own name, not someone called.
    introduces: Option<usize>,
}

impl<'a> Piece<'a> {
    /// Its last token that is not a quote mark: the punctuation that ends a quote or narration.
    fn ending(&self) -> Option<&Token<'a>> {
        self.tokens.iter().rev().find(|t| !t.is_quote_mark())
    }
}

impl<'a> Paragraph<'a> {
    /// Tokenises the paragraph's segments; `asked_name` says the quotes just before asked for someone's name.
    fn new(text: &'a str, segments: &[Segment], names: &NameIndex, asked_name: bool) -> Self {
        let mut pieces: Vec<Piece> = segments
            .iter()
            .map(|s| {
                let tokens = tokens(s.span.of(text), s.span.start);
                let quote = s.kind != SegmentKind::Narration;
                let mut mentions = names.all(&tokens);
                // A name in words the speaker quotes (`you made reply 'Good night, Sir John'`) says nothing of who
                // speaks or listens.
                if quote {
                    let inner = nested_quotes(&tokens);
                    mentions.retain(|m| !inner.iter().any(|r| r.contains(&m.first)));
                }
                if quote {
                    let free = |t: &Mention| !mentions.iter().any(|m| m.first <= t.first && t.first < m.last);
                    let titles: Vec<Mention> = names.called_by_title(&tokens).into_iter().filter(free).collect();
                    mentions.extend(titles);
                    mentions.sort_by_key(|m| m.first);
                }
                let sentences = if quote { Vec::new() } else { sentences(&tokens) };
                let (called, addressee) = if quote {
                    (addressed(&tokens, &mentions, true).collect(), addressed(&tokens, &mentions, false).next())
                } else {
                    (Vec::new(), None)
                };
                Piece {
                    quote,
                    continuation: s.continuation,
                    tokens,
                    mentions,
                    sentences,
                    called,
                    addressee,
                    introduces: None,
                }
            })
            .collect();
        if asked_name && let Some(piece) = pieces.iter_mut().find(|p| p.quote) {
            let first_word = piece.tokens.iter().position(Token::is_word);
            if let Some(m) = piece.mentions.first().filter(|m| Some(m.first) == first_word) {
                let who = m.who;
                piece.introduces = Some(who);
                piece.called.retain(|&c| c != who);
                piece.addressee = piece.addressee.filter(|&a| a != who);
            }
        }
        Self { pieces }
    }

    fn quotes(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.pieces.len()).filter(|&i| self.pieces[i].quote)
    }

    /// The narration right before or after piece `i`, if there is one.
    fn narration(&self, i: Option<usize>) -> Option<&Piece<'a>> {
        self.pieces.get(i?).filter(|p| !p.quote)
    }
}

/// A character mentioned in narration, for pronoun resolution.
#[derive(Debug, Clone, Copy)]
struct Recent {
    at: usize,
    who: usize,
    /// Named as the subject of its sentence (`Ann left`), not in passing (`Ann's hat`, `saw Ann`).
    subject: bool,
}

/// What the previous paragraph leaves for the next one.
#[derive(Debug, Default, Clone, Copy)]
struct Previous {
    /// Who spoke its last quote.
    speaker: Option<usize>,
    /// Who its quotes last addressed by name; for narration, who the quotes of the paragraph before it did.
    addressee: Option<usize>,
    /// Who acts in its last sentence, when it ends with narration.
    last_actor: Option<usize>,
    /// The speech tag it ends with when it is narration announcing the next paragraph's quote (`she asked:`).
    announced: Option<Announcement>,
    /// The one character its last quote speaks of by name, other than its speaker (`"I am sure Florence joins with
    /// me----"`).
    named: Option<usize>,
    /// Its quotes ask for someone's name (`"Tell us your name!"`, `"Who are you?"`); for narration, the quotes
    /// of the paragraph before it did.
    asked_name: bool,
    /// It is narration that answers the quote before it without words (`A nod was the answer.`, `I shook my
    /// head.`, `There was no reply.`): the one who spoke that quote goes on.
    wordless_answer: bool,
}

/// A speech tag that ends a paragraph of narration and announces the quote opening the next one.
#[derive(Debug, Clone, Copy)]
struct Announcement {
    tag: Found,
    /// The first person the tag says is spoken to (see [`spoken_to`]).
    spoken_to: Option<usize>,
    /// Its speaker is a voice not yet seen (`Then a voice spoke`), whom the scene's later narration names.
    voice: bool,
}

/// What attribution remembers while it reads.
#[derive(Debug, Default)]
struct State {
    place: Option<(usize, usize)>,
    recent: Vec<Recent>,
    /// The recent paragraphs with quotes in this scene, oldest first.
    history: Vec<Said>,
    previous: Previous,
    /// The gender of a tag in the current paragraph that named nobody (`she said`), which a guess must fit.
    tag_gender: Option<Gender>,
    /// The speaker just heard, when a tag in the current paragraph describes someone without naming them (`said
    /// his cousin`, `said the young man`): the writer would have used a pronoun for them, so a guess must not be
    /// them.
    tag_other_than: Option<usize>,
    /// Every character named as a subject so far: (byte, character).
    subjects: Vec<(usize, usize)>,
    /// Every character named in narration so far: (byte, character).
    mentions: Vec<(usize, usize)>,
    /// The description a tag in the current paragraph gives of a speaker it does not name.
    description: Option<Description>,
    /// The narrator's relation a tag in the current paragraph names (see [`Turn::relation`]).
    relation: Option<(usize, bool)>,
    /// The speaker the tag of the quote just before gave, when only that tag stands between the two quotes.
    tagged_here: Option<usize>,
}

type Attribution = (Option<usize>, f32);

/// What a paragraph with quotes said, as turn-taking remembers it.
#[derive(Debug, Clone, Copy)]
struct Said {
    /// Who spoke its last quote.
    speaker: Option<usize>,
    /// Who its quotes last addressed by name, other than the speaker.
    addressee: Option<usize>,
}

impl State {
    /// Attributes the quotes of one paragraph: (index of the piece, speaker, confidence) for every quote.
    fn attribute(&mut self, paragraph: &Paragraph, names: &NameIndex) -> Option<Turn> {
        self.remember_mentions(paragraph, names);
        self.tag_gender = None;
        self.tag_other_than = None;
        self.description = None;
        self.relation = None;
        let quotes: Vec<usize> = paragraph.quotes().collect();
        if quotes.is_empty() {
            let last_actor = self.last_actor(paragraph, names);
            self.previous = Previous {
                last_actor,
                announced: announcement(paragraph, names),
                // The person a speech called by name answers it even after a paragraph of narration (`"Good
                // evening, Mr. Kronborg." / His visitor was a tall man… / "Good evening, doctor."`).
                addressee: self.previous.speaker.and(self.previous.addressee),
                asked_name: self.previous.speaker.is_some() && self.previous.asked_name,
                wordless_answer: self.previous.speaker.is_some() && answers_without_words(paragraph, last_actor),
                ..Previous::default()
            };
            return None;
        }
        let (mut found, tagged_before) = self.tag_quotes(paragraph, &quotes, names);
        pronouns_of_the_named(&mut found, names);
        // `He watched her, till she abruptly asked:` ends the paragraph before a quote that opens its own.
        if let Some(announced) = self.previous.announced
            && quotes[0] == 0
            && found[0].is_none()
        {
            let excluded: Vec<usize> = named_in(&paragraph.pieces[0]).into_iter().chain(announced.spoken_to).collect();
            let resolved = self.resolve_tag(announced.tag, names, &excluded);
            // A voice announced (`Then a voice spoke, shattering his dream of solitude.`) is someone not yet seen,
            // not whoever is on stage: the scene's later narration names them (see `look_ahead`).
            found[0] = (resolved.0.is_some() || announced.voice).then_some(resolved);
            if let (None, Subject::Pronoun(gender) | Subject::Relation(gender) | Subject::Someone { gender, .. }) =
                (resolved.0, announced.tag.subject)
            {
                self.tag_gender = Some(gender);
            }
        }
        if paragraph.pieces[quotes[0]].continuation && found[0].is_none() {
            found[0] = Some((
                self.previous.speaker,
                self.history.last().map_or(confidence::TURN, |_| confidence::SAME_PARAGRAPH),
            ));
        }
        interposed_beats(paragraph, &quotes, &mut found, names);
        share_within_paragraph(paragraph, &quotes, &mut found, &tagged_before);
        // A tag in the third person that named nobody (`said my sister-in-law`, `she said`) is never the narrator's.
        let narrator = self.tag_gender.and(names.narrator);
        let mut excluded: Vec<usize> = quotes
            .iter()
            .flat_map(|&i| named_in(&paragraph.pieces[i]))
            .chain(self.tag_other_than)
            .chain(narrator)
            .collect();
        let tagged = found.iter().all(Option::is_some);
        let result: Vec<Attribution> = if tagged {
            found.into_iter().flatten().collect()
        } else {
            // A quote that calls the tagged speaker by name answers them (`'…,' observed Fergus. 'Nonsense,
            // Fergus!'`): it is guessed like an untagged one, and is not theirs.
            excluded.extend(found.iter().flatten().filter_map(|(who, _)| *who));
            let first = quotes[found.iter().position(Option::is_none).unwrap_or(0)];
            let mut guess = self.untagged(paragraph, first, names, &excluded);
            if let (Some(tagged), Some(who)) = (self.tag_gender, guess.0) {
                let gender = names.gender(who);
                if tagged != Gender::Unknown && gender != Gender::Unknown && gender != tagged {
                    guess = (None, confidence::UNKNOWN);
                }
            }
            found.into_iter().map(|f| f.unwrap_or(guess)).collect()
        };
        let last = quotes.len() - 1;
        let speaker = result[last].0;
        // The person the paragraph last addresses by name, in whichever of its quotes (`"Sick, Thea?" he asked.
        // "Why not call us?"`).
        let addressee =
            quotes.iter().rev().find_map(|&q| paragraph.pieces[q].addressee).filter(|&a| Some(a) != speaker);
        self.history.push(Said { speaker, addressee });
        // Whoever speaks is on stage, even when the narration never names them (`"Thank you."` from the Emma just
        // addressed): a mention in passing, at their last quote.
        if let (Some(who), Some(first)) = (speaker, paragraph.pieces[quotes[last]].tokens.first()) {
            self.remember(Recent { at: first.start, who, subject: false });
        }
        self.previous = Previous {
            speaker,
            addressee,
            last_actor: self.actor_after_speech(paragraph, names).filter(|&a| Some(a) != speaker),
            announced: paragraph
                .pieces
                .last()
                .is_some_and(|p| !p.quote)
                .then(|| announcement(paragraph, names))
                .flatten(),
            asked_name: paragraph.quotes().any(|q| asks_name(&paragraph.pieces[q].tokens)),
            named: named_alone(&paragraph.pieces[quotes[last]], speaker),
            wordless_answer: false,
        };
        // A tag anchors the turn, even one that names nobody in the roster; of the guesses, the last actor and the
        // person addressed do, turn-taking does not.
        let anchored = match result[0] {
            (None, _) => tagged,
            (Some(_), confidence) => confidence >= confidence::LAST_ACTOR,
        };
        let first_addressee = paragraph.pieces[quotes[0]].addressee;
        Some(Turn {
            quotes: quotes.into_iter().zip(result).collect(),
            anchored,
            excluded,
            gender: self.tag_gender,
            addressee: first_addressee,
            description: self.description.take(),
            relation: self.relation.take(),
            ..Turn::default()
        })
    }

    /// Records the characters named in the paragraph's narration.
    fn remember_mentions(&mut self, paragraph: &Paragraph, names: &NameIndex) {
        for piece in paragraph.pieces.iter().filter(|p| !p.quote) {
            for m in &piece.mentions {
                let tokens = &piece.tokens;
                let after_verb = m.first.checked_sub(1).is_some_and(|i| is_speech_verb(&tokens[i].key()));
                // A possessive that opens its sentence is its subject when what it owns acts (`John's face
                // brightened`), not when it is only described (`Buffy's voice was sharp`).
                let acts = |t: &Token| {
                    t.is_word()
                        && is_action_word(&t.key())
                        && !matches!(t.key().as_ref(), "was" | "were" | "is" | "are")
                };
                let possessive = tokens[m.last - 1].is_possessive();
                // A name may open its sentence after `The` (`The Mem Sahib wrung her hands.`).
                let the = m.first > 0 && tokens[m.first - 1].key() == "the";
                let opens = sentence_initial(tokens, m.first) || (the && sentence_initial(tokens, m.first - 1));
                let subject = (opens
                    && (!possessive || tokens.get(m.last + 1).is_some_and(acts)))
                    || (!possessive
                        && (after_verb || acts_at(tokens, m.last)))
                    // An apposition to the description before it is the verb's subject (`my good friend, Master
                    // John Rolfe, was without`).
                    || (m.first > 0
                        && tokens[m.first - 1].text == ","
                        && tokens.get(m.last).is_some_and(|t| t.text == ",")
                        && acts_at(tokens, m.last + 1))
                    || (!possessive && joint_subject(tokens, m.last, names));
                self.mentions.push((piece.tokens[m.first].start, m.who));
                self.remember(Recent { at: piece.tokens[m.first].start, who: m.who, subject });
            }
        }
        // A pronoun that opens a sentence carries its character on as the subject (`Willow froze. She felt…`), so
        // a character the narration follows stays near without being named again.
        for piece in paragraph.pieces.iter().filter(|p| !p.quote) {
            for sentence in &piece.sentences {
                if let Some(Found { subject: Subject::Pronoun(gender), at }) =
                    tags::actor(&piece.tokens[sentence.clone()], names)
                    && let Some(who) = self.resolve(gender, at, names, &[])
                {
                    self.remember(Recent { at, who, subject: true });
                }
            }
        }
    }

    fn remember(&mut self, recent: Recent) {
        if recent.subject {
            self.subjects.push((recent.at, recent.who));
        }
        let at = self.recent.partition_point(|r| r.at <= recent.at);
        if let Some(same) =
            at.checked_sub(1).map(|i| &mut self.recent[i]).filter(|r| r.at == recent.at && r.who == recent.who)
        {
            same.subject |= recent.subject;
            return;
        }
        self.recent.insert(at, recent);
        if self.recent.len() > 4 * SALIENCE_WINDOW {
            self.recent.drain(..2 * SALIENCE_WINDOW);
        }
    }

    /// The explicit tag of each of the paragraph's quotes, if it has one (see [`State::tagged`]), and whether that tag
    /// stands before its quote.
    fn tag_quotes(
        &mut self,
        paragraph: &Paragraph,
        quotes: &[usize],
        names: &NameIndex,
    ) -> (Vec<Option<Attribution>>, Vec<bool>) {
        self.tagged_here = None;
        let mut found: Vec<Option<Attribution>> = Vec::with_capacity(quotes.len());
        let mut before: Vec<bool> = Vec::with_capacity(quotes.len());
        for &q in quotes {
            // A tagged speaker goes on only into the quote right after their tag (`"…," said my uncle. "…," he
            // added`), not past more narration.
            let one_sentence = paragraph.narration(q.checked_sub(1)).is_some_and(|p| p.sentences.len() <= 1);
            if !one_sentence || q < 2 || !paragraph.pieces[q - 2].quote {
                self.tagged_here = None;
            }
            let tag = self.tagged(paragraph, q, names);
            before.push(tag.is_some_and(|(_, tag_before)| tag_before));
            let tag = tag.map(|(attribution, _)| attribution);
            self.tagged_here = match tag {
                Some((Some(who), _)) => Some(who),
                _ => None,
            };
            found.push(tag);
        }
        (found, before)
    }

    /// The explicit tag of quote `q`: right after it, else right before it; and whether it stands before it.
    fn tagged(&mut self, paragraph: &Paragraph, q: usize, names: &NameIndex) -> Option<(Attribution, bool)> {
        let excluded = named_in(&paragraph.pieces[q]);
        let next = paragraph.narration(Some(q + 1));
        let promises = paragraph.pieces[q].ending().is_some_and(|t| t.text == ",");
        let after = next.and_then(|p| {
            tags::tag_after(&p.tokens, names)
                .or_else(|| promises.then(|| tags::promised_tag(&p.tokens, names)).flatten())
        });
        let before = || paragraph.narration(q.checked_sub(1)).and_then(|p| tags::tag_before(&p.tokens, names));
        // A pronoun after the quote is the one the narration leading into it names (`The dying Indian … said,
        // in his native language--"…" He spoke those words`), not whoever else of that gender is near.
        let leads_in =
            || paragraph.narration(q.checked_sub(1)).and_then(Piece::ending).is_some_and(|t| !t.ends_sentence());
        let names_before = |gender: Gender| {
            before().is_some_and(|b| {
                matches!(b.subject, Subject::Character(who) if [gender, Gender::Unknown].contains(&names.gender(who)))
            })
        };
        let after = after.filter(|a| match a.subject {
            Subject::Pronoun(gender) => !(leads_in() && names_before(gender)),
            _ => true,
        });
        let Some(found) = after.or_else(before) else {
            return self_named(&paragraph.pieces[q]).map(|who| ((Some(who), confidence::BEAT), false));
        };
        let tag_piece = if after.is_some() { next } else { paragraph.narration(q.checked_sub(1)) };
        let listeners = tag_piece.map(|p| spoken_to(p, found.at)).unwrap_or_default();
        let excluded: Vec<usize> = excluded.into_iter().chain(listeners.iter().copied()).collect();
        let goes_on = tag_piece.is_some_and(|p| tags::goes_on(&p.tokens, found.at));
        let resolved = match (found.subject, self.last_speaker()) {
            // `continued the prostrate man`: the one just heard goes on, when the description fits them.
            (Subject::Someone { gender, definite: true, .. }, Some(last))
                if goes_on && !excluded.contains(&last) && [gender, Gender::Unknown].contains(&names.gender(last)) =>
            {
                (Some(last), confidence::DESCRIPTION)
            }
            _ => self.resolve_tag(found, names, &excluded),
        };
        // `said the young man` or `she said` names someone already met whom no rule identifies: the quote is then
        // as good as untagged, and the rules for untagged quotes (turn-taking, the last actor) guess better than
        // nobody, as long as the guess has the tag's gender.
        let guessable = matches!(
            found.subject,
            Subject::Someone { definite: true, .. } | Subject::Pronoun(_) | Subject::Relation(_)
        );
        if let Subject::Someone { gender, definite, head } = found.subject
            && let Some(word) = tag_piece.and_then(|p| p.tokens.iter().find(|t| t.start == head))
        {
            self.description = Some(Description { head: word.key().into_owned(), gender, definite });
        }
        if resolved.0.is_none() && guessable {
            if let Subject::Someone { gender, .. } | Subject::Pronoun(gender) | Subject::Relation(gender) =
                found.subject
            {
                self.tag_gender = Some(gender);
            }
            // A pronoun no rule resolves is not whom the tag says hears or is spoken to (`Mary heard her say.`).
            self.tag_other_than = if matches!(found.subject, Subject::Pronoun(_)) {
                listeners.first().copied()
            } else {
                self.previous.speaker
            };
            return None;
        }
        // The tag of the quote before names the person this quote calls by name (`'…,' observed Fergus. 'Nonsense,
        // Fergus!'`): it is the answer, not more of the same speech. A quote that is only the name is the speaker
        // giving it (`"Yes," I said, "Jonathan Harker."`).
        let piece = &paragraph.pieces[q];
        let only_a_name = piece.mentions.iter().map(|m| m.last - m.first).sum::<usize>()
            == piece.tokens.iter().filter(|t| t.is_word()).count();
        if after.is_none() && !only_a_name && resolved.0.is_some_and(|who| piece.called.contains(&who)) {
            return None;
        }
        Some((resolved, after.is_none()))
    }

    /// The speaker a tag names, with the tag's confidence.
    fn resolve_tag(&mut self, found: Found, names: &NameIndex, excluded: &[usize]) -> Attribution {
        match found.subject {
            Subject::Character(who) => {
                self.remember(Recent { at: found.at, who, subject: true });
                (Some(who), confidence::NAMED_TAG)
            }
            Subject::Narrator => {
                (names.narrator, if names.narrator.is_some() { confidence::NARRATOR_TAG } else { 0.0 })
            }
            Subject::Pronoun(gender) => {
                // The one the quote just before called by name answers it (`"…, Robert," said she. / "My dear!" he
                // cried.`), however near the narration keeps someone else of that gender.
                // Never the first-person narrator (see `resolve`).
                let other = |w: usize| !excluded.contains(&w) && names.narrator != Some(w);
                let answering = self
                    .previous
                    .speaker
                    .and(self.previous.addressee)
                    .filter(|&a| names.gender(a) == gender && other(a));
                // The speaker the quote before named goes on (`"…," said my uncle. "…," he added`), even one whose
                // gender the roster does not know.
                let here = self.tagged_here.filter(|&w| {
                    let g = names.gender(w);
                    (g == gender || g == Gender::Unknown) && other(w)
                });
                let who = here.or(answering).or_else(|| self.resolve(gender, found.at, names, excluded));
                if let Some(who) = who {
                    self.remember(Recent { at: found.at, who, subject: true });
                }
                (who, if who.is_some() { confidence::PRONOUN_TAG } else { 0.0 })
            }
            Subject::Someone { gender, definite: true, .. } if gender != Gender::Unknown => {
                // A description, not a pronoun: the writer tells this speaker apart from the one just heard, even
                // across a paragraph of narration (`"How do you do?" / The clergyman came forward. / "I am so
                // glad," said the girl`).
                let excluded: Vec<usize> = excluded.iter().copied().chain(self.last_speaker()).collect();
                let who = self.resolve(gender, found.at, names, &excluded);
                if let Some(who) = who {
                    self.remember(Recent { at: found.at, who, subject: true });
                }
                (who, if who.is_some() { confidence::DESCRIPTION } else { confidence::UNKNOWN })
            }
            Subject::Relation(gender) => {
                // A relation answering a quote that called someone by name is them (`"Am I right, Jack?" /
                // "That's my principle," said my uncle`): the name is what the relation is called.
                // Else the one person that quote spoke of (`"I am sure Florence joins with me----" / "Florence can
                // speak for herself," said his cousin`).
                let fits = |&a: &usize| {
                    let g = names.gender(a);
                    (g == gender || g == Gender::Unknown || gender == Gender::Unknown) && !excluded.contains(&a)
                };
                let answering = self
                    .previous
                    .speaker
                    .and(self.previous.addressee)
                    .filter(fits)
                    .or_else(|| self.previous.speaker.and(self.previous.named).filter(fits));
                if let Some(who) = answering {
                    self.remember(Recent { at: found.at, who, subject: true });
                }
                self.relation = Some((found.at, answering.is_some()));
                (answering, if answering.is_some() { confidence::DESCRIPTION } else { confidence::UNKNOWN })
            }
            Subject::Someone { .. } => (None, confidence::UNKNOWN),
        }
    }

    /// The character of `gender` mentioned before byte `at` that is nearest in mentions, counting a mention in
    /// passing [`IN_PASSING`] mentions further and the scene's focus [`FOCUS`] mentions nearer; a character of
    /// unknown gender only when none of `gender` is in the window.
    fn resolve(&self, gender: Gender, at: usize, names: &NameIndex, excluded: &[usize]) -> Option<usize> {
        let end = self.recent.partition_point(|r| r.at < at);
        let window = &self.recent[end.saturating_sub(SALIENCE_WINDOW)..end];
        // `he` and `she` are never the first-person narrator, who is `I`.
        let fits = |r: &&Recent, strict: bool| {
            let g = names.gender(r.who);
            !excluded.contains(&r.who)
                && names.narrator != Some(r.who)
                && (g == gender || (!strict && g == Gender::Unknown))
        };
        // Each candidate's distance in mentions, made longer for a mention in passing and shorter for the focus.
        let focus = focus(window);
        let distance = |d: usize, r: &Recent| {
            (d + if r.subject { 0 } else { IN_PASSING }).saturating_sub(if Some(r.who) == focus { FOCUS } else { 0 })
        };
        let pick = |strict: bool| {
            let candidates = window.iter().rev().enumerate().filter(|(_, r)| fits(r, strict));
            candidates.min_by_key(|&(d, r)| (distance(d, r), d)).map(|(_, r)| r.who)
        };
        pick(true).or_else(|| pick(false))
    }

    /// Who spoke the last paragraph with quotes in this scene, when it is known.
    fn last_speaker(&self) -> Option<usize> {
        self.history.last().and_then(|said| said.speaker)
    }

    /// The character a beat's subject in `sentence` is, resolved: a pronoun is not whom the sentence names after
    /// it.
    fn resolve_actor(
        &mut self,
        found: Found,
        sentence: &[Token],
        names: &NameIndex,
        excluded: &[usize],
    ) -> Option<usize> {
        let who = match found.subject {
            Subject::Character(who) => Some(who),
            Subject::Pronoun(gender) => {
                // Not whom its own sentence names after it (`He beckoned Kronborg in.`).
                let after = names.all(sentence).into_iter().filter(|m| sentence[m.first].start > found.at);
                let excluded: Vec<usize> = excluded.iter().copied().chain(after.map(|m| m.who)).collect();
                self.resolve(gender, found.at, names, &excluded)
            }
            Subject::Narrator => names.narrator,
            Subject::Someone { .. } | Subject::Relation(_) => None,
        }?;
        if matches!(found.subject, Subject::Pronoun(_)) {
            self.remember(Recent { at: found.at, who, subject: true });
        }
        (!excluded.contains(&who)).then_some(who)
    }

    /// Who acts in the last two sentences of the paragraph's final narration, the last first; whose voice the
    /// last sentence speaks of comes before its actor (`He heard Henrietta's voice.`).
    fn last_actor(&mut self, paragraph: &Paragraph, names: &NameIndex) -> Option<usize> {
        let piece = paragraph.pieces.last().filter(|p| !p.quote)?;
        let sentence = |s: &std::ops::Range<usize>| &piece.tokens[s.clone()];
        let voice = piece.sentences.last().and_then(|s| Some((tags::voice_owner(sentence(s), names)?, sentence(s))));
        let (found, tokens) = voice.or_else(|| {
            piece.sentences.iter().rev().take(2).find_map(|s| Some((tags::actor(sentence(s), names)?, sentence(s))))
        })?;
        self.resolve_actor(found, tokens, names, &[])
    }

    /// Who acts in the last sentence of the narration after a paragraph's last quote, when that narration is
    /// more than the quote's own tag (`"…," she said. Tom turned away.`).
    fn actor_after_speech(&mut self, paragraph: &Paragraph, names: &NameIndex) -> Option<usize> {
        let piece = paragraph.pieces.last().filter(|p| !p.quote)?;
        let [.., _, last] = piece.sentences.as_slice() else { return None };
        let sentence = &piece.tokens[last.clone()];
        let found = tags::actor(sentence, names)?;
        self.resolve_actor(found, sentence, names, &[])
    }

    /// The speaker of a paragraph whose quotes have no tag: a beat, the addressee of the previous quote, the
    /// previous paragraph's last actor, or turn-taking.
    fn untagged(&mut self, paragraph: &Paragraph, q: usize, names: &NameIndex, excluded: &[usize]) -> Attribution {
        if let Some(who) = self.beat(paragraph, q, names, excluded) {
            return (Some(who), confidence::BEAT);
        }
        let allowed = |who: Option<usize>| who.filter(|w| !excluded.contains(w));
        // The last speaker goes on when the one they spoke to answered without words (`"Mr. Heathcliff?" I said.
        // / A nod was the answer. / "Mr. Lockwood, your new tenant, sir."`).
        if self.previous.wordless_answer
            && let Some(last) = allowed(self.last_speaker())
        {
            return (Some(last), confidence::LAST_ACTOR);
        }
        // The last speaker goes on when the narration after their quote follows them, rather than the one they
        // called answering (`"…Tom!" / She looked under the bed. She found only the cat. / "I never did see…"`),
        // and when it follows someone who acts on their words and whom this quote calls (`"…Unbutton your
        // jacket!"` / `He opened his jacket.` / `"Bother! … I forgive ye, Tom."`).
        if let (Some(actor), Some(last)) = (self.previous.last_actor, self.last_speaker())
            && (actor == last || paragraph.pieces[q].called.contains(&actor))
            && !excluded.contains(&last)
        {
            return (Some(last), confidence::LAST_ACTOR);
        }
        if let Some(who) = allowed(self.previous.addressee) {
            return (Some(who), confidence::ADDRESSEE);
        }
        if let Some(who) = allowed(self.previous.last_actor) {
            return (Some(who), confidence::LAST_ACTOR);
        }
        // The guesses below never pick a group: it speaks only the lines a tag, a beat or its paragraph gives it.
        let guessable = |who: usize| !excluded.contains(&who) && !names.is_group(who);
        // Turn-taking: the last speaker's partner is the latest different speaker of the exchange, or the person
        // the last speaker called by name since (`"Hulloa, Emma!" he said. / "Am I to come home?" he asked. /
        // "Yes, I've come to fetch you."`).
        if let Some(a) = self.last_speaker() {
            let partner = self.history.iter().rev().take(TURN_WINDOW).find_map(|said| match said.speaker {
                Some(b) if b != a => Some(b),
                Some(_) => said.addressee,
                None => None,
            });
            if let Some(b) = partner.filter(|&b| guessable(b)) {
                return (Some(b), confidence::TURN);
            }
        }
        if let Some(a) = self.last_speaker() {
            let other = self.recent.iter().rev().take(SALIENCE_WINDOW).find(|r| r.who != a && guessable(r.who));
            if let Some(r) = other {
                return (Some(r.who), confidence::OTHER);
            }
        }
        // The most recent subject the quote does not address: at least a guess.
        let focus = self.recent.iter().rev().take(SALIENCE_WINDOW).find(|r| r.subject && guessable(r.who));
        (focus.map(|r| r.who), if focus.is_some() { confidence::OTHER } else { 0.0 })
    }

    /// The actor of the sentence right before quote `q` in its paragraph, else of the first sentences after it;
    /// in each sentence its subject first, then whose voice it speaks of. A character the beat names is excluded
    /// only when the quotes call them by name: one they only speak of may be the speaker speaking of themself
    /// (`Tuppence helped herself to toast. "Abridged biography of Miss Prudence Cowley…"`).
    fn beat(&mut self, paragraph: &Paragraph, q: usize, names: &NameIndex, excluded: &[usize]) -> Option<usize> {
        let before =
            paragraph.narration(q.checked_sub(1)).and_then(|p| p.sentences.last().map(|s| &p.tokens[s.clone()]));
        let after = paragraph.pieces[q + 1..].iter().find(|p| !p.quote);
        let after = after.into_iter().flat_map(|p| p.sentences.iter().take(2).map(|s| &p.tokens[s.clone()]));
        let other_than = self.tag_other_than;
        let spoken_of = |who: usize| {
            !paragraph.quotes().any(|i| paragraph.pieces[i].called.contains(&who))
                && Some(who) != other_than
                && paragraph.quotes().any(|i| paragraph.pieces[i].mentions.iter().any(|m| m.who == who))
        };
        let before = before.map(|sentence| (sentence, false));
        for (sentence, follows) in before.into_iter().chain(after.map(|sentence| (sentence, true))) {
            let found = tags::actor(sentence, names).or_else(|| tags::voice_owner(sentence, names));
            if follows && found.is_some_and(|found| tags::listens(sentence, found, names)) {
                continue;
            }
            if let Some(Found { subject: Subject::Character(who), .. }) = found
                && spoken_of(who)
            {
                return Some(who);
            }
            if let Some(who) = found.and_then(|found| self.resolve_actor(found, sentence, names, excluded)) {
                return Some(who);
            }
        }
        None
    }
}

/// The speech tag that ends a paragraph of narration, announcing the quote that opens the next paragraph (see
/// [`announcing_tag`]), with the first person it says is spoken to (`She turned to Harriet and said:`) and whether
/// it announces a voice not yet seen (`Then a voice spoke`).
fn announcement(paragraph: &Paragraph, names: &NameIndex) -> Option<Announcement> {
    let piece = paragraph.pieces.last()?;
    let tag = announcing_tag(paragraph, piece, names)?;
    let voice = match tag.subject {
        Subject::Someone { definite: false, head, .. } => piece
            .tokens
            .iter()
            .find(|t| t.start == head)
            .is_some_and(|t| matches!(t.key().as_ref(), "voice" | "voices")),
        _ => false,
    };
    Some(Announcement { tag, spoken_to: spoken_to(piece, tag.at).first().copied(), voice })
}

/// Whether a paragraph of narration answers the quote before it without words: someone nods, shakes their head
/// or shrugs (`A nod was the answer.`, `I shook my head.`), or no answer comes (`There was no reply.`). A gesture
/// in the last sentence whose actor is known (`Tommy nodded.`) says more of who speaks next: it is left to the
/// last actor.
fn answers_without_words(paragraph: &Paragraph, last_actor: Option<usize>) -> bool {
    let [piece] = paragraph.pieces.as_slice() else { return false };
    let gesture = |range: &std::ops::Range<usize>| {
        let words: Vec<Cow<str>> = piece.tokens[range.clone()].iter().filter(|t| t.is_word()).map(Token::key).collect();
        words.iter().enumerate().any(|(i, word)| {
            let next = words.get(i + 1).map(AsRef::as_ref);
            match word.as_ref() {
                "nod" | "nodded" | "nods" | "shrugged" | "shrug" => true,
                "shook" => {
                    matches!(next, Some("his" | "her" | "my" | "their"))
                        && words.get(i + 2).is_some_and(|w| w == "head")
                }
                "no" => matches!(next, Some("reply" | "answer" | "response")),
                _ => false,
            }
        })
    };
    let last = piece.sentences.len().saturating_sub(1);
    piece.sentences.iter().enumerate().any(|(i, range)| gesture(range) && (i < last || last_actor.is_none()))
}

/// The tag that ends `piece`, the last of a paragraph: a tag before a colon (`Then she said:`), dashes after it
/// too, as older books print it (`and said sternly:--`), a tag that breaks off into the quote (`and said at
/// once--`), or a last sentence that only says someone spoke (`Then one of the strangers spoke.`), which must be
/// a whole sentence, not the tag of a quote of the same paragraph (`"…," he said.`).
fn announcing_tag(paragraph: &Paragraph, piece: &Piece, names: &NameIndex) -> Option<Found> {
    let last = piece.tokens.iter().rposition(|t| !t.is_quote_mark() && !t.is_dash())?;
    let ending = piece.tokens[last];
    if ending.text == ":" {
        return tags::tag_before(&piece.tokens[..=last], names);
    }
    let last = piece.tokens.iter().rposition(|t| !t.is_quote_mark())?;
    // A tag that breaks off into the quote below it (`and said at once--`).
    if piece.tokens[last].is_dash() && ending.is_word() {
        return tags::tag_before(&piece.tokens[..=last], names);
    }
    let ending = piece.tokens[last];
    if !ending.ends_sentence() {
        return None;
    }
    let start = match piece.tokens[..last].iter().rposition(Token::ends_sentence) {
        Some(end) => end + 1,
        None if paragraph.pieces.len() == 1 => 0,
        None => return None,
    };
    tags::spoke(&piece.tokens[start..last], names)
}

/// Whether the name ending before token `end` shares its verb with the one after `and` (`Herncastle and I met
/// again`, `Emma and Harriet walked on`): it is a subject, as a name right before a verb is.
fn joint_subject(tokens: &[Token], end: usize, names: &NameIndex) -> bool {
    if tokens.get(end).is_none_or(|t| t.key() != "and") {
        return false;
    }
    let partner_end = match tokens.get(end + 1).map(Token::key).as_deref() {
        Some("i" | "he" | "she") => Some(end + 2),
        _ => names.at(tokens, end + 1).map(|m| m.last),
    };
    partner_end.is_some_and(|e| acts_at(tokens, e))
}

/// Whether token `i` is a word that looks like a verb after a subject (see [`is_action_word`]).
fn acts_at(tokens: &[Token], i: usize) -> bool {
    tokens.get(i).is_some_and(|t| t.is_word() && is_action_word(&t.key()))
}

/// A paragraph whose tags name one speaker is theirs: a pronoun tag of their gender that resolved to someone else
/// is them too (`"She is the sweetest girl in the world," said he, … "Did you not notice her?" continued
/// Montraville`). The confidence tells which kind of tag found each speaker.
fn pronouns_of_the_named(found: &mut [Option<Attribution>], names: &NameIndex) {
    let mut tagged: Vec<usize> =
        found.iter().flatten().filter(|f| f.1 == confidence::NAMED_TAG).filter_map(|f| f.0).collect();
    tagged.dedup();
    let [who] = tagged[..] else { return };
    for (speaker, score) in found.iter_mut().flatten() {
        if *score == confidence::PRONOUN_TAG
            && speaker.is_some_and(|w| w != who && names.gender(w) == names.gender(who))
        {
            *speaker = Some(who);
        }
    }
}

/// Gives an untagged quote that follows a tagged one in its paragraph the character a sentence of narration names
/// acting between them, after the tag's own sentence (`"I will!" cried the ladies. Mrs. Griffin, however, wanted
/// more light. "Who was it?"`): someone else has taken up the talk.
fn interposed_beats(paragraph: &Paragraph, quotes: &[usize], found: &mut [Option<Attribution>], names: &NameIndex) {
    for j in 1..quotes.len() {
        let Some((before, _)) = found[j - 1] else { continue };
        if found[j].is_some() {
            continue;
        }
        let Some(piece) = paragraph.narration(quotes[j].checked_sub(1)) else { continue };
        let [_, .., last] = piece.sentences.as_slice() else { continue };
        if let Some(Found { subject: Subject::Character(who), .. }) = tags::actor(&piece.tokens[last.clone()], names)
            && Some(who) != before
        {
            found[j] = Some((Some(who), confidence::BEAT));
        }
    }
}

/// Fills the quotes of a paragraph that have no tag of their own with the nearest tagged quote's speaker,
/// the one before first (`"…," said Emma, "…"`), unless the quote calls that speaker by name (`called`). A later
/// quote whose tag stands before it (`tagged_before`) brings in its own speaker after this quote (`"Good night." He
/// left us; whereupon Mrs. Griffin spoke. "…"`), so it lends nobody backwards.
fn share_within_paragraph(
    paragraph: &Paragraph,
    quotes: &[usize],
    found: &mut [Option<Attribution>],
    tagged_before: &[bool],
) {
    let called: Vec<&[usize]> = quotes.iter().map(|&q| paragraph.pieces[q].called.as_slice()).collect();
    let known: Vec<(usize, Attribution)> = found.iter().enumerate().filter_map(|(i, f)| f.map(|f| (i, f))).collect();
    if known.is_empty() {
        return;
    }
    for (i, slot) in found.iter_mut().enumerate() {
        if slot.is_none() {
            let source = known
                .iter()
                .rev()
                .find(|(k, _)| *k < i)
                .or_else(|| known.iter().find(|(k, _)| *k > i && !tagged_before[*k]));
            *slot = source
                .filter(|(_, (who, _))| !who.is_some_and(|w| called[i].contains(&w)))
                .map(|&(_, (who, c))| (who, c.min(confidence::SAME_PARAGRAPH)));
        }
    }
}

/// The characters named inside a quote: the people spoken to or about, so never its speaker, unless the speaker
/// names themself (`I am Mary Lennox`).
/// The one character a quote names, when it names one only and that is not its speaker.
fn named_alone(piece: &Piece, speaker: Option<usize>) -> Option<usize> {
    let mut named = piece.mentions.iter().map(|m| m.who).filter(|&w| Some(w) != speaker);
    let first = named.next()?;
    named.all(|w| w == first).then_some(first)
}

fn named_in(piece: &Piece) -> Vec<usize> {
    let own = self_named(piece);
    piece.mentions.iter().map(|m| m.who).filter(|&who| Some(who) != own).collect()
}

/// The token ranges of the quotes inside a quote (`"…you made reply 'Good night, Sir John,' as now."`): an
/// opening mark joined to the word after it, up to the next closing mark joined to the token before it.
fn nested_quotes(tokens: &[Token]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, t) in tokens.iter().enumerate() {
        if !t.is_quote_mark() {
            continue;
        }
        let joined_after = tokens.get(i + 1).is_some_and(|n| n.start == t.end && !n.is_quote_mark());
        let spaced_before = i == 0 || tokens[i - 1].end < t.start || !tokens[i - 1].is_word();
        let joined_before = i > 0 && tokens[i - 1].end == t.start;
        let spaced_after = tokens.get(i + 1).is_none_or(|n| n.start > t.end || !n.is_word());
        match open {
            None if joined_after && spaced_before => open = Some(i),
            Some(start) if joined_before && spaced_after => {
                out.push(start..i);
                open = None;
            }
            _ => {}
        }
    }
    out
}

/// The characters a tag says are spoken to (`said he to Temple`, `she snapped at Tom`) or listening (`Mary heard
/// her say`), or who cannot be its pronoun subject (`He beckoned Kronborg in and said`): named right after `to` or
/// `at`, right before a verb of hearing that comes before the tag's subject at byte `at`, or after a subject `he`
/// or `she`, in its sentence.
fn spoken_to(piece: &Piece, at: usize) -> Vec<usize> {
    let tokens = &piece.tokens;
    let Some(subject) = tokens.iter().position(|t| t.start == at) else { return Vec::new() };
    let sentence = piece.sentences.iter().find(|s| s.contains(&subject)).cloned().unwrap_or(0..tokens.len());
    piece
        .mentions
        .iter()
        .filter(|m| sentence.contains(&m.first))
        .filter(|m| {
            let addressed = m.first > sentence.start && matches!(tokens[m.first - 1].key().as_ref(), "to" | "at");
            // The one who hears the speaker is not the speaker (`Mary heard her say`).
            let hears = m.last < subject && tokens.get(m.last).is_some_and(|t| is_perception_verb(&t.key()));
            // A pronoun is not whom its own clause names after it (`He beckoned Kronborg into the room and said`).
            let object = m.first > subject && matches!(tokens[subject].key().as_ref(), "he" | "she");
            addressed || hears || object
        })
        .map(|m| m.who)
        .collect()
}

/// The character a quote's speaker says they are: a name right after `I am`, `I be`, `I'm` or `my name is`, an
/// adjective allowed (`I be plain Jack Durbeyfield`), or the name that opens the answer to a question for one (see
/// [`Piece::introduces`]).
fn self_named(piece: &Piece) -> Option<usize> {
    if piece.introduces.is_some() {
        return piece.introduces;
    }
    let tokens = &piece.tokens;
    let key = |i: usize| tokens.get(i).map(Token::key).unwrap_or_default();
    piece.mentions.iter().find_map(|m| {
        let adjective = m.first >= 1 && matches!(key(m.first - 1).as_ref(), "plain" | "only" | "just" | "poor" | "old");
        let i = if adjective { m.first - 1 } else { m.first };
        let introduced = (i >= 2 && key(i - 2) == "i" && matches!(key(i - 1).as_ref(), "am" | "be"))
            || (i >= 1 && matches!(key(i - 1).as_ref(), "i'm" | "i\u{2019}m"))
            || (i >= 3 && key(i - 3) == "my" && key(i - 2) == "name" && key(i - 1) == "is");
        introduced.then_some(m.who)
    })
}

/// Whether a quote asks for someone's name: `name` in a sentence that ends with `?` or `!` (`"What name?"`,
/// `"Tell us your name!"`), or `who are you?`.
fn asks_name(tokens: &[Token]) -> bool {
    let words: Vec<String> = tokens.iter().map(|t| t.key().into_owned()).collect();
    let asking = |i: usize| tokens[i..].iter().find(|t| t.ends_sentence()).is_some_and(|t| matches!(t.text, "?" | "!"));
    let who_are_you = |i: usize| words[i..].iter().take(3).map(String::as_str).eq(["who", "are", "you"]);
    (0..tokens.len()).any(|i| (words[i] == "name" || who_are_you(i)) && asking(i))
}

/// Whether `word` takes the name after it as its object: a preposition, a conjunction or a verb.
fn governs_a_name(word: &str) -> bool {
    is_place_preposition(word)
        || is_past_or_common_verb(word)
        || matches!(
            word,
            "to" | "of"
                | "for"
                | "with"
                | "from"
                | "by"
                | "about"
                | "and"
                | "or"
                | "than"
                | "love"
                | "see"
                | "tell"
                | "know"
                | "like"
                | "ask"
        )
}

/// The characters a quote addresses by name: a name followed by a comma or an end mark, at the quote's start,
/// after a comma or after a calling word (`"Willow, don't."`, `"Come on Willow."`, `"Please Wil, don't."`), or
/// unless `strict`, anywhere before a comma (`"Sick, Thea?"`, `"I tell you, Edward, we must…"`) but not after a verb
/// or a preposition (`"You love Uncle John, and yet…"`).
fn addressed<'p>(tokens: &'p [Token], mentions: &'p [Mention], strict: bool) -> impl Iterator<Item = usize> + 'p {
    mentions.iter().filter_map(move |m| {
        let after_ok = tokens.get(m.last).is_none_or(|t| matches!(t.text, "," | "!" | "?" | "." | ";" | "\u{2026}"));
        let before = m.first.checked_sub(1).map(|i| tokens[i]);
        let before_ok = before.is_none_or(|t| {
            !t.is_word()
                || matches!(t.key().as_ref(), "oh" | "dear" | "please" | "on" | "my" | "o" | "hey" | "hi" | "hello")
        });
        // A name a verb or a preposition governs is spoken of, comma or not (`You love Uncle John, and yet…`).
        let governed = before.is_some_and(|t| t.is_word() && !is_capitalised(t.text) && governs_a_name(&t.key()));
        let strong_after =
            !strict && !governed && tokens.get(m.last).is_some_and(|t| matches!(t.text, "," | "!" | "?"));
        (after_ok && (before_ok || strong_after)).then_some(m.who)
    })
}

#[cfg(test)]
mod tests;
