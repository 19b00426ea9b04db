//! Text as it should be spoken: one pass, for every engine, from a story's line to words an engine reads well.
//!
//! [`spoken`] applies, in order: the cast's pronunciations (whole words, case-aware); line breaks folded;
//! emoji, markup and scene-break glyphs removed; ellipses, dashes and repeated punctuation tidied;
//! abbreviations expanded; money, times, percentages, ordinals, years and numbers written as words; stutters
//! (`d-dead`) and elongations (`Sooo`, `Nononono`) turned into something an engine can say. The result may be
//! empty (a line of `∞ ∞ ∞`): callers skip it. Deterministic: the same input always gives the same output.

use std::sync::LazyLock;

use indexmap::IndexMap;
use regex::{Captures, Regex};

/// The text of `line` as it should be spoken, with the cast's `pronunciations` (`Xander = "Zander"`) applied.
#[must_use]
pub fn spoken(line: &str, pronunciations: &IndexMap<String, String>) -> String {
    let text = pronounce(line, pronunciations);
    let text = strip_symbols(&text);
    let text = tidy_punctuation(&text);
    let text = expand_abbreviations(&text);
    let text = numbers(&text);
    let text = stutters(&text);
    let text = elongations(&text);
    let text = collapse_spaces(&text);
    if text.chars().any(char::is_alphanumeric) { text } else { String::new() }
}

fn regex(pattern: &str) -> Regex {
    // The patterns are constants of this module, checked by its tests.
    Regex::new(pattern).unwrap_or_else(|e| unreachable!("bad pattern {pattern}: {e}"))
}

macro_rules! pattern {
    ($name:ident = $pattern:expr) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| regex($pattern));
    };
}

/// Replaces each pronunciation key, as a whole word or phrase in any case, by its respelling in the same case
/// (`XANDER` → `ZANDER`, `Xander's` → `Zander's`). Longer keys win over shorter ones they contain.
fn pronounce(text: &str, pronunciations: &IndexMap<String, String>) -> String {
    let mut keys: Vec<(&String, &String)> = pronunciations.iter().filter(|(k, _)| !k.trim().is_empty()).collect();
    if keys.is_empty() {
        return text.to_owned();
    }
    keys.sort_by_key(|(key, _)| std::cmp::Reverse(key.chars().count()));
    let alternatives: Vec<String> = keys.iter().map(|(key, _)| regex::escape(key.trim())).collect();
    let pattern = format!(r"(?i)\b(?:{})\b", alternatives.join("|"));
    let Ok(matcher) = Regex::new(&pattern) else { return text.to_owned() };
    matcher
        .replace_all(text, |caps: &Captures| {
            let found = &caps[0];
            let respelling = keys
                .iter()
                .find(|(key, _)| key.trim().to_lowercase() == found.to_lowercase())
                .map_or(found, |(_, respelling)| respelling.as_str());
            same_case(found, respelling)
        })
        .into_owned()
}

