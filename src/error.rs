//! The library's one error type: every variant names the file, line or voice it is about.

use std::path::PathBuf;

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the library, with the context a user needs to fix it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("cannot write {}: {source}", path.display())]
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
    /// Rendering was interrupted (Ctrl-C); finished work is kept and a re-run resumes.
    #[error("interrupted; finished lines are cached, run the same command again to resume")]
    Interrupted,
}

impl Error {
    /// Attaches the story file's path to a [`Error::Story`] that was raised without one.
    #[must_use]
    pub fn in_file(self, file: &std::path::Path) -> Self {
        match self {
            Error::Story { path: None, reason } => Error::Story { path: Some(file.to_path_buf()), reason },
            other => other,
        }
    }
}

fn suggestion(nearest: &[String]) -> String {
    if nearest.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", nearest.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", "))
    }
}
