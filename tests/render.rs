//! End-to-end tests of `audiobook render` with the deterministic test engine and with espeak-ng: WAV files read back
//! with hound, durations, scene-break silences, playlist, cue sheet, timeline, loudness, resume and recasting.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const STORY: &str = "Title: The Lamp\nAuthor: Jo Reed\n\nChapter 1\n\n\u{201C}Fetch the lamp,\u{201D} Ada said. \
                     \"It's dark in here.\"\n\nTom nodded slowly. <Not again.> He went to the shed.\n\n* * *\n\n\
                     The lamp was gone. Someone had taken it, and the shed smelled of oil.\n\nChapter 2\n\n\
                     \"Who took it?\" Ada asked.\n\n\u{221E} \u{221E} \u{221E}\n\nNobody answered her. The wind \
                     rose over the hill.\n";

const SILENCE_CAST: &str = "[narrator]\nvoice = \"silence:narrator\"\n\n[characters.Ada]\ngender = \"female\"\n\
                            voice = \"silence:female1\"\n\n[characters.Tom]\ngender = \"male\"\nvoice = \"silence:male1\"\n";

const SCENE_PAUSE: f64 = 1.25;

struct Rendered {
    _dir: tempfile::TempDir,
    story: PathBuf,
    out: PathBuf,
}

fn setup(cast: Option<&str>) -> Rendered {
    let dir = tempfile::tempdir().expect("temporary folder");
    let story = dir.path().join("the-lamp.txt");
    std::fs::write(&story, STORY).expect("write story");
    if let Some(cast) = cast {
        std::fs::write(dir.path().join("the-lamp.cast.toml"), cast).expect("write cast");
    }
    let out = dir.path().join("out");
    Rendered { _dir: dir, story, out }
}

fn render(r: &Rendered, out: &Path, extra: &[&str], env: Option<(&str, &str)>) -> std::process::Output {
    let mut command = Command::cargo_bin("audiobook").expect("binary");
    command.arg("render").arg(&r.story).arg("-o").arg(out).args(["--scene-pause", &SCENE_PAUSE.to_string()]);
    command.args(extra);
    if let Some((key, value)) = env {
        command.env(key, value);
    }
    command.output().expect("run")
}

fn success(output: &std::process::Output) {
    assert!(output.status.success(), "render failed: {}", String::from_utf8_lossy(&output.stderr));
}

fn timeline(out: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("timeline.json")).expect("timeline.json")).expect("json")
}

fn read_wav(path: &Path) -> (hound::WavSpec, Vec<i16>) {
    let reader = hound::WavReader::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let spec = reader.spec();
    (spec, reader.into_samples().map(|s| s.expect("sample")).collect())
}

fn f(value: &Value) -> f64 {
    value.as_f64().expect("number")
}

