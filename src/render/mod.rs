//! Rendering: synthesize every line (in parallel, scene by scene, cached), level the voices, then stream each
//! chapter to its WAV file with pauses, and write the playlist, cue sheet, timeline, script and cast.
//!
//! Two passes keep memory flat however long the book is:
//! 1. **Synthesis.** Lines missing from the cache are synthesized by a pool of worker threads, in reading order
//!    (scene by scene), each resampled to the output rate, measured (EBU R128 loudness and true peak) and stored in
//!    the cache. Only a line at a time per worker is in memory.
//! 2. **Assembly.** Voice and chapter gains are computed from the cached measurements alone (so they do not depend
//!    on which lines were synthesized in this run), the layout of every file is planned and checked against the
//!    script (the verbatim check), then each file is streamed from the cache, one line at a time.
//!
//! The output is a function of the story, cast and options only: an interrupted render, run again, produces the
//! same bytes as an uninterrupted one.

pub mod cache;
pub mod plan;
mod progress;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

pub use plan::LoudnessTarget;
pub use progress::{ProgressKind, clock};

use crate::cast::Cast;
use crate::engine::{Engine, Registry, VoiceRef};
use crate::output::{self, Tags, Timeline, TimelineChapter, TimelineScene, TimelineSegment};
use crate::script::Script;
use crate::story::Story;
use crate::{Error, Result, audio};
use plan::{Line, Measure, Part};
use progress::Progress;

/// The largest audio data a WAV file may hold: the RIFF size field is 32 bits, less room for headers and tags.
pub const MAX_WAV_DATA_BYTES: u64 = u32::MAX as u64 - (1 << 20);

/// Environment variable, **for tests only**: stop (as if interrupted) once this many lines have been synthesized.
pub const STOP_AFTER_VARIABLE: &str = "AUDIOBOOK_TEST_STOP_AFTER";

/// How to render.
#[derive(Debug, Clone)]
pub struct Options {
    /// The output folder.
    pub output: PathBuf,
    /// Worker threads for synthesis.
    pub jobs: NonZeroUsize,
    /// Loudness of each chapter.
    pub loudness: LoudnessTarget,
    /// How progress is shown.
    pub progress: ProgressKind,
    /// Set (e.g. by a Ctrl-C handler) to stop cleanly with [`Error::Interrupted`].
    pub stop: Arc<AtomicBool>,
    /// For tests: stop as if interrupted after this many lines were synthesized.
    pub stop_after: Option<usize>,
    /// Largest audio data per WAV file, in bytes; a longer chapter is split into parts.
    pub max_file_bytes: u64,
}

impl Options {
    /// Defaults: every core, −18 LUFS / −3 dBTP, no progress output.
    #[must_use]
    pub fn new(output: PathBuf) -> Self {
        Self {
            output,
            jobs: std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN),
            loudness: LoudnessTarget::default(),
            progress: ProgressKind::Quiet,
            stop: Arc::new(AtomicBool::new(false)),
            stop_after: None,
            max_file_bytes: MAX_WAV_DATA_BYTES,
        }
    }
}

/// What to render.
#[derive(Debug, Clone, Copy)]
pub struct Book<'a> {
    /// The story.
    pub story: &'a Story,
    /// Its attributed script.
    pub script: &'a Script,
    /// The cast; every voice it names must resolve.
    pub cast: &'a Cast,
    /// The cast file's text, stored as `cast.toml` in the output.
    pub cast_toml: &'a str,
    /// The story's slug: names the playlist and cue sheet.
    pub name: &'a str,
}

/// What a render did.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Lines spoken.
    pub lines: usize,
    /// Utterances synthesized in this run (cache misses).
    pub synthesized: usize,
    /// Utterances taken from the cache.
    pub reused: usize,
    /// What an earlier render left that this one no longer uses, removed.
    pub pruned: cache::Pruned,
    /// Total audio, in seconds.
    pub audio_seconds: f64,
    /// The WAV files, in playing order.
    pub files: Vec<PathBuf>,
}

