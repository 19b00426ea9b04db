//! Bad input never panics: each case gets one `error: …` line that names the thing and says what to do,
//! and a non-zero exit status (1 for failures, 2 for usage).

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn audiobook() -> Command {
    Command::cargo_bin("audiobook").unwrap()
}

/// Runs `script` on `bytes` and returns (exit code, stdout, stderr).
fn script_of(bytes: &[u8]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("story.txt");
    std::fs::write(&path, bytes).unwrap();
    let output = audiobook().args(["script", "--format", "jsonl"]).arg(&path).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// One line on stderr, starting `error: `, no panic or backtrace.
fn assert_one_error_line(stderr: &str, words: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    assert!(lines[0].contains(words), "{words:?} not in {stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "{stderr}");
}

#[test]
fn missing_file() {
    let assert = audiobook().args(["script", "no/such/story.txt"]).assert().code(1);
    assert_one_error_line(&String::from_utf8_lossy(&assert.get_output().stderr), "no/such/story.txt: no such file");
}

#[test]
fn a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let assert = audiobook().arg("script").arg(dir.path()).assert().code(1);
    assert_one_error_line(&String::from_utf8_lossy(&assert.get_output().stderr), "it is a folder; give a file");
}

#[test]
fn empty_and_whitespace_only_files() {
    let (code, _, stderr) = script_of(b"");
    assert_eq!(code, 1);
    assert_one_error_line(&stderr, "the file is empty");
    let (code, _, stderr) = script_of(b"  \n\t\r\n\xC2\xA0\n");
    assert_eq!(code, 1);
    assert_one_error_line(&stderr, "only whitespace");
}

#[test]
fn a_binary_file() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xffa";
    let (code, _, stderr) = script_of(png);
    assert_eq!(code, 1);
    assert_one_error_line(&stderr, "binary file");
}

#[test]
fn windows_1252_text_works_with_a_warning() {
    let (code, stdout, stderr) = script_of(b"\x93Caf\xe9?\x94 she asked.\r\n");
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.starts_with("warning: ") && stderr.contains("Windows-1252"), "{stderr}");
    assert!(stdout.contains("Café"), "{stdout}");
}

#[test]
fn utf16_with_bom_works() {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend("\"Hello,\" she said.\r\n".encode_utf16().flat_map(u16::to_le_bytes));
    let (code, stdout, stderr) = script_of(&bytes);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Hello"), "{stdout}");
}

#[test]
fn crlf_and_no_dialogue_and_unbalanced_quotes_work() {
    for text in [
        "It rained.\r\n\r\nIt stopped.\r\n",
        "Nobody spoke. Nobody ever spoke.\n",
        "\"Open.\n\n\"Open again.\n\nShe said \"one and \"two.\n\n\" \" \" \"\n\nThe end.\n",
    ] {
        let (code, stdout, stderr) = script_of(text.as_bytes());
        assert_eq!(code, 0, "{text:?}: {stderr}");
        assert!(!stdout.is_empty());
    }
}

#[test]
fn a_20_mb_story_works() {
    let paragraph = "\"Where were you?\" Anna asked. Tom shrugged and looked away. \"Out,\" he said.\n\n";
    let text = paragraph.repeat(20 * 1024 * 1024 / paragraph.len() + 1);
    let (code, stdout, stderr) = script_of(text.as_bytes());
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.lines().count() >= text.len() / paragraph.len());
}

fn cast_error(cast: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("story.txt");
    std::fs::write(&story, "\"Hi,\" said Ann.\n").unwrap();
    let cast_path = dir.path().join("cast.toml");
    std::fs::write(&cast_path, cast).unwrap();
    let assert = audiobook().arg("script").arg(&story).arg("--cast").arg(&cast_path).assert().code(1);
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

#[test]
fn cast_with_a_syntax_error() {
    assert_one_error_line(&cast_error("[characters.Ann\n"), "cast.toml line 1:");
}

#[test]
fn cast_with_an_unknown_key() {
    let stderr = cast_error("[characters.Ann]\ngender = \"female\"\nvoise = \"espeak:en\"\n");
    assert_one_error_line(&stderr, "cast.toml line 3: unknown field `voise`");
}

#[test]
fn cast_with_a_malformed_voice() {
    assert_one_error_line(&cast_error("[characters.Ann]\nvoice = \"en-us\"\n"), "ENGINE:VOICE");
}

#[test]
fn usage_errors_exit_with_2() {
    audiobook().args(["script"]).assert().code(2).stderr(predicate::str::contains("STORY"));
    audiobook().args(["frobnicate"]).assert().code(2);
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let story = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/all-my-days-are-dark.txt");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_audiobook"))
        .arg("script")
        .arg(&story)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