/// Checks every file of a render: WAVs parse, durations add up from segments and pauses, scene breaks are silences
/// of the requested length where the timeline says, the playlist and cue sheet name existing files, the timeline
/// speaks the script verbatim, and chapters meet the loudness target.
fn check_render(out: &Path, story: &str, pauses: &[f64]) {
    let timeline = timeline(out);
    let rate = timeline["sample_rate"].as_u64().expect("rate") as u32;
    let chapters = timeline["chapters"].as_array().expect("chapters");
    assert_eq!(chapters.len(), 2, "two chapters in the story");
    assert_eq!(timeline["title"], "The Lamp");
    assert_eq!(timeline["author"], "Jo Reed");
    let tolerance = 1.5 / f64::from(rate);
    let mut spoken = Vec::new();
    for chapter in chapters {
        let file = out.join(chapter["file"].as_str().expect("file"));
        let (spec, samples) = read_wav(&file);
        assert_eq!((spec.channels, spec.bits_per_sample, spec.sample_rate), (1, 16, rate));
        let duration = samples.len() as f64 / f64::from(rate);
        assert!((duration - f(&chapter["duration_s"])).abs() < tolerance, "{duration} vs {}", chapter["duration_s"]);
        let tags = audiobook::output::read_tags(&file).expect("tags");
        assert_eq!(tags.album, "The Lamp");
        assert_eq!(tags.artist.as_deref(), Some("Jo Reed"));
        assert_eq!(tags.title, chapter["title"].as_str().expect("title"));

        // Durations add up: lead-in + lines + a known pause between each two + tail.
        let scenes = chapter["scenes"].as_array().expect("scenes");
        let segments: Vec<&Value> = scenes.iter().flat_map(|s| s["segments"].as_array().expect("segments")).collect();
        let (mut total, mut previous_end) = (0.0, None::<f64>);
        for segment in &segments {
            let (start, end) = (f(&segment["start_s"]), f(&segment["end_s"]));
            assert!(end > start, "every line has audio: {segment}");
            total += end - start;
            if let Some(previous) = previous_end {
                let gap = start - previous;
                assert!(pauses.iter().any(|p| (gap - p).abs() < tolerance), "gap {gap} is not one of {pauses:?}");
                total += gap;
            }
            previous_end = Some(end);
            let from = (start * f64::from(rate)).round() as usize;
            let to = (end * f64::from(rate)).round() as usize;
            assert!(samples[from..to].iter().any(|&s| s.unsigned_abs() > 100), "line is audible: {segment}");
            let (a, b) =
                (segment["source_start"].as_u64().unwrap() as usize, segment["source_end"].as_u64().unwrap() as usize);
            assert_eq!(&story[a..b], segment["text"].as_str().expect("text"));
            spoken.push((a, b));
        }
        let lead_in = f(&segments[0]["start_s"]);
        let tail = duration - previous_end.expect("lines");
        assert!((lead_in - 0.5).abs() < tolerance && (tail - 1.5).abs() < tolerance, "{lead_in} {tail}");
        assert!((lead_in + total + tail - duration).abs() < 4.0 * tolerance);

        // Each scene break: exactly the requested silence, where the timeline puts it.
        for pair in scenes.windows(2) {
            let (end, next) = (f(&pair[0]["end_s"]), f(&pair[1]["start_s"]));
            assert!((next - end - SCENE_PAUSE).abs() < tolerance, "scene pause {}", next - end);
            let from = (end * f64::from(rate)).round() as usize;
            let to = (next * f64::from(rate)).round() as usize;
            assert!(samples[from..to].iter().all(|&s| s == 0), "scene break is true silence");
        }

        // Loudness: -18 LUFS integrated (within 1 LU, unless the peak ceiling decided) and true peak <= -3 dBTP.
        let mut meter = ebur128::EbuR128::new(1, rate, ebur128::Mode::I | ebur128::Mode::TRUE_PEAK).expect("meter");
        meter.add_frames_i16(&samples).expect("measure");
        let lufs = meter.loudness_global().expect("loudness");
        let peak = 20.0 * meter.true_peak(0).expect("peak").log10();
        assert!(peak <= -3.0 + 0.2, "true peak {peak} dBTP");
        assert!((lufs + 18.0).abs() < 1.0 || peak > -3.5, "loudness {lufs} LUFS with peak {peak}");
        assert!(samples.iter().all(|&s| s != i16::MAX && s != i16::MIN), "no sample clips");
    }
    assert_eq!(chapters[1]["scenes"].as_array().expect("scenes").len(), 2, "the ∞ line is a scene break");

    // Verbatim: the timeline speaks every segment of the script with words in it, once, in order.
    let script = std::fs::read_to_string(out.join("script.jsonl")).expect("script.jsonl");
    let expected: Vec<(usize, usize)> = script
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("record"))
        .filter(|r| r["text"].as_str().expect("text").chars().any(char::is_alphanumeric))
        .map(|r| (r["start"].as_u64().unwrap() as usize, r["end"].as_u64().unwrap() as usize))
        .collect();
    assert_eq!(spoken, expected);

    // The playlist and cue sheet name existing files, one per chapter.
    let name = "the-lamp";
    let playlist = std::fs::read_to_string(out.join(format!("{name}.m3u8"))).expect("playlist");
    assert!(playlist.starts_with("#EXTM3U"));
    let listed: Vec<&str> = playlist.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|f| out.join(f).is_file()), "{playlist}");
    let cue = std::fs::read_to_string(out.join(format!("{name}.cue"))).expect("cue");
    let files: Vec<&str> = cue.lines().filter_map(|l| l.strip_prefix("FILE \"")?.strip_suffix("\" WAVE")).collect();
    assert_eq!(files, listed);
    assert_eq!(cue.matches("TRACK").count(), 2);
    assert_eq!(cue.matches("INDEX 02").count(), 2, "a second index for each chapter's second scene: {cue}");
    assert!(out.join("cast.toml").is_file());
}

fn silence_pauses() -> Vec<f64> {
    // segment, paragraph, each + speaker change, scene (the cast's defaults).
    vec![0.3, 0.7, 0.5, 0.9, SCENE_PAUSE]
}

