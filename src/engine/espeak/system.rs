//! The system espeak-ng C library, loaded at run time with `libloading`; every call goes through one process-wide lock.
//!
//! The C library keeps all its state in globals and is not thread-safe (two threads without a lock crash or
//! produce garbage), so [`Library`] serializes every call and sets voice and parameters before each one.
//!
//! It also carries state from one utterance to the next — the pitch-flutter phase, the gain control, the breath
//! filters and the C `rand()` sequence — and no call resets it, so the same line would come out slightly
//! differently depending on what was spoken before it. A line's audio must depend on its text, voice and settings
//! alone (the render caches lines and resumes interrupted work, and promises the same bytes as an uninterrupted
//! run), so every utterance is spoken by a freshly loaded library: unloaded, loaded again and initialized, with
//! `rand` reseeded. That costs about 2 ms, because the library reads its data through a [shortcut
//! directory](shortcut_directory) where a voice is one file open away; through its own data directory, selecting
//! a voice scans every voice file (about 4 ms more).

use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char, c_int, c_short, c_uint, c_void};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use super::{Clause, Settings};
use crate::{Error, Result};

/// `AUDIO_OUTPUT_SYNCHRONOUS`: samples are handed to the callback before `espeak_Synth` returns.
const AUDIO_OUTPUT_SYNCHRONOUS: c_int = 2;
/// `espeakINITIALIZE_DONT_EXIT`: report a missing data directory instead of calling `exit()`.
const INITIALIZE_DONT_EXIT: c_int = 0x8000;
/// `espeakCHARS_UTF8`.
const CHARS_UTF8: c_uint = 1;
/// `POS_CHARACTER`.
const POSITION_CHARACTER: c_int = 1;
/// `espeakPHONEMES_IPA`.
const PHONEMES_IPA: c_int = 0x02;
/// `espeak_PARAMETER` values.
const PARAMETER_RATE: c_int = 1;
const PARAMETER_VOLUME: c_int = 2;
const PARAMETER_PITCH: c_int = 3;
const PARAMETER_RANGE: c_int = 4;
const PARAMETER_PUNCTUATION: c_int = 5;
const PARAMETER_CAPITALS: c_int = 6;
const PARAMETER_WORD_GAP: c_int = 7;

type Initialize = unsafe extern "C" fn(output: c_int, buffer_ms: c_int, path: *const c_char, options: c_int) -> c_int;
type SynthCallback = unsafe extern "C" fn(wav: *mut c_short, samples: c_int, events: *mut c_void) -> c_int;
type SetSynthCallback = unsafe extern "C" fn(callback: Option<SynthCallback>);
type SetVoiceByName = unsafe extern "C" fn(name: *const c_char) -> c_int;
type SetParameter = unsafe extern "C" fn(parameter: c_int, value: c_int, relative: c_int) -> c_int;
type Synth = unsafe extern "C" fn(
    text: *const c_void,
    size: usize,
    position: c_uint,
    position_type: c_int,
    end_position: c_uint,
    flags: c_uint,
    unique_identifier: *mut c_uint,
    user_data: *mut c_void,
) -> c_int;
type TextToPhonemes =
    unsafe extern "C" fn(text: *mut *const c_void, text_mode: c_int, phoneme_mode: c_int) -> *const c_char;
type Info = unsafe extern "C" fn(path_data: *mut *const c_char) -> *const c_char;
type Terminate = unsafe extern "C" fn() -> c_int;

unsafe extern "C" {
    /// The C library's `srand`: espeak-ng draws its breath noise from `rand()`.
    fn srand(seed: c_uint);
}

/// File names tried, in order, when loading the library.
#[cfg(target_os = "macos")]
const LIBRARY_NAMES: &[&str] = &[
    "libespeak-ng.1.dylib",
    "libespeak-ng.dylib",
    "/opt/homebrew/lib/libespeak-ng.dylib",
    "/usr/local/lib/libespeak-ng.dylib",
];
#[cfg(target_os = "windows")]
const LIBRARY_NAMES: &[&str] = &["libespeak-ng.dll", "espeak-ng.dll"];
#[cfg(not(any(target_os = "macos", target_os = "windows")))]
const LIBRARY_NAMES: &[&str] = &["libespeak-ng.so.1", "libespeak-ng.so"];

/// The environment variable naming the espeak-ng shared library to load instead of the usual names (for an
/// installation outside the linker's search path).
pub const LIBRARY_VARIABLE: &str = "AUDIOBOOK_ESPEAK_LIBRARY";

