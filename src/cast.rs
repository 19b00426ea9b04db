//! The cast file (TOML): who is in the story, which voice reads whom, pronunciations and pauses.
//!
//! ```toml
//! [narrator]
//! voice = "espeak:en"
//!
//! [characters."Spike"]   # 12 lines
//! aliases = ["William"]
//! gender = "male"
//! voice = "espeak:en+m3"
//! rate = 1.0      # speed factor
//! pitch = -2.0    # semitones
//! volume = 0.0    # dB
//!
//! [pronunciations]
//! Xander = "Zander"
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::characters::{Character, Gender, Roster};
use crate::engine::{Prosody, Registry, VoiceInfo, VoiceRef, espeak};
use crate::script::Script;
use crate::{Error, Result};

/// A voice and how it is varied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// The voice; `None` means "choose automatically".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<VoiceRef>,
    /// Speed factor (1.0 = the voice's own pace).
    #[serde(default = "unit_rate")]
    pub rate: f32,
    /// Pitch shift in semitones.
    #[serde(default)]
    pub pitch: f32,
    /// Gain in dB.
    #[serde(default)]
    pub volume: f32,
}

const fn unit_rate() -> f32 {
    1.0
}

impl Default for Role {
    fn default() -> Self {
        Self { voice: None, rate: 1.0, pitch: 0.0, volume: 0.0 }
    }
}

impl Role {
    /// The prosody this role asks for.
    #[must_use]
    pub fn prosody(&self) -> Prosody {
        Prosody { rate: self.rate, pitch: self.pitch, volume: self.volume }
    }
}

/// A character's entry: identity (aliases, gender) and role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CharacterEntry {
    /// Other names the text uses for this character.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The character's gender.
    #[serde(default)]
    pub gender: Gender,
    /// The voice; `None` means "choose automatically".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<VoiceRef>,
    /// Speed factor (1.0 = the voice's own pace).
    #[serde(default = "unit_rate")]
    pub rate: f32,
    /// Pitch shift in semitones.
    #[serde(default)]
    pub pitch: f32,
    /// Gain in dB.
    #[serde(default)]
    pub volume: f32,
}

impl Default for CharacterEntry {
    fn default() -> Self {
        let role = Role::default();
        Self {
            aliases: Vec::new(),
            gender: Gender::Unknown,
            voice: None,
            rate: role.rate,
            pitch: role.pitch,
            volume: role.volume,
        }
    }
}

impl CharacterEntry {
    /// The character's voice and its variation.
    #[must_use]
    pub fn role(&self) -> Role {
        Role { voice: self.voice.clone(), rate: self.rate, pitch: self.pitch, volume: self.volume }
    }
}

/// Pauses in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Pauses {
    /// Between segments of one paragraph.
    pub segment: f64,
    /// Between paragraphs.
    pub paragraph: f64,
    /// Added when the voice changes.
    pub speaker_change: f64,
    /// At a scene break.
    pub scene: f64,
    /// Before the first segment of a chapter.
    pub lead_in: f64,
    /// After the last segment of a chapter.
    pub tail: f64,
}

impl Default for Pauses {
    fn default() -> Self {
        Self { segment: 0.3, paragraph: 0.7, speaker_change: 0.2, scene: 2.0, lead_in: 0.5, tail: 1.5 }
    }
}

/// A parsed cast file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cast {
    /// The narrator's voice.
    #[serde(default)]
    pub narrator: Role,
    /// Characters by canonical name, in file order.
    #[serde(default)]
    pub characters: IndexMap<String, CharacterEntry>,
    /// Words mapped to respellings, applied before synthesis (`Xander = "Zander"`).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub pronunciations: IndexMap<String, String>,
    /// Pauses; defaults when absent.
    #[serde(default)]
    pub pauses: Pauses,
    /// The file this cast was read from and its text, for error messages that name a line.
    #[serde(skip)]
    pub source: Option<(PathBuf, String)>,
}