/// `replacement` in the case of `original`: all capitals, capitalized, or as written.
fn same_case(original: &str, replacement: &str) -> String {
    let letters: Vec<char> = original.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        replacement.to_uppercase()
    } else if original.chars().next().is_some_and(char::is_uppercase) {
        capitalize(replacement)
    } else {
        replacement.to_owned()
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// Whether `c` is never read aloud: emoji, pictographs, dingbats, scene-break glyphs, joiners.
fn is_unspoken_symbol(c: char) -> bool {
    matches!(u32::from(c),
        0x1F000..=0x1FAFF // emoji, pictographs, flags
        | 0x2600..=0x27BF // miscellaneous symbols, dingbats (❦ ❧ ✦ ♥ ★)
        | 0x2B00..=0x2BFF // stars, arrows
        | 0x2190..=0x21FF // arrows
        | 0x2500..=0x25FF // box drawing, geometric shapes (■ ◆ ○)
        | 0xFE00..=0xFE0F // variation selectors
        | 0xE0000..=0xE007F // tags
        | 0x200B..=0x200D // zero-width space and joiners
        | 0x20E3 | 0x2060 | 0xFEFF
    ) || "∞⁂※•·¶§†‡♪♫~#*_=|^<>{}[]\\".contains(c)
}

pattern!(EMPHASIS = r"(\*{1,3}|_{1,2})([^*_\n]*[^\s*_])(\*{1,3}|_{1,2})");
pattern!(NUMBER_SIGN = r"#\s?(\d)");
pattern!(LINE_BREAK = r"\s*[\r\n]+\s*");

/// Folds line breaks, unwraps `*emphasis*` and `_emphasis_`, and removes every symbol that is not read aloud.
fn strip_symbols(text: &str) -> String {
    let text = LINE_BREAK.replace_all(text, " ");
    let text = EMPHASIS.replace_all(&text, |caps: &Captures| {
        // Only matching markers are emphasis; `2 * 3 * 4` keeps its words.
        if caps[1].chars().next() == caps[3].chars().next() { caps[2].to_owned() } else { caps[0].to_owned() }
    });
    let text = NUMBER_SIGN.replace_all(&text, "number $1");
    let text = text.replace('&', " and ");
    text.chars().map(|c| if is_unspoken_symbol(c) { ' ' } else { c }).collect()
}

pattern!(SPACED_ELLIPSIS = r"\.(?:\s*\.)+|…");
pattern!(REPEATED_MARKS = r"[!?](?:[!?]|1\b)+");
pattern!(REPEATED_COMMAS = r"([,;:])[,;:]+");
pattern!(DASH_AT_END = r#"\s*(?:—|–|--+)\s*(["'”’)]*)\s*$"#);
pattern!(DASH = r"\s*(?:—|–|--+)\s*");
pattern!(SPACE_BEFORE_MARK = r#"\s+([,!?;:]|\.+(?:[\s"'”’)]|$))"#);
pattern!(DIGIT_DASH = r"(\d)\s?–\s?(\d)");

/// Spaced or repeated dots become one ellipsis; `!!`, `?!`, `??` become one mark (a question wins); dashes
/// become pauses (a comma, or an ellipsis when a line breaks off).
fn tidy_punctuation(text: &str) -> String {
    let text = SPACED_ELLIPSIS.replace_all(text, "...");
    let text = REPEATED_MARKS.replace_all(&text, |caps: &Captures| if caps[0].contains('?') { "?" } else { "!" });
    let text = REPEATED_COMMAS.replace_all(&text, "$1");
    let text = DIGIT_DASH.replace_all(&text, "$1-$2");
    let text = DASH_AT_END.replace_all(&text, "...$1");
    let text = DASH.replace_all(&text, ", ");
    let text = SPACE_BEFORE_MARK.replace_all(&text, "$1");
    text.into_owned()
}

/// Abbreviations spoken in full before a name (the period is not a sentence end).
const TITLES: &[(&str, &str)] = &[
    ("Mr", "Mister"),
    ("Mrs", "Missus"),
    ("Ms", "Miz"),
    ("Dr", "Doctor"),
    ("Prof", "Professor"),
    ("Capt", "Captain"),
    ("Lt", "Lieutenant"),
    ("Sgt", "Sergeant"),
    ("Col", "Colonel"),
    ("Gen", "General"),
    ("Rev", "Reverend"),
    ("Mt", "Mount"),
    ("Ft", "Fort"),
];

/// Abbreviations whose period may also end a sentence.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("etc.", "et cetera"),
    ("e.g.", "for example"),
    ("i.e.", "that is"),
    ("vs.", "versus"),
    ("a.k.a.", "also known as"),
    ("approx.", "approximately"),
    ("Jr.", "Junior"),
    ("Sr.", "Senior"),
    ("Ave.", "Avenue"),
];

pattern!(TITLE = r"\b(Mrs|Mr|Ms|Dr|Prof|Capt|Lt|Sgt|Col|Gen|Rev|Mt|Ft)(\.?)(\s+)(\p{Lu})");
pattern!(SAINT_OR_STREET = r"(?:(\p{L}+)(\s+))?\bSt\.(\s+\p{Lu}|\s*$)?");
pattern!(ABBREVIATION = r"\b((?i:etc|e\.g|i\.e|vs|a\.k\.a|approx|jr|sr|ave)\.)(\s+\p{Lu}|\s*$)?");
pattern!(NUMBER_WORD = r"\b[Nn]o\.\s?(\d)");

/// Expands titles (`Mr.` → `Mister`), `St.` (Saint before a name, else Street), `No. 5` and the common Latin
/// and English abbreviations. A sentence-ending abbreviation keeps its period.
fn expand_abbreviations(text: &str) -> String {
    let text = TITLE.replace_all(text, |caps: &Captures| {
        // Without a period only the common titles are abbreviations ("Col" or "Gen" may be names).
        if caps[2].is_empty() && !matches!(&caps[1], "Mr" | "Mrs" | "Ms" | "Dr") {
            return caps[0].to_owned();
        }
        let full = TITLES.iter().find(|(short, _)| *short == &caps[1]).map_or(&caps[1], |(_, full)| full);
        format!("{full}{}{}", &caps[3], &caps[4])
    });
    // After a capitalized word (`Main St.`) it is a street, and may end the sentence; otherwise a saint.
    let text = SAINT_OR_STREET.replace_all(&text, |caps: &Captures| {
        let before = caps.get(1).map_or("", |m| m.as_str());
        let space = caps.get(2).map_or("", |m| m.as_str());
        let after = caps.get(3).map_or("", |m| m.as_str());
        if before.starts_with(char::is_uppercase) {
            let period = if caps.get(3).is_some() { "." } else { "" };
            format!("{before}{space}Street{period}{after}")
        } else {
            format!("{before}{space}Saint{after}")
        }
    });
    let text = NUMBER_WORD.replace_all(&text, "number $1");
    ABBREVIATION
        .replace_all(&text, |caps: &Captures| {
            let written = &caps[1];
            let full = ABBREVIATIONS
                .iter()
                .find(|(short, _)| short.eq_ignore_ascii_case(written))
                .map_or(written, |(_, full)| full);
            // Followed by a capital or the end of the line: the period also ends the sentence.
            match caps.get(2) {
                Some(next) => format!("{full}.{}", next.as_str()),
                None => full.to_owned(),
            }
        })
        .into_owned()
}

const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const SCALES: [(u64, &str); 4] =
    [(1_000_000_000_000, "trillion"), (1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand")];

/// `n` in words: `1234` → `one thousand two hundred thirty-four`.
#[must_use]
pub fn cardinal(n: u64) -> String {
    fn below_thousand(n: u64, words: &mut Vec<String>) {
        let (hundreds, rest) = (n / 100, n % 100);
        if hundreds > 0 {
            words.push(format!("{} hundred", ONES[hundreds as usize]));
        }
        if rest >= 20 {
            let (tens, ones) = (rest / 10, rest % 10);
            words.push(if ones == 0 {
                TENS[tens as usize].to_owned()
            } else {
                format!("{}-{}", TENS[tens as usize], ONES[ones as usize])
            });
        } else if rest > 0 || hundreds == 0 {
            words.push(ONES[rest as usize].to_owned());
        }
    }
    if n >= 1_000_000_000_000_000 {
        // Beyond trillions nobody says the scale words: read the digits.
        return digit_by_digit(&n.to_string());
    }
    let mut words = Vec::new();
    let mut rest = n;
    for (scale, name) in SCALES {
        if rest >= scale {
            below_thousand(rest / scale, &mut words);
            words.push(name.to_owned());
            rest %= scale;
        }
    }
    if rest > 0 || words.is_empty() {
        below_thousand(rest, &mut words);
    }
    words.join(" ")
}

/// `n` as an ordinal: `21` → `twenty-first`.
#[must_use]
pub fn ordinal(n: u64) -> String {
    let words = cardinal(n);
    let split = words.rfind([' ', '-']).map_or(0, |i| i + 1);
    let (head, last) = words.split_at(split);
    let last = match last {
        "one" => "first".to_owned(),
        "two" => "second".to_owned(),
        "three" => "third".to_owned(),
        "five" => "fifth".to_owned(),
        "eight" => "eighth".to_owned(),
        "nine" => "ninth".to_owned(),
        "twelve" => "twelfth".to_owned(),
        other if other.ends_with('y') => format!("{}ieth", &other[..other.len() - 1]),
        other => format!("{other}th"),
    };
    format!("{head}{last}")
}

/// `n` read as a year: `1999` → `nineteen ninety-nine`, `1905` → `nineteen oh five`, `2000` → `two thousand`,
/// `2015` → `twenty fifteen`.
#[must_use]
pub fn year(n: u64) -> String {
    let (century, rest) = (n / 100, n % 100);
    if !(1000..10_000).contains(&n) || (2000..2010).contains(&n) || century % 10 == 0 && rest == 0 {
        cardinal(n)
    } else if rest == 0 {
        format!("{} hundred", cardinal(century))
    } else if rest < 10 {
        format!("{} oh {}", cardinal(century), ONES[rest as usize])
    } else {
        format!("{} {}", cardinal(century), cardinal(rest))
    }
}

/// The plural of a number's words: `ninety` → `nineties`, `hundred` → `hundreds`, `six` → `sixes`.
fn plural(words: &str) -> String {
    if let Some(stem) = words.strip_suffix('y') {
        format!("{stem}ies")
    } else if words.ends_with('x') {
        format!("{words}es")
    } else {
        format!("{words}s")
    }
}

/// A digit string (commas allowed) as a number, when it fits.
fn parse(digits: &str) -> Option<u64> {
    digits.replace(',', "").parse().ok()
}

/// Digits read one by one: `0.25` → `two five` after the point.
fn digit_by_digit(digits: &str) -> String {
    digits.chars().filter_map(|c| c.to_digit(10)).map(|d| ONES[d as usize]).collect::<Vec<_>>().join(" ")
}

/// A number as written (`1,234`, `3.14`, a long digit string) in words.
fn number_words(written: &str) -> String {
    let (whole, fraction) = written.split_once('.').map_or((written, None), |(w, f)| (w, Some(f)));
    let whole_digits = whole.replace(',', "");
    let mut words = if whole_digits.len() > 15 || whole_digits.len() > 1 && whole_digits.starts_with('0') {
        digit_by_digit(&whole_digits)
    } else {
        parse(&whole_digits).map_or_else(|| digit_by_digit(&whole_digits), cardinal)
    };
    if let Some(fraction) = fraction.filter(|f| !f.is_empty()) {
        words = format!("{words} point {}", digit_by_digit(fraction));
    }
    words
}

/// A currency sign's unit names: (singular, plural, cent singular, cent plural).
fn currency(sign: &str) -> (&'static str, &'static str, &'static str, &'static str) {
    match sign {
        "£" => ("pound", "pounds", "penny", "pence"),
        "€" => ("euro", "euros", "cent", "cents"),
        "¥" => ("yen", "yen", "sen", "sen"),
        _ => ("dollar", "dollars", "cent", "cents"),
    }
}

pattern!(MONEY = r"([$£€¥])\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?(?:\s?(thousand|million|billion|trillion)\b)?");
pattern!(CENTS = r"\b(\d+)\s?¢");
pattern!(CLOCK = r"\b(\d{1,2}):(\d{2})\b(?:\s?([AaPp])\.?\s?[Mm]\b\.?)?");
pattern!(HOUR_MERIDIEM = r"\b(\d{1,2})\s?([AaPp])\.?\s?[Mm]\b\.?");
pattern!(PERCENT = r"((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s?%");
pattern!(ORDINAL = r"\b(\d{1,3}(?:,\d{3})+|\d+)(?:st|nd|rd|th)\b");
pattern!(DECADE = r"(?:\b(\d{2})(\d0)|'(\d0))'?s\b");
pattern!(RANGE = r"\b(\d+)[-–](\d+)\b");
pattern!(NUMBER = r"\b(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\b|\B\.\d+\b");
/// Words after which a number from 2010 to 2099 is a year (`in 2015`, `May 2031`).
const YEAR_CONTEXT: &[&str] = &[
    "in",
    "since",
    "of",
    "by",
    "from",
    "until",
    "till",
    "to",
    "year",
    "around",
    "circa",
    "before",
    "after",
    "summer",
    "winter",
    "spring",
    "autumn",
    "fall",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "class",
];

/// "a.m."/"p.m." spelled so every engine says the letters.
fn meridiem(letter: &str) -> &'static str {
    if letter.eq_ignore_ascii_case("a") { "ay em" } else { "pee em" }
}

/// Money, times, percentages, ordinals, decades, years, ranges and plain numbers, in words.
fn numbers(text: &str) -> String {
    let text = MONEY.replace_all(text, |caps: &Captures| {
        let (one, many, cent, cents) = currency(&caps[1]);
        let Some(whole) = parse(&caps[2]) else { return caps[0].to_owned() };
        let fraction = caps.get(3).map_or("", |m| m.as_str());
        if let Some(scale) = caps.get(4) {
            let amount = number_words(&format!("{}{}{fraction}", &caps[2], if fraction.is_empty() { "" } else { "." }));
            return format!("{amount} {} {many}", scale.as_str());
        }
        let cent_value: u64 = match fraction.len() {
            1 => fraction.parse::<u64>().unwrap_or(0) * 10,
            _ => fraction.parse().unwrap_or(0),
        };
        let unit = |n: u64, singular: &str, plural: &str| {
            format!("{} {}", cardinal(n), if n == 1 { singular } else { plural })
        };
        match (whole, cent_value) {
            (0, c) if c > 0 => unit(c, cent, cents),
            (w, 0) => unit(w, one, many),
            (w, c) => format!("{} and {}", unit(w, one, many), unit(c, cent, cents)),
        }
    });
    let text = CENTS.replace_all(&text, |caps: &Captures| {
        let n = parse(&caps[1]).unwrap_or(0);
        format!("{} {}", cardinal(n), if n == 1 { "cent" } else { "cents" })
    });
    let text = CLOCK.replace_all(&text, |caps: &Captures| {
        let (Some(hour), Some(minute)) = (parse(&caps[1]), parse(&caps[2])) else { return caps[0].to_owned() };
        if hour > 24 || minute > 59 {
            return caps[0].to_owned();
        }
        let minutes = match minute {
            0 if caps.get(3).is_some() => String::new(),
            0 => " o'clock".to_owned(),
            1..=9 => format!(" oh {}", ONES[minute as usize]),
            _ => format!(" {}", cardinal(minute)),
        };
        let suffix = caps.get(3).map_or(String::new(), |m| format!(" {}", meridiem(m.as_str())));
        format!("{}{minutes}{suffix}", cardinal(hour))
    });
    let text = HOUR_MERIDIEM.replace_all(&text, |caps: &Captures| {
        format!("{} {}", cardinal(parse(&caps[1]).unwrap_or(0)), meridiem(&caps[2]))
    });
    let text = PERCENT.replace_all(&text, |caps: &Captures| format!("{} percent", number_words(&caps[1])));
    let text =
        ORDINAL.replace_all(&text, |caps: &Captures| parse(&caps[1]).map_or_else(|| caps[0].to_owned(), ordinal));
    let text = DECADE.replace_all(&text, |caps: &Captures| {
        let words = match (caps.get(1), caps.get(2), caps.get(3)) {
            (Some(century), Some(decade), _) => {
                let n = parse(&format!("{}{}", century.as_str(), decade.as_str())).unwrap_or(0);
                if n.is_multiple_of(100) { format!("{} hundred", cardinal(n / 100)) } else { year(n) }
            }
            (_, _, Some(decade)) => cardinal(parse(decade.as_str()).unwrap_or(0)),
            _ => return caps[0].to_owned(),
        };
        plural(&words)
    });
    let text = RANGE.replace_all(&text, |caps: &Captures| format!("{} to {}", &caps[1], &caps[2]));
    let mut out = String::with_capacity(text.len() + 16);
    let mut last = 0;
    for found in NUMBER.find_iter(&text) {
        out.push_str(&text[last..found.start()]);
        let written = found.as_str();
        let previous_word = text[..found.start()]
            .split(|c: char| !c.is_alphanumeric())
            .rfind(|w| !w.is_empty())
            .unwrap_or_default()
            .to_lowercase();
        let is_year = |n: u64| {
            !written.contains([',', '.'])
                && ((1100..2000).contains(&n)
                    || (2010..2100).contains(&n) && YEAR_CONTEXT.contains(&previous_word.as_str()))
        };
        let words = match parse(written) {
            Some(n) if is_year(n) => year(n),
            _ if written.starts_with('.') => format!("point {}", digit_by_digit(written)),
            _ => number_words(written),
        };
        out.push_str(&words);
        last = found.end();
    }
    out.push_str(&text[last..]);
    out
}

/// Fragments that are real prefixes, not stutters (`re-read`, `co-op`).
const PREFIXES: &[&str] = &["re", "co", "de", "pre", "pro", "un", "non", "ex", "anti", "semi", "self", "sub", "mid"];
/// Reduplicated words that are not stutters.
const REDUPLICATIONS: &[&str] =
    &["so-so", "no-no", "yo-yo", "bye-bye", "tut-tut", "hush-hush", "pom-pom", "tom-tom", "choo-choo", "boo-boo"];

pattern!(STUTTER = r"\b((?:\p{L}{1,4}-)+)(\p{L}[\p{L}'’]*)");

/// Stutters as repeated words with a short pause: `d-dead` → `dead, dead`, `You-you're` → `You, you're`,
/// `I-I-I` → `I, I, I`. A fragment an engine can say (two letters or more, with a vowel) is kept; a bare
/// consonant (`d`, `th`) becomes the whole word, since engines would spell it.
fn stutters(text: &str) -> String {
    STUTTER
        .replace_all(text, |caps: &Captures| {
            let word = &caps[2];
            let lower_word = word.to_lowercase();
            let fragments: Vec<&str> = caps[1].trim_end_matches('-').split('-').collect();
            let all_prefixes = fragments.iter().all(|f| lower_word.starts_with(&f.to_lowercase()));
            let compound = fragments.len() == 1
                && (PREFIXES.contains(&fragments[0].to_lowercase().as_str())
                    || REDUPLICATIONS.contains(&caps[0].to_lowercase().as_str()));
            if !all_prefixes || compound {
                return caps[0].to_owned();
            }
            let mut parts: Vec<String> = fragments
                .iter()
                .map(|fragment| {
                    let sayable = fragment.chars().count() >= 2 && fragment.chars().any(|c| "aeiouAEIOU".contains(c));
                    if sayable || fragment.eq_ignore_ascii_case(word) {
                        (*fragment).to_owned()
                    } else if fragment.starts_with(char::is_uppercase) {
                        capitalize(&lower_word)
                    } else {
                        lower_word.clone()
                    }
                })
                .collect();
            parts.push(word.to_owned());
            parts.join(", ")
        })
        .into_owned()
}

/// Words whose doubled vowel survives an elongation (`Goooood` → `Good`, not `God`).
const DOUBLED: &[&str] = &[
    "good", "soon", "cool", "sweet", "need", "feel", "too", "see", "free", "been", "seen", "keep", "sleep", "deep",
    "week", "hello", "moon", "room", "look", "book", "door", "poor", "food", "fool", "boo", "woo", "bee", "three",
    "tree", "green", "queen", "sheep", "teeth", "beer", "cheer", "deer", "wheee", "whee", "yeeha", "oops", "noon",
    "loop", "hoot", "weee", "wee", "agree", "sorry", "hmm", "mmm", "shh", "brr", "grr", "zzz", "ahh", "ohh", "hell",
    "all", "well", "off", "kill", "still", "will", "ill", "bell", "less", "miss", "kiss", "boss", "stuff", "buzz",
    "fuzz",
];

pattern!(WORD = r"\p{L}+");

/// Elongated words back to their spelling: a letter run of three or more becomes one letter (two when that
/// makes a common word, or when the word has no vowel: `Hmmmm` → `Hmm`); a syllable said three times or more
/// is separated: `Nononono` → `No, no, no, no`, `hahaha` → `ha, ha, ha`.
fn elongations(text: &str) -> String {
    WORD.replace_all(text, |caps: &Captures| {
        let word = &caps[0];
        let chars: Vec<char> = word.chars().collect();
        let has_run = chars.windows(3).any(|w| w[0].eq_ignore_ascii_case(&w[1]) && w[1].eq_ignore_ascii_case(&w[2]));
        let word = if has_run { shorten_runs(&chars) } else { word.to_owned() };
        split_repetitions(&word).unwrap_or(word)
    })
    .into_owned()
}

/// Runs of three or more equal letters shortened to one letter, or to two when that spells a common word or
/// the word has no vowel; shorter runs are kept.
fn shorten_runs(chars: &[char]) -> String {
    let squeeze = |keep: usize| {
        let mut out = String::with_capacity(chars.len());
        let mut i = 0;
        while i < chars.len() {
            let run = chars[i..].iter().take_while(|c| c.eq_ignore_ascii_case(&chars[i])).count();
            let kept = if run >= 3 { keep } else { run };
            out.extend(&chars[i..i + kept]);
            i += run;
        }
        out
    };
    let (single, double) = (squeeze(1), squeeze(2));
    let no_vowel = !single.chars().any(|c| "aeiouyAEIOUY".contains(c));
    if no_vowel || DOUBLED.contains(&double.to_lowercase().as_str()) { double } else { single }
}

/// `Nononono` → `No, no, no, no`: a unit of two or three letters repeated three times or more.
fn split_repetitions(word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    let chars: Vec<char> = lower.chars().collect();
    for unit in 2..=3 {
        if chars.len() < unit * 3 || !chars.len().is_multiple_of(unit) {
            continue;
        }
        let first = &chars[..unit];
        if chars.chunks(unit).all(|chunk| chunk == first) && first.iter().any(|c| "aeiouy".contains(*c)) {
            let unit_text: String = first.iter().collect();
            let mut parts = vec![unit_text; chars.len() / unit];
            if word.starts_with(char::is_uppercase) {
                parts[0] = capitalize(&parts[0]);
            }
            return Some(parts.join(", "));
        }
    }
    None
}

pattern!(SPACES = r"\s+");

fn collapse_spaces(text: &str) -> String {
    let text = SPACES.replace_all(text.trim(), " ");
    SPACE_BEFORE_MARK.replace_all(&text, "$1").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn say(text: &str) -> String {
        spoken(text, &IndexMap::new())
    }

    #[test]
    fn cardinals_ordinals_and_years() {
        assert_eq!(cardinal(0), "zero");
        assert_eq!(cardinal(42), "forty-two");
        assert_eq!(cardinal(100), "one hundred");
        assert_eq!(cardinal(1234), "one thousand two hundred thirty-four");
        assert_eq!(cardinal(2_000_005), "two million five");
        assert_eq!(cardinal(1_000_000_000_000), "one trillion");
        assert_eq!(cardinal(999_000_000_000_001), "nine hundred ninety-nine trillion one");
        assert_eq!(cardinal(u64::MAX).split(' ').count(), 20, "digit by digit");
        assert_eq!(ordinal(1), "first");
        assert_eq!(ordinal(22), "twenty-second");
        assert_eq!(ordinal(40), "fortieth");
        assert_eq!(ordinal(112), "one hundred twelfth");
        assert_eq!(year(1999), "nineteen ninety-nine");
        assert_eq!(year(1905), "nineteen oh five");
        assert_eq!(year(1900), "nineteen hundred");
        assert_eq!(year(2000), "two thousand");
        assert_eq!(year(2007), "two thousand seven");
        assert_eq!(year(2015), "twenty fifteen");
    }

    #[test]
    fn numbers_in_text() {
        assert_eq!(say("It was 1999."), "It was nineteen ninety-nine.");
        assert_eq!(say("He had 3 dogs and 1,500 sheep."), "He had three dogs and one thousand five hundred sheep.");
        assert_eq!(say("There were 12,000 people."), "There were twelve thousand people.");
        assert_eq!(say("Pi is 3.14."), "Pi is three point one four.");
        assert_eq!(say("She came 2nd, he came 21st."), "She came second, he came twenty-first.");
        assert_eq!(say("in 2015 and 2015 times"), "in twenty fifteen and two thousand fifteen times");
        assert_eq!(say("back in the 1990s and the '80s"), "back in the nineteen nineties and the eighties");
        assert_eq!(say("pages 10-20"), "pages ten to twenty");
        assert_eq!(say("It's 50% off."), "It's fifty percent off.");
        assert_eq!(say("Room #4"), "Room number four");
    }

    #[test]
    fn money_and_times() {
        assert_eq!(say("It cost $5."), "It cost five dollars.");
        assert_eq!(say("It cost $1.50."), "It cost one dollar and fifty cents.");
        assert_eq!(say("only $0.99"), "only ninety-nine cents");
        assert_eq!(say("£20 and €1"), "twenty pounds and one euro");
        assert_eq!(say("$2.5 million"), "two point five million dollars");
        assert_eq!(say("At 3:45 we left."), "At three forty-five we left.");
        assert_eq!(say("at 7:05 p.m."), "at seven oh five pee em");
        assert_eq!(say("by 10:00"), "by ten o'clock");
        assert_eq!(say("at 5pm"), "at five pee em");
        assert_eq!(say("at 6 a.m. sharp"), "at six ay em sharp");
    }

    #[test]
    fn abbreviations() {
        assert_eq!(
            say("Mr. Giles and Mrs. Summers met Dr. Walsh."),
            "Mister Giles and Missus Summers met Doctor Walsh."
        );
        assert_eq!(say("Mr Giles"), "Mister Giles");
        assert_eq!(say("St. Mary's on Main St. Then home."), "Saint Mary's on Main Street. Then home.");
        assert_eq!(say("went to St. Louis"), "went to Saint Louis");
        assert_eq!(say("lived on Elm St."), "lived on Elm Street.");
        assert_eq!(say("Col Mustard, Gen. Lee"), "Col Mustard, General Lee");
        assert_eq!(say("It cost $5, and 10–12 days"), "It cost five dollars, and ten to twelve days");
        assert_eq!(say("tea, cake, etc. and more"), "tea, cake, et cetera and more");
        assert_eq!(say("Bring things, e.g. stakes."), "Bring things, for example stakes.");
        assert_eq!(say("We ate, drank, etc."), "We ate, drank, et cetera.");
        assert_eq!(say("No. 5"), "number five");
        assert_eq!(say("Dr"), "Dr", "a lone abbreviation without a name is left alone");
    }

    #[test]
    fn stutters_become_repeated_words() {
        assert_eq!(say("He's d-dead."), "He's dead, dead.");
        assert_eq!(say("You-you're here"), "You, you're here");
        assert_eq!(say("I-I-I don't know"), "I, I, I don't know");
        assert_eq!(say("W-what?"), "What, what?");
        assert_eq!(say("b-but"), "but, but");
        assert_eq!(say("Nev-never"), "Nev, never");
        // Compounds stay.
        assert_eq!(say("re-read the well-known so-so book"), "re-read the well-known so-so book");
        assert_eq!(say("a half-hearted X-ray"), "a half-hearted X-ray");
    }

    #[test]
    fn elongations_are_shortened() {
        assert_eq!(say("Sooo tired"), "So tired");
        assert_eq!(say("Nooooo!"), "No!");
        assert_eq!(say("Pleeeease"), "Please");
        assert_eq!(say("Goooood"), "Good");
        assert_eq!(say("Hmmmm."), "Hmm.");
        assert_eq!(say("Nononono!"), "No, no, no, no!");
        assert_eq!(say("hahaha"), "ha, ha, ha");
        assert_eq!(say("Nonononooo"), "No, no, no, no");
        assert_eq!(say("Helllllo"), "Hello");
        assert_eq!(say("He had 1500 men."), "He had fifteen hundred men.");
        assert_eq!(say("banana cocoa Mississippi"), "banana cocoa Mississippi");
    }

    #[test]
    fn punctuation_is_tidied() {
        assert_eq!(say("Wait. . . what?!"), "Wait... what?");
        assert_eq!(say("No!!!"), "No!");
        assert_eq!(say("Really??"), "Really?");
        assert_eq!(say("What!?"), "What?");
        assert_eq!(say("Hey!!1"), "Hey!");
        assert_eq!(say("So… fine"), "So... fine");
        assert_eq!(say("I was—well, never mind"), "I was, well, never mind");
        assert_eq!(say("\"But I--\""), "\"But I...\"");
        assert_eq!(say("Wait. ."), "Wait...");
        assert_eq!(say("\"under the tree . .\""), "\"under the tree...\"");
    }

    #[test]
    fn markup_symbols_and_line_breaks_are_not_read() {
        assert_eq!(say("I *really* mean it"), "I really mean it");
        assert_eq!(say("_never_ again, **ever**"), "never again, ever");
        assert_eq!(say("2 * 3"), "two three");
        assert_eq!(say("∞ ∞ ∞"), "");
        assert_eq!(say("* * *"), "");
        assert_eq!(say("Hello 😀 there ❤️!"), "Hello there!");
        assert_eq!(say("one line\nand the next\r\n  line"), "one line and the next line");
        assert_eq!(say("salt & pepper"), "salt and pepper");
    }

    #[test]
    fn pronunciations_apply_to_whole_words_in_case() {
        let lexicon: IndexMap<String, String> = [("Xander", "Zander"), ("Sunnydale", "Sunny dale"), ("Giles", "Jyles")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let say = |text: &str| spoken(text, &lexicon);
        assert_eq!(say("Xander's friend XANDER, xander"), "Zander's friend ZANDER, Zander");
        assert_eq!(
            spoken("Lead the lead", &[("lead".to_owned(), "leed".to_owned())].into_iter().collect()),
            "Leed the leed"
        );
        assert_eq!(say("Xanderson"), "Xanderson", "only whole words");
        assert_eq!(say("Welcome to Sunnydale."), "Welcome to Sunny dale.");
        assert_eq!(say("Mr. Giles"), "Mister Jyles");
    }

    #[test]
    fn deterministic_and_idempotent_on_plain_text() {
        let text = "Mr. Smith paid $3.50 at 4:15 on the 3rd of May, 1999... W-what?!";
        assert_eq!(say(text), say(text));
        let once = say(text);
        assert_eq!(say(&once), once);
        assert_eq!(
            once,
            "Mister Smith paid three dollars and fifty cents at four fifteen on the third of May, nineteen ninety-nine... What, what?"
        );
    }
}
