//! Word lists of general English that the roster and the attribution rules share: speech verbs, pronouns,
//! titles and words that are capitalised without being names.

use super::words::Token;
use crate::characters::Gender;

/// Verbs that introduce or tag speech (`said`, `asked`, `whispered`), in the forms that narration uses.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "saying",
    "asked",
    "asks",
    "ask",
    "replied",
    "replies",
    "reply",
    "answered",
    "answers",
    "cried",
    "cries",
    "whispered",
    "whispers",
    "muttered",
    "mutters",
    "murmured",
    "murmurs",
    "breathed",
    "snapped",
    "shouted",
    "shouts",
    "exclaimed",
    "exclaims",
    "added",
    "adds",
    "continued",
    "continues",
    "began",
    "repeated",
    "returned",
    "remarked",
    "observed",
    "declared",
    "called",
    "yelled",
    "screamed",
    "sighed",
    "laughed",
    "growled",
    "hissed",
    "gasped",
    "stammered",
    "stuttered",
    "suggested",
    "insisted",
    "protested",
    "demanded",
    "inquired",
    "enquired",
    "responded",
    "retorted",
    "interrupted",
    "interposed",
    "admitted",
    "agreed",
    "explained",
    "pleaded",
    "begged",
    "urged",
    "ventured",
    "sobbed",
    "groaned",
    "grumbled",
    "roared",
    "bellowed",
    "whimpered",
    "moaned",
    "shrieked",
    "chuckled",
    "drawled",
    "rejoined",
    "resumed",
    "warned",
    "announced",
    "persisted",
    "concluded",
    "mused",
    "queried",
    "quoth",
    "echoed",
    "faltered",
    "uttered",
    "ejaculated",
    "snarled",
    "panted",
    "purred",
    "blurted",
    "corrected",
    "objected",
    "assented",
    "affirmed",
    "confessed",
    "conceded",
    "commanded",
    "ordered",
    "called",
    "screeched",
    "squealed",
    "wailed",
    "lamented",
    "scoffed",
    "sneered",
    "jeered",
    "teased",
    "joked",
    "thought",
    "wondered",
    "prompted",
    "offered",
    "counted",
    "reasoned",
    "volunteered",
    "managed",
    "told",
    "tells",
    "sang",
    "returned",
    "responded",
    "spoke",
    "speaks",
    "promised",
    "vowed",
    "stated",
    "argued",
    "asserted",
    "commented",
    "complained",
    "expostulated",
    "remonstrated",
    "reiterated",
    "cautioned",
    "hazarded",
    "vociferated",
    "demurred",
    "mumbled",
    "thundered",
    "chirped",
    "barked",
    "lisped",
];

/// Words that may stand between a subject and its speech verb (`she softly said`, `Ann then asked`).
const TAG_FILLERS: &[&str] =
    &["then", "again", "now", "at", "once", "still", "only", "presently", "suddenly", "also", "quietly", "had", "has"];