impl Cast {
    /// Reads and parses a cast file; errors name the file and line.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
        Self::parse(&text, path)
    }

    /// Parses cast TOML; `path` is used in error messages.
    pub fn parse(text: &str, path: &Path) -> Result<Self> {
        let mut cast: Self = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|span| line_of(text, span.start));
            Error::Cast { path: path.to_path_buf(), line, message: toml_message(&e) }
        })?;
        cast.source = Some((path.to_path_buf(), text.to_owned()));
        Ok(cast)
    }

    /// Checks every voice the cast names with `resolve` (which fails for unknown engines or voices);
    /// the error names the cast file and the line of the offending `voice`.
    pub fn check_voices(&self, resolve: impl Fn(&VoiceRef) -> Result<()>) -> Result<()> {
        let entries = std::iter::once((None, self.narrator.voice.as_ref()))
            .chain(self.characters.iter().map(|(name, entry)| (Some(name.as_str()), entry.voice.as_ref())));
        for (name, voice) in entries {
            let Some(voice) = voice else { continue };
            if let Err(error) = resolve(voice) {
                let Some((path, text)) = &self.source else { return Err(error) };
                let who = name.map_or_else(|| "the narrator".to_owned(), |n| format!("\"{n}\""));
                return Err(Error::Cast {
                    path: path.clone(),
                    line: voice_line(text, name),
                    message: format!("voice for {who}: {error}"),
                });
            }
        }
        Ok(())
    }

    /// Characters (by canonical name) that the story never mentions by name or alias.
    #[must_use]
    pub fn unmentioned(&self, story_text: &str) -> Vec<&str> {
        self.characters
            .iter()
            .filter(|(name, entry)| !std::iter::once(*name).chain(&entry.aliases).any(|n| contains_name(story_text, n)))
            .map(|(name, _)| name.as_str())
            .collect()
    }

    /// The roster the cast fixes: its characters with their aliases and gender.
    #[must_use]
    pub fn roster(&self) -> Roster {
        Roster {
            characters: self
                .characters
                .iter()
                .map(|(name, entry)| Character {
                    name: name.clone(),
                    aliases: entry.aliases.clone(),
                    gender: entry.gender,
                    lines: 0,
                })
                .collect(),
        }
    }
}

/// The default cast file for a story: `STORY.cast.toml` next to it.
#[must_use]
pub fn default_path(story: &Path) -> PathBuf {
    let mut name = story.file_stem().unwrap_or_default().to_os_string();
    name.push(".cast.toml");
    story.with_file_name(name)
}

/// Whether the name `name` occurs in `text` as whole words, with any run of whitespace between its words: a
/// hard-wrapped story breaks names across lines (`Master John` at the end of one line, `Rolfe` on the next).
fn contains_name(text: &str, name: &str) -> bool {
    let mut words = name.split_whitespace();
    let Some(first) = words.next() else { return false };
    let rest: Vec<&str> = words.collect();
    let is_word_char = |c: char| c.is_alphanumeric();
    text.match_indices(first).any(|(at, _)| {
        if text[..at].chars().next_back().is_some_and(is_word_char) {
            return false;
        }
        let mut end = at + first.len();
        for word in &rest {
            let gap = text[end..].len() - text[end..].trim_start().len();
            if gap == 0 || !text[end + gap..].starts_with(word) {
                return false;
            }
            end += gap + word.len();
        }
        !text[end..].chars().next().is_some_and(is_word_char)
    })
}

/// The line of the `voice` key in the narrator's table (`name` = `None`) or a character's table.
fn voice_line(text: &str, name: Option<&str>) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let header = lines.iter().position(|line| {
        let line = line.trim();
        match name {
            None => line.starts_with("[narrator]"),
            Some(name) => {
                line.starts_with("[characters")
                    && line
                        .trim_start_matches("[characters")
                        .trim_start_matches('.')
                        .trim()
                        .trim_start_matches('"')
                        .starts_with(name)
            }
        }
    })?;
    let key = lines[header + 1..]
        .iter()
        .take_while(|line| !line.trim_start().starts_with('['))
        .position(|line| line.trim_start().starts_with("voice"))?;
    Some(header + key + 2)
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}

/// The first line of toml's message, lowercased, with a hint for the common mistakes.
fn toml_message(error: &toml::de::Error) -> String {
    let message = error.message().trim().to_owned();
    if message.starts_with("unknown field") { format!("{message}; fix or remove that key") } else { message }
}

/// One casting choice: a voice and how it is varied.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    /// The voice.
    pub voice: VoiceRef,
    /// Its variation.
    pub prosody: Prosody,
}

/// Pitch offsets (semitones) tried in turn once every voice of a gender is taken: a few semitones keep the
/// voice natural while making it a different person.
const PITCH_STEPS: [f32; 5] = [0.0, 2.5, -2.5, 4.5, -4.5];