#[test]
fn silence_engine_render_is_complete_and_consistent() {
    let r = setup(Some(SILENCE_CAST));
    let output = render(&r, &r.out, &["--quiet"], None);
    success(&output);
    assert!(output.stderr.is_empty(), "--quiet prints nothing: {}", String::from_utf8_lossy(&output.stderr));
    check_render(&r.out, STORY, &silence_pauses());
    assert_eq!(timeline(&r.out)["sample_rate"], 16_000, "the test engine's own rate: no resampling");
    // The cast used: the file's voices, with the --scene-pause given on the command line.
    let used = std::fs::read_to_string(r.out.join("cast.toml")).expect("cast");
    let used = audiobook::cast::Cast::parse(&used, Path::new("cast.toml")).expect("cast parses");
    assert_eq!(used.characters["Ada"].voice.as_ref().map(ToString::to_string).as_deref(), Some("silence:female1"));
    assert!((used.pauses.scene - SCENE_PAUSE).abs() < 1e-9);
    let names: Vec<String> = timeline(&r.out)["chapters"]
        .as_array()
        .expect("chapters")
        .iter()
        .map(|c| c["file"].as_str().expect("file").to_owned())
        .collect();
    assert_eq!(names, ["01-chapter-1.wav", "02-chapter-2.wav"]);
}

#[test]
fn espeak_render_is_complete_and_consistent() {
    // No cast file: automatic casting with espeak-ng.
    let r = setup(None);
    let output = render(&r, &r.out, &["--engine", "espeak"], None);
    success(&output);
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(log.contains("synthesized") && log.contains("real time"), "{log}");
    check_render(&r.out, STORY, &silence_pauses());
    assert_eq!(timeline(&r.out)["sample_rate"], 22_050);
    assert!(std::fs::read_to_string(r.out.join("cast.toml")).expect("cast").contains("espeak:"));
}

fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("output folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).expect("read")))
        .collect();
    files.sort();
    files
}

/// Asserts that the output folders `a` and `b` hold the same files, byte for byte.
fn assert_same_files(a: &Path, b: &Path) {
    let (a, b) = (files_of(a), files_of(b));
    assert_eq!(a.iter().map(|f| &f.0).collect::<Vec<_>>(), b.iter().map(|f| &f.0).collect::<Vec<_>>());
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs after resuming");
    }
}

#[test]
fn interrupted_then_resumed_equals_uninterrupted() {
    let r = setup(Some(SILENCE_CAST));
    success(&render(&r, &r.out, &["-q"], None));
    let resumed = r.out.with_file_name("resumed");
    let stopped = render(&r, &resumed, &["-q", "-j", "2"], Some(("AUDIOBOOK_TEST_STOP_AFTER", "3")));
    assert!(!stopped.status.success());
    assert!(
        String::from_utf8_lossy(&stopped.stderr).contains("interrupted"),
        "{}",
        String::from_utf8_lossy(&stopped.stderr)
    );
    assert!(files_of(&resumed).iter().all(|(name, _)| !name.contains(".wav")), "no WAV appears unfinished");
    let cached = std::fs::read_dir(resumed.join(".cache"))
        .expect("cache")
        .filter(|e| e.as_ref().expect("entry").path().extension().is_some_and(|x| x == "audio"))
        .count();
    assert_eq!(cached, 3, "finished lines are kept");
    let output = render(&r, &resumed, &[], None);
    success(&output);
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(log.contains(&format!("{cached} reused")), "{log}");
    assert_same_files(&r.out, &resumed);
}

