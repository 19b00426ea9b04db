//! Files a render leaves behind: WAV chapters with LIST/INFO tags, the M3U8 playlist, the cue sheet and the timeline.
//!
//! Every file is written under a temporary name (`NAME.partial`) and renamed when complete, so a file with its final
//! name is never half-written, even after Ctrl-C or a crash.

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::{Error, Result};

/// Writes a file through `write`, under a temporary name first, then renames it to `path`.
pub fn write_atomic(path: &Path, write: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>) -> Result<()> {
    let temporary = partial(path);
    let failed = |source| Error::Write { path: path.to_path_buf(), source };
    let result = File::create(&temporary).and_then(|file| {
        let mut out = BufWriter::new(file);
        write(&mut out)?;
        out.flush()
    });
    match result.and_then(|()| std::fs::rename(&temporary, path)) {
        Ok(()) => Ok(()),
        Err(source) => {
            let _ = std::fs::remove_file(&temporary);
            Err(failed(source))
        }
    }
}

/// The temporary name a file is written under.
fn partial(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".partial");
    PathBuf::from(name)
}

/// A file or folder name made from a title: lowercase letters and digits joined by `-` (`fallback` when nothing
/// is left).
#[must_use]
pub fn slug(title: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') && c != '\'' && c != '\u{2019}' {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    let out: String = out.chars().take(60).collect();
    let out = out.trim_end_matches('-');
    if out.is_empty() { fallback.to_owned() } else { out.to_owned() }
}

/// The tags of a WAV file (RIFF LIST/INFO).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tags {
    /// `INAM`: the chapter's title.
    pub title: String,
    /// `IART`: the author.
    pub artist: Option<String>,
    /// `IPRD`: the story's title.
    pub album: String,
}

/// Samples handed to hound at a time.
const CHUNK: usize = 1 << 16;

/// A 16-bit mono WAV file being written, sample by sample, under its temporary name.
pub struct WavWriter {
    path: PathBuf,
    writer: hound::WavWriter<BufWriter<File>>,
}

impl std::fmt::Debug for WavWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WavWriter").field("path", &self.path).finish_non_exhaustive()
    }
}