/// Renders `book` into `options.output`; see the module documentation.
pub fn render(book: &Book<'_>, registry: &Registry, options: &Options) -> Result<Report> {
    let engines = open_engines(book.cast, registry)?;
    let sample_rate = engines.values().map(|(_, rate)| *rate).max().unwrap_or(crate::engine::silence::SAMPLE_RATE);
    let lines = plan::lines(book.story, book.script, book.cast, sample_rate, |voice| {
        engines.get(voice).map(|(engine, _)| engine.identity(voice)).unwrap_or_default()
    })?;
    std::fs::create_dir_all(&options.output).map_err(|source| Error::Write { path: options.output.clone(), source })?;
    let folder = cache::folder(&options.output);
    std::fs::create_dir_all(&folder).map_err(|source| Error::Write { path: folder.clone(), source })?;
    cache::clean(&folder);
    cache::clean(&options.output);

    let (measures, synthesized, reused) = synthesize(&lines, &engines, &folder, sample_rate, options)?;
    let measure = |key: &plan::Key| measures.get(key).copied().unwrap_or(Measure { samples: 0, loudness: NO_AUDIO });
    let gains = plan::voice_gains(&lines, measure);

    // Plan every file, then check it speaks the script verbatim, before writing anything.
    let mut parts: Vec<Part> = Vec::new();
    let mut start = 0;
    while start < lines.len() {
        let chapter = lines[start].chapter;
        let end = lines[start..].iter().position(|l| l.chapter != chapter).map_or(lines.len(), |n| start + n);
        let indexed: Vec<(usize, &Line)> = (start..end).map(|i| (i, &lines[i])).collect();
        let chapter_measures: Vec<Measure> = indexed.iter().map(|(_, l)| measure(&l.key)).collect();
        parts.extend(plan::layout(
            chapter,
            &indexed,
            &chapter_measures,
            &gains[start..end],
            &book.cast.pauses,
            sample_rate,
            options.max_file_bytes,
        ));
        start = end;
    }
    let placed: Vec<plan::Placed> = parts.iter().flat_map(|p| p.placed.iter().copied()).collect();
    plan::verify_verbatim(book.story, book.script, &lines, &placed)?;

    let mut progress = Progress::new(options.progress, BTreeMap::new());
    let timeline = write_files(book, &lines, &parts, sample_rate, &folder, options, &progress)?;
    progress.finish();
    let used: Vec<plan::Key> = lines.iter().map(|line| line.key).collect();
    let written: Vec<String> = timeline.chapters.iter().map(|c| c.file.clone()).collect();
    let pruned = cache::prune(&folder, &options.output, &used, &written);
    Ok(Report {
        lines: lines.len(),
        synthesized,
        reused,
        pruned,
        audio_seconds: parts.iter().map(|p| p.samples as f64).sum::<f64>() / f64::from(sample_rate),
        files: timeline.chapters.iter().map(|c| options.output.join(&c.file)).collect(),
    })
}

/// The engine and output sample rate of each voice.
type Engines = HashMap<VoiceRef, (Arc<dyn Engine>, u32)>;

const NO_AUDIO: audio::Loudness = audio::Loudness { integrated: f64::NEG_INFINITY, true_peak: 0.0 };

/// The engine and sample rate of every voice the cast names.
fn open_engines(cast: &Cast, registry: &Registry) -> Result<Engines> {
    let voices = cast.narrator.voice.iter().chain(cast.characters.values().filter_map(|c| c.voice.as_ref()));
    let mut engines = HashMap::new();
    for voice in voices {
        if !engines.contains_key(voice) {
            let (engine, info) = registry.resolve(voice)?;
            engines.insert(voice.clone(), (engine, info.sample_rate));
        }
    }
    Ok(engines)
}

/// A message from a synthesis worker.
enum Message {
    Started(usize),
    Done(usize, Result<Measure>),
}

/// Pass 1: measures every distinct utterance, synthesizing (in parallel) those missing from the cache.
/// Returns the measures, the number synthesized and the number reused.
fn synthesize(
    lines: &[Line],
    engines: &Engines,
    folder: &Path,
    sample_rate: u32,
    options: &Options,
) -> Result<(HashMap<plan::Key, Measure>, usize, usize)> {
    let mut measures = HashMap::new();
    let mut seen = HashSet::new();
    let mut jobs: Vec<&Line> = Vec::new();
    for line in lines {
        if !seen.insert(line.key) {
            continue;
        }
        match cache::measure(folder, &line.key, sample_rate) {
            Some(measure) => {
                measures.insert(line.key, measure);
            }
            None => jobs.push(line),
        }
    }
    let reused = measures.len();
    let mut totals = BTreeMap::new();
    for line in &jobs {
        *totals.entry((line.chapter, line.scene)).or_insert(0) += 1;
    }
    let mut progress = Progress::new(options.progress, totals);
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let stopping = || options.stop.load(Ordering::SeqCst) || failed.load(Ordering::SeqCst);
    let mut error = None;
    let mut synthesized = 0;
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::channel();
        for _ in 0..options.jobs.get().min(jobs.len()) {
            let sender = sender.clone();
            let (next, jobs) = (&next, &jobs);
            let stopping = &stopping;
            scope.spawn(move || {
                while !stopping() {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(line) = jobs.get(index) else { break };
                    if options.stop_after.is_some_and(|n| index >= n) {
                        options.stop.store(true, Ordering::SeqCst);
                        break;
                    }
                    let _ = sender.send(Message::Started(index));
                    let result = synthesize_line(line, engines, folder, sample_rate);
                    let _ = sender.send(Message::Done(index, result));
                }
            });
        }
        drop(sender);
        for message in receiver {
            match message {
                Message::Started(index) => progress.started((jobs[index].chapter, jobs[index].scene)),
                Message::Done(index, Ok(measure)) => {
                    let line = jobs[index];
                    measures.insert(line.key, measure);
                    synthesized += 1;
                    progress.done((line.chapter, line.scene), measure.samples as f64 / f64::from(sample_rate));
                }
                Message::Done(_, Err(e)) => {
                    failed.store(true, Ordering::SeqCst);
                    error.get_or_insert(e);
                }
            }
        }
    });
    progress.finish();
    if let Some(error) = error {
        return Err(error);
    }
    if synthesized < jobs.len() {
        return Err(Error::Interrupted);
    }
    Ok((measures, synthesized, reused))
}

