//! The library's one error type: every variant names the file, line or voice it is about.

use std::path::PathBuf;

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the library, with the context a user needs to fix it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read.
    #[error("cannot read {}: {}", path.display(), io_advice(source))]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("cannot write {}: {}", path.display(), io_advice(source))]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The story's bytes are not a text this tool can read.
    #[error("{}: {reason}", path.as_ref().map_or_else(|| "story".to_owned(), |p| p.display().to_string()))]
    Story {
        /// The story file, when known.
        path: Option<PathBuf>,
        /// What is wrong and what to do.
        reason: String,
    },
    /// A cast file is malformed or names something unknown.
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(" line {l}")).unwrap_or_default())]
    Cast {
        /// The cast file.
        path: PathBuf,
        /// The 1-based line, when known.
        line: Option<usize>,
        /// What is wrong and what to do.
        message: String,
    },
    /// A voice reference does not name an available voice.
    #[error("unknown voice \"{reference}\"{}; run `audiobook voices` to list voices", suggestion(.nearest))]
    UnknownVoice {
        /// The reference as written.
        reference: String,
        /// The closest available voices.
        nearest: Vec<String>,
    },
    /// A voice reference names an engine this build does not have.
    #[error("unknown engine \"{name}\"; the engines are {}", known.join(", "))]
    UnknownEngine {
        /// The engine as written.
        name: String,
        /// The engines there are.
        known: Vec<String>,
    },
    /// A voice reference is not of the form `ENGINE:VOICE[#SPEAKER]`.
    #[error("bad voice reference \"{0}\": write ENGINE:VOICE or ENGINE:VOICE#SPEAKER, e.g. espeak:en-us+f3")]
    VoiceReference(String),
    /// A speech engine failed or is not installed.
    #[error("{engine}: {message}")]
    Engine {
        /// The engine's name.
        engine: &'static str,
        /// What failed and what to do.
        message: String,
    },
    /// Audio could not be processed (resampled, measured).
    #[error("{0}")]
    Audio(String),
    /// The rendered timeline does not speak the script exactly once and in order: a bug, never a user error.
    #[error("verbatim check failed: {0}; this is a bug, please report it with the story file")]
    Verbatim(String),
    /// Rendering was interrupted (Ctrl-C); finished work is kept and a re-run resumes.
    #[error("interrupted; finished lines are cached, run the same command again to resume")]
    Interrupted,
}

impl Error {
    /// Whether the message already says what its `source` says (so printing the chain would repeat it).
    #[must_use]
    pub fn describes_source(&self) -> bool {
        matches!(self, Error::Read { .. } | Error::Write { .. })
    }

    /// Attaches the story file's path to a [`Error::Story`] that was raised without one.
    #[must_use]
    pub fn in_file(self, file: &std::path::Path) -> Self {
        match self {
            Error::Story { path: None, reason } => Error::Story { path: Some(file.to_path_buf()), reason },
            other => other,
        }
    }
}

/// An I/O error in words, with what to do about it.
fn io_advice(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let advice = match error.kind() {
        ErrorKind::NotFound => "no such file or folder; check the path",
        ErrorKind::PermissionDenied => "permission denied; check the permissions or choose another place",
        ErrorKind::IsADirectory => "it is a folder; give a file",
        ErrorKind::NotADirectory => "a part of the path is a file, not a folder; check the path",
        ErrorKind::StorageFull => "the disk is full; free some space, then run the same command again",
        ErrorKind::ReadOnlyFilesystem => "the file system is read-only; choose another place",
        ErrorKind::InvalidData => "the file is not valid text; save it as UTF-8",
        _ => return error.to_string(),
    };
    advice.to_owned()
}

fn suggestion(nearest: &[String]) -> String {
    if nearest.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", nearest.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", "))
    }
}