/// Pitch moving a voice of the other gender towards this one, when an engine has no voice of a gender.
const CROSS_GENDER_PITCH: f32 = 5.0;

/// Voices available for automatic casting, each list in order of preference.
#[derive(Debug, Clone, Default)]
pub struct Pool {
    narrator: Option<Slot>,
    female: Vec<Slot>,
    male: Vec<Slot>,
    neutral: Vec<Slot>,
}

impl Pool {
    /// A pool from an engine's catalogue, in the engine's order of preference; the narrator is `narrator`
    /// when given, else the first voice.
    #[must_use]
    pub fn new(voices: &[VoiceInfo], narrator: Option<&VoiceRef>) -> Self {
        let slot = |voice: &VoiceRef| Slot { voice: voice.clone(), prosody: Prosody::default() };
        let of = |gender| voices.iter().filter(|v| v.gender == gender).map(|v| slot(&v.reference)).collect();
        Self {
            narrator: narrator.or_else(|| voices.first().map(|v| &v.reference)).map(slot),
            female: of(Gender::Female),
            male: of(Gender::Male),
            neutral: of(Gender::Unknown),
        }
    }

    /// A pool from hand-picked parts: a narrator and female and male character voices, most distinct first.
    #[must_use]
    pub fn from_parts(narrator: Slot, female: Vec<Slot>, male: Vec<Slot>) -> Self {
        Self { narrator: Some(narrator), female, male, neutral: Vec::new() }
    }

    /// The pool for automatic casting with `engine`: espeak-ng's curated parts (measured to sound distinct),
    /// or any other engine's catalogue in its own order.
    pub fn for_engine(registry: &Registry, engine: &str) -> Result<Self> {
        if engine == "espeak" {
            let slot = |(voice, prosody)| Slot { voice, prosody };
            let parts = |gender| espeak::casting_order(gender).into_iter().map(slot).collect();
            return Ok(Self::from_parts(slot(espeak::narrator()), parts(Gender::Female), parts(Gender::Male)));
        }
        let voices = registry.voices(Some(engine))?;
        if voices.is_empty() {
            return Err(Error::Engine {
                engine: "casting",
                message: format!("the {engine} engine has no voices; run `audiobook voices --engine {engine}`"),
            });
        }
        Ok(Self::new(&voices, None))
    }

    /// Every slot for a character of `gender`, best first: the gender's voices, then the same with pitch
    /// steps; voices of unknown gender serve anyone; the other gender's voices, pitched towards this one,
    /// are the last resort.
    fn slots(&self, gender: Gender) -> Vec<Slot> {
        let (own, other, toward): (&[Slot], &[Slot], f32) = match gender {
            Gender::Female => (&self.female, &self.male, CROSS_GENDER_PITCH),
            Gender::Male => (&self.male, &self.female, -CROSS_GENDER_PITCH),
            Gender::Unknown => (&self.neutral, &[], 0.0),
        };
        let mut bases: Vec<(&Slot, f32)> = own.iter().map(|v| (v, 0.0)).collect();
        if gender == Gender::Unknown {
            // Anyone may read an unknown-gender part: alternate female and male voices.
            let mut female = self.female.iter();
            let mut male = self.male.iter();
            loop {
                let (f, m) = (female.next(), male.next());
                if f.is_none() && m.is_none() {
                    break;
                }
                bases.extend(f.into_iter().chain(m).map(|v| (v, 0.0)));
            }
        } else {
            bases.extend(self.neutral.iter().map(|v| (v, 0.0)));
        }
        if bases.is_empty() {
            bases.extend(other.iter().map(|v| (v, toward)));
        }
        if bases.is_empty() {
            bases.extend(self.narrator.iter().map(|v| (v, toward)));
        }
        PITCH_STEPS
            .iter()
            .flat_map(|step| {
                bases.iter().map(move |(base, shift)| Slot {
                    voice: base.voice.clone(),
                    prosody: Prosody { pitch: base.prosody.pitch + shift + step, ..base.prosody },
                })
            })
            .collect()
    }
}

