//! The per-line audio cache: one file per utterance under `OUTPUT/.cache/`, named by its [`Key`].
//!
//! A file is a 40-byte header (`ABK2`, sample rate, sample count, integrated loudness, true peak, scale) followed by
//! the samples at the output rate as little-endian 16-bit integers, scaled so the loudest sample is ±32767: half
//! the disk of `f32`, and the quantization noise stays 90 dB below the speech, under what the 16-bit output files
//! carry anyway once levelled. Files are written under a temporary name and renamed, so a
//! file with a final name is always complete; a damaged or truncated file counts as missing and is redone.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::plan::{Key, Measure};
use crate::audio::{Audio, Loudness};
use crate::{Error, Result};

const MAGIC: &[u8; 4] = b"ABK2";
const HEADER: usize = 40;
/// Bytes per stored sample.
const WIDTH: usize = 2;

/// The folder of the cache inside an output folder.
#[must_use]
pub fn folder(output: &Path) -> PathBuf {
    output.join(".cache")
}

fn path(folder: &Path, key: &Key) -> PathBuf {
    folder.join(format!("{}.audio", key.hex()))
}

/// What [`prune`] removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pruned {
    /// Cached lines.
    pub lines: usize,
    /// WAV files of an earlier render.
    pub files: usize,
    /// Bytes freed.
    pub bytes: u64,
}

/// After a complete render: removes the cached lines it did not use (a voice changed, a line was edited), and the
/// WAV files an earlier render wrote into `output` that this one did not (a chapter renamed or gone) with their
/// stamps. Only what this program wrote is touched: cached lines, and WAV files that have a stamp in `folder`.
#[must_use]
pub fn prune(folder: &Path, output: &Path, used: &[Key], files: &[String]) -> Pruned {
    let used: std::collections::HashSet<String> = used.iter().map(|key| format!("{}.audio", key.hex())).collect();
    let mut pruned = Pruned::default();
    let Ok(entries) = std::fs::read_dir(folder) else { return pruned };
    let mut remove = |path: &Path| {
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        let removed = std::fs::remove_file(path).is_ok();
        if removed {
            pruned.bytes += size;
        }
        removed
    };
    for entry in entries.flatten() {
        let (path, name) = (entry.path(), entry.file_name().to_string_lossy().into_owned());
        if path.extension().is_some_and(|x| x == "audio") && !used.contains(&name) {
            pruned.lines += usize::from(remove(&path));
        } else if let Some(file) = name.strip_suffix(".done")
            && !files.iter().any(|f| f == file)
        {
            pruned.files += usize::from(remove(&output.join(file)));
            remove(&path);
        }
    }
    pruned
}

/// Removes temporary files (`*.tmp`, `*.partial`) a killed run left in `folder`.
pub fn clean(folder: &Path) {
    if let Ok(entries) = std::fs::read_dir(folder) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.ends_with(".tmp") || name.ends_with(".partial") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// The length and loudness of a cached utterance at `sample_rate`, or `None` when it is not cached (or damaged).
#[must_use]
pub fn measure(folder: &Path, key: &Key, sample_rate: u32) -> Option<Measure> {
    let path = path(folder, key);
    let mut file = std::fs::File::open(&path).ok()?;
    let mut header = [0u8; HEADER];
    file.read_exact(&mut header).ok()?;
    let (rate, samples, loudness, _) = parse_header(&header)?;
    let size = file.metadata().ok()?.len();
    (rate == sample_rate && size == (HEADER + samples * WIDTH) as u64).then_some(Measure { samples, loudness })
}

/// The header's sample rate, sample count, loudness and scale (the value of a stored ±32767).
fn parse_header(header: &[u8; HEADER]) -> Option<(u32, usize, Loudness, f32)> {
    if &header[..4] != MAGIC {
        return None;
    }
    let u32_at = |at: usize| header[at..at + 4].try_into().ok().map(u32::from_le_bytes);
    let u64_at = |at: usize| header[at..at + 8].try_into().ok().map(u64::from_le_bytes);
    let rate = u32_at(4)?;
    let samples = usize::try_from(u64_at(8)?).ok()?;
    let integrated = f64::from_bits(u64_at(16)?);
    let true_peak = f64::from_bits(u64_at(24)?);
    let scale = f32::from_bits(u32_at(32)?);
    Some((rate, samples, Loudness { integrated, true_peak }, scale))
}

/// Reads a cached utterance's samples.
pub fn read(folder: &Path, key: &Key) -> Result<Audio> {
    let path = path(folder, key);
    let bytes = std::fs::read(&path).map_err(|source| Error::Read { path: path.clone(), source })?;
    let header: Option<&[u8; HEADER]> = bytes.get(..HEADER).and_then(|h| h.try_into().ok());
    let Some((sample_rate, samples, _, scale)) = header.and_then(parse_header) else {
        return Err(damaged(path));
    };
    let body = &bytes[HEADER..];
    if body.len() != samples * WIDTH || !scale.is_finite() {
        return Err(damaged(path));
    }
    let step = scale / f32::from(i16::MAX);
    let samples = body.chunks_exact(WIDTH).map(|b| f32::from(i16::from_le_bytes([b[0], b[1]])) * step).collect();
    Ok(Audio { samples, sample_rate })
}

fn damaged(path: PathBuf) -> Error {
    Error::Read {
        path,
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "damaged cache file; delete it and run the same command again",
        ),
    }
}

