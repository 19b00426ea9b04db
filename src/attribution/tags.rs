//! Who a piece of narration says is speaking or acting: speech tags (`said Emma`, `she exclaimed`, `another voice
//! breathed`) and the subject of an action beat (`Xander let go slowly.`, `Buffy's voice was sharp.`).

use super::lexicon;
use super::names::NameIndex;
use super::words::{Token, TokenKind, is_capitalised};
use crate::characters::Gender;

/// Who a tag or a beat names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    /// A roster character, by name or alias.
    Character(usize),
    /// `he`, `she`, `his`, `her`: to be resolved to the most recent character of that gender.
    Pronoun(Gender),
    /// `I` or `my`: the first-person narrator.
    Narrator,
    /// A relation of someone (`his uncle`, `my mother`, `her companion`), with the gender its noun shows: another
    /// person than the possessive's owner, whom no rule identifies without a name.
    Relation(Gender),
    /// A description that names no roster character (`another voice`, `the old man`), with the gender its noun
    /// shows and whether it is definite (`the old man` may be someone already met; `a man`, `another voice` are new).
    Someone {
        /// The gender the description's nouns show.
        gender: Gender,
        /// Opens with `the`, `this` or `that`.
        definite: bool,
        /// Byte offset of its head noun (`gentleman` in `a gentleman on his way`), by which a later description
        /// (`the gentleman`) refers back to the same person.
        head: usize,
    },
}

/// A subject and the byte where the text names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    /// Who.
    pub subject: Subject,
    /// Byte offset of the subject in the story.
    pub at: usize,
}

/// Most words a tag clause may have before its verb and subject are given up on.
const MAX_TAG_WORDS: usize = 12;

/// The clause that opens narration after a quote, where a tag would stand: up to its first clause mark, and
/// [`MAX_TAG_WORDS`] tokens at most.
fn opening_clause<'t, 'a>(tokens: &'t [Token<'a>]) -> &'t [Token<'a>] {
    let clause = &tokens[..tokens.iter().position(Token::ends_clause).unwrap_or(tokens.len())];
    &clause[..clause.len().min(MAX_TAG_WORDS)]
}

/// Who a sentence says spoke, when that is all it says (`Then one of the strangers spoke`, `Buck Mulligan's voice
/// went on`): after the verb come only adverbs or a clause of its own (`, shattering the silence`). `He said
/// nothing` says the opposite, and a verb that may be no speech at all (`sobbed`, `returned`) says too little.
pub(crate) fn spoke(sentence: &[Token], names: &NameIndex) -> Option<Found> {
    let found = tag_after(sentence, names)?;
    let verb = (0..sentence.len()).position(|i| lexicon::is_speech_verb_at(sentence, i))?;
    let rest = &sentence[verb + 1..];
    let end = rest.iter().position(|t| t.text == "," || t.ends_clause()).unwrap_or(rest.len());
    let mut rest = rest[..end].iter().map(Token::key).filter(|w| !lexicon::is_tag_filler(w));
    let announces = match sentence[verb].key().as_ref() {
        "spoke" | "said" | "answered" | "replied" | "continued" | "added" | "began" => rest.next().is_none(),
        "went" => rest.next().as_deref() == Some("on") && rest.next().is_none(),
        _ => false,
    };
    announces.then_some(found)
}

/// The speech tag that opens narration right after a quote: `, said Emma`, `Emma said`, `she exclaimed`,
/// `said the old man`, `another voice breathed`, `interposed, more softly, a young wife`.
pub(crate) fn tag_after(tokens: &[Token], names: &NameIndex) -> Option<Found> {
    let clause = opening_clause(tokens);
    let mut i = skip_fillers(clause, first_word(clause)?);
    // Verb first: `said Emma`, `cried she`.
    if lexicon::is_speech_verb_at(clause, i) {
        return subject_at(clause, skip_fillers(clause, i + 1), names)
            .or_else(|| subject_at(clause, after_aside(clause, i + 1)?, names))
            .map(|(found, _)| found);
    }
    // Subject first: `Emma said`, `the first voice continued`.
    let (found, end) = subject_at(clause, i, names)?;
    i = skip_fillers(clause, end);
    let verb = clause.get(i)?;
    if lexicon::is_perception_verb(&verb.key()) {
        return heard_speaking(clause, i + 1, names);
    }
    // `I answered that it was the fourth of May` reports an answer to the quote, in the narrator's words.
    let reported = || clause.get(i + 1).is_some_and(|t| t.key() == "that");
    (lexicon::is_speech_verb_at(clause, i) && !reported()).then_some(found)
}

