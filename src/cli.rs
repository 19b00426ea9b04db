//! The command line: argument definitions (clap derive) and one function per subcommand.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};

use crate::cast::Cast;
use crate::engine::{Registry, VoiceRef};
use crate::script::{Script, SegmentKind, format};
use crate::{audio::Audio, characters::Roster, story::Story};

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
    /// With --character: the engine that casts characters the cast file gives no voice.
    #[arg(long, value_enum, default_value_t = EngineChoice::Espeak)]
    pub engine: EngineChoice,
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
    /// Integrated loudness of each chapter, in LUFS (EBU R128).
    #[arg(long, value_name = "LUFS", default_value_t = -18.0, allow_negative_numbers = true)]
    pub loudness: f64,
    /// Highest true peak, in dBTP; wins over --loudness when they conflict.
    #[arg(long, value_name = "DBTP", default_value_t = -3.0, allow_negative_numbers = true)]
    pub true_peak: f64,
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
        Command::Cast(args) => cast(&args),
        Command::Voices(args) => voices(&args),
        Command::Preview(args) => preview(&args),
        Command::Say(args) => say(&args),
        Command::Render(args) => render(&args),
    }
}

impl EngineChoice {
    /// The engine's name in voice references and the [`Registry`].
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            EngineChoice::Espeak => "espeak",
            EngineChoice::Piper => "piper",
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

/// Warns about cast characters the story never mentions (a misspelt name or a cast for another story).
fn warn_unmentioned(cast: Option<&Cast>, story: &Story) {
    let Some(cast) = cast else { return };
    let path = cast.source.as_ref().map_or_else(|| "the cast".to_owned(), |(path, _)| path.display().to_string());
    for name in cast.unmentioned(&story.text) {
        eprintln!("warning: {path}: the story never mentions \"{name}\" (nor an alias); check the spelling");
    }
}

/// Checks that every voice `cast` names exists, so a typo fails before any work with the file and line.
fn check_voices(cast: &Cast, registry: &Registry) -> crate::Result<()> {
    cast.check_voices(|voice| registry.resolve(voice).map(|_| ()))
}

fn script(args: &ScriptArgs) -> anyhow::Result<()> {
    let cast = find_cast(&args.story, args.cast.as_deref())?;
    let (story, script, _) = crate::script_from_file(&args.story, cast.as_ref())?;
    for warning in story.warnings() {
        eprintln!("warning: {}: {warning}", args.story.display());
    }
    warn_unmentioned(cast.as_ref(), &story);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        ScriptFormat::Text => format::write_text(&mut out, &story, &script),
        ScriptFormat::Jsonl => format::write_jsonl(&mut out, &story, &script),
    }
    .and_then(|()| out.flush())
    .context("cannot write the script to standard output")
}

fn cast(args: &CastArgs) -> anyhow::Result<()> {
    let path = args.output.clone().unwrap_or_else(|| crate::cast::default_path(&args.story));
    if path.exists() && !args.force {
        anyhow::bail!(
            "{} already exists; edit it, or pass --force to replace it with a new automatic cast",
            path.display()
        );
    }
    let (story, script, roster) = crate::script_from_file(&args.story, None)?;
    let cast = crate::cast::for_story(&Registry::new(), args.engine.name(), &roster, &script, None)?;
    let title = story.metadata.title().map(|span| span.of(&story.text));
    crate::output::write_atomic(&path, |out| out.write_all(cast.to_toml(title, &roster).as_bytes()))?;
    eprintln!("wrote {} ({} characters)", path.display(), cast.characters.len());
    Ok(())
}

fn voices(args: &VoicesArgs) -> anyhow::Result<()> {
    let registry = Registry::new();
    let voices = registry.voices(args.engine.map(EngineChoice::name))?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let width = voices.iter().map(|v| v.reference.to_string().len()).max().unwrap_or(0);
    writeln!(out, "{:width$}  {:16}  {:7}  {:>5}  source", "voice", "language", "gender", "Hz")?;
    for voice in &voices {
        let gender = match voice.gender {
            crate::characters::Gender::Female => "female",
            crate::characters::Gender::Male => "male",
            crate::characters::Gender::Unknown => "-",
        };
        writeln!(
            out,
            "{:width$}  {:16}  {:7}  {:>5}  {}",
            voice.reference.to_string(),
            voice.language,
            gender,
            voice.sample_rate,
            voice.source
        )?;
    }
    out.flush().context("cannot write the voice list to standard output")
}

/// How many of a character's lines `preview --character` speaks.
const PREVIEW_LINES: usize = 4;
/// Silence between previewed lines, in seconds.
const PREVIEW_PAUSE: f64 = 0.5;

