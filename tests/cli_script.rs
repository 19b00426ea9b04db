//! End-to-end tests of `audiobook script` in both output formats.

use assert_cmd::Command;

const STORY: &str = "Title: The Lamp\nAuthor: Jo Reed\n\nChapter 1\n\n\u{201C}Fetch the lamp,\u{201D} Ada said. \
                     \"It's dark.\"\n\nTom nodded. <Not again.>\n";

fn run(format: &str) -> (String, String) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("story.txt");
    std::fs::write(&path, STORY).expect("write fixture");
    let output = Command::cargo_bin("audiobook")
        .expect("binary")
        .args(["script", path.to_str().expect("utf-8 path"), "--format", format])
        .output()
        .expect("run");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    (STORY.to_owned(), String::from_utf8(output.stdout).expect("utf-8 output"))
}

#[test]
fn jsonl_records_point_at_their_text_in_the_input() {
    let (input, out) = run("jsonl");
    let records: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).expect("json line")).collect();
    assert!(records.len() >= 7, "{out}");
    for r in &records {
        let (start, end) = (r["start"].as_u64().expect("start") as usize, r["end"].as_u64().expect("end") as usize);
        assert_eq!(&input[start..end], r["text"].as_str().expect("text"));
    }
    let kinds: Vec<&str> = records.iter().map(|r| r["kind"].as_str().expect("kind")).collect();
    assert_eq!(kinds[..3], ["heading", "heading", "heading"]);
    assert!(records.iter().any(|r| r["kind"] == "dialogue" && r["text"] == "Fetch the lamp,"));
    assert!(records.iter().any(|r| r["kind"] == "dialogue" && r["text"] == "It's dark."));
    assert!(records.iter().any(|r| r["kind"] == "thought" && r["text"] == "Not again."));
}

#[test]
fn text_format_lists_every_segment() {
    let (_, out) = run("text");
    assert!(out.contains("Fetch the lamp,"), "{out}");
    assert!(out.contains("[narrator] Ada said."), "{out}");
    assert!(out.contains("Not again."), "{out}");
}

fn script_of(path: &std::path::Path, extra: &[&str]) -> String {
    let output =
        Command::cargo_bin("audiobook").expect("binary").arg("script").arg(path).args(extra).output().expect("run");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("utf-8 output")
}

#[test]
fn detected_speakers_are_in_both_formats() {
    let (_, text) = run("text");
    assert!(text.contains("[Ada 0.95] Fetch the lamp,"), "{text}");
    let (_, jsonl) = run("jsonl");
    let first = jsonl.lines().find(|l| l.contains("\"dialogue\"")).expect("a dialogue line");
    let record: serde_json::Value = serde_json::from_str(first).expect("json line");
    assert_eq!(record["speaker"], "Ada");
    assert!(record["confidence"].as_f64().expect("confidence") > 0.9);
}

#[test]
fn a_cast_fixes_the_roster_and_its_canonical_names() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let story = dir.path().join("story.txt");
    std::fs::write(&story, STORY).expect("write story");
    let cast = dir.path().join("story.cast.toml");
    std::fs::write(&cast, "[characters.\"Ada Reed\"]\naliases = [\"Ada\"]\ngender = \"female\"\n").expect("write cast");
    let out = script_of(&story, &["--format", "jsonl", "--cast", cast.to_str().expect("utf-8 path")]);
    let speakers: Vec<String> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json line"))
        .filter(|r| r["kind"] == "dialogue")
        .map(|r| r["speaker"].as_str().unwrap_or("null").to_owned())
        .collect();
    assert_eq!(speakers, ["Ada Reed", "Ada Reed"]);
}

#[test]
fn the_sample_story_script_matches_its_snapshot() {
    let out = script_of(std::path::Path::new("tests/fixtures/all-my-days-are-dark.txt"), &[]);
    insta::assert_snapshot!(out);
}