/// Who a listener hears speak, from token `i` after the verb of hearing: `Mary heard her say`, `he heard her
/// tell a room full of women`, `she heard one voice say`. The listener is not the speaker.
fn heard_speaking(clause: &[Token], i: usize, names: &NameIndex) -> Option<Found> {
    let object_pronoun = || {
        let token = clause.get(i)?;
        let key = token.key();
        let gender = matches!(key.as_ref(), "him" | "her").then(|| lexicon::pronoun_gender(&key)).flatten()?;
        Some((Found { subject: Subject::Pronoun(gender), at: token.start }, i + 1))
    };
    let (found, end) = subject_at(clause, i, names).or_else(object_pronoun)?;
    let verb = skip_fillers(clause, end);
    (lexicon::is_speech_verb_at(clause, verb) || clause.get(verb)?.key() == "tell").then_some(found)
}

/// The tag after a quote that ends with a comma, which promises one, when its verb is not a known speech verb:
/// `"Aw," fleered Happy Jack`, `"Well," Irish laughed`, `"Come," grunted the old man`. The verb only has to look
/// like one; a verb first needs a named subject or a description (`fleered Happy Jack`), as a pronoun there would
/// be odd, and a verb of hearing (`I heard`) says who listens, not who speaks.
pub(crate) fn promised_tag(tokens: &[Token], names: &NameIndex) -> Option<Found> {
    let clause = opening_clause(tokens);
    let i = first_word(clause)?;
    let verb_like = |t: &Token| t.is_word() && !is_capitalised(t.text) && lexicon::is_action_word(&t.key());
    if verb_like(&clause[i]) {
        let (found, _) = subject_at(clause, i + 1, names)?;
        return matches!(found.subject, Subject::Character(_) | Subject::Someone { .. }).then_some(found);
    }
    // Subject first, a name or a pronoun: a description would run on into an unknown verb (`the man grunted`).
    let (found, end) = subject_at(clause, i, names)?;
    let perceives = |t: &Token| lexicon::is_perception_verb(&t.key());
    let verb = clause.get(skip_fillers(clause, end)).filter(|t| verb_like(t) && !perceives(t));
    (verb.is_some() && matches!(found.subject, Subject::Character(_) | Subject::Pronoun(_) | Subject::Narrator))
        .then_some(found)
}

/// The token after an aside set off by commas that opens at token `i` (`, more softly,` in `interposed, more
/// softly, a young wife`): at most three words.
pub(crate) fn after_aside(tokens: &[Token], i: usize) -> Option<usize> {
    if tokens.get(i)?.text != "," {
        return None;
    }
    let close = (i + 2..tokens.len().min(i + 5)).find(|&j| tokens[j].text == ",")?;
    tokens[i + 1..close].iter().all(Token::is_word).then_some(close + 1)
}

/// Whether the speech verb of the tag whose subject starts at byte `at` says the speaker goes on (`continued the
/// prostrate man`, `the old man went on`), rather than answering.
pub(crate) fn goes_on(tokens: &[Token], at: usize) -> bool {
    let Some(subject) = tokens.iter().position(|t| t.start == at) else { return false };
    let near = subject.saturating_sub(2)..(subject + 6).min(tokens.len());
    near.filter(|&i| lexicon::is_speech_verb_at(tokens, i)).any(|i| {
        let verb = tokens[i].key();
        matches!(verb.as_ref(), "continued" | "resumed" | "pursued" | "persisted" | "repeated" | "went")
    })
}

