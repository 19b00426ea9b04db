//! The voice commands end to end: `voices`, `preview` and `cast`, with real espeak-ng audio read back.

use assert_cmd::Command;
use predicates::prelude::*;

fn audiobook() -> Command {
    Command::cargo_bin("audiobook").expect("the binary is built")
}

const SAMPLE: &str = "tests/fixtures/all-my-days-are-dark.txt";

#[test]
fn voices_lists_male_and_female_espeak_voices() {
    let output = audiobook().args(["voices", "--engine", "espeak"]).output().unwrap();
    assert!(output.status.success());
    let listing = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = listing.lines().collect();
    assert!(lines[0].starts_with("voice") && lines[0].contains("language") && lines[0].contains("source"));
    assert!(lines.iter().any(|l| l.starts_with("espeak:en-us+f3 ") && l.contains("female")), "{listing}");
    assert!(lines.iter().any(|l| l.starts_with("espeak:en-gb-x-rp+m3 ") && l.contains("male")), "{listing}");
    assert!(lines.len() > 20, "{listing}");
}

#[test]
fn preview_writes_a_wav_of_the_spoken_line() {
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("hello.wav");
    audiobook()
        .args(["preview", "--voice", "espeak:en-us+f3", "Good morning, Doctor Smith. It is 1999."])
        .arg("-o")
        .arg(&wav)
        .assert()
        .success()
        .stderr(predicate::str::contains("wrote"));
    let mut reader = hound::WavReader::open(&wav).unwrap();
    let spec = reader.spec();
    assert_eq!((spec.channels, spec.bits_per_sample), (1, 16));
    let samples: Vec<i16> = reader.samples::<i16>().map(Result::unwrap).collect();
    let seconds = samples.len() as f64 / f64::from(spec.sample_rate);
    // Eleven words (the year read as "nineteen ninety-nine") take a few seconds at an audiobook pace.
    assert!((2.0..8.0).contains(&seconds), "{seconds} s");
    let loud = samples.iter().filter(|s| s.unsigned_abs() > 1000).count();
    assert!(loud > samples.len() / 10, "mostly silent: {loud} of {}", samples.len());
    assert!(!dir.path().join("hello.wav.tmp").exists());
}

#[test]
fn preview_of_an_unknown_voice_names_the_nearest_ones() {
    let dir = tempfile::tempdir().unwrap();
    audiobook()
        .args(["preview", "--voice", "espeak:en-uss+f3", "Hello."])
        .arg("-o")
        .arg(dir.path().join("x.wav"))
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("unknown voice \"espeak:en-uss+f3\"")
                .and(predicate::str::contains("espeak:en-us+f3")),
        );
    assert!(!dir.path().join("x.wav").exists());
}

#[test]
fn cast_writes_an_editable_file_and_never_overwrites_one_silently() {
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("story.txt");
    std::fs::copy(SAMPLE, &story).unwrap();
    audiobook().arg("cast").arg(&story).assert().success();
    let path = dir.path().join("story.cast.toml");
    let written = std::fs::read_to_string(&path).unwrap();
    let cast = audiobook::cast::Cast::parse(&written, &path).unwrap();
    assert_eq!(cast.narrator.voice.as_ref().map(ToString::to_string).as_deref(), Some("espeak:en-us"));
    for (name, entry) in &cast.characters {
        let voice = entry.voice.as_ref().unwrap_or_else(|| panic!("{name} has no voice"));
        assert_ne!(Some(voice), cast.narrator.voice.as_ref(), "{name} reads with the narrator's voice");
    }

    audiobook().arg("cast").arg(&story).assert().code(1).stderr(predicate::str::contains("--force"));
    audiobook().arg("cast").arg(&story).arg("--force").assert().success();
}

#[test]
fn say_without_the_feature_explains_how_to_get_it() {
    if cfg!(feature = "system-voice") {
        return;
    }
    audiobook().args(["say", "hello"]).assert().code(1).stderr(predicate::str::contains("--features system-voice"));
}

#[test]
fn without_the_espeak_library_the_embedded_port_speaks_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("draft.wav");
    let output = audiobook()
        .env("AUDIOBOOK_ESPEAK_LIBRARY", dir.path().join("libespeak-ng-missing.so"))
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .args(["preview", "--voice", "espeak:en-us", "The library is missing, yet this is spoken."])
        .arg("-o")
        .arg(&wav)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.starts_with("warning:")).collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    assert!(warnings[0].contains("apt-get install espeak-ng") || warnings[0].contains("brew install"), "{stderr}");
    let reader = hound::WavReader::open(&wav).unwrap();
    assert!(reader.duration() > reader.spec().sample_rate, "under a second of speech");
}

#[test]
fn preview_of_a_character_speaks_their_first_lines_in_their_cast_voice() {
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("story.txt");
    std::fs::write(
        &story,
        "\"Good morning,\" Ann said.\n\n\"Morning,\" said Bob.\n\n\"Is it raining?\" Ann asked.\n\n\
         \"No,\" said Bob.\n\n\"Then we walk,\" Ann said.\n\n\"Fine,\" Bob said.\n\n\"Now,\" said Ann.\n\n\"Later,\" Ann said.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("story.cast.toml"),
        "[narrator]\nvoice = \"silence:narrator\"\n\n[characters.Ann]\ngender = \"female\"\nvoice = \"silence:female2\"\n\n\
         [characters.Bob]\ngender = \"male\"\nvoice = \"silence:male1\"\n",
    )
    .unwrap();
    let wav = dir.path().join("ann.wav");
    audiobook()
        .args(["preview", "--character", "ann", "-o"])
        .arg(&wav)
        .arg(&story)
        .assert()
        .success()
        .stderr(predicate::str::contains("Ann as silence:female2"));
    let reader = hound::WavReader::open(&wav).unwrap();
    let seconds = f64::from(reader.duration()) / f64::from(reader.spec().sample_rate);
    // Her first four lines (the test engine speaks 60 ms a character) with three half-second pauses between them.
    let characters =
        ["Good morning,", "Is it raining?", "Then we walk,", "Now,"].iter().map(|l| l.len()).sum::<usize>();
    let expected = 0.06 * characters as f64 + 3.0 * 0.5;
    assert!((seconds - expected).abs() < 0.01, "{seconds} s, expected {expected} s");

    audiobook()
        .args(["preview", "--character", "Carol", "-o"])
        .arg(dir.path().join("c.wav"))
        .arg(&story)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no character called \"Carol\"").and(predicate::str::contains("Ann, Bob")));
}

#[test]
fn preview_of_an_uncast_character_casts_with_the_engine_asked_for() {
    let joe = audiobook::engine::piper::Piper::open().map_err(|e| e.to_string()).and_then(|piper| {
        piper.check(&"piper:en_US-joe-medium".parse().unwrap()).map(|()| piper).map_err(|e| e.to_string())
    });
    if audiobook::engine::installed_or_skip("ONNX Runtime with the joe voice", joe).is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("story.txt");
    std::fs::write(&story, "\"Good morning,\" Ann said.\n\n\"Morning,\" said Bob.\n").unwrap();
    for (engine, voice) in [("espeak", "Ann as espeak:"), ("piper", "Ann as piper:en_US-joe-medium")] {
        audiobook()
            .args(["preview", "--character", "Ann", "--engine", engine, "-o"])
            .arg(dir.path().join(format!("{engine}.wav")))
            .arg(&story)
            .assert()
            .success()
            .stderr(predicate::str::contains(voice));
    }
}