thread_local! {
    /// Samples handed to [`collect_samples`] during the current `espeak_Synth` call on this thread.
    static SAMPLES: RefCell<Vec<i16>> = const { RefCell::new(Vec::new()) };
}

/// Receives audio from espeak-ng; in synchronous mode it runs on the thread that called `espeak_Synth`.
unsafe extern "C" fn collect_samples(wav: *mut c_short, samples: c_int, _events: *mut c_void) -> c_int {
    if !wav.is_null() && samples > 0 {
        // SAFETY: espeak-ng passes a buffer of `samples` 16-bit samples that lives until the callback returns.
        let chunk = unsafe { std::slice::from_raw_parts(wav, samples as usize) };
        SAMPLES.with_borrow_mut(|buffer| buffer.extend_from_slice(chunk));
    }
    0
}

/// The system library: which file it is, and the lock that serializes every call into it.
pub struct Library {
    /// The file name or path that loaded; loaded again by that name for every utterance.
    file: String,
    /// The libraries espeak-ng brought in (audio output, Sonic), kept loaded so that a reload maps espeak-ng
    /// alone: unloading them too would rerun their set-up (the audio output reads its configuration files) every time.
    _dependencies: Vec<libloading::Library>,
    /// The folder holding the `espeak-ng-data` directory to initialize with; `None` for the library's own.
    data: Option<CString>,
    /// espeak-ng's version, e.g. `1.51`.
    version: String,
    /// Output sample rate in Hz.
    sample_rate: u32,
    /// Serializes every call into the library; holds the loaded instance (none after a failed reload).
    lock: Mutex<Option<Instance>>,
}

impl std::fmt::Debug for Library {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Library").field("file", &self.file).field("version", &self.version).finish_non_exhaustive()
    }
}

/// One load of the library: its initialized globals and the functions used on them.
struct Instance {
    /// Keeps the shared object mapped while the function pointers below are used; dropping it unloads it.
    shared_object: Option<libloading::Library>,
    terminate: Terminate,
    set_voice_by_name: SetVoiceByName,
    set_parameter: SetParameter,
    synth: Synth,
    text_to_phonemes: TextToPhonemes,
    /// The voice selected last.
    voice: Option<String>,
    /// Nothing has been spoken or phonemized since it was initialized with [`Library::data`].
    pristine: bool,
    /// The value `espeak_Initialize` returned: the sample rate.
    sample_rate: u32,
}

impl Instance {
    /// Initializes a freshly loaded `library` with the data directory in `data` (`None`: its own).
    fn initialize(library: libloading::Library, data: Option<&CStr>) -> std::result::Result<Self, String> {
        /// Copies a function pointer out of the library; the pointer stays valid while `library` is alive.
        fn symbol<T: Copy>(library: &libloading::Library, name: &str) -> std::result::Result<T, String> {
            // SAFETY: every `T` used below is the C prototype from espeak-ng's `speak_lib.h`.
            unsafe { library.get::<T>(name.as_bytes()) }.map(|s| *s).map_err(|e| format!("{name}: {e}"))
        }
        let initialize: Initialize = symbol(&library, "espeak_Initialize")?;
        let set_synth_callback: SetSynthCallback = symbol(&library, "espeak_SetSynthCallback")?;
        let path = data.map_or(std::ptr::null(), CStr::as_ptr);
        // SAFETY: `path` is null (the library's own data) or a NUL-terminated string that outlives the call;
        // DONT_EXIT makes failure a return value.
        let sample_rate = unsafe { initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, path, INITIALIZE_DONT_EXIT) };
        if sample_rate <= 0 {
            return Err(format!(
                "espeak_Initialize failed ({sample_rate}): its data files (espeak-ng-data) are missing or unreadable"
            ));
        }
        // SAFETY: the callback matches `t_espeak_callback` and only touches a thread-local buffer.
        unsafe { set_synth_callback(Some(collect_samples)) };
        Ok(Self {
            terminate: symbol(&library, "espeak_Terminate")?,
            set_voice_by_name: symbol(&library, "espeak_SetVoiceByName")?,
            set_parameter: symbol(&library, "espeak_SetParameter")?,
            synth: symbol(&library, "espeak_Synth")?,
            text_to_phonemes: symbol(&library, "espeak_TextToPhonemes")?,
            voice: None,
            pristine: true,
            sample_rate: sample_rate.unsigned_abs(),
            shared_object: Some(library),
        })
    }

    /// Selects `voice` (skipped when it is already selected).
    fn select(&mut self, voice: &str) -> Result<()> {
        if self.voice.as_deref() != Some(voice) {
            let name = c_string(voice)?;
            // SAFETY: `name` is NUL-terminated and outlives the call; the caller holds the lock.
            let status = unsafe { (self.set_voice_by_name)(name.as_ptr()) };
            if status != 0 {
                self.voice = None;
                return Err(Error::Engine {
                    engine: "espeak",
                    message: format!("espeak-ng cannot load voice \"{voice}\" (status {status})"),
                });
            }
            self.voice = Some(voice.to_owned());
        }
        Ok(())
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        // SAFETY: the library is still loaded (it is unloaded just below) and the owner holds the lock. Terminate
        // frees what initialization allocated, which unloading alone would leak.
        unsafe { (self.terminate)() };
        drop(self.shared_object.take());
    }
}