/// The speech tag that closes narration right before a quote: `Emma said,`, `said Emma:`, `Then she cried,`,
/// `Emma turned to him and said,`, `Jack laughed and Tom looked up and said:`. The narration must end with a comma,
/// colon or dash, as tags do.
pub(crate) fn tag_before(tokens: &[Token], names: &NameIndex) -> Option<Found> {
    let last = tokens.iter().rposition(|t| !t.is_quote_mark())?;
    let ending = tokens[last];
    if ending.ends_sentence() {
        // A whole sentence that is only a tag (`The first voice continued hotly. "…"`), or its last clause (`we
        // heard his step on the stair; whereupon Mrs. Griffin spoke. "…"`).
        let sentence = tokens[..last].iter().rposition(Token::ends_sentence).map_or(0, |p| p + 1);
        let clause = tokens[..last].iter().rposition(Token::ends_clause).map_or(0, |p| p + 1);
        let last_clause =
            || (clause > sentence).then(|| tag_after(&tokens[skip_openers(tokens, clause)..], names)).flatten();
        return tag_after(&tokens[sentence..], names).or_else(last_clause);
    }
    if ending.kind != TokenKind::Punct || !(matches!(ending.text, "," | ":") || ending.ends_clause()) {
        return None;
    }
    let body = &tokens[..last];
    let start = body.iter().rposition(Token::ends_clause).map_or(0, |p| p + 1);
    let clause = &body[start..];
    let verbs: Vec<usize> = (0..clause.len()).filter(|&i| lexicon::is_speech_verb_at(clause, i)).collect();
    let &verb = verbs.last()?;
    // `Mary heard her say,`: the one heard speaks.
    let heard = (1..verb).find(|&j| lexicon::is_perception_verb(&clause[j - 1].key()));
    if let Some(found) = heard.and_then(|j| heard_speaking(&clause[..=verb], j, names)) {
        return Some(found);
    }
    // Subject right before the verb: `Emma said,`, `she softly said,`, and `she told Amory,`, where the name
    // after the verb is who is spoken to.
    for begin in verb.saturating_sub(6)..verb {
        if let Some((found, end)) = subject_at(clause, begin, names)
            && skip_fillers(clause, end) == verb
        {
            return Some(found);
        }
    }
    // Inverted: `said Emma,`.
    if let Some((found, _)) = subject_at(clause, skip_fillers(clause, verb + 1), names) {
        return Some(found);
    }
    // The subject of the last of the joined clauses before the verb: `Jack cracked his fingers and Father Arnall
    // looked at them and said:`.
    let joined = (1..verb).rev().filter(|&j| clause[j - 1].is_word() && lexicon::joins_clauses(&clause[j - 1].key()));
    for begin in joined {
        if let Some((found, end)) = subject_at(clause, begin, names)
            && end < verb
            && clause[end].is_word()
            && lexicon::is_action_word(&clause[end].key())
            && matches!(found.subject, Subject::Character(_) | Subject::Pronoun(_) | Subject::Narrator)
        {
            return Some(found);
        }
    }
    // The clause's own subject: `Emma turned to him and said,`.
    let first = skip_openers(clause, first_word(clause)?);
    subject_at(clause, first, names).map(|(found, _)| found)
}

/// The subject of a sentence of narration, when a character or a pronoun opens it: `Xander let go slowly.`,
/// `Buffy's voice was sharp.`, `And Willow was…`, `Her eyes pleaded…`; or the person its subject watches (see
/// [`seen_by`]).
pub(crate) fn actor(sentence: &[Token], names: &NameIndex) -> Option<Found> {
    let i = skip_openers(sentence, first_word(sentence)?);
    let i = after_participle(sentence, i).unwrap_or(i);
    let token = sentence.get(i)?;
    let key = token.key();
    let mention = names.at(sentence, i);
    let pronoun = token.text == "I" || lexicon::subject_pronoun_gender(&key).is_some();
    let subject_end = if pronoun { Some(i + 1) } else { mention.map(|m| m.last) };
    if let Some(seen) = subject_end.and_then(|end| seen_by(sentence, end, names)) {
        return Some(seen);
    }
    if let Some(m) = mention {
        // `Willow, what…` inside narration is rare; a name followed by text is the subject.
        return Some(Found { subject: Subject::Character(m.who), at: token.start });
    }
    if let Some((subject, _)) = relation_at(sentence, i, names) {
        return Some(Found { subject, at: token.start });
    }
    if let Some(gender) = lexicon::subject_pronoun_gender(&key) {
        return Some(Found { subject: Subject::Pronoun(gender), at: token.start });
    }
    // `The doctor shut the door.`: a description that names the one character it fits (by title, by a word of
    // their name) acts as that character; any other description is someone the beat cannot name.
    if key == "the"
        && let Some(who) = fitting_character(sentence, i + 1, names)
    {
        return Some(Found { subject: Subject::Character(who), at: token.start });
    }
    (token.text == "I" || key == "my").then_some(Found { subject: Subject::Narrator, at: token.start })
}

/// The person the subject ending before token `end` watches, who is what the sentence shows acting: `I can see
/// Douglas there before the fire`, `She saw Tom grin`.
fn seen_by(sentence: &[Token], end: usize, names: &NameIndex) -> Option<Found> {
    let mut j = end;
    while sentence.get(j).is_some_and(|t| matches!(t.key().as_ref(), "can" | "could" | "would" | "might" | "did")) {
        j += 1;
    }
    let verb = sentence.get(j)?.key();
    if !lexicon::is_perception_verb(&verb) && !matches!(verb.as_ref(), "see" | "watch" | "hear" | "observed") {
        return None;
    }
    let m = names.at(sentence, j + 1)?;
    Some(Found { subject: Subject::Character(m.who), at: sentence[j + 1].start })
}