/// Capitalised words that are never a character's name on their own.
const NOT_NAMES: &[&str] = &[
    "i",
    "he",
    "she",
    "it",
    "we",
    "they",
    "you",
    "me",
    "him",
    "her",
    "his",
    "hers",
    "its",
    "our",
    "ours",
    "their",
    "theirs",
    "my",
    "mine",
    "your",
    "yours",
    "us",
    "them",
    "the",
    "a",
    "an",
    "but",
    "and",
    "or",
    "nor",
    "then",
    "so",
    "now",
    "when",
    "what",
    "where",
    "why",
    "how",
    "who",
    "whom",
    "whose",
    "which",
    "yes",
    "no",
    "not",
    "oh",
    "ah",
    "ay",
    "aye",
    "well",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "if",
    "as",
    "at",
    "in",
    "on",
    "of",
    "for",
    "with",
    "from",
    "by",
    "to",
    "after",
    "before",
    "all",
    "some",
    "one",
    "every",
    "each",
    "nothing",
    "nobody",
    "everyone",
    "someone",
    "somebody",
    "anyone",
    "everybody",
    "anybody",
    "none",
    "both",
    "either",
    "neither",
    "let",
    "do",
    "don't",
    "did",
    "is",
    "was",
    "are",
    "were",
    "be",
    "have",
    "had",
    "has",
    "will",
    "would",
    "could",
    "should",
    "shall",
    "may",
    "might",
    "must",
    "can",
    "perhaps",
    "yet",
    "still",
    "only",
    "just",
    "even",
    "never",
    "ever",
    "always",
    "once",
    "twice",
    "again",
    "very",
    "too",
    "also",
    "though",
    "although",
    "while",
    "until",
    "since",
    "because",
    "though",
    "unless",
    "whether",
    "upon",
    "into",
    "onto",
    "over",
    "under",
    "through",
    "about",
    "above",
    "below",
    "between",
    "without",
    "within",
    "against",
    "among",
    "during",
    "towards",
    "toward",
    "like",
    "out",
    "up",
    "down",
    "off",
    "away",
    "back",
    "good",
    "dear",
    "poor",
    "sir",
    "madam",
    "ma'am",
    "god",
    "lord",
    "heaven",
    "heavens",
    "chapter",
    "book",
    "part",
    "volume",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "english",
    "french",
    "german",
    "christmas",
    "o",
    "hey",
    "hi",
    "hello",
    "please",
    "thank",
    "thanks",
    "look",
    "come",
    "go",
    "see",
    "hush",
    "alas",
    "indeed",
    "why",
    "mr",
    "mrs",
    "miss",
    "ms",
    "dr",
    "mister",
    "mistress",
    "master",
    "whatever",
    "however",
    "meanwhile",
    "besides",
    "instead",
    "first",
    "last",
    "next",
    "many",
    "much",
    "more",
    "most",
    "such",
    "other",
    "another",
    "any",
    "few",
    "several",
    "okay",
    "ok",
    "nay",
    "amen",
    "bye",
    "goodbye",
    "sorry",
    "wait",
    "stop",
    "listen",
    "tell",
    "yeah",
    "nope",
];

/// Titles before a name, with the gender they show.
const TITLES: &[(&str, Gender)] = &[
    ("mr", Gender::Male),
    ("mister", Gender::Male),
    ("sir", Gender::Male),
    ("lord", Gender::Male),
    ("master", Gender::Male),
    ("monsieur", Gender::Male),
    ("uncle", Gender::Male),
    ("father", Gender::Male),
    ("brother", Gender::Male),
    ("king", Gender::Male),
    ("prince", Gender::Male),
    ("duke", Gender::Male),
    ("count", Gender::Male),
    ("baron", Gender::Male),
    ("mrs", Gender::Female),
    ("miss", Gender::Female),
    ("ms", Gender::Female),
    ("lady", Gender::Female),
    ("madame", Gender::Female),
    ("mme", Gender::Female),
    ("mlle", Gender::Female),
    ("mademoiselle", Gender::Female),
    ("mistress", Gender::Female),
    ("dame", Gender::Female),
    ("aunt", Gender::Female),
    ("mother", Gender::Female),
    ("sister", Gender::Female),
    ("queen", Gender::Female),
    ("princess", Gender::Female),
    ("duchess", Gender::Female),
    ("countess", Gender::Female),
    ("baroness", Gender::Female),
    ("dr", Gender::Unknown),
    ("doctor", Gender::Unknown),
    ("professor", Gender::Unknown),
    ("prof", Gender::Unknown),
    ("captain", Gender::Unknown),
    ("capt", Gender::Unknown),
    ("colonel", Gender::Unknown),
    ("major", Gender::Unknown),
    ("general", Gender::Unknown),
    ("lieutenant", Gender::Unknown),
    ("sergeant", Gender::Unknown),
    ("judge", Gender::Unknown),
    ("reverend", Gender::Unknown),
    ("rev", Gender::Unknown),
    ("st", Gender::Unknown),
    ("saint", Gender::Unknown),
];