impl Library {
    /// Loads and initializes the system library; the error says why it could not.
    pub fn load() -> std::result::Result<Self, String> {
        let mut failures = Vec::new();
        let chosen = std::env::var(LIBRARY_VARIABLE).ok().filter(|path| !path.trim().is_empty());
        let names: Vec<&str> = chosen.as_deref().map_or_else(|| LIBRARY_NAMES.to_vec(), |path| vec![path]);
        let before = mapped_files();
        for name in names {
            // SAFETY: loading espeak-ng runs no initialization code with preconditions we could violate.
            match unsafe { libloading::Library::new(name) } {
                Ok(library) => return Self::initialize(name, library, &before),
                Err(error) => failures.push(format!("{name}: {error}")),
            }
        }
        Err(failures.join("; "))
    }

    /// Initializes the first load of `library` (loaded by the name `file`); `before` lists the files mapped
    /// before it was loaded.
    fn initialize(
        file: &str,
        library: libloading::Library,
        before: &[MappedFile],
    ) -> std::result::Result<Self, String> {
        let info: Info =
            // SAFETY: the C prototype of `espeak_Info`.
            unsafe { library.get::<Info>(b"espeak_Info") }.map(|s| *s).map_err(|e| format!("espeak_Info: {e}"))?;
        let dependencies = pin_dependencies(before, info as usize);
        let mut instance = Instance::initialize(library, None)?;
        let mut path_data: *const c_char = std::ptr::null();
        // SAFETY: espeak_Info returns a static version string and stores a static path string.
        let version = unsafe { info(&raw mut path_data) };
        let text = |p: *const c_char| {
            // SAFETY: both pointers are null or point at static NUL-terminated strings owned by the library.
            if p.is_null() { String::new() } else { unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned() }
        };
        let version = text(version);
        let data = shortcut_directory(Path::new(&text(path_data)), &version)
            .and_then(|folder| CString::new(folder.into_os_string().into_encoded_bytes()).ok());
        // Initialized with the library's own data rather than the shortcut: reload before the first utterance too.
        instance.pristine = data.is_none();
        Ok(Self {
            file: file.to_owned(),
            _dependencies: dependencies,
            data,
            version,
            sample_rate: instance.sample_rate,
            lock: Mutex::new(Some(instance)),
        })
    }

    /// espeak-ng's version, e.g. `1.51`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Output sample rate in Hz.
    pub fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    /// Runs `call` on the loaded instance with the lock held; with `fresh`, a used instance is first replaced by
    /// a newly loaded one.
    fn with_instance<T>(&self, fresh: bool, call: impl FnOnce(&mut Instance) -> Result<T>) -> Result<T> {
        // A panic while holding the lock leaves no Rust state behind worth distrusting.
        let mut guard = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        if fresh && guard.as_ref().is_some_and(|instance| !instance.pristine) {
            // The old instance must be unloaded before loading again, or the loader hands back the same globals.
            *guard = None;
        }
        let instance = guard.take().map_or_else(|| self.reload(), Ok)?;
        let instance = guard.insert(instance);
        instance.pristine = false;
        call(instance)
    }

    /// Loads the library again and initializes it with [`Library::data`].
    fn reload(&self) -> Result<Instance> {
        // SAFETY: as in `load`; the caller holds the lock, so no other thread is inside the library.
        let library = unsafe { libloading::Library::new(&self.file) }.map_err(|e| e.to_string());
        library.and_then(|library| Instance::initialize(library, self.data.as_deref())).map_err(|message| {
            Error::Engine {
                engine: "espeak",
                message: format!("espeak-ng could not be loaded again ({}): {message}", self.file),
            }
        })
    }