/// Whether the actor a sentence after a quote `found` listens to it rather than speaks it: the sentence says what
/// someone of the other gender meant or said (`Philip did not know what she meant.`).
pub(crate) fn listens(sentence: &[Token], found: Found, names: &NameIndex) -> bool {
    let actor = match found.subject {
        Subject::Character(who) => names.gender(who),
        Subject::Pronoun(gender) => gender,
        _ => return false,
    };
    let reports = |verb: &str, next: Option<&Token>| match verb {
        "meant" | "means" | "said" | "says" | "asked" | "wanted" | "implied" => true,
        "had" | "was" => next
            .is_some_and(|t| matches!(t.key().as_ref(), "meant" | "said" | "saying" | "asked" | "asking" | "driving")),
        _ => false,
    };
    actor != Gender::Unknown
        && sentence.windows(2).enumerate().any(|(i, pair)| {
            lexicon::subject_pronoun_gender(&pair[0].key())
                .is_some_and(|speaker| speaker != Gender::Unknown && speaker != actor)
                && reports(&pair[1].key(), sentence.get(i + 2))
        })
}

/// The one character the description from token `i` to its verb fits (`doctor` for Dr. Archie, `burly Moze`),
/// when a verb follows it.
fn fitting_character(sentence: &[Token], i: usize, names: &NameIndex) -> Option<usize> {
    let noun =
        |t: &Token| t.is_word() && !lexicon::is_action_word(&t.key()) && !lexicon::is_place_preposition(&t.key());
    let end = (i..sentence.len().min(i + 4)).find(|&j| !noun(&sentence[j])).unwrap_or(sentence.len());
    if !sentence.get(end).is_some_and(|t| t.is_word() && lexicon::is_action_word(&t.key())) {
        return None;
    }
    (i..end).find_map(|j| names.at(sentence, j).map(|m| m.who).or_else(|| names.owner_of_word(&sentence[j].key())))
}

/// Whose voice a sentence speaks of (`Fear crept into her voice.`, `in Emma's low voice`), or whose lips words
/// leave (`A muttered oath escaped his lips.`): the speaker of a quote next to it.
pub(crate) fn voice_owner(sentence: &[Token], names: &NameIndex) -> Option<Found> {
    let at = sentence.iter().position(|t| t.is_word() && matches!(t.key().as_ref(), "voice" | "tone" | "lips"))?;
    // Lips speak only when words leave them (`a muttered oath escaped his lips`, not `she kissed his lips`).
    let words_leave = |owner: usize| {
        owner
            .checked_sub(1)
            .is_some_and(|v| matches!(sentence[v].key().as_ref(), "escaped" | "left" | "passed" | "crossed"))
    };
    if sentence[at].key() == "lips" && !at.checked_sub(1).is_some_and(words_leave) {
        return None;
    }
    // The owner stands right before, or before one describing word (`her low voice`).
    for owner in (at.saturating_sub(2)..at).rev() {
        let token = sentence[owner];
        let key = token.key();
        if matches!(key.as_ref(), "his" | "her") {
            return Some(Found { subject: Subject::Pronoun(lexicon::pronoun_gender(&key)?), at: token.start });
        }
        if key == "my" {
            return Some(Found { subject: Subject::Narrator, at: token.start });
        }
        if token.is_possessive() {
            let first = (owner.saturating_sub(2)..=owner)
                .find(|&i| names.at(sentence, i).is_some_and(|m| m.last == owner + 1))?;
            let m = names.at(sentence, first)?;
            return Some(Found { subject: Subject::Character(m.who), at: sentence[first].start });
        }
    }
    None
}

