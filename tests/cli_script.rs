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