fn preview(args: &PreviewArgs) -> anyhow::Result<()> {
    let registry = Registry::new();
    let (audio, who) = if let Some(reference) = &args.voice {
        let voice: VoiceRef = reference.parse()?;
        let (engine, _) = registry.resolve(&voice)?;
        let text = crate::normalize::spoken(&args.input, &indexmap::IndexMap::new());
        if text.is_empty() {
            anyhow::bail!("there is nothing to say in {:?}; give a line with words", args.input);
        }
        (engine.synthesize(&text, &voice, crate::engine::Prosody::default())?, voice.to_string())
    } else {
        let name = args.character.as_deref().unwrap_or_default();
        character_preview(&registry, Path::new(&args.input), name, args.cast.as_deref(), args.engine)?
    };
    write_wav(&args.output, &audio)?;
    eprintln!("wrote {} ({:.1} s, {who})", args.output.display(), audio.duration());
    Ok(())
}

/// The first lines of `name` in the story at `story`, in the voice the cast (or automatic casting with `engine`)
/// gives them, and who speaks them in which voice.
fn character_preview(
    registry: &Registry,
    story: &Path,
    name: &str,
    cast: Option<&Path>,
    engine: EngineChoice,
) -> anyhow::Result<(Audio, String)> {
    let given = find_cast(story, cast)?;
    if let Some(cast) = &given {
        check_voices(cast, registry)?;
    }
    let (parsed, script, roster) = crate::script_from_file(story, given.as_ref())?;
    warn_unmentioned(given.as_ref(), &parsed);
    let canonical = canonical_name(&roster, name).with_context(|| {
        let names: Vec<&str> = roster.characters.iter().map(|c| c.name.as_str()).collect();
        format!("no character called \"{name}\" in {}; the characters are: {}", story.display(), names.join(", "))
    })?;
    let cast = crate::cast::for_story(registry, engine.name(), &roster, &script, given.as_ref())?;
    let role = cast.characters.get(canonical).map(crate::cast::CharacterEntry::role).unwrap_or_default();
    let voice = role.voice.clone().context("the cast gives this character no voice")?;
    let (engine, info) = registry.resolve(&voice)?;
    let mut audio = Audio { samples: Vec::new(), sample_rate: info.sample_rate };
    for text in spoken_lines(&parsed, &script, canonical, &cast.pronunciations).take(PREVIEW_LINES) {
        let line = engine.synthesize(&text, &voice, role.prosody())?;
        if !audio.samples.is_empty() {
            audio.samples.extend(Audio::silence(PREVIEW_PAUSE, line.sample_rate).samples);
        }
        audio.sample_rate = line.sample_rate;
        audio.samples.extend(line.samples);
    }
    if audio.samples.is_empty() {
        anyhow::bail!("{canonical} has no lines in {}; preview another character", story.display());
    }
    let variation = [
        ((role.rate - 1.0).abs() > 1e-3).then(|| format!("rate {}", role.rate)),
        (role.pitch.abs() > 1e-3).then(|| format!("pitch {:+}", role.pitch)),
    ];
    let variation: Vec<String> = variation.into_iter().flatten().collect();
    let voice = if variation.is_empty() { voice.to_string() } else { format!("{voice}, {}", variation.join(", ")) };
    Ok((audio, format!("{canonical} as {voice}")))
}

/// The roster's canonical name for `name`, matching names and aliases without regard to case.
fn canonical_name<'a>(roster: &'a Roster, name: &str) -> Option<&'a str> {
    roster
        .characters
        .iter()
        .find(|c| std::iter::once(&c.name).chain(&c.aliases).any(|n| n.eq_ignore_ascii_case(name.trim())))
        .map(|c| c.name.as_str())
}

/// The spoken text of every dialogue and thought line of `speaker`, in order.
fn spoken_lines<'a>(
    story: &'a Story,
    script: &'a Script,
    speaker: &'a str,
    pronunciations: &'a indexmap::IndexMap<String, String>,
) -> impl Iterator<Item = String> + 'a {
    script
        .segments
        .iter()
        .filter(move |s| matches!(s.kind, SegmentKind::Dialogue | SegmentKind::Thought))
        .filter(move |s| s.speaker.as_deref() == Some(speaker))
        .map(move |s| crate::normalize::spoken(s.span.of(&story.text), pronunciations))
        .filter(|text| !text.is_empty())
}

/// Writes `audio` as a 16-bit mono WAV, under its final name only once complete.
fn write_wav(path: &Path, audio: &Audio) -> crate::Result<()> {
    let mut wav = crate::output::WavWriter::create(path, audio.sample_rate)?;
    match wav.samples(crate::audio::to_pcm16(audio.samples.iter().copied())) {
        Ok(()) => wav.finish(&crate::output::Tags::default()),
        Err(error) => {
            wav.abandon();
            Err(error)
        }
    }
}

