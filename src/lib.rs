//! `audiobook` turns a story into a multi-voice audiobook.
//!
//! The pipeline, one module per stage, each a free function over plain data:
//!
//! ```text
//! bytes ──story::parse──▶ Story ──script::segment──▶ Script (narration / dialogue / thought)
//!       ──characters::detect──▶ Roster ──attribution::attribute──▶ Script with speakers
//!       ──cast::assign──▶ Cast (a voice per character) ──render::render──▶ WAV chapters,
//!       playlist, cue sheet and timeline (output)
//! ```
//!
//! Speech comes from one narrow trait, [`engine::Engine`]: espeak-ng (built in), Piper (neural voices
//! through ONNX Runtime) and a deterministic test engine implement it.

pub mod attribution;
pub mod audio;
pub mod cast;
pub mod characters;
pub mod cli;
pub mod engine;
pub mod error;
pub mod normalize;
pub mod output;
pub mod render;
pub mod script;
pub mod story;

pub use error::{Error, Result};

use std::path::Path;

/// Reads a story file and produces its attributed script: the first half of the pipeline.
///
/// With a `cast`, its characters are the roster; otherwise the roster is detected from the text.
pub fn script_from_file(
    path: &Path,
    cast: Option<&cast::Cast>,
) -> Result<(story::Story, script::Script, characters::Roster)> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    let story = story::parse(&bytes).map_err(|e| e.in_file(path))?;
    let mut script = script::segment(&story);
    let mut roster = match cast {
        Some(cast) => cast.roster(),
        None => characters::detect(&story, &script),
    };
    attribution::attribute(&story, &mut script, &roster);
    roster.count_lines(&script);
    Ok((story, script, roster))
}