impl WavWriter {
    /// Starts `path` (written as `path.partial` until [`WavWriter::finish`]).
    pub fn create(path: &Path, sample_rate: u32) -> Result<Self> {
        let spec =
            hound::WavSpec { channels: 1, sample_rate, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
        let writer = hound::WavWriter::create(partial(path), spec).map_err(|e| wav_error(path, e))?;
        Ok(Self { path: path.to_path_buf(), writer })
    }

    /// Appends `count` samples of digital silence.
    pub fn silence(&mut self, count: u64) -> Result<()> {
        let mut left = count;
        while left > 0 {
            let chunk = left.min(CHUNK as u64) as usize;
            self.samples(std::iter::repeat_n(0, chunk))?;
            left -= chunk as u64;
        }
        Ok(())
    }

    /// Appends samples.
    pub fn samples(&mut self, samples: impl IntoIterator<Item = i16>) -> Result<()> {
        // Through hound's buffered 16-bit writer, a chunk at a time: several times faster than sample by sample,
        // with a buffer that does not grow with the file.
        let mut samples = samples.into_iter().peekable();
        let mut chunk = Vec::with_capacity(CHUNK);
        while samples.peek().is_some() {
            chunk.clear();
            chunk.extend(samples.by_ref().take(CHUNK));
            let mut writer = self.writer.get_i16_writer(chunk.len() as u32);
            for &sample in &chunk {
                writer.write_sample(sample);
            }
            writer.flush().map_err(|e| wav_error(&self.path, e))?;
        }
        Ok(())
    }

    /// Deletes the unfinished file (after an interruption or an error).
    pub fn abandon(self) {
        let temporary = partial(&self.path);
        drop(self.writer);
        let _ = std::fs::remove_file(temporary);
    }

    /// Completes the file: sizes, the LIST/INFO chunk with `tags`, then the rename to its final name.
    pub fn finish(self, tags: &Tags) -> Result<()> {
        let temporary = partial(&self.path);
        let path = self.path.clone();
        let result = self.complete(tags, &temporary);
        if result.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        result.map_err(|source| Error::Write { path, source })
    }

    /// [`WavWriter::finish`] without the clean-up: finalize, append the tags, rename.
    fn complete(self, tags: &Tags, temporary: &Path) -> std::io::Result<()> {
        self.writer.finalize().map_err(|e| match e {
            hound::Error::IoError(e) => e,
            other => std::io::Error::other(other.to_string()),
        })?;
        // hound writes no LIST chunk: append one after the data and grow the RIFF size to cover it.
        let mut file = std::fs::OpenOptions::new().read(true).write(true).open(temporary)?;
        let end = file.seek(SeekFrom::End(0))?;
        let chunk = info_chunk(tags);
        file.write_all(&chunk)?;
        let riff_size = u32::try_from(end + chunk.len() as u64 - 8)
            .map_err(|_| std::io::Error::other("the file would pass the 4 GB WAV limit"))?;
        file.seek(SeekFrom::Start(4))?;
        file.write_all(&riff_size.to_le_bytes())?;
        drop(file);
        std::fs::rename(temporary, &self.path)
    }
}

fn wav_error(path: &Path, error: hound::Error) -> Error {
    let source = match error {
        hound::Error::IoError(e) => e,
        other => std::io::Error::other(other.to_string()),
    };
    Error::Write { path: path.to_path_buf(), source }
}

/// A RIFF `LIST` chunk of type `INFO` with the tags that are set.
fn info_chunk(tags: &Tags) -> Vec<u8> {
    let mut body = b"INFO".to_vec();
    let fields = [(b"INAM", Some(&tags.title)), (b"IART", tags.artist.as_ref()), (b"IPRD", Some(&tags.album))];
    for (id, value) in fields {
        let Some(value) = value.filter(|v| !v.is_empty()) else { continue };
        // A zero-terminated string, padded to an even length as RIFF requires.
        let mut data = value.replace('\0', " ").into_bytes();
        data.push(0);
        body.extend_from_slice(id);
        body.extend_from_slice(&(data.len() as u32).to_le_bytes());
        body.extend_from_slice(&data);
        if data.len() % 2 == 1 {
            body.push(0);
        }
    }
    let mut chunk = b"LIST".to_vec();
    chunk.extend_from_slice(&(body.len() as u32).to_le_bytes());
    chunk.extend_from_slice(&body);
    chunk
}

/// Reads the LIST/INFO tags of a WAV file (for tests and tools).
pub fn read_tags(path: &Path) -> Result<Tags> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    let mut tags = Tags::default();
    let mut at = 12;
    while at + 8 <= bytes.len() {
        let id = &bytes[at..at + 4];
        let size = u32::from_le_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]]) as usize;
        let body = bytes.get(at + 8..at + 8 + size).unwrap_or_default();
        if id == b"LIST" && body.starts_with(b"INFO") {
            let mut inner = 4;
            while inner + 8 <= body.len() {
                let field = &body[inner..inner + 4];
                let len = u32::from_le_bytes([body[inner + 4], body[inner + 5], body[inner + 6], body[inner + 7]]);
                let value = body.get(inner + 8..inner + 8 + len as usize).unwrap_or_default();
                let value = String::from_utf8_lossy(value).trim_end_matches('\0').to_owned();
                match field {
                    b"INAM" => tags.title = value,
                    b"IART" => tags.artist = Some(value),
                    b"IPRD" => tags.album = value,
                    _ => {}
                }
                inner += 8 + len as usize + (len as usize % 2);
            }
        }
        at += 8 + size + size % 2;
    }
    Ok(tags)
}

/// The timeline of a render (`timeline.json`): who speaks when, with offsets into the story file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    /// The story's title.
    pub title: String,
    /// The author, when the story names one.
    pub author: Option<String>,
    /// Sample rate of every file.
    pub sample_rate: u32,
    /// One entry per file, in playing order.
    pub chapters: Vec<TimelineChapter>,
}

/// One file of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineChapter {
    /// The chapter's title (with the part for a split chapter).
    pub title: String,
    /// The file name, relative to the output folder.
    pub file: String,
    /// Length of the file in seconds.
    pub duration_s: f64,
    /// The scenes with spoken lines.
    pub scenes: Vec<TimelineScene>,
}

/// One scene of the timeline; times are seconds from the start of its file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineScene {
    /// Start of the scene's first line.
    pub start_s: f64,
    /// End of its last line.
    pub end_s: f64,
    /// Its lines.
    pub segments: Vec<TimelineSegment>,
}