#[test]
fn recasting_one_character_resynthesizes_only_their_lines() {
    use audiobook::render::{Book, Options, render as render_book};
    let dir = tempfile::tempdir().expect("temporary folder");
    let story = audiobook::story::parse(STORY.as_bytes()).expect("story");
    let mut script = audiobook::script::segment(&story);
    // Attribution is not under test here: give the quotes speakers by hand.
    let mut ada_lines = std::collections::HashSet::new();
    for segment in &mut script.segments {
        let text = segment.span.of(&story.text);
        if segment.kind != audiobook::script::SegmentKind::Narration
            && segment.kind != audiobook::script::SegmentKind::Heading
        {
            let who = if text.contains("Not again") { "Tom" } else { "Ada" };
            if who == "Ada" {
                ada_lines.insert(text.to_owned());
            }
            segment.speaker = Some(who.to_owned());
        }
    }
    let registry = audiobook::engine::Registry::new();
    let run = |cast_text: &str| {
        let cast = audiobook::cast::Cast::parse(cast_text, Path::new("cast.toml")).expect("cast");
        let book = Book { story: &story, script: &script, cast: &cast, cast_toml: cast_text, name: "the-lamp" };
        render_book(&book, &registry, &Options::new(dir.path().to_path_buf())).expect("render")
    };
    let first = run(SILENCE_CAST);
    assert_eq!(first.reused, 0);
    let timeline = timeline(dir.path());
    let voices: Vec<String> = timeline["chapters"]
        .as_array()
        .expect("chapters")
        .iter()
        .flat_map(|c| c["scenes"].as_array().expect("scenes").iter())
        .flat_map(|s| s["segments"].as_array().expect("segments").iter())
        .map(|s| s["voice"].as_str().expect("voice").to_owned())
        .collect();
    assert!(voices.contains(&"silence:female1".to_owned()) && voices.contains(&"silence:male1".to_owned()));
    let same = run(SILENCE_CAST);
    assert_eq!((same.synthesized, same.reused), (0, first.synthesized));
    let recast = run(&SILENCE_CAST.replace("silence:female1", "silence:female2"));
    assert_eq!(recast.synthesized, ada_lines.len(), "only Ada's lines are redone");
    assert_eq!(recast.reused + recast.synthesized, first.synthesized);
    // Her old lines are removed from the cache once the render is complete.
    assert_eq!(recast.pruned.lines, ada_lines.len());
    let cached = std::fs::read_dir(dir.path().join(".cache"))
        .expect("cache")
        .filter(|e| e.as_ref().expect("entry").path().extension().is_some_and(|x| x == "audio"))
        .count();
    assert_eq!(cached, first.synthesized, "one cached file per line");
}