/// The subject that starts at token `i`, and the token after it: a character's name, a pronoun, `I`, or a
/// description of a determiner and up to four more words (`the old man`, `another voice`).
fn subject_at(tokens: &[Token], i: usize, names: &NameIndex) -> Option<(Found, usize)> {
    let token = tokens.get(i)?;
    if !token.is_word() {
        return None;
    }
    if let Some(m) = names.at(tokens, i) {
        if let Some(gender) = owned_relation(tokens, m.last - 1) {
            return Some((Found { subject: Subject::Relation(gender), at: token.start }, m.last + 1));
        }
        return Some((Found { subject: Subject::Character(m.who), at: token.start }, voice_of(tokens, m.last)));
    }
    if let Some((subject, end)) = relation_at(tokens, i, names) {
        return Some((Found { subject, at: token.start }, end));
    }
    let key = token.key();
    // An epithet before a name: `added little Amy`, `poor Tom said`.
    if lexicon::is_epithet(&key)
        && !is_capitalised(token.text)
        && let Some(m) = names.at(tokens, i + 1)
    {
        return Some((Found { subject: Subject::Character(m.who), at: token.start }, voice_of(tokens, m.last)));
    }
    if token.text == "I" {
        return Some((Found { subject: Subject::Narrator, at: token.start }, i + 1));
    }
    if matches!(key.as_ref(), "he" | "she") {
        let gender = lexicon::pronoun_gender(&key).unwrap_or_default();
        return Some((Found { subject: Subject::Pronoun(gender), at: token.start }, i + 1));
    }
    if lexicon::is_determiner(&key) && !matches!(key.as_ref(), "his" | "her" | "my" | "our" | "your" | "their") {
        let mut gender = Gender::Unknown;
        let mut owner = None;
        let mut voice = false;
        // The head noun is the last word before what qualifies it (`a gentleman on his way`).
        let mut head = i + 1;
        let mut qualified = false;
        let mut j = i + 1;
        while j < tokens.len() && j <= i + 4 && tokens[j].is_word() {
            let word = tokens[j].key();
            // `and` ends the description before another verb (`into the room and said`), a pronoun before its
            // own (`after a moment she went on`).
            if lexicon::is_speech_verb_at(tokens, j)
                || (lexicon::is_tag_filler(&word) && !describes_next(tokens, j))
                || lexicon::joins_clauses(&word)
                || matches!(word.as_ref(), "he" | "she" | "i" | "we" | "they")
            {
                break;
            }
            gender = lexicon::noun_gender(&word).unwrap_or(gender);
            voice |= matches!(word.as_ref(), "voice" | "voices");
            owner = names.owner_of_word(&word).or(owner);
            qualified |= lexicon::ends_description(&word);
            if !qualified {
                head = j;
            }
            // `the burly Moze`
            if let Some(m) = names.at(tokens, j) {
                return Some((Found { subject: Subject::Character(m.who), at: token.start }, m.last));
            }
            // `the voice of John Reed`
            if word == "of"
                && let Some(m) = names.at(tokens, j + 1)
            {
                return Some((Found { subject: Subject::Character(m.who), at: token.start }, m.last));
            }
            j += 1;
        }
        if j > i + 1 {
            // `the parson` is the one character named with that word (`Parson Tringham`). A voice, even `the
            // first voice`, is someone the text has not identified yet, so it is never definite.
            let definite = matches!(key.as_ref(), "the" | "this" | "that") && !voice;
            let head = tokens[head].start;
            let subject = owner.map_or(Subject::Someone { gender, definite, head }, Subject::Character);
            return Some((Found { subject, at: token.start }, j));
        }
    }
    None
}

/// The token after `voice` when the possessive name that ends before token `end` owns it (`Buck Mulligan's gay
/// voice went on`): the voice speaks for its owner. Otherwise `end`.
fn voice_of(tokens: &[Token], end: usize) -> usize {
    if !end.checked_sub(1).is_some_and(|last| tokens[last].is_possessive()) {
        return end;
    }
    (end..tokens.len().min(end + 3))
        .take_while(|&j| tokens[j].is_word())
        .find(|&j| matches!(tokens[j].key().as_ref(), "voice" | "voices"))
        .map_or(end, |j| j + 1)
}

/// The gender of the relation right after the possessive at token `j`, when there is one: `Robert's wife`, `my
/// brother's wife` are the wife, not the person who owns her.
fn owned_relation(tokens: &[Token], j: usize) -> Option<Gender> {
    if !tokens.get(j)?.is_possessive() {
        return None;
    }
    tokens.get(j + 1).filter(|t| t.is_word()).and_then(|t| lexicon::relation_gender(&t.key()))
}

/// The token after the relation that starts at token `i` (`my uncle`), whose last word is its noun.
pub(crate) fn relation_end(tokens: &[Token], i: usize, names: &NameIndex) -> Option<usize> {
    relation_at(tokens, i, names).map(|(_, end)| end)
}

/// A relation that starts at token `i` (`his uncle`, `my dear old friend`), and the token after it.
fn relation_at(tokens: &[Token], i: usize, names: &NameIndex) -> Option<(Subject, usize)> {
    let owner = tokens.get(i).filter(|t| t.is_word()).map(Token::key)?;
    if !matches!(owner.as_ref(), "his" | "her" | "my" | "our" | "your" | "their") {
        return None;
    }
    (i + 1..tokens.len().min(i + 4)).take_while(|&j| tokens[j].is_word()).find_map(|j| {
        // `my brother's wife` is the wife, and not the narrator's own relation.
        let chained = owned_relation(tokens, j).is_some();
        let j = if chained { j + 1 } else { j };
        let noun = tokens[j].key();
        let gender = lexicon::relation_gender(&noun)?;
        // The narrator's parent is known by the narrator's surname (`cried my mother` for Mrs. Markham).
        let parent =
            (owner == "my" && !chained && lexicon::is_parent(&noun)).then(|| names.narrators_parent(gender)).flatten();
        Some((parent.map_or(Subject::Relation(gender), Subject::Character), j + 1))
    })
}

