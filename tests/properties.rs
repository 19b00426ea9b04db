//! Properties over generated stories: no input makes the script stage panic, and a render's durations add up
//! (lead-in + lines + one known pause between each two + tail = the WAV's length; scene breaks are true silence).

use std::path::Path;

use audiobook::cast::Cast;
use audiobook::engine::Registry;
use audiobook::render::{Book, Options};
use proptest::prelude::*;

/// Pieces of story text: words, names, every kind of quote mark, thought brackets, tags and scene breaks.
fn piece() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("Ada"),
        Just("Tom"),
        Just("said"),
        Just("she"),
        Just("he"),
        Just("the lamp"),
        Just("went home"),
        Just("42"),
        Just("\""),
        Just("\u{201C}"),
        Just("\u{201D}"),
        Just("'"),
        Just("\u{2019}"),
        Just("<"),
        Just(">"),
        Just("*"),
        Just("_"),
        Just("thought"),
        Just(", "),
        Just(". "),
        Just("? "),
        Just("\n\n"),
        Just("\n\n* * *\n\n"),
        Just("\n\n\u{221E}\u{A0}\u{221E}\n\n"),
        Just("Chapter 2\n\n"),
        Just("é"),
    ]
}

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec((piece(), prop_oneof![Just(""), Just(" ")]), 1..80)
        .prop_map(|pieces| pieces.into_iter().flat_map(|(piece, glue)| [piece, glue]).collect())
}

proptest! {
    #[test]
    fn no_input_makes_the_script_stage_panic(text in prop_oneof![text(), any::<String>()]) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("story.txt");
        std::fs::write(&path, &text).unwrap();
        if let Ok((story, script, roster)) = audiobook::script_from_file(&path, None) {
            let mut previous_end = 0;
            for segment in script.segments.iter().filter(|s| s.kind != audiobook::script::SegmentKind::Heading) {
                let span = segment.span;
                prop_assert!(story.text.is_char_boundary(span.start) && story.text.is_char_boundary(span.end));
                prop_assert!(previous_end <= span.start && span.start < span.end);
                previous_end = span.end;
                prop_assert!((0.0..=1.0).contains(&segment.confidence));
                if let Some(speaker) = &segment.speaker {
                    prop_assert!(roster.characters.iter().any(|c| &c.name == speaker), "{speaker} not in the roster");
                }
            }
        }
    }
}

const CAST: &str = "[narrator]\nvoice = \"silence:narrator\"\n\n[characters.Ada]\ngender = \"female\"\n\
                    voice = \"silence:female1\"\n\n[characters.Tom]\ngender = \"male\"\nvoice = \"silence:male1\"\n";

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn rendered_durations_add_up(text in text(), scene in 0.5f64..3.0) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("story.txt");
        std::fs::write(&path, format!("Title: Generated\n\n{text}\n\nThe end came at last.\n")).unwrap();
        let mut cast = Cast::parse(CAST, Path::new("cast.toml")).unwrap();
        cast.pauses.scene = scene;
        let (story, script, _) = audiobook::script_from_file(&path, Some(&cast)).unwrap();
        let book = Book { story: &story, script: &script, cast: &cast, cast_toml: CAST, name: "generated" };
        let out = dir.path().join("out");
        audiobook::render::render(&book, &Registry::new(), &Options::new(out.clone())).unwrap();

        let timeline: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("timeline.json")).unwrap()).unwrap();
        let rate = f64::from(u32::try_from(timeline["sample_rate"].as_u64().unwrap()).unwrap());
        let tolerance = 1.5 / rate;
        let p = cast.pauses;
        let gaps = [p.segment, p.paragraph, p.segment + p.speaker_change, p.paragraph + p.speaker_change, p.scene];
        let seconds = |v: &serde_json::Value| v.as_f64().unwrap();
        for chapter in timeline["chapters"].as_array().unwrap() {
            let reader = hound::WavReader::open(out.join(chapter["file"].as_str().unwrap())).unwrap();
            let samples: Vec<i16> = reader.into_samples().map(Result::unwrap).collect();
            let duration = samples.len() as f64 / rate;
            let scenes = chapter["scenes"].as_array().unwrap();
            let segments: Vec<&serde_json::Value> =
                scenes.iter().flat_map(|s| s["segments"].as_array().unwrap()).collect();
            prop_assert!(!segments.is_empty());
            let mut total = p.lead_in + p.tail;
            let mut previous: Option<f64> = None;
            for segment in &segments {
                let (start, end) = (seconds(&segment["start_s"]), seconds(&segment["end_s"]));
                prop_assert!(end > start);
                total += end - start;
                let gap = start - previous.unwrap_or(start - p.lead_in);
                prop_assert!(
                    previous.is_none() || gaps.iter().any(|g| (gap - g).abs() < tolerance),
                    "gap {} not one of {:?}", gap, gaps
                );
                total += if previous.is_some() { gap } else { 0.0 };
                previous = Some(end);
            }
            prop_assert!((seconds(&segments[0]["start_s"]) - p.lead_in).abs() < tolerance);
            prop_assert!((total - duration).abs() < 2.0 * segments.len() as f64 * tolerance, "{} vs {}", total, duration);
            prop_assert!((seconds(&chapter["duration_s"]) - duration).abs() < tolerance);
            for pair in scenes.windows(2) {
                let (end, next) = (seconds(&pair[0]["end_s"]), seconds(&pair[1]["start_s"]));
                prop_assert!((next - end - scene).abs() < tolerance, "scene pause {}", next - end);
                let (from, to) = ((end * rate).round() as usize, (next * rate).round() as usize);
                prop_assert!(samples[from..to].iter().all(|&s| s == 0), "a scene break is true silence");
            }
        }
    }
}
