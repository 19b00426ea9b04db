//! The sample story's speakers against a hand-made gold list, with the roster detected and given by a cast.

use std::path::Path;

use audiobook::cast::Cast;
use audiobook::script::SegmentKind;

const SAMPLE: &str = "tests/fixtures/all-my-days-are-dark.txt";

/// Who speaks each of the sample's 36 quotes, read from the story by hand (the thought is checked apart).
/// The first three voices of scene 2 are unnamed when they speak; the story reveals them later (the "first
/// voice" is Buffy, "another voice" is Xander).
const GOLD: [&str; 36] = [
    "Spike", // Come on Willow.
    "Buffy", "Xander", "Buffy", "Willow", "Buffy", "Willow", "Willow", "Xander", "Willow", // Let go … Am I?
    "Buffy", "Xander", "Willow", "Buffy", "Willow", "Willow", // You-you're not dead … Nononono.
    "Willow", "Xander", "Willow", "Xander", "Xander", "Buffy", "Buffy", "Xander",
    "Willow", // It can't be … But, you have Buffy
    "Willow", "Willow", "Oz", // It's not like … Willow, don't let it go.
    "Spike", "Willow", "Spike", "Willow", "Spike", "Spike", "Willow", "Spike", // Perhaps … something to eat.
];

const CAST: &str = r#"
[characters."Spike"]
gender = "male"
[characters."Willow"]
aliases = ["Wil"]
gender = "female"
[characters."Buffy"]
aliases = ["Buff"]
gender = "female"
[characters."Xander"]
gender = "male"
[characters."Oz"]
gender = "male"
"#;

/// (quote speakers, thought speakers) of the sample, with the given cast or the detected roster.
fn speakers(cast: Option<&Cast>) -> (Vec<Option<String>>, Vec<Option<String>>) {
    let (_, script, _) = audiobook::script_from_file(Path::new(SAMPLE), cast).expect("sample story reads");
    let of = |kind| script.segments.iter().filter(|s| s.kind == kind).map(|s| s.speaker.clone()).collect();
    (of(SegmentKind::Dialogue), of(SegmentKind::Thought))
}

fn check(cast: Option<&Cast>) {
    let (quotes, thoughts) = speakers(cast);
    assert_eq!(quotes.len(), GOLD.len(), "every quote detected");
    let wrong: Vec<(usize, &str, Option<&String>)> = GOLD
        .iter()
        .zip(&quotes)
        .enumerate()
        .filter(|(_, (gold, got))| got.as_deref() != Some(**gold))
        .map(|(i, (gold, got))| (i + 1, *gold, got.as_ref()))
        .collect();
    assert!(wrong.len() <= 3, "{} of 36 right; wrong (quote, gold, got): {wrong:?}", 36 - wrong.len());
    assert_eq!(thoughts, [Some("Willow".to_owned())]);
}

#[test]
fn at_least_33_of_36_quotes_have_the_right_speaker_with_the_detected_roster() {
    check(None);
}

#[test]
fn at_least_33_of_36_quotes_have_the_right_speaker_with_a_cast() {
    let cast = Cast::parse(CAST, Path::new("sample.cast.toml")).expect("cast parses");
    check(Some(&cast));
}