/// Whether the word at `j`, which may be an adverb in `-ly`, rather describes the word after it: `the burly Moze`,
/// `the elderly woman`, but not `the man slowly said` or `said the man gravely`.
fn describes_next(tokens: &[Token], j: usize) -> bool {
    tokens.get(j + 1).is_some_and(|next| {
        let key = next.key();
        next.is_word()
            && !lexicon::is_speech_verb_at(tokens, j + 1)
            && !lexicon::is_tag_filler(&key)
            && !lexicon::is_action_word(&key)
    }) && !lexicon::is_explicit_filler(&tokens[j].key())
}

fn first_word(tokens: &[Token]) -> Option<usize> {
    tokens.iter().position(Token::is_word)
}

fn skip_fillers(tokens: &[Token], mut i: usize) -> usize {
    while tokens.get(i).is_some_and(|t| t.is_word() && lexicon::is_tag_filler(&t.key())) {
        i += 1;
    }
    i
}

/// Where the subject stands after a participle phrase that opens a sentence at token `i`: after its comma
/// (`Lifting her into his embrace, Spike captured her lips.`), or at the pronoun that goes on with a verb
/// (`Pushing him away she grinned.`).
fn after_participle(tokens: &[Token], i: usize) -> Option<usize> {
    let key = tokens.get(i).filter(|t| t.is_word())?.key();
    let participle = key.len() > 4
        && key.ends_with("ing")
        && !matches!(
            key.as_ref(),
            "nothing" | "something" | "anything" | "everything" | "morning" | "evening" | "during" | "according"
        );
    if !participle {
        return None;
    }
    for j in i + 1..tokens.len().min(i + PARTICIPLE_WORDS) {
        let token = tokens[j];
        if token.text == "," {
            return Some(skip_openers(tokens, j + 1));
        }
        if !token.is_word() {
            return None;
        }
        let pronoun = matches!(token.key().as_ref(), "he" | "she");
        if pronoun && tokens.get(j + 1).is_some_and(|t| t.is_word() && lexicon::is_action_word(&t.key())) {
            return Some(j);
        }
    }
    None
}

/// The most words a participle phrase that opens a sentence runs to before its subject.
const PARTICIPLE_WORDS: usize = 9;

