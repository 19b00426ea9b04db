//! Fuzzes the first half of the pipeline: any bytes through parsing, segmentation, roster detection and
//! attribution must never panic, and the segments must stay inside the text on UTF-8 boundaries, in order.
#![no_main]

use audiobook::{attribution, characters, script, story};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(story) = story::parse(bytes) else { return };
    let mut script = script::segment(&story);
    let roster = characters::detect(&story, &script);
    attribution::attribute(&story, &mut script, &roster);
    let mut previous_end = 0;
    for segment in &script.segments {
        let span = segment.span;
        assert!(span.start <= span.end && span.end <= story.text.len());
        assert!(story.text.is_char_boundary(span.start) && story.text.is_char_boundary(span.end));
        assert!(span.start >= previous_end, "segments overlap or go backwards");
        previous_end = span.end;
        assert!((0.0..=1.0).contains(&segment.confidence));
    }
});