/// Runs `preview --character Ann` on a one-line story with `cast` as its cast file; returns stderr.
fn preview_with_cast(cast: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("story.txt");
    std::fs::write(&story, "\"Hello there,\" Ann said.\n").unwrap();
    std::fs::write(dir.path().join("story.cast.toml"), cast).unwrap();
    let output = audiobook()
        .args(["preview", "--character", "Ann", "-o"])
        .arg(dir.path().join("a.wav"))
        .arg(&story)
        .output()
        .unwrap();
    (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn cast_with_an_unknown_voice() {
    let (code, stderr) = preview_with_cast("[characters.Ann]\ngender = \"female\"\nvoice = \"espeak:en-us+f33\"\n");
    assert_eq!(code, 1);
    assert_one_error_line(&stderr, "story.cast.toml line 3: voice for \"Ann\": unknown voice \"espeak:en-us+f33\"");
    assert!(stderr.contains("did you mean") && stderr.contains("audiobook voices"), "{stderr}");
}

#[test]
fn cast_with_an_unknown_engine() {
    let (code, stderr) = preview_with_cast("[narrator]\nvoice = \"festival:kal\"\n");
    assert_eq!(code, 1);
    assert_one_error_line(&stderr, "story.cast.toml line 2: voice for the narrator: unknown engine \"festival\"");
}

#[test]
fn cast_characters_the_story_never_mentions_get_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("story.txt");
    std::fs::write(&story, "\"Hello there,\" Ann said.\n").unwrap();
    let cast = dir.path().join("other.toml");
    std::fs::write(&cast, "[characters.Ann]\n[characters.Bertrand]\n").unwrap();
    audiobook()
        .arg("script")
        .arg(&story)
        .arg("--cast")
        .arg(&cast)
        .assert()
        .success()
        .stderr(predicate::str::contains("never mentions \"Bertrand\"").and(predicate::str::contains("Ann").not()));
}

/// Runs `script` under `sh` in a private mount namespace (as root, or as a user mapped to root), where a
/// tmpfs can be mounted without touching the machine; `None` when this system allows neither.
fn in_private_mounts(script: &str) -> Option<std::process::Output> {
    let probe = std::process::Command::new("unshare").args(["--user", "--map-root-user", "--mount", "true"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: unshare cannot make a private mount namespace here");
        return None;
    }
    let output = std::process::Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c", script])
        .env("AUDIOBOOK", env!("CARGO_BIN_EXE_audiobook"))
        .env("STORY", Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/all-my-days-are-dark.txt"))
        .output()
        .unwrap();
    Some(output)
}

#[test]
fn a_full_disk_fails_politely_leaves_no_partial_file_and_loses_no_finished_line() {
    let dir = tempfile::tempdir().unwrap();
    // The first render runs out of space after a few lines; the second, with room, reuses them.
    let script = format!(
        r#"set -e
        mount -t tmpfs -o size=400k tmpfs {dir}
        cd {dir}
        "$AUDIOBOOK" render "$STORY" -o out --quiet 2> first.err && exit 90
        echo "first: $(cat first.err)"
        echo "left: $(ls -A out/.cache | grep -v '\.audio$' || true)$(ls out | grep -v '^\.' || true)"
        echo "kept: $(ls out/.cache | grep -c '\.audio$')"
        mount -o remount,size=100m {dir}
        "$AUDIOBOOK" render "$STORY" -o out 2>&1 | tail -n 1"#,
        dir = dir.path().display()
    );
    let Some(output) = in_private_mounts(&script) else { return };
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    let line = |prefix: &str| stdout.lines().find_map(|l| l.strip_prefix(prefix)).unwrap_or_default().to_owned();
    assert_one_error_line(&line("first: "), "the disk is full; free some space, then run the same command again");
    assert_eq!(line("left: "), "", "temporary or half-written files were left behind");
    let kept: usize = line("kept: ").parse().unwrap();
    assert!(kept > 0, "{stdout}");
    assert!(line("rendered ").contains(&format!("{kept} reused")), "{stdout}");
}

#[test]
fn a_read_only_output_folder_is_named_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let script = format!(
        r#"mount -t tmpfs -o ro,size=100k tmpfs {dir} && "$AUDIOBOOK" render "$STORY" -o {dir}/out --quiet"#,
        dir = dir.path().display()
    );
    let Some(output) = in_private_mounts(&script) else { return };
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_one_error_line(&stderr, "the file system is read-only; choose another place");
    assert!(stderr.contains(&format!("{}/out", dir.path().display())), "{stderr}");
}

#[test]
fn an_output_folder_inside_a_file_is_named_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("story.txt");
    std::fs::write(&file, "\"Hello,\" said Ann.\n").unwrap();
    let assert = audiobook().args(["render", "--quiet", "-o"]).arg(file.join("out")).arg(&file).assert().code(1);
    assert_one_error_line(&String::from_utf8_lossy(&assert.get_output().stderr), "a part of the path is a file");
}