/// Words before a capitalised word that make it a place rather than a person (`in London`).
const PLACE_PREPOSITIONS: &[&str] =
    &["in", "at", "to", "from", "into", "near", "towards", "toward", "through", "across"];

/// Common verbs and auxiliaries after a subject (`Ann was`, `Tom went`), beyond regular `-ed` forms.
const ACTION_VERBS: &[&str] = &[
    "was", "had", "is", "has", "did", "does", "could", "would", "will", "should", "might", "must", "can", "may",
    "went", "came", "took", "gave", "saw", "got", "made", "knew", "thought", "felt", "ran", "sat", "stood", "held",
    "let", "put", "left", "kept", "began", "looked", "turned", "smiled", "grinned", "shook", "threw", "caught",
    "brought", "found", "heard", "told", "said", "wore", "drew", "rose", "fell", "led", "met", "lay", "laid", "stole",
    "broke", "spoke", "struck", "sank", "swung", "hung", "bit", "hid", "woke", "wrote", "read", "ate", "drank", "set",
    "cut", "shut", "sent", "spent", "built", "meant", "became", "seemed", "never", "always", "also", "only", "just",
    "then", "still", "too", "himself", "herself",
];

/// Whether `word` (a [`key`](super::words::key)) is a speech verb.
pub(crate) fn is_speech_verb(word: &str) -> bool {
    SPEECH_VERBS.contains(&word)
}

/// Whether token `i` of `tokens` is a speech verb there: a verb that speaks only with its particle needs it next
/// (`went on`, `put in`; `went into the store` is no speech), and one that can begin or go on with anything
/// speaks only when no `to` follows (`she began`, not `she began to weep`).
pub(crate) fn is_speech_verb_at(tokens: &[Token], i: usize) -> bool {
    let Some(token) = tokens.get(i).filter(|t| t.is_word()) else { return false };
    let key = token.key();
    if matches!(key.as_ref(), "began" | "continued" | "continues") && tokens.get(i + 1).is_some_and(|t| t.key() == "to")
    {
        return false;
    }
    match PARTICLE_SPEECH_VERBS.iter().find(|(verb, _)| *verb == key) {
        Some(&(_, particle)) => tokens.get(i + 1).is_some_and(|t| t.key() == particle),
        None => is_speech_verb(&key),
    }
}

/// Verbs that speak only with their particle: (verb, particle).
const PARTICLE_SPEECH_VERBS: &[(&str, &str)] = &[
    ("went", "on"),
    ("put", "in"),
    ("broke", "in"),
    ("cut", "in"),
    ("struck", "in"),
    ("chimed", "in"),
    ("wound", "up"),
    ("piped", "up"),
];

/// Whether `word` is an adjective a writer sets before a character's name as an epithet (`little Amy`, `poor
/// Tom`, `old Jolyon`).
pub(crate) fn is_epithet(word: &str) -> bool {
    EPITHETS.contains(&word)
}

/// Adjectives that stand before a name as part of how the narration calls someone.
const EPITHETS: &[&str] = &[
    "little", "poor", "old", "young", "dear", "good", "big", "fat", "pretty", "wise", "honest", "brave", "sweet",
    "kind", "faithful",
];

/// Whether `word` may stand between a subject and its speech verb: an adverb in `-ly` or a short filler.
pub(crate) fn is_tag_filler(word: &str) -> bool {
    (word.len() > 4 && word.ends_with("ly")) || is_explicit_filler(word)
}

/// Whether `word` is a verb of hearing or seeing (`heard`, `saw`), whose subject takes words in rather than
/// giving them.
pub(crate) fn is_perception_verb(word: &str) -> bool {
    matches!(word, "heard" | "hears" | "overheard" | "saw" | "sees" | "noticed" | "watched" | "listened" | "caught")
}