    /// Speaks `text` with `voice` (an espeak-ng voice name such as `en-us+f3`); 16-bit samples.
    pub fn synthesize(&self, text: &str, voice: &str, settings: &Settings) -> Result<Vec<i16>> {
        let text = c_string(text)?;
        self.with_instance(true, |instance| {
            instance.select(voice)?;
            for (parameter, value) in [
                (PARAMETER_RATE, settings.words_per_minute),
                (PARAMETER_VOLUME, settings.volume),
                (PARAMETER_PITCH, settings.pitch),
                (PARAMETER_RANGE, settings.range),
                (PARAMETER_PUNCTUATION, 0),
                (PARAMETER_CAPITALS, 0),
                (PARAMETER_WORD_GAP, 0),
            ] {
                // SAFETY: plain integers; the lock is held.
                unsafe { (instance.set_parameter)(parameter, value, 0) };
            }
            SAMPLES.with_borrow_mut(Vec::clear);
            let bytes = text.as_bytes_with_nul();
            // SAFETY: `srand` has no preconditions; only espeak-ng draws from `rand()` in this process, and only under
            // the lock. `text` is NUL-terminated UTF-8 and outlives the synchronous call; the callback registered at
            // initialization appends to this thread's buffer.
            let status = unsafe {
                srand(1);
                (instance.synth)(
                    bytes.as_ptr().cast(),
                    bytes.len(),
                    0,
                    POSITION_CHARACTER,
                    0,
                    CHARS_UTF8,
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                )
            };
            let samples = SAMPLES.with_borrow_mut(std::mem::take);
            if status != 0 {
                return Err(Error::Engine {
                    engine: "espeak",
                    message: format!("espeak_Synth failed (status {status})"),
                });
            }
            Ok(samples)
        })
    }

    /// Converts `text` to IPA clause by clause, as `espeak_TextToPhonemes` splits it.
    pub fn clauses(&self, text: &str, voice: &str) -> Result<Vec<Clause>> {
        let owned = c_string(text)?;
        self.with_instance(false, |instance| {
            instance.select(voice)?;
            let start = owned.as_ptr();
            let mut cursor: *const c_void = start.cast();
            let mut clauses = Vec::new();
            let mut consumed = 0;
            while !cursor.is_null() {
                // SAFETY: `cursor` points into `owned` (NUL-terminated, alive for the loop); espeak-ng advances it
                // within the string or sets it to null at the end. The lock is held.
                let phonemes =
                    unsafe { (instance.text_to_phonemes)(&raw mut cursor, CHARS_UTF8 as c_int, PHONEMES_IPA) };
                let end = if cursor.is_null() {
                    text.len()
                } else {
                    // SAFETY: both pointers are into the same allocation.
                    let offset = unsafe { cursor.cast::<c_char>().offset_from(start) };
                    usize::try_from(offset).unwrap_or(text.len()).min(text.len())
                };
                let ipa = if phonemes.is_null() {
                    String::new()
                } else {
                    // SAFETY: espeak-ng returns a NUL-terminated string in its own buffer, valid until the next call.
                    unsafe { CStr::from_ptr(phonemes) }.to_string_lossy().into_owned()
                };
                let source = text.get(consumed..end.max(consumed)).unwrap_or_default();
                clauses.push(Clause::new(&ipa, source));
                if end <= consumed && !cursor.is_null() {
                    // No progress: stop rather than loop forever on input espeak-ng cannot advance over.
                    break;
                }
                consumed = end;
            }
            clauses.retain(|clause| !clause.ipa.is_empty());
            Ok(clauses)
        })
    }
}

/// A shared object mapped into this process: the address range of one of its mappings and its path.
#[derive(Debug, PartialEq)]
struct MappedFile {
    start: usize,
    end: usize,
    path: PathBuf,
}

/// The shared objects mapped into this process (from `/proc/self/maps`; none elsewhere).
fn mapped_files() -> Vec<MappedFile> {
    let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else { return Vec::new() };
    maps.lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let (start, end) = fields.next()?.split_once('-')?;
            let path = fields.nth(4)?;
            let shared = Path::new(path).file_name()?.to_string_lossy().contains(".so");
            (path.starts_with('/') && shared).then(|| MappedFile {
                start: usize::from_str_radix(start, 16).unwrap_or(0),
                end: usize::from_str_radix(end, 16).unwrap_or(0),
                path: PathBuf::from(path),
            })
        })
        .collect()
}

