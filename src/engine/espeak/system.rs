//! The system espeak-ng C library, loaded at run time with `libloading`; every call goes through one process-wide lock.
//!
//! The C library keeps all its state in globals and is not thread-safe (two threads without a lock crash or
//! produce garbage), so [`Library`] serializes every call and sets voice and parameters before each one.

use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char, c_int, c_short, c_uint, c_void};
use std::sync::Mutex;

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

/// The loaded library: its functions and the lock that serializes them.
pub struct Library {
    /// Keeps the shared object mapped while the function pointers below are used.
    _shared_object: libloading::Library,
    set_voice_by_name: SetVoiceByName,
    set_parameter: SetParameter,
    synth: Synth,
    text_to_phonemes: TextToPhonemes,
    /// espeak-ng's version, e.g. `1.51`.
    version: String,
    /// Output sample rate in Hz.
    sample_rate: u32,
    /// Serializes every call into the library; holds the voice name set last.
    lock: Mutex<Option<String>>,
}

impl std::fmt::Debug for Library {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Library").field("version", &self.version).finish_non_exhaustive()
    }
}

impl Library {
    /// Loads and initializes the system library; the error says why it could not.
    pub fn load() -> std::result::Result<Self, String> {
        let mut failures = Vec::new();
        let chosen = std::env::var(LIBRARY_VARIABLE).ok().filter(|path| !path.trim().is_empty());
        let names: Vec<&str> = chosen.as_deref().map_or_else(|| LIBRARY_NAMES.to_vec(), |path| vec![path]);
        for name in names {
            // SAFETY: loading espeak-ng runs no initialization code with preconditions we could violate.
            match unsafe { libloading::Library::new(name) } {
                Ok(library) => return Self::initialize(library),
                Err(error) => failures.push(format!("{name}: {error}")),
            }
        }
        Err(failures.join("; "))
    }

    fn initialize(library: libloading::Library) -> std::result::Result<Self, String> {
        /// Copies a function pointer out of the library; the pointer stays valid while `library` is alive.
        fn symbol<T: Copy>(library: &libloading::Library, name: &str) -> std::result::Result<T, String> {
            // SAFETY: every `T` used below is the C prototype from espeak-ng's `speak_lib.h`.
            unsafe { library.get::<T>(name.as_bytes()) }.map(|s| *s).map_err(|e| format!("{name}: {e}"))
        }
        let initialize: Initialize = symbol(&library, "espeak_Initialize")?;
        let set_synth_callback: SetSynthCallback = symbol(&library, "espeak_SetSynthCallback")?;
        let info: Info = symbol(&library, "espeak_Info")?;
        // SAFETY: a null path selects the library's own data directory; DONT_EXIT makes failure a return value.
        let sample_rate = unsafe { initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, std::ptr::null(), INITIALIZE_DONT_EXIT) };
        if sample_rate <= 0 {
            return Err(format!(
                "espeak_Initialize failed ({sample_rate}): its data files (espeak-ng-data) are missing or unreadable"
            ));
        }
        // SAFETY: the callback matches `t_espeak_callback` and only touches a thread-local buffer.
        unsafe { set_synth_callback(Some(collect_samples)) };
        let mut path_data: *const c_char = std::ptr::null();
        // SAFETY: espeak_Info returns a static version string and stores a static path string (unused).
        let version = unsafe { info(&raw mut path_data) };
        let text = |p: *const c_char| {
            // SAFETY: both pointers are null or point at static NUL-terminated strings owned by the library.
            if p.is_null() { String::new() } else { unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned() }
        };
        Ok(Self {
            set_voice_by_name: symbol(&library, "espeak_SetVoiceByName")?,
            set_parameter: symbol(&library, "espeak_SetParameter")?,
            synth: symbol(&library, "espeak_Synth")?,
            text_to_phonemes: symbol(&library, "espeak_TextToPhonemes")?,
            version: text(version),
            sample_rate: sample_rate as u32,
            lock: Mutex::new(None),
            _shared_object: library,
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

    /// Takes the lock and selects `voice` (skipped when it is already selected).
    fn select(&self, voice: &str) -> Result<std::sync::MutexGuard<'_, Option<String>>> {
        // A panic while holding the lock leaves no Rust state behind worth distrusting.
        let mut current = self.lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if current.as_deref() != Some(voice) {
            let name = c_string(voice)?;
            // SAFETY: `name` is NUL-terminated and outlives the call; the lock is held.
            let status = unsafe { (self.set_voice_by_name)(name.as_ptr()) };
            if status != 0 {
                *current = None;
                return Err(Error::Engine {
                    engine: "espeak",
                    message: format!("espeak-ng cannot load voice \"{voice}\" (status {status})"),
                });
            }
            *current = Some(voice.to_owned());
        }
        Ok(current)
    }

    /// Speaks `text` with `voice` (an espeak-ng voice name such as `en-us+f3`); 16-bit samples.
    pub fn synthesize(&self, text: &str, voice: &str, settings: &Settings) -> Result<Vec<i16>> {
        let text = c_string(text)?;
        let _guard = self.select(voice)?;
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
            unsafe { (self.set_parameter)(parameter, value, 0) };
        }
        SAMPLES.with_borrow_mut(Vec::clear);
        let bytes = text.as_bytes_with_nul();
        // SAFETY: `text` is NUL-terminated UTF-8 and outlives the synchronous call; the lock is held, and the
        // callback registered at initialization appends to this thread's buffer.
        let status = unsafe {
            (self.synth)(
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
            return Err(Error::Engine { engine: "espeak", message: format!("espeak_Synth failed (status {status})") });
        }
        Ok(samples)
    }

    /// Converts `text` to IPA clause by clause, as `espeak_TextToPhonemes` splits it.
    pub fn clauses(&self, text: &str, voice: &str) -> Result<Vec<Clause>> {
        let owned = c_string(text)?;
        let _guard = self.select(voice)?;
        let start = owned.as_ptr();
        let mut cursor: *const c_void = start.cast();
        let mut clauses = Vec::new();
        let mut consumed = 0;
        while !cursor.is_null() {
            // SAFETY: `cursor` points into `owned` (NUL-terminated, alive for the loop); espeak-ng advances it
            // within the string or sets it to null at the end. The lock is held.
            let phonemes = unsafe { (self.text_to_phonemes)(&raw mut cursor, CHARS_UTF8 as c_int, PHONEMES_IPA) };
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
    }
}

fn c_string(text: &str) -> Result<CString> {
    CString::new(text).map_err(|_| Error::Engine {
        engine: "espeak",
        message: format!("text contains a NUL character: {:?}", text.chars().take(40).collect::<String>()),
    })
}