/// Plural head nouns of people who speak together (`cried the ladies`): a description that tags speech with one of
/// them is a group, whose lines one voice reads.
const GROUPS: &[&str] = &["ladies", "gentlemen", "girls", "boys", "men", "women", "children"];

/// Whether `noun` (lowercase) names people who speak together (`ladies`, `girls`).
pub(crate) fn is_group_noun(noun: &str) -> bool {
    GROUPS.contains(&noun)
}

/// Whether `word` is an indefinite pronoun that can speak as someone unnamed (`somebody exclaimed`).
pub(crate) fn is_indefinite_person(word: &str) -> bool {
    matches!(word, "somebody" | "someone")
}

/// Whether `word` is one of the short words that stand between a subject and its verb (`then`, `again`), as
/// opposed to an adverb in `-ly` that may also be an adjective (`burly`).
pub(crate) fn is_explicit_filler(word: &str) -> bool {
    TAG_FILLERS.contains(&word)
}

/// Whether `word` joins two clauses, each with its own subject (`Jack laughed and Tom said`).
pub(crate) fn joins_clauses(word: &str) -> bool {
    matches!(word, "and" | "but" | "while")
}

/// Whether `word` looks like a verb after a subject: a regular past tense, a present in `-s`, an adverb in `-ly`
/// or a common irregular verb.
pub(crate) fn is_action_word(word: &str) -> bool {
    (word.len() > 3 && (word.ends_with("ed") || word.ends_with("ly")))
        || (word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("'s"))
        || ACTION_VERBS.contains(&word)
        || is_speech_verb(word)
}

/// Whether `word` is a past tense or a common verb that shows the word before it is a subject (`Good beamed`),
/// unlike a plural in `-s` (`Good heavens`).
pub(crate) fn is_past_or_common_verb(word: &str) -> bool {
    (word.len() > 3 && word.ends_with("ed")) || ACTION_VERBS.contains(&word) || is_speech_verb(word)
}

/// Whether a capitalised word can never be a name on its own (`She`, `The`, `Monday`, `Mr.`).
pub(crate) fn is_not_name(word: &str) -> bool {
    NOT_NAMES.contains(&word) || title(word).is_some()
}

/// The gender a title shows (`Mrs.` female), or `None` when `word` is not a title.
pub(crate) fn title(word: &str) -> Option<Gender> {
    TITLES.iter().find(|(t, _)| *t == word).map(|&(_, g)| g)
}

/// The noun a description uses for a title (`dr` → `doctor`, `capt` → `captain`), or the word itself.
pub(crate) fn title_noun(word: &str) -> &str {
    match word {
        "dr" => "doctor",
        "capt" => "captain",
        "prof" => "professor",
        "rev" => "reverend",
        "mr" => "mister",
        "col" => "colonel",
        "gen" => "general",
        "lt" => "lieutenant",
        other => other,
    }
}

/// Whether `word` ends a description before its head noun would: a preposition, an article, a relative word or a
/// possessive (`the man with the basket`, `a gentleman on his way`, `a porter who had come in`).
pub(crate) fn ends_description(word: &str) -> bool {
    is_place_preposition(word)
        || matches!(
            word,
            "a" | "an"
                | "the"
                | "with"
                | "of"
                | "and"
                | "as"
                | "who"
                | "whom"
                | "whose"
                | "which"
                | "that"
                | "on"
                | "by"
                | "for"
                | "his"
                | "her"
                | "its"
                | "their"
                | "him"
        )
}

/// Whether `word` places the next word (`in London`).
pub(crate) fn is_place_preposition(word: &str) -> bool {
    PLACE_PREPOSITIONS.contains(&word)
}