/// Synthesizes one utterance, brings it to the output rate, measures it and caches it.
fn synthesize_line(line: &Line, engines: &Engines, folder: &Path, sample_rate: u32) -> Result<Measure> {
    let (engine, _) = engines
        .get(&line.voice)
        .ok_or_else(|| Error::UnknownVoice { reference: line.voice.to_string(), nearest: Vec::new() })?;
    let audio = engine.synthesize(&line.text, &line.voice, line.prosody)?;
    let audio = audio::resample(audio, sample_rate)?;
    let loudness = audio::measure(&audio)?;
    cache::write(folder, &line.key, &audio, loudness)?;
    Ok(Measure { samples: audio.samples.len(), loudness })
}

/// The title of chapter `index`: its heading, else the story's title for a one-chapter story, else "Chapter N".
fn chapter_title(story: &Story, index: usize, book_title: &str) -> String {
    story.chapter_title(&story.chapters[index]).unwrap_or_else(|| {
        if story.chapters.len() == 1 { book_title.to_owned() } else { format!("Chapter {}", index + 1) }
    })
}

/// Pass 2: streams every part to its WAV file, then writes the timeline, playlist, cue sheet, script and cast.
fn write_files(
    book: &Book<'_>,
    lines: &[Line],
    parts: &[Part],
    sample_rate: u32,
    folder: &Path,
    options: &Options,
    progress: &Progress,
) -> Result<Timeline> {
    let story = book.story;
    let text_of = |span: Option<crate::story::Span>| span.map(|s| s.of(&story.text).trim().to_owned());
    let title = text_of(story.metadata.title()).filter(|t| !t.is_empty()).unwrap_or_else(|| book.name.to_owned());
    let author = text_of(story.metadata.author()).filter(|a| !a.is_empty());
    let width = story.chapters.len().to_string().len().max(2);
    let seconds = |samples: u64| samples as f64 / f64::from(sample_rate);
    let mut timeline = Timeline { title: title.clone(), author: author.clone(), sample_rate, chapters: Vec::new() };
    for part in parts {
        let chapter_title = chapter_title(story, part.chapter, &title);
        let suffix = part.part.map(|n| format!("-part{n}")).unwrap_or_default();
        let file = format!("{:0width$}-{}{suffix}.wav", part.chapter + 1, output::slug(&chapter_title, "chapter"));
        let part_title = part.part.map_or_else(|| chapter_title.clone(), |n| format!("{chapter_title} (part {n})"));
        let tags = Tags { title: part_title.clone(), artist: author.clone(), album: title.clone() };
        let path = options.output.join(&file);
        let fingerprint = fingerprint(part, lines, &tags, sample_rate, options.loudness);
        let stamp = folder.join(format!("{file}.done"));
        if std::fs::read_to_string(&stamp).ok().as_deref() != Some(fingerprint.as_str()) || !path.exists() {
            write_part(&path, part, lines, &tags, sample_rate, folder, options)?;
            output::write_atomic(&stamp, |w| std::io::Write::write_all(w, fingerprint.as_bytes()))?;
            progress.message(&format!("wrote {} ({})", path.display(), clock(seconds(part.samples))));
        }
        let mut scenes: Vec<TimelineScene> = Vec::new();
        let mut last_scene = None;
        for placed in &part.placed {
            let line = &lines[placed.line];
            let segment = TimelineSegment {
                kind: line.kind,
                speaker: line.speaker.clone(),
                voice: line.voice.to_string(),
                start_s: seconds(placed.start),
                end_s: seconds(placed.start + placed.samples),
                source_start: line.span.start,
                source_end: line.span.end,
                text: line.span.of(&story.text).to_owned(),
            };
            if last_scene != Some(line.scene) {
                scenes.push(TimelineScene { start_s: segment.start_s, end_s: segment.end_s, segments: Vec::new() });
                last_scene = Some(line.scene);
            }
            if let Some(scene) = scenes.last_mut() {
                scene.end_s = segment.end_s;
                scene.segments.push(segment);
            }
        }
        timeline.chapters.push(TimelineChapter { title: part_title, file, duration_s: seconds(part.samples), scenes });
    }
    let out = &options.output;
    output::write_timeline(&out.join("timeline.json"), &timeline)?;
    output::write_playlist(&out.join(format!("{}.m3u8", book.name)), &timeline)?;
    output::write_cue(&out.join(format!("{}.cue", book.name)), &timeline)?;
    output::write_atomic(&out.join("script.jsonl"), |w| crate::script::format::write_jsonl(w, story, book.script))?;
    output::write_atomic(&out.join("cast.toml"), |w| std::io::Write::write_all(w, book.cast_toml.as_bytes()))?;
    Ok(timeline)
}