/// Stores an utterance under its key: written to a temporary file, then renamed.
pub fn write(folder: &Path, key: &Key, audio: &Audio, loudness: Loudness) -> Result<()> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let final_path = path(folder, key);
    let temporary =
        folder.join(format!("{}.{}-{}.tmp", key.hex(), std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed)));
    let failed = |source| Error::Write { path: final_path.clone(), source };
    let mut bytes = Vec::with_capacity(HEADER + audio.samples.len() * WIDTH);
    let peak = audio.samples.iter().fold(0f32, |peak, s| peak.max(s.abs()));
    let scale = if peak.is_finite() && peak > 0.0 { peak } else { 1.0 };
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&audio.sample_rate.to_le_bytes());
    bytes.extend_from_slice(&(audio.samples.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&loudness.integrated.to_bits().to_le_bytes());
    bytes.extend_from_slice(&loudness.true_peak.to_bits().to_le_bytes());
    bytes.extend_from_slice(&scale.to_bits().to_le_bytes());
    bytes.extend_from_slice(&[0; 4]);
    let factor = f32::from(i16::MAX) / scale;
    for sample in &audio.samples {
        // Within ±32767 by the choice of scale; `as` saturates a NaN to 0.
        bytes.extend_from_slice(&((sample * factor).round() as i16).to_le_bytes());
    }
    // A failed write (a full disk) must not leave its temporary behind to fill the disk further.
    std::fs::File::create(&temporary)
        .and_then(|mut file| file.write_all(&bytes))
        .and_then(|()| std::fs::rename(&temporary, &final_path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&temporary);
            failed(e)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_damaged_files() {
        let dir = tempfile::tempdir().unwrap();
        let key = Key([7; 32]);
        assert_eq!(measure(dir.path(), &key, 16_000), None);
        let audio = Audio { samples: vec![0.25, -0.5, 0.125], sample_rate: 16_000 };
        let loudness = Loudness { integrated: -23.5, true_peak: 0.5 };
        write(dir.path(), &key, &audio, loudness).unwrap();
        assert_eq!(measure(dir.path(), &key, 16_000), Some(Measure { samples: 3, loudness }));
        assert_eq!(measure(dir.path(), &key, 22_050), None, "another output rate is another entry");
        let back = read(dir.path(), &key).unwrap();
        assert_eq!(back.sample_rate, audio.sample_rate);
        for (a, b) in back.samples.iter().zip(&audio.samples) {
            assert!((a - b).abs() <= 0.5 / 32767.0 * 1.01, "{a} vs {b}");
        }
        assert_eq!(back.samples.len(), 3);
        // Louder than full scale is kept too (a cast's volume can push a voice past it before levelling).
        let loud = Audio { samples: vec![1.5, -3.0, 0.0], sample_rate: 16_000 };
        write(dir.path(), &Key([8; 32]), &loud, loudness).unwrap();
        let back = read(dir.path(), &Key([8; 32])).unwrap().samples;
        assert!(back.iter().zip(&loud.samples).all(|(a, b)| (a - b).abs() <= 3.0 / 32767.0), "{back:?}");
        let file = path(dir.path(), &key);
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, &bytes[..bytes.len() - 2]).unwrap();
        assert_eq!(measure(dir.path(), &key, 16_000), None);
        assert!(read(dir.path(), &key).is_err());
        std::fs::write(dir.path().join("x.1-2.tmp"), b"partial").unwrap();
        std::fs::write(dir.path().join("01-a.wav.partial"), b"partial").unwrap();
        clean(dir.path());
        assert!(!dir.path().join("x.1-2.tmp").exists() && !dir.path().join("01-a.wav.partial").exists());
        assert!(path(dir.path(), &key).exists());
    }
}