/// The gender of a third-person pronoun or possessive, if `word` is one.
pub(crate) fn pronoun_gender(word: &str) -> Option<Gender> {
    match word {
        "he" | "him" | "his" | "himself" => Some(Gender::Male),
        "she" | "her" | "hers" | "herself" => Some(Gender::Female),
        _ => None,
    }
}

/// The gender of a subject pronoun (`he`, `she`), or of a possessive that starts a subject (`his`, `her`).
pub(crate) fn subject_pronoun_gender(word: &str) -> Option<Gender> {
    match word {
        "he" | "his" => Some(Gender::Male),
        "she" | "her" => Some(Gender::Female),
        _ => None,
    }
}

/// Nouns whose gender a description shows (`the old man`, `a young lady`).
pub(crate) fn noun_gender(word: &str) -> Option<Gender> {
    // `sister-in-law` is a sister by marriage.
    let word = word.strip_suffix("-in-law").unwrap_or(word);
    match word {
        "man" | "gentleman" | "boy" | "lad" | "fellow" | "father" | "husband" | "son" | "brother" | "uncle"
        | "king" | "prince" | "lord" | "sir" | "squire" | "master" | "gentlemen" | "nephew" | "grandfather"
        | "papa" | "stepfather" | "stepson" | "step-son" | "clergyman" | "parson" | "priest" | "vicar" | "rector"
        | "youth" | "stripling" | "bridegroom" | "duke" | "earl" | "count" | "baron" | "monk" => Some(Gender::Male),
        "woman" | "lady" | "girl" | "lass" | "mother" | "wife" | "daughter" | "sister" | "aunt" | "queen"
        | "princess" | "maid" | "mistress" | "widow" | "niece" | "grandmother" | "mama" | "mamma" | "stepmother"
        | "stepdaughter" | "step-daughter" | "bride" | "duchess" | "countess" | "baroness" | "nun" | "governess"
        | "landlady" | "maiden" => Some(Gender::Female),
        _ => None,
    }
}

/// Whether `word` names a parent (`mother`, `papa`).
pub(crate) fn is_parent(word: &str) -> bool {
    matches!(
        word,
        "mother" | "father" | "mamma" | "mama" | "papa" | "mum" | "mom" | "dad" | "ma" | "pa" | "mammy" | "daddy"
    )
}

/// Nouns for people that a possessive makes someone other than its owner (`his uncle`, `my old friend`), with
/// the gender they show.
pub(crate) fn relation_gender(word: &str) -> Option<Gender> {
    noun_gender(word).or_else(|| {
        matches!(
            word,
            "cousin"
                | "friend"
                | "companion"
                | "parent"
                | "child"
                | "guest"
                | "host"
                | "visitor"
                | "neighbour"
                | "neighbor"
                | "servant"
                | "partner"
                | "comrade"
                | "guardian"
                | "nurse"
                | "sibling"
                | "relative"
                | "interlocutor"
                | "informant"
                | "employer"
                | "landlord"
                | "colleague"
                | "assistant"
                | "opponent"
                | "antagonist"
                | "mate"
                | "chum"
                | "pal"
        )
        .then_some(Gender::Unknown)
    })
}

/// Determiners that open a description (`the stranger`, `another voice`).
pub(crate) fn is_determiner(word: &str) -> bool {
    matches!(
        word,
        "the"
            | "a"
            | "an"
            | "another"
            | "one"
            | "this"
            | "that"
            | "some"
            | "his"
            | "her"
            | "their"
            | "my"
            | "our"
            | "your"
    )
}

/// Words that may open a sentence before its subject (`And Willow was…`, `Then he…`).
pub(crate) fn is_sentence_opener(word: &str) -> bool {
    matches!(
        word,
        "and"
            | "but"
            | "then"
            | "so"
            | "now"
            | "still"
            | "yet"
            | "there"
            | "here"
            | "suddenly"
            | "finally"
            | "meanwhile"
            | "whereupon"
            | "thereupon"
    )
}