/// Everything that decides a part's bytes: when an existing file's stamp matches, the file is not rewritten.
fn fingerprint(part: &Part, lines: &[Line], tags: &Tags, sample_rate: u32, target: LoudnessTarget) -> String {
    use sha2::Digest as _;
    let mut hash = sha2::Sha256::new();
    hash.update(b"audiobook part v1");
    hash.update(target.integrated.to_bits().to_le_bytes());
    hash.update(target.true_peak.to_bits().to_le_bytes());
    for text in [tags.title.as_str(), tags.artist.as_deref().unwrap_or("\0"), tags.album.as_str()] {
        hash.update((text.len() as u64).to_le_bytes());
        hash.update(text.as_bytes());
    }
    hash.update(sample_rate.to_le_bytes());
    hash.update(part.samples.to_le_bytes());
    for placed in &part.placed {
        hash.update(lines[placed.line].key.0);
        hash.update(placed.start.to_le_bytes());
        hash.update(placed.samples.to_le_bytes());
        hash.update(placed.gain.to_bits().to_le_bytes());
    }
    plan::Key(hash.finalize().into()).hex()
}

/// Streams one part through `each`, a line at a time: the silence before the line (a sample count), then the
/// line's samples with its voice gain.
fn stream_part(
    part: &Part,
    lines: &[Line],
    folder: &Path,
    options: &Options,
    mut each: impl FnMut(u64, &[f32]) -> Result<()>,
) -> Result<()> {
    let mut position = 0;
    for placed in &part.placed {
        if options.stop.load(Ordering::SeqCst) {
            return Err(Error::Interrupted);
        }
        let mut audio = cache::read(folder, &lines[placed.line].key)?;
        audio::gain(&mut audio, placed.gain);
        each(placed.start - position, &audio.samples)?;
        position = placed.start + placed.samples;
    }
    each(part.samples - position, &[])
}

/// The integrated loudness of a part as it will be written (before its own gain), measured over the whole file.
fn measure_part(
    part: &Part,
    lines: &[Line],
    sample_rate: u32,
    folder: &Path,
    options: &Options,
) -> Result<Option<f64>> {
    let failed = |e: ebur128::Error| Error::Audio(format!("cannot measure loudness: {e}"));
    let mut meter = ebur128::EbuR128::new(1, sample_rate, ebur128::Mode::I).map_err(failed)?;
    let zeros = vec![0f32; 1 << 14];
    stream_part(part, lines, folder, options, |silence, samples| {
        let mut left = silence as usize;
        while left > 0 {
            let n = left.min(zeros.len());
            meter.add_frames_f32(&zeros[..n]).map_err(failed)?;
            left -= n;
        }
        meter.add_frames_f32(samples).map_err(failed)
    })?;
    let lufs = meter.loudness_global().map_err(failed)?;
    Ok(lufs.is_finite().then_some(lufs))
}

/// Writes one part: measures it, then streams it to its WAV file from the cache with the gain that brings it to the
/// loudness target.
fn write_part(
    path: &Path,
    part: &Part,
    lines: &[Line],
    tags: &Tags,
    sample_rate: u32,
    folder: &Path,
    options: &Options,
) -> Result<()> {
    let loudness = measure_part(part, lines, sample_rate, folder, options)?;
    let peak = part.placed.iter().map(|p| p.peak_db).fold(f64::NEG_INFINITY, f64::max);
    let gain = audio::db_to_gain(plan::file_gain(loudness, peak, options.loudness)) as f32;
    let mut wav = output::WavWriter::create(path, sample_rate)?;
    let written = stream_part(part, lines, folder, options, |silence, samples| {
        wav.silence(silence)?;
        wav.samples(audio::to_pcm16(samples.iter().map(|s| s * gain)))
    });
    match written {
        Ok(()) => wav.finish(tags),
        Err(error) => {
            wav.abandon();
            Err(error)
        }
    }
}