/// Casts automatically: keeps every voice `existing` sets, and gives everyone else a voice from `pool` —
/// gender-matched, never the narrator's, never one that another character in a shared scene has, distinct
/// from every other character while the pool lasts. Deterministic: the same input gives the same cast.
#[must_use]
pub fn assign(roster: &Roster, script: &Script, pool: &Pool, existing: Option<&Cast>) -> Cast {
    let mut cast = existing.cloned().unwrap_or_default();
    if cast.narrator.voice.is_none()
        && let Some(narrator) = &pool.narrator
    {
        cast.narrator = Role {
            voice: Some(narrator.voice.clone()),
            rate: narrator.prosody.rate,
            pitch: narrator.prosody.pitch,
            volume: narrator.prosody.volume,
        };
    }
    for character in &roster.characters {
        cast.characters.entry(character.name.clone()).or_insert_with(|| CharacterEntry {
            aliases: character.aliases.clone(),
            gender: character.gender,
            ..CharacterEntry::default()
        });
    }
    let scenes = scenes_by_speaker(script);
    let no_scenes = BTreeSet::new();
    let lines = |name: &str| roster.characters.iter().find(|c| c.name == name).map_or(0, |c| c.lines);
    let mut order: Vec<String> = cast.characters.keys().cloned().collect();
    order.sort_by(|a, b| lines(b).cmp(&lines(a)).then_with(|| a.cmp(b)));

    let narrator = cast.narrator.voice.clone().map(|voice| Slot { voice, prosody: cast.narrator.prosody() });
    let mut taken: Vec<(Slot, &str)> = cast
        .characters
        .iter()
        .filter_map(|(name, entry)| {
            entry.voice.clone().map(|voice| (Slot { voice, prosody: entry.role().prosody() }, name.as_str()))
        })
        .collect();
    let mut chosen: Vec<(String, Slot)> = Vec::new();
    for name in &order {
        let entry = &cast.characters[name];
        if entry.voice.is_some() {
            continue;
        }
        let mine = scenes.get(name.as_str()).unwrap_or(&no_scenes);
        let clashes = |slot: &Slot, taken: &[(Slot, &str)]| {
            taken
                .iter()
                .any(|(other, who)| other == slot && scenes.get(who).is_some_and(|theirs| !theirs.is_disjoint(mine)))
        };
        let is_narrator = |slot: &Slot| narrator.as_ref().is_some_and(|n| n.voice == slot.voice);
        let slots = pool.slots(entry.gender);
        let slot = slots
            .iter()
            .find(|s| !is_narrator(s) && !taken.iter().any(|(t, _)| t == *s))
            .or_else(|| slots.iter().find(|s| narrator.as_ref() != Some(*s) && !clashes(s, &taken)))
            .or_else(|| slots.first())
            .cloned();
        if let Some(slot) = slot {
            taken.push((slot.clone(), name.as_str()));
            chosen.push((name.clone(), slot));
        }
    }
    for (name, slot) in chosen {
        let entry = &mut cast.characters[&name];
        entry.voice = Some(slot.voice);
        entry.pitch += slot.prosody.pitch;
        entry.rate *= slot.prosody.rate;
        entry.volume += slot.prosody.volume;
    }
    cast
}

/// The cast a story is rendered with: `existing` (a cast file) completed by automatic casting from `engine`'s
/// voices (`espeak`, `piper`, …) for the narrator and every character of `roster` that has no voice yet.
/// The engine is only opened when something needs a voice; its pool is [`Pool::for_engine`].
pub fn for_story(
    registry: &Registry,
    engine: &str,
    roster: &Roster,
    script: &Script,
    existing: Option<&Cast>,
) -> Result<Cast> {
    let complete = existing.is_some_and(|cast| {
        cast.narrator.voice.is_some()
            && cast.characters.values().all(|c| c.voice.is_some())
            && roster.characters.iter().all(|c| cast.characters.contains_key(&c.name))
    });
    if complete {
        return Ok(existing.cloned().unwrap_or_default());
    }
    Ok(assign(roster, script, &Pool::for_engine(registry, engine)?, existing))
}

/// For each speaker, the (chapter, scene) pairs in which they speak.
fn scenes_by_speaker(script: &Script) -> BTreeMap<&str, BTreeSet<(usize, usize)>> {
    let mut scenes: BTreeMap<&str, BTreeSet<(usize, usize)>> = BTreeMap::new();
    for segment in &script.segments {
        if let Some(speaker) = &segment.speaker {
            scenes.entry(speaker.as_str()).or_default().insert((segment.chapter, segment.scene));
        }
    }
    scenes
}

