//! Measures an engine's speed on a story: real-time factor (seconds of speech per second of wall time).
//!
//! ```text
//! cargo run --release --example engine_speed -- ENGINE VOICE THREADS STORY [PARAGRAPHS-OUT]
//! ```
//! The story's paragraphs are normalized as a render would, then spoken by `THREADS` worker threads sharing
//! one engine. Piper speaks without the pauses it adds between sentences, so its audio is the model's own
//! output, comparable with `bench/piper_python_speed.py` (which reads the paragraphs written to
//! `PARAGRAPHS-OUT`). Used by `bench/engines.sh`.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, bail};
use audiobook::engine::{Engine, Prosody, Registry, VoiceRef, piper};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [engine_name, voice, threads, story, rest @ ..] = &args[..] else {
        bail!("usage: engine_speed ENGINE VOICE THREADS STORY [PARAGRAPHS-OUT]");
    };
    let threads: usize = threads.parse().context("THREADS is a number")?;
    let voice: VoiceRef = voice.parse()?;
    let bytes = std::fs::read(story).with_context(|| format!("cannot read {story}"))?;
    let story = audiobook::story::parse(&bytes)?;
    let paragraphs: Vec<String> = story
        .chapters
        .iter()
        .flat_map(|chapter| &chapter.scenes)
        .flat_map(|scene| &scene.paragraphs)
        .map(|span| audiobook::normalize::spoken(span.of(&story.text), &indexmap::IndexMap::new()))
        .filter(|text| !text.trim().is_empty())
        .collect();
    if let Some(out) = rest.first() {
        std::fs::write(out, paragraphs.join("\n") + "\n")?;
    }

    let engine: Arc<dyn Engine> = if engine_name == "piper" {
        let directories: Vec<PathBuf> =
            piper::catalogue::search_directories().into_iter().map(|(path, _)| path).collect();
        let options = piper::Options { sentence_pause: 0.0, clause_pause: 0.0, ..piper::Options::default() };
        let engine = piper::Piper::with_directories(&directories, options)?;
        engine.check(&voice)?;
        Arc::new(engine)
    } else {
        Registry::new().engine(engine_name)?
    };
    // One short line first, so the measurement does not include loading the voice.
    engine.synthesize("Ready.", &voice, Prosody::default())?;

    let next = AtomicUsize::new(0);
    let start = Instant::now();
    let seconds: f64 = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.max(1))
            .map(|_| {
                scope.spawn(|| -> anyhow::Result<f64> {
                    let mut seconds = 0.0;
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(text) = paragraphs.get(index) else { return Ok(seconds) };
                        seconds += engine.synthesize(text, &voice, Prosody::default())?.duration();
                    }
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().expect("a worker panicked")).sum::<anyhow::Result<f64>>()
    })?;
    let wall = start.elapsed().as_secs_f64();
    println!(
        "engine={engine_name} voice={voice} threads={threads} paragraphs={} audio_s={seconds:.1} wall_s={wall:.2} rtf={:.1}",
        paragraphs.len(),
        seconds / wall
    );
    Ok(())
}