/// One spoken line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineSegment {
    /// `narration`, `dialogue`, `thought` or `heading`.
    pub kind: crate::script::SegmentKind,
    /// The speaking character; `null` when the narrator reads it.
    pub speaker: Option<String>,
    /// The voice reference that read it.
    pub voice: String,
    /// Start in seconds.
    pub start_s: f64,
    /// End in seconds.
    pub end_s: f64,
    /// First byte in the story file.
    pub source_start: usize,
    /// One past the last byte.
    pub source_end: usize,
    /// The story's text of the line, exactly `story[source_start..source_end]`.
    pub text: String,
}

/// Writes `timeline.json`.
pub fn write_timeline(path: &Path, timeline: &Timeline) -> Result<()> {
    write_atomic(path, |out| {
        serde_json::to_writer_pretty(&mut *out, timeline).map_err(std::io::Error::other)?;
        out.write_all(b"\n")
    })
}

/// Writes an extended M3U playlist (UTF-8): each file with its duration and title.
pub fn write_playlist(path: &Path, timeline: &Timeline) -> Result<()> {
    write_atomic(path, |out| {
        writeln!(out, "#EXTM3U")?;
        writeln!(out, "#PLAYLIST:{}", one_line(&timeline.title))?;
        for chapter in &timeline.chapters {
            let artist = timeline.author.as_deref().map(|a| format!("{} - ", one_line(a))).unwrap_or_default();
            writeln!(out, "#EXTINF:{},{artist}{}", chapter.duration_s.round() as u64, one_line(&chapter.title))?;
            writeln!(out, "{}", chapter.file)?;
        }
        Ok(())
    })
}

/// Writes a cue sheet: a track per file, an index per scene (`INDEX 01` at the start, then one per later scene).
pub fn write_cue(path: &Path, timeline: &Timeline) -> Result<()> {
    let quoted = |s: &str| format!("\"{}\"", one_line(s).replace('"', "'"));
    write_atomic(path, |out| {
        if let Some(author) = &timeline.author {
            writeln!(out, "PERFORMER {}", quoted(author))?;
        }
        writeln!(out, "TITLE {}", quoted(&timeline.title))?;
        for (track, chapter) in timeline.chapters.iter().enumerate() {
            writeln!(out, "FILE {} WAVE", quoted(&chapter.file))?;
            writeln!(out, "  TRACK {:02} AUDIO", track + 1)?;
            writeln!(out, "    TITLE {}", quoted(&chapter.title))?;
            if let Some(author) = &timeline.author {
                writeln!(out, "    PERFORMER {}", quoted(author))?;
            }
            writeln!(out, "    INDEX 01 00:00:00")?;
            // Cue sheets allow indexes up to 99.
            for (n, scene) in chapter.scenes.iter().enumerate().skip(1).take(98) {
                writeln!(out, "    INDEX {:02} {}", n + 1, cue_time(scene.start_s))?;
            }
        }
        Ok(())
    })
}

/// `MM:SS:FF` with 75 frames per second, as cue sheets count.
fn cue_time(seconds: f64) -> String {
    let frames = (seconds * 75.0).round() as u64;
    format!("{:02}:{:02}:{:02}", frames / 75 / 60, frames / 75 % 60, frames % 75)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_joined_by_dashes() {
        assert_eq!(slug("All My Days Are Dark", "story"), "all-my-days-are-dark");
        assert_eq!(slug("CHAPTER I.: Down the Rabbit-Hole", "x"), "chapter-i-down-the-rabbit-hole");
        assert_eq!(slug("Don't Stop", "x"), "dont-stop");
        assert_eq!(slug("∞ ∞", "chapter"), "chapter");
    }

    #[test]
    fn wav_files_carry_info_tags_and_parse_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.wav");
        let mut wav = WavWriter::create(&path, 16_000).unwrap();
        wav.silence(3).unwrap();
        wav.samples([1, -1, 5]).unwrap();
        assert!(!path.exists(), "the final name appears only when the file is complete");
        let tags = Tags { title: "One".into(), artist: Some("Jo Reed".into()), album: "The Lamp".into() };
        wav.finish(&tags).unwrap();
        let reader = hound::WavReader::open(&path).unwrap();
        assert_eq!(reader.spec().sample_rate, 16_000);
        let samples: Vec<i16> = reader.into_samples().map(Result::unwrap).collect();
        assert_eq!(samples, [0, 0, 0, 1, -1, 5]);
        assert_eq!(read_tags(&path).unwrap(), tags);
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize, bytes.len() - 8);
    }

    #[test]
    fn cue_times_count_75_frames_per_second() {
        assert_eq!(cue_time(0.0), "00:00:00");
        assert_eq!(cue_time(61.4), "01:01:30");
    }
}