fn skip_openers(tokens: &[Token], mut i: usize) -> usize {
    while tokens.get(i).is_some_and(|t| !t.is_word() || lexicon::is_sentence_opener(&t.key())) && i + 1 < tokens.len() {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::words::tokens;
    use crate::characters::{Character, Roster};

    fn names() -> NameIndex {
        let character = |n: &str, g| Character { name: n.to_owned(), aliases: vec![], gender: g, lines: 0 };
        NameIndex::new(&Roster {
            characters: vec![character("Emma", Gender::Female), character("Mr. Knightley", Gender::Male)],
        })
    }

    /// The subject with a description's head offset set to 0, for the tests that are not about the head.
    fn plain(found: Found) -> Subject {
        match found.subject {
            Subject::Someone { gender, definite, .. } => Subject::Someone { gender, definite, head: 0 },
            other => other,
        }
    }

    fn after(text: &str) -> Option<Subject> {
        tag_after(&tokens(text, 0), &names()).map(plain)
    }

    fn before(text: &str) -> Option<Subject> {
        tag_before(&tokens(text, 0), &names()).map(plain)
    }

    #[test]
    fn an_aside_between_the_verb_and_its_subject_is_skipped() {
        assert_eq!(after("said, after a pause, Emma."), Some(Subject::Character(0)));
        assert_eq!(
            after("interposed, more softly, the old man."),
            Some(Subject::Someone { gender: Gender::Male, definite: true, head: 0 })
        );
        assert_eq!(after("said, and all the while Emma wept."), None);
    }

    #[test]
    fn beginning_or_going_on_to_do_something_is_no_tag() {
        assert_eq!(after("Emma began."), Some(Subject::Character(0)));
        assert_eq!(after("Emma began to weep."), None);
        assert_eq!(after("Mr. Knightley continued to smile."), None);
        assert_eq!(after("said Emma to him."), Some(Subject::Character(0)));
    }

    #[test]
    fn a_descriptions_head_is_its_noun_before_what_qualifies_it() {
        let head = |text: &str| match tag_after(&tokens(text, 0), &names()).map(|f| f.subject) {
            Some(Subject::Someone { head, .. }) => Some(text[head..head + 6].to_owned()),
            _ => None,
        };
        assert_eq!(head("asked a gentleman on his way to his office.").as_deref(), Some("gentle"));
        assert_eq!(head("said the young officer to him.").as_deref(), Some("office"));
        assert_eq!(head("said a voice in her ear.").as_deref(), Some("voice "));
    }

    #[test]
    fn tags_after_a_quote_name_the_speaker_in_either_order() {
        assert_eq!(after("said Emma, smiling."), Some(Subject::Character(0)));
        assert_eq!(after("Mr. Knightley replied quietly."), Some(Subject::Character(1)));
        assert_eq!(after("Emma softly said."), Some(Subject::Character(0)));
        // Speech reported in the narration's words answers the quote; it is no tag.
        assert_eq!(after("Emma answered that it was the fourth of May."), None);
        assert_eq!(after("She exclaimed. Her arms reached out."), Some(Subject::Pronoun(Gender::Female)));
        assert_eq!(
            after("said the old man."),
            Some(Subject::Someone { gender: Gender::Male, definite: true, head: 0 })
        );
        assert_eq!(
            after("Another voice breathed."),
            Some(Subject::Someone { gender: Gender::Unknown, definite: false, head: 0 })
        );
        assert_eq!(after("said the knightley boy."), Some(Subject::Character(1)));
        // An adjective in `-ly` is part of the description, an adverb is not.
        assert_eq!(after("said the burly Emma."), Some(Subject::Character(0)));
        assert_eq!(
            after("said the elderly woman."),
            Some(Subject::Someone { gender: Gender::Female, definite: true, head: 0 })
        );
        assert_eq!(
            after("the old man slowly said."),
            Some(Subject::Someone { gender: Gender::Male, definite: true, head: 0 })
        );
        assert_eq!(
            after("said the old man gravely."),
            Some(Subject::Someone { gender: Gender::Male, definite: true, head: 0 })
        );
        assert_eq!(after("cried the voice of Emma."), Some(Subject::Character(0)));
        assert_eq!(after("I said."), Some(Subject::Narrator));
        assert_eq!(
            after("The first voice continued."),
            Some(Subject::Someone { gender: Gender::Unknown, definite: false, head: 0 })
        );
    }

    #[test]
    fn a_listener_who_hears_someone_speak_names_the_speaker() {
        assert_eq!(after("Emma heard him say."), Some(Subject::Pronoun(Gender::Male)));
        assert_eq!(after("she heard Mr. Knightley tell a friend."), Some(Subject::Character(1)));
        assert_eq!(
            after("she heard one voice say."),
            Some(Subject::Someone { gender: Gender::Unknown, definite: false, head: 0 })
        );
        assert_eq!(after("Emma heard her sister say."), Some(Subject::Relation(Gender::Female)));
        assert_eq!(after("Emma heard a noise."), None);
        assert_eq!(before("Then Emma heard him say, "), Some(Subject::Pronoun(Gender::Male)));
    }

    #[test]
    fn a_relations_relation_is_the_last_one_named() {
        assert_eq!(after("said my brother's wife."), Some(Subject::Relation(Gender::Female)));
        assert_eq!(after("said Mr. Knightley's wife."), Some(Subject::Relation(Gender::Female)));
        assert_eq!(after("said her son’s nurse."), Some(Subject::Relation(Gender::Unknown)));
    }

    #[test]
    fn a_relation_by_marriage_is_a_relation() {
        assert_eq!(after("said my sister-in-law, who often speaks."), Some(Subject::Relation(Gender::Female)));
        assert_eq!(after("her father-in-law said."), Some(Subject::Relation(Gender::Male)));
    }

    #[test]
    fn a_voice_a_name_owns_speaks_for_it() {
        assert_eq!(after("Emma's low voice went on."), Some(Subject::Character(0)));
        assert_eq!(after("Mr. Knightley’s voice answered."), Some(Subject::Character(1)));
        assert_eq!(after("Emma's face fell."), None);
    }

    #[test]
    fn lips_that_let_words_out_speak_for_their_owner() {
        let owner = |text: &str| voice_owner(&crate::attribution::tokens(text, 0), &names()).map(plain);
        assert_eq!(owner("A muttered oath escaped his lips."), Some(Subject::Pronoun(Gender::Male)));
        assert_eq!(owner("Emma kissed his lips."), None);
        assert_eq!(owner("When he felt her fangs against his lips, a thrill rushed through him."), None);
    }

    #[test]
    fn a_sentence_says_who_spoke_only_when_that_is_all_it_says() {
        let spoke = |text: &str| spoke(&tokens(text, 0), &names()).map(plain);
        assert_eq!(spoke("Then Emma spoke"), Some(Subject::Character(0)));
        assert_eq!(spoke("Mr. Knightley went on, turning to her"), Some(Subject::Character(1)));
        assert_eq!(
            spoke("Then one of the strangers spoke"),
            Some(Subject::Someone { gender: Gender::Unknown, definite: false, head: 0 })
        );
        assert_eq!(spoke("Mr. Knightley said nothing"), None);
        assert_eq!(spoke("Emma went home"), None);
        assert_eq!(spoke("Emma sobbed"), None);
        assert_eq!(spoke("Emma said nothing, and Mr. Knightley spoke"), None);
    }

    #[test]
    fn a_description_that_fits_one_character_acts_as_that_character() {
        let acting = |text: &str| actor(&tokens(text, 0), &names()).map(|f| f.subject);
        assert_eq!(acting("The knightley boy shut the door."), Some(Subject::Character(1)));
        assert_eq!(acting("The old man shut the door."), None);
        assert_eq!(acting("The rain fell on Emma."), None);
    }

    #[test]
    fn a_quote_ending_with_a_comma_promises_a_tag_with_any_verb() {
        let promised = |text: &str| promised_tag(&tokens(text, 0), &names()).map(plain);
        assert_eq!(promised("fleered Emma, turning away."), Some(Subject::Character(0)));
        assert_eq!(promised("Emma laughed."), Some(Subject::Character(0)));
        assert_eq!(promised("she grumbled."), Some(Subject::Pronoun(Gender::Female)));
        assert_eq!(
            promised("grunted the old man."),
            Some(Subject::Someone { gender: Gender::Male, definite: true, head: 0 })
        );
        // Who hears the words is not who says them.
        assert_eq!(promised("I heard one small urchin grumbling."), None);
        assert_eq!(promised("fleered she."), None);
        assert_eq!(promised("and then Emma left."), None);
        assert_eq!(promised("Emma."), None);
    }

    #[test]
    fn narration_without_a_speech_verb_is_no_tag() {
        assert_eq!(after("Emma left the room."), None);
        assert_eq!(after("The rain fell. Emma said nothing."), None);
    }

    #[test]
    fn tags_before_a_quote_end_with_a_comma_or_colon() {
        assert_eq!(before("It was late. Emma said,"), Some(Subject::Character(0)));
        assert_eq!(before("Then said Mr. Knightley:"), Some(Subject::Character(1)));
        assert_eq!(before("Emma turned to him and said,"), Some(Subject::Character(0)));
        // A description ends before a pronoun and its verb: `a moment` is no subject.
        assert_eq!(before("And after a moment she went on:"), Some(Subject::Pronoun(Gender::Female)));
        // A description ends before `and` and another verb: `the room` is no subject.
        assert_eq!(before("She led Mr. Knightley into the room and said:"), Some(Subject::Pronoun(Gender::Female)));
        assert_eq!(before("Emma saw him."), None);
        assert_eq!(before("Emma said so, and left. The rain fell,"), None);
    }

    #[test]
    fn actors_open_their_sentence() {
        let actor_of = |text: &str| actor(&tokens(text, 0), &names()).map(|f| f.subject);
        assert_eq!(actor_of("Emma's voice was sharp."), Some(Subject::Character(0)));
        assert_eq!(actor_of("And Mr. Knightley was gone."), Some(Subject::Character(1)));
        assert_eq!(actor_of("His eyes were kind."), Some(Subject::Pronoun(Gender::Male)));
        assert_eq!(actor_of("The rain fell on Emma."), None);
        // Whom the subject watches is the one the sentence shows acting.
        assert_eq!(actor_of("I can see Mr. Knightley there, looking down."), Some(Subject::Character(1)));
        assert_eq!(actor_of("She saw Mr. Knightley grin."), Some(Subject::Character(1)));
        // A participle phrase that opens the sentence comes before its subject.
        assert_eq!(actor_of("Pushing him away she grinned."), Some(Subject::Pronoun(Gender::Female)));
        assert_eq!(actor_of("Lifting her into his arms, Mr. Knightley smiled."), Some(Subject::Character(1)));
        assert_eq!(actor_of("Nothing, she thought, was lost."), None);
        let voice_of = |text: &str| voice_owner(&tokens(text, 0), &names()).map(|f| f.subject);
        assert_eq!(voice_of("Fear crept into her voice."), Some(Subject::Pronoun(Gender::Female)));
        assert_eq!(voice_of("It came in Mr. Knightley's low voice."), Some(Subject::Character(1)));
        assert_eq!(voice_of("A voice called."), None);
    }
}