/// Loads once more every shared object mapped since `before`, except the one holding `address` (espeak-ng
/// itself), and returns the handles, which keep them loaded while espeak-ng is unloaded and loaded again.
fn pin_dependencies(before: &[MappedFile], address: usize) -> Vec<libloading::Library> {
    let now = mapped_files();
    let Some(own) = now.iter().find(|file| (file.start..file.end).contains(&address)) else { return Vec::new() };
    let mut paths: Vec<&PathBuf> = now
        .iter()
        .map(|file| &file.path)
        .filter(|path| **path != own.path && !before.iter().any(|file| file.path == **path))
        .collect();
    paths.dedup();
    // SAFETY: each of these is already loaded (espeak-ng depends on it), so loading it again only counts a reference.
    paths.into_iter().filter_map(|path| unsafe { libloading::Library::new(path) }.ok()).collect()
}

/// Builds, once per data directory and version, a mirror of espeak-ng's data directory `data` made of links, in
/// which the language files' tree is flattened: every file under `lang/` is linked at the top of `lang/` by its
/// lower-case name (`lang/gmw/en-US` as `lang/en-us`). espeak-ng looks a voice name up as such a file first and
/// scans all voice files only when that fails, which costs more than the rest of a reload. (The scan still works,
/// and sees as many files as before: it lists at most 350.) Returns the folder to initialize with
/// (it holds `espeak-ng-data`), or `None` when it cannot be built (no cache folder, no symbolic links on this
/// platform): the library's own data works the same, only slower.
fn shortcut_directory(data: &Path, version: &str) -> Option<PathBuf> {
    use std::hash::{Hash as _, Hasher as _};
    if !cfg!(unix) || !data.join("phontab").is_file() {
        return None;
    }
    // Only names the folder: another hash after a Rust upgrade just builds the mirror again.
    let mut hasher = std::hash::DefaultHasher::new();
    data.hash(&mut hasher);
    let folder = super::cache_directory().ok()?.join(format!("espeak-ng-system-{version}-{:016x}", hasher.finish()));
    super::build_once(&folder, "espeak-ng-data/phontab", |temporary| {
        link_mirror(data, &temporary.join("espeak-ng-data"))
    })
    .ok()?;
    Some(folder)
}

/// Fills `mirror` with links to the entries of `data`, the language files flattened under lower-case names.
#[cfg(unix)]
fn link_mirror(data: &Path, mirror: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::symlink;
    std::fs::create_dir_all(mirror.join("lang"))?;
    for entry in std::fs::read_dir(data)? {
        let entry = entry?;
        if entry.file_name() != "lang" {
            symlink(entry.path(), mirror.join(entry.file_name()))?;
        }
    }
    let mut folders = vec![data.join("lang")];
    let mut files = Vec::new();
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() { folders.push(path) } else { files.push(path) }
        }
    }
    // Sorted, so that of two files whose names differ only in case the same one wins on every machine.
    files.sort();
    for file in files {
        let shortcut = mirror.join("lang").join(file.file_name().unwrap_or_default().to_ascii_lowercase());
        if std::fs::symlink_metadata(&shortcut).is_err() {
            symlink(&file, shortcut)?;
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn link_mirror(_data: &Path, _mirror: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn mirror_links_every_entry_and_language_files_by_lower_case_name() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("espeak-ng-data");
        for file in ["phontab", "en_dict", "voices/!v/f3", "lang/gmw/en-US", "lang/gmw/en", "lang/eu", "lang/roa/pt-BR"]
        {
            let path = data.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, file).unwrap();
        }
        let mirror = dir.path().join("mirror");
        link_mirror(&data, &mirror).unwrap();
        let read = |file: &str| std::fs::read_to_string(mirror.join(file)).unwrap();
        assert_eq!(read("phontab"), "phontab");
        assert_eq!(read("voices/!v/f3"), "voices/!v/f3");
        assert_eq!(read("lang/en-us"), "lang/gmw/en-US");
        assert_eq!(read("lang/pt-br"), "lang/roa/pt-BR");
        assert_eq!(read("lang/eu"), "lang/eu");
        assert_eq!(std::fs::read_dir(mirror.join("lang")).unwrap().count(), 4, "no tree, no duplicates");
    }
}

fn c_string(text: &str) -> Result<CString> {
    CString::new(text).map_err(|_| Error::Engine {
        engine: "espeak",
        message: format!("text contains a NUL character: {:?}", text.chars().take(40).collect::<String>()),
    })
}
