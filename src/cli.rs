//! The command line: argument definitions (clap derive) and one function per subcommand.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};

use crate::cast::Cast;
use crate::script::format;

/// Turn a story into a multi-voice audiobook.
///
/// Typical use: `audiobook script story.txt` to review who says what, `audiobook cast story.txt` to write
/// an editable cast file, `audiobook render story.txt` to make the audiobook.
#[derive(Debug, Parser)]
#[command(name = "audiobook", version, about, long_about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the script: every line as narration, dialogue or thought, with its speaker.
    Script(ScriptArgs),
    /// Write a cast file (characters, aliases, gender, a voice each) for editing.
    Cast(CastArgs),
    /// List the available voices.
    Voices(VoicesArgs),
    /// Write a short WAV of one voice or one character, to try voices before a render.
    Preview(PreviewArgs),
    /// Render the audiobook: WAV chapters, playlist, cue sheet and timeline.
    Render(RenderArgs),
    /// Speak a line aloud through the operating system's speech service (feature `system-voice`).
    Say(SayArgs),
}

/// Output format of `script`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScriptFormat {
    /// A readable script for review.
    Text,
    /// One JSON object per segment, with byte offsets into the story file.
    Jsonl,
}

/// Speech engines for automatic casting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EngineChoice {
    /// espeak-ng: built in, robotic but clear, very fast.
    Espeak,
    /// Piper neural voices through ONNX Runtime: natural, slower.
    Piper,
}

/// Arguments of `script`.
#[derive(Debug, clap::Args)]
pub struct ScriptArgs {
    /// The story file (UTF-8 or Windows-1252 text).
    pub story: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ScriptFormat::Text)]
    pub format: ScriptFormat,
    /// A cast file whose characters fix the roster [default: STORY.cast.toml when it exists].
    #[arg(long, value_name = "CAST.toml")]
    pub cast: Option<PathBuf>,
}

/// Arguments of `cast`.
#[derive(Debug, clap::Args)]
pub struct CastArgs {
    /// The story file.
    pub story: PathBuf,
    /// Where to write the cast [default: STORY.cast.toml next to the story].
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Engine whose voices are assigned.
    #[arg(long, value_enum, default_value_t = EngineChoice::Espeak)]
    pub engine: EngineChoice,
    /// Replace an existing cast file.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `voices`.
#[derive(Debug, clap::Args)]
pub struct VoicesArgs {
    /// Only this engine's voices.
    #[arg(long, value_enum)]
    pub engine: Option<EngineChoice>,
}

/// Arguments of `preview`.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("what").required(true).args(["voice", "character"]))]
pub struct PreviewArgs {
    /// With --voice: the text to speak. With --character: the story file.
    pub input: String,
    /// A voice reference such as espeak:en-us+f3 or piper:en_US-joe-medium.
    #[arg(long, value_name = "REF")]
    pub voice: Option<String>,
    /// Speak this character's first lines in their cast voice (INPUT is then the story).
    #[arg(long, value_name = "NAME")]
    pub character: Option<String>,
    /// The cast file [default: STORY.cast.toml when it exists].
    #[arg(long, value_name = "CAST.toml")]
    pub cast: Option<PathBuf>,
    /// Output WAV file [default: preview.wav].
    #[arg(short, long, value_name = "FILE.wav", default_value = "preview.wav")]
    pub output: PathBuf,
}

/// Arguments of `render`.
#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// The story file.
    pub story: PathBuf,
    /// The cast file [default: STORY.cast.toml when it exists, else automatic casting].
    #[arg(long, value_name = "CAST.toml")]
    pub cast: Option<PathBuf>,
    /// Engine for automatic casting.
    #[arg(long, value_enum, default_value_t = EngineChoice::Espeak)]
    pub engine: EngineChoice,
    /// Output folder [default: output/STORY-SLUG/].
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Worker threads [default: number of cores].
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<std::num::NonZeroUsize>,
    /// Silence at each scene break, in seconds [default: 2.0, or the cast file's].
    #[arg(long, value_name = "SECONDS")]
    pub scene_pause: Option<f64>,
    /// No progress output.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Arguments of `say`.
#[derive(Debug, clap::Args)]
pub struct SayArgs {
    /// The text to speak.
    pub text: String,
    /// A system voice name (see the operating system's voice list).
    #[arg(long)]
    pub voice: Option<String>,
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Script(args) => script(&args),
        Command::Cast(_) | Command::Voices(_) | Command::Preview(_) | Command::Render(_) | Command::Say(_) => {
            anyhow::bail!("not built yet")
        }
    }
}

/// The cast file to use: the one named, else `STORY.cast.toml` when it exists.
fn find_cast(story: &Path, named: Option<&Path>) -> anyhow::Result<Option<Cast>> {
    let path = if let Some(path) = named {
        path.to_path_buf()
    } else {
        let default = crate::cast::default_path(story);
        if !default.exists() {
            return Ok(None);
        }
        default
    };
    Ok(Some(Cast::load(&path)?))
}

fn script(args: &ScriptArgs) -> anyhow::Result<()> {
    let cast = find_cast(&args.story, args.cast.as_deref())?;
    let (story, script, _) = crate::script_from_file(&args.story, cast.as_ref())?;
    for warning in story.warnings() {
        eprintln!("warning: {}: {warning}", args.story.display());
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        ScriptFormat::Text => format::write_text(&mut out, &story, &script),
        ScriptFormat::Jsonl => format::write_jsonl(&mut out, &story, &script),
    }
    .and_then(|()| out.flush())
    .context("cannot write the script to standard output")
}