#[cfg(feature = "system-voice")]
fn say(args: &SayArgs) -> anyhow::Result<()> {
    let advice = "the operating system's speech service is not available (on Linux install and start \
                  speech-dispatcher); `audiobook preview` writes a WAV instead";
    let mut speech = tts::Tts::default().with_context(|| advice.to_owned())?;
    if let Some(wanted) = &args.voice {
        let voices = speech.voices().context("cannot list the system voices")?;
        let voice = voices
            .iter()
            .find(|v| v.name().eq_ignore_ascii_case(wanted) || v.id().eq_ignore_ascii_case(wanted))
            .with_context(|| {
                let names: Vec<String> = voices.iter().map(tts::Voice::name).collect();
                format!("no system voice called \"{wanted}\"; the system voices are: {}", names.join(", "))
            })?;
        speech.set_voice(voice).context("cannot select that system voice")?;
    }
    speech.speak(&args.text, false).with_context(|| advice.to_owned())?;
    // Speaking is asynchronous: wait until the service has finished, or the process would cut it off.
    std::thread::sleep(std::time::Duration::from_millis(200));
    while speech.is_speaking().unwrap_or(false) {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    Ok(())
}

#[cfg(not(feature = "system-voice"))]
fn say(_: &SayArgs) -> anyhow::Result<()> {
    anyhow::bail!(
        "this build has no system voice; rebuild with `cargo build --release --features system-voice` \
         (Linux needs libspeechd-dev and libclang-dev), or use `audiobook preview` to write a WAV"
    )
}

fn render(args: &RenderArgs) -> anyhow::Result<()> {
    use crate::render;
    let started = std::time::Instant::now();
    let cast_file = find_cast(&args.story, args.cast.as_deref())?;
    let (story, script, roster) = crate::script_from_file(&args.story, cast_file.as_ref())?;
    for warning in story.warnings() {
        eprintln!("warning: {}: {warning}", args.story.display());
    }
    let registry = crate::engine::Registry::new();
    let mut cast = crate::cast::for_story(&registry, args.engine.name(), &roster, &script, cast_file.as_ref())?;
    cast.check_voices(|voice| registry.resolve(voice).map(|_| ()))?;
    if let Some(seconds) = args.scene_pause {
        anyhow::ensure!(
            seconds.is_finite() && seconds >= 0.0,
            "--scene-pause must be 0 or more seconds, not {seconds}"
        );
        cast.pauses.scene = seconds;
    }
    // Keep the user's cast file as written when the render uses it unchanged.
    let cast_toml = match (&cast_file, &cast.source) {
        (Some(file), Some((_, text))) if *file == cast => text.clone(),
        _ => {
            let title = story.metadata.title().map(|span| span.of(&story.text).trim().to_owned());
            cast.to_toml(title.as_deref(), &roster)
        }
    };
    let name = crate::output::slug(&args.story.file_stem().unwrap_or_default().to_string_lossy(), "story");
    let mut options = render::Options::new(args.output.clone().unwrap_or_else(|| Path::new("output").join(&name)));
    if let Some(jobs) = args.jobs {
        options.jobs = jobs;
    }
    options.loudness = render::LoudnessTarget { integrated: args.loudness, true_peak: args.true_peak };
    options.progress = if args.quiet { render::ProgressKind::Quiet } else { render::ProgressKind::for_stderr() };
    options.stop_after = std::env::var(render::STOP_AFTER_VARIABLE).ok().and_then(|n| n.parse().ok());
    let stop = std::sync::Arc::clone(&options.stop);
    // The first Ctrl-C stops cleanly (finished lines stay cached); a second one ends the process at once.
    let _ = ctrlc::set_handler(move || {
        if stop.swap(true, std::sync::atomic::Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
    let book = render::Book { story: &story, script: &script, cast: &cast, cast_toml: &cast_toml, name: &name };
    let report = render::render(&book, &registry, &options)?;
    if !args.quiet {
        let elapsed = started.elapsed().as_secs_f64();
        eprintln!(
            "rendered {} lines, {} of audio in {:.1} s ({:.0}x real time): {} synthesized, {} reused; {} file{} in {}",
            report.lines,
            render::clock(report.audio_seconds),
            elapsed,
            report.audio_seconds / elapsed.max(1e-9),
            report.synthesized,
            report.reused,
            report.files.len(),
            if report.files.len() == 1 { "" } else { "s" },
            options.output.display()
        );
        let pruned = report.pruned;
        if pruned.lines + pruned.files > 0 {
            eprintln!(
                "removed what this render no longer uses: {} cached line{}, {} old file{} ({:.1} MB)",
                pruned.lines,
                if pruned.lines == 1 { "" } else { "s" },
                pruned.files,
                if pruned.files == 1 { "" } else { "s" },
                pruned.bytes as f64 / 1e6
            );
        }
    }
    Ok(())
}