#[test]
fn a_renamed_chapter_replaces_its_old_file_and_other_files_are_left_alone() {
    let r = setup(Some(SILENCE_CAST));
    success(&render(&r, &r.out, &["-q"], None));
    assert!(r.out.join("01-chapter-1.wav").exists());
    std::fs::write(r.out.join("notes.wav"), b"the reader's own file").expect("write");
    std::fs::write(&r.story, STORY.replace("Chapter 1\n", "Chapter 1: The Shed\n")).expect("rewrite story");
    let output = render(&r, &r.out, &[], None);
    success(&output);
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("1 old file"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(r.out.join("01-chapter-1-the-shed.wav").exists());
    assert!(!r.out.join("01-chapter-1.wav").exists(), "the old file is gone");
    assert!(r.out.join("02-chapter-2.wav").exists());
    assert!(r.out.join("notes.wav").exists(), "a file this program did not write stays");
}

#[test]
fn mixed_sample_rates_are_resampled_and_long_chapters_split_into_parts() {
    use audiobook::render::{Book, Options, render as render_book};
    let dir = tempfile::tempdir().expect("temporary folder");
    let story = audiobook::story::parse(STORY.as_bytes()).expect("story");
    let mut script = audiobook::script::segment(&story);
    for segment in &mut script.segments {
        if segment.kind == audiobook::script::SegmentKind::Dialogue {
            segment.speaker = Some("Ada".to_owned());
        }
    }
    // The narrator at 16 kHz, Ada on espeak at 22.05 kHz.
    let cast_text = SILENCE_CAST.replace("silence:female1", "espeak:en-us+f3");
    let cast = audiobook::cast::Cast::parse(&cast_text, Path::new("cast.toml")).expect("cast");
    let book = Book { story: &story, script: &script, cast: &cast, cast_toml: &cast_text, name: "the-lamp" };
    let mut options = Options::new(dir.path().to_path_buf());
    // 16 seconds of audio per file at most.
    options.max_file_bytes = 2 * 22_050 * 16;
    let report = render_book(&book, &audiobook::engine::Registry::new(), &options).expect("render");
    assert!(report.files.len() > 2, "the chapters are split: {:?}", report.files);
    let timeline = timeline(dir.path());
    assert_eq!(timeline["sample_rate"], 22_050);
    let mut total = 0.0;
    for (file, chapter) in report.files.iter().zip(timeline["chapters"].as_array().expect("chapters")) {
        let (spec, samples) = read_wav(file);
        assert_eq!(spec.sample_rate, 22_050);
        assert!(samples.len() * 2 <= options.max_file_bytes as usize, "{} is within the limit", file.display());
        let part = chapter["title"].as_str().expect("title").contains("(part ");
        assert_eq!(part, file.to_string_lossy().contains("-part"), "{chapter}");
        total += samples.len() as f64 / 22_050.0;
    }
    assert!((total - report.audio_seconds).abs() < 1e-6);
    assert!(report.files.iter().filter(|f| f.to_string_lossy().contains("-part")).count() >= 2);
    let playlist = std::fs::read_to_string(dir.path().join("the-lamp.m3u8")).expect("playlist");
    assert_eq!(playlist.matches(".wav").count(), report.files.len());
}

#[test]
fn with_piper_voices_a_resumed_render_matches_an_uninterrupted_one() {
    // Piper's noise is seeded by each line's phonemes, so a line synthesized after a resume is the same take.
    let piper = audiobook::engine::piper::Piper::open().map_err(|e| e.to_string()).and_then(|piper| {
        let joe = "piper:en_US-joe-medium".parse().expect("reference");
        piper.check(&joe).map(|()| piper).map_err(|e| e.to_string())
    });
    if audiobook::engine::installed_or_skip("ONNX Runtime with the joe voice", piper).is_none() {
        return;
    }
    let r = setup(None);
    success(&render(&r, &r.out, &["-q", "--engine", "piper"], None));
    let resumed = r.out.with_file_name("resumed");
    let stopped = render(&r, &resumed, &["-q", "--engine", "piper"], Some(("AUDIOBOOK_TEST_STOP_AFTER", "4")));
    assert!(!stopped.status.success(), "the render stopped early");
    success(&render(&r, &resumed, &["-q", "--engine", "piper"], None));
    assert_same_files(&r.out, &resumed);
}

#[test]
fn ctrl_c_stops_cleanly_and_the_rerun_matches_an_uninterrupted_render() {
    // The embedded espeak-ng port, which every machine has.
    ctrl_c_then_rerun("embedded", 12);
}

#[test]
fn with_the_system_espeak_ng_a_resumed_render_matches_an_uninterrupted_one() {
    // The system library carries state from one utterance to the next (pitch flutter, gain, `rand()`); the engine
    // speaks every line on a freshly loaded library so that a line synthesized after a resume is the same.
    let library = audiobook::engine::espeak::Espeak::with_backend(audiobook::engine::espeak::BackendKind::System);
    if audiobook::engine::installed_or_skip("the espeak-ng library", library).is_none() {
        return;
    }
    // It is about three times faster than the embedded port: a longer story, so the signal lands mid-render.
    ctrl_c_then_rerun("system", 40);
}

/// Renders a story of `copies` variants of [`STORY`] with the espeak-ng `backend`; renders it again, stopped by
/// SIGINT after a moment, and once more to finish; compares the two output folders byte for byte.
fn ctrl_c_then_rerun(backend: &str, copies: usize) {
    let long: String =
        (1..=copies).map(|n| STORY.replace("The lamp was gone.", &format!("The lamp was gone {n} times."))).collect();
    let dir = tempfile::tempdir().expect("temporary folder");
    let story = dir.path().join("long.txt");
    std::fs::write(&story, &long).expect("write story");
    let run = |out: &Path| {
        let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("audiobook"));
        command.arg("render").arg(&story).arg("-o").arg(out).arg("-q").env("AUDIOBOOK_ESPEAK", backend);
        command
    };
    let whole = dir.path().join("whole");
    let finished = run(&whole).output().expect("run");
    assert!(finished.status.success(), "{}", String::from_utf8_lossy(&finished.stderr));

    let resumed = dir.path().join("resumed");
    let child = run(&resumed).stderr(std::process::Stdio::piped()).spawn().expect("spawn");
    std::thread::sleep(std::time::Duration::from_millis(400));
    let signal = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill");
    assert!(signal.success());
    let stopped = child.wait_with_output().expect("wait");
    // On a very fast machine the render may finish before the signal; the comparison below still holds.
    if !stopped.status.success() {
        let message = String::from_utf8_lossy(&stopped.stderr);
        assert!(message.contains("interrupted") && message.contains("run the same command again"), "{message}");
        // A signal during assembly leaves the chapters written so far: each one whole, as the finished render has it.
        let whole_files = files_of(&whole);
        for (name, bytes) in files_of(&resumed).iter().filter(|(name, _)| name.ends_with("wav")) {
            let finished = whole_files.iter().find(|(other, _)| other == name);
            assert!(finished.is_some_and(|(_, other)| other == bytes), "{name} is left incomplete by the interruption");
        }
    }
    let rerun = run(&resumed).output().expect("run");
    assert!(rerun.status.success(), "{}", String::from_utf8_lossy(&rerun.stderr));
    let (a, b) = (files_of(&whole), files_of(&resumed));
    assert_eq!(a.len(), b.len());
    for ((name, x), (other, y)) in a.iter().zip(&b) {
        assert_eq!(name, other);
        assert!(x == y, "{name} differs after an interrupted render");
    }
}