impl Cast {
    /// The cast as an editable TOML file: a header comment, the narrator, every character with its line
    /// count as a comment, pronunciations and pauses. Parsing the result gives this cast back.
    #[must_use]
    pub fn to_toml(&self, title: Option<&str>, roster: &Roster) -> String {
        let mut out = String::new();
        let quoted = |s: &str| toml::Value::String(s.to_owned()).to_string();
        let _ = writeln!(
            out,
            "# Cast{}, written by audiobook.",
            title.map(|t| format!(" for {}", quoted(t))).unwrap_or_default()
        );
        out.push_str(
            "# Change any voice (`audiobook voices` lists them; try one with `audiobook preview`).
",
        );
        out.push_str("# rate = speed factor, pitch = semitones, volume = dB.\n");
        out.push_str("# `audiobook render STORY` uses STORY.cast.toml when it sits next to the story.\n\n");
        out.push_str(
            "[narrator]
",
        );
        write_role(&mut out, &self.narrator);
        for (name, entry) in &self.characters {
            let lines = roster.characters.iter().find(|c| &c.name == name).map_or(0, |c| c.lines);
            let _ = writeln!(
                out,
                "
[characters.{}]  # {lines} line{}",
                quoted(name),
                if lines == 1 { "" } else { "s" }
            );
            if !entry.aliases.is_empty() {
                let aliases: Vec<String> = entry.aliases.iter().map(|a| quoted(a)).collect();
                let _ = writeln!(out, "aliases = [{}]", aliases.join(", "));
            }
            let gender = match entry.gender {
                Gender::Female => "female",
                Gender::Male => "male",
                Gender::Unknown => "unknown",
            };
            let _ = writeln!(out, "gender = \"{gender}\"");
            write_role(&mut out, &entry.role());
        }
        out.push_str(
            "
[pronunciations]
# Words respelled before synthesis, e.g. Xander = \"Zander\"
",
        );
        for (word, spoken) in &self.pronunciations {
            let _ = writeln!(out, "{} = {}", quoted(word), quoted(spoken));
        }
        let p = &self.pauses;
        let _ = write!(
            out,
            "
[pauses]  # seconds
segment = {:?}
paragraph = {:?}
speaker_change = {:?}
scene = {:?}
lead_in = {:?}
tail = {:?}
",
            p.segment, p.paragraph, p.speaker_change, p.scene, p.lead_in, p.tail
        );
        out
    }
}

fn write_role(out: &mut String, role: &Role) {
    if let Some(voice) = &role.voice {
        let _ = writeln!(out, "voice = \"{voice}\"");
    }
    let prosody = role.prosody();
    let _ = writeln!(out, "rate = {:?}\npitch = {:?}\nvolume = {:?}", prosody.rate, prosody.pitch, prosody.volume);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_cast() {
        let text = r#"
[narrator]
voice = "espeak:en"

[characters."Spike"]
aliases = ["William"]
gender = "male"
voice = "espeak:en+m3"
pitch = -2.0

[characters.Willow]

[pronunciations]
Xander = "Zander"
"#;
        let cast = Cast::parse(text, Path::new("c.toml")).unwrap();
        assert_eq!(cast.narrator.voice.as_ref().unwrap().to_string(), "espeak:en");
        let names: Vec<&str> = cast.characters.keys().map(String::as_str).collect();
        assert_eq!(names, ["Spike", "Willow"]);
        assert!((cast.characters["Spike"].role().prosody().pitch + 2.0).abs() < f32::EPSILON);
        assert_eq!(cast.characters["Willow"].gender, Gender::Unknown);
        assert_eq!(cast.pronunciations["Xander"], "Zander");
        assert_eq!(cast.roster().characters[0].aliases, ["William"]);
    }

    #[test]
    fn errors_name_file_and_line() {
        let err = Cast::parse("[narrator]\nvoice = \"espeak:en\"\nspeed = 2\n", Path::new("c.toml")).unwrap_err();
        let message = err.to_string();
        assert!(message.starts_with("c.toml line 3: unknown field `speed`"), "{message}");
        let err = Cast::parse("[narrator\n", Path::new("c.toml")).unwrap_err();
        assert!(err.to_string().starts_with("c.toml line 1:"), "{err}");
        let err = Cast::parse("[narrator]\nvoice = \"nocolon\"\n", Path::new("c.toml")).unwrap_err();
        assert!(err.to_string().contains("ENGINE:VOICE"), "{err}");
    }

    #[test]
    fn default_path_sits_next_to_the_story() {
        assert_eq!(default_path(Path::new("a/b/story.txt")), Path::new("a/b/story.cast.toml"));
    }

    fn voices(list: &[(&str, Gender)]) -> Vec<VoiceInfo> {
        list.iter()
            .map(|&(r, gender)| VoiceInfo {
                reference: r.parse().unwrap(),
                language: "en".into(),
                gender,
                sample_rate: 16_000,
                source: "test".into(),
            })
            .collect()
    }

    fn character(name: &str, gender: Gender, lines: usize) -> Character {
        Character { name: name.into(), aliases: Vec::new(), gender, lines }
    }

    /// A script in which each (speaker, chapter, scene) speaks once.
    fn script(lines: &[(&str, usize)]) -> Script {
        use crate::script::{Segment, SegmentKind};
        Script {
            segments: lines
                .iter()
                .map(|&(who, scene)| Segment {
                    chapter: 0,
                    scene,
                    paragraph: 0,
                    kind: SegmentKind::Dialogue,
                    span: crate::story::Span::default(),
                    speaker: Some(who.into()),
                    confidence: 1.0,
                    continuation: false,
                })
                .collect(),
        }
    }

    #[test]
    fn engine_pools_use_curated_parts_or_the_catalogue() {
        let registry = Registry::new();
        let espeak = Pool::for_engine(&registry, "espeak").unwrap();
        assert_eq!(espeak.narrator.as_ref().unwrap().voice.to_string(), "espeak:en-us");
        let male = espeak.slots(Gender::Male);
        assert_eq!(male[1].voice.to_string(), format!("espeak:{}", espeak::MALE_PARTS[1].0));
        assert!((male[1].prosody.pitch - espeak::MALE_PARTS[1].1).abs() < f32::EPSILON);
        let silence = Pool::for_engine(&registry, "silence").unwrap();
        assert_eq!((silence.female.len(), silence.male.len()), (4, 4));
        assert!(Pool::for_engine(&registry, "festival").is_err());
    }

    #[test]
    fn assign_matches_gender_and_keeps_the_narrator_apart() {
        let pool = Pool::new(
            &voices(&[
                ("t:narrator", Gender::Male),
                ("t:f1", Gender::Female),
                ("t:m1", Gender::Male),
                ("t:m2", Gender::Male),
            ]),
            None,
        );
        let roster = Roster {
            characters: vec![
                character("Ann", Gender::Female, 5),
                character("Bob", Gender::Male, 3),
                character("Cy", Gender::Male, 1),
            ],
        };
        let cast = assign(&roster, &script(&[("Ann", 0), ("Bob", 0), ("Cy", 0)]), &pool, None);
        let voice = |n: &str| cast.characters[n].voice.as_ref().unwrap().to_string();
        assert_eq!(cast.narrator.voice.as_ref().unwrap().to_string(), "t:narrator");
        assert_eq!(voice("Ann"), "t:f1");
        assert_eq!((voice("Bob"), voice("Cy")), ("t:m1".to_owned(), "t:m2".to_owned()));
    }

    #[test]
    fn characters_in_one_scene_never_share_a_slot_even_when_voices_run_out() {
        let pool = Pool::new(&voices(&[("t:n", Gender::Unknown), ("t:m", Gender::Male)]), None);
        let names = ["A", "B", "C", "D", "E"];
        let roster = Roster { characters: names.iter().map(|n| character(n, Gender::Male, 1)).collect() };
        let cast = assign(&roster, &script(&names.map(|n| (n, 0))), &pool, None);
        let slots: Vec<(String, u32)> = names
            .iter()
            .map(|n| (cast.characters[*n].voice.as_ref().unwrap().to_string(), cast.characters[*n].pitch.to_bits()))
            .collect();
        for (i, a) in slots.iter().enumerate() {
            for b in &slots[i + 1..] {
                assert_ne!(a, b, "{slots:?}");
            }
        }
        assert!(slots.iter().all(|(v, _)| v == "t:m"), "a single male voice is varied by pitch: {slots:?}");
    }

    #[test]
    fn female_parts_get_pitched_up_male_voices_when_no_female_voice_exists() {
        let pool = Pool::new(&voices(&[("p:joe", Gender::Male)]), None);
        let roster = Roster { characters: vec![character("Ann", Gender::Female, 2)] };
        let cast = assign(&roster, &script(&[("Ann", 0)]), &pool, None);
        assert_eq!(cast.characters["Ann"].voice.as_ref().unwrap().to_string(), "p:joe");
        assert!(cast.characters["Ann"].pitch >= CROSS_GENDER_PITCH);
    }

    #[test]
    fn assign_keeps_chosen_voices_and_is_deterministic() {
        let pool =
            Pool::new(&voices(&[("t:n", Gender::Unknown), ("t:f1", Gender::Female), ("t:f2", Gender::Female)]), None);
        let roster =
            Roster { characters: vec![character("Ann", Gender::Female, 2), character("Bea", Gender::Female, 2)] };
        let mut existing = Cast::default();
        existing.characters.insert(
            "Bea".into(),
            CharacterEntry {
                gender: Gender::Female,
                voice: Some("t:f1".parse().unwrap()),
                ..CharacterEntry::default()
            },
        );
        let lines = script(&[("Ann", 0), ("Bea", 0)]);
        let cast = assign(&roster, &lines, &pool, Some(&existing));
        assert_eq!(cast.characters["Bea"].voice.as_ref().unwrap().to_string(), "t:f1");
        assert_eq!(cast.characters["Ann"].voice.as_ref().unwrap().to_string(), "t:f2");
        assert_eq!(cast, assign(&roster, &lines, &pool, Some(&existing)));
    }

    #[test]
    fn written_cast_parses_back_to_the_same_cast() {
        let pool =
            Pool::new(&voices(&[("t:n", Gender::Unknown), ("t:f1", Gender::Female), ("t:m1", Gender::Male)]), None);
        let mut spike = character("Spike \"Will\"", Gender::Male, 3);
        spike.aliases = vec!["William".into()];
        let roster = Roster { characters: vec![spike, character("Ann", Gender::Female, 1)] };
        let mut cast = assign(&roster, &script(&[("Ann", 0)]), &pool, None);
        cast.pronunciations.insert("Xander".into(), "Zander".into());
        let text = cast.to_toml(Some("A \"Tale\""), &roster);
        assert!(text.contains("# 3 lines") && text.contains("# 1 line\n"), "{text}");
        let mut back = Cast::parse(&text, Path::new("c.toml")).unwrap();
        back.source = None;
        assert_eq!(back, cast);
    }

    #[test]
    fn unknown_voices_are_reported_at_their_line() {
        let text = "[narrator]\nvoice = \"t:n\"\n\n[characters.\"Ann\"]\ngender = \"female\"\nvoice = \"t:nobody\"\n";
        let cast = Cast::parse(text, Path::new("c.toml")).unwrap();
        let err = cast
            .check_voices(|v| {
                if v.voice == "nobody" {
                    Err(Error::UnknownVoice { reference: v.to_string(), nearest: vec!["t:n".into()] })
                } else {
                    Ok(())
                }
            })
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("c.toml line 6: voice for \"Ann\": unknown voice \"t:nobody\""), "{err}");
        assert!(err.contains("did you mean \"t:n\""), "{err}");
    }

    #[test]
    fn unknown_keys_in_character_tables_are_rejected() {
        let err = Cast::parse("[characters.Ann]\ngender = \"female\"\ncolour = 1\n", Path::new("c.toml")).unwrap_err();
        assert!(err.to_string().contains("line 3: unknown field `colour`"), "{err}");
        let err = Cast::parse("[characters.Ann]\ngender = \"robot\"\n", Path::new("c.toml")).unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }

    #[test]
    fn unmentioned_characters_are_listed() {
        let cast = Cast::parse(
            "[characters.Ann]\n[characters.Bob]\naliases = [\"Robert\"]\n[characters.Zed]\n",
            Path::new("c"),
        )
        .unwrap();
        assert_eq!(cast.unmentioned("Ann met Robert. Zedd left."), ["Zed"]);
    }

    #[test]
    fn a_name_broken_across_lines_is_mentioned() {
        let cast = Cast::parse("[characters.\"John Rolfe\"]\n[characters.\"Ann Lee\"]\n", Path::new("c")).unwrap();
        assert_eq!(cast.unmentioned("my friend, Master John\nRolfe, was there. Ann Leeds left."), ["Ann Lee"]);
        assert_eq!(cast.unmentioned("John  \r\n Rolfe and Ann\tLee"), Vec::<&str>::new());
        assert_eq!(cast.unmentioned("JohnRolfe and Ann-Lee"), ["John Rolfe", "Ann Lee"]);
    }
}
