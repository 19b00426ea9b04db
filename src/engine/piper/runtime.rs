//! ONNX Runtime for Piper: finding the library, and a pool of inference sessions per model.
//!
//! The library is loaded at run time (`ort` with `load-dynamic`). It is looked up in `ORT_DYLIB_PATH`, next to
//! the executable, in an installed `onnxruntime` Python package (`onnxruntime/capi/libonnxruntime.so.1.x.y`,
//! which has only a versioned name, so the loader's default lookup misses it), then by the system's loader.
//!
//! Measured on 2 cores: one session per core with one intra-op thread and spinning off is the fastest layout
//! (19–21× real time); spinning threads collapse throughput when the other core is busy.

use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, OnceLock, PoisonError};

use ort::environment::Environment;
use ort::session::Session;
use ort::session::builder::GraphOptimizationLevel;
use ort::value::Tensor;

use super::catalogue::{Scales, python_paths};
use crate::{Error, Result};

/// The environment variable naming the ONNX Runtime library file.
pub const DYLIB_VARIABLE: &str = "ORT_DYLIB_PATH";

/// What to do when ONNX Runtime is missing.
pub const INSTALL_ADVICE: &str = "install it with `pip install onnxruntime` (version 1.17 or newer), or set ORT_DYLIB_PATH to the libonnxruntime file";

fn engine_error(message: String) -> Error {
    Error::Engine { engine: "piper", message }
}

/// Candidate library files, most specific first.
#[must_use]
pub fn library_candidates() -> Vec<PathBuf> {
    let mut candidates = Vec::new();
    if let Some(path) = std::env::var_os(DYLIB_VARIABLE).filter(|p| !p.is_empty()) {
        candidates.push(PathBuf::from(path));
        // An explicit choice is the only one tried, so a wrong path is reported rather than silently replaced.
        return candidates;
    }
    if let Ok(executable) = std::env::current_exe() {
        // Test and example binaries live one level below the build folder (`target/release/deps`).
        for directory in executable.ancestors().skip(1).take(2) {
            candidates.extend(libraries_in(directory));
        }
    }
    for site in python_paths() {
        candidates.extend(libraries_in(&site.join("onnxruntime").join("capi")));
    }
    candidates.push(PathBuf::from(format!(
        "{}onnxruntime{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    )));
    if cfg!(target_os = "linux") {
        candidates.push(PathBuf::from("libonnxruntime.so.1"));
    }
    candidates
}

/// The ONNX Runtime library files in `directory`, newest version first.
fn libraries_in(directory: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(directory) else { return Vec::new() };
    let mut found: Vec<(Vec<u32>, PathBuf)> = entries
        .filter_map(std::result::Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix("libonnxruntime").or_else(|| name.strip_prefix("onnxruntime"))?;
            let extension = Path::new(rest).extension().and_then(|e| e.to_str()).unwrap_or_default();
            let library = rest.starts_with(".so")
                || rest.eq_ignore_ascii_case(".dll")
                || ["dylib", "dll"].iter().any(|e| extension.eq_ignore_ascii_case(e));
            let version = rest.split('.').filter_map(|part| part.parse().ok()).collect();
            library.then(|| (version, entry.path()))
        })
        .collect();
    found.sort_by(|a, b| b.0.cmp(&a.0));
    found.into_iter().map(|(_, path)| path).collect()
}

/// The process-wide ONNX Runtime environment, loaded on first use.
pub fn environment() -> Result<&'static Environment> {
    static ENVIRONMENT: OnceLock<std::result::Result<Environment, String>> = OnceLock::new();
    ENVIRONMENT.get_or_init(load).as_ref().map_err(|message| engine_error(message.clone()))
}

fn load() -> std::result::Result<Environment, String> {
    let mut failures = Vec::new();
    for candidate in library_candidates() {
        let explicit = candidate.is_absolute() || candidate.components().count() > 1;
        if explicit && !candidate.exists() {
            failures.push(format!("{} does not exist", candidate.display()));
            continue;
        }
        match ort::init_from(&candidate) {
            Ok(builder) => {
                return builder.with_name("audiobook").build().map_err(|e| {
                    format!("ONNX Runtime ({}) failed to start: {e}; {INSTALL_ADVICE}", candidate.display())
                });
            }
            Err(error) => failures.push(error.to_string()),
        }
    }
    Err(format!("ONNX Runtime is not installed ({}); {INSTALL_ADVICE}", failures.join("; ")))
}

/// Inference sessions of one model: up to `limit`, created on demand, each used by one caller at a time.
#[derive(Debug)]
pub struct Pool {
    model: PathBuf,
    limit: usize,
    state: Mutex<PoolState>,
    returned: Condvar,
}

#[derive(Debug, Default)]
struct PoolState {
    idle: Vec<Session>,
    created: usize,
}

impl Pool {
    /// A pool for `model` of at most `limit` sessions (at least one); no session is created yet.
    #[must_use]
    pub fn new(model: &Path, limit: usize) -> Self {
        Self {
            model: model.to_path_buf(),
            limit: limit.max(1),
            state: Mutex::new(PoolState::default()),
            returned: Condvar::new(),
        }
    }

    /// Runs the model on one sentence's ids; returns the raw audio.
    pub fn run(&self, ids: &[i64], scales: Scales, speaker: Option<i64>) -> Result<Vec<f32>> {
        let mut session = self.take()?;
        let result = infer(&mut session, ids, scales, speaker)
            .map_err(|e| engine_error(format!("inference with {} failed: {e}", self.model.display())));
        self.give_back(session);
        result
    }

    /// Creates every session, in parallel (loading a model takes a second or so), so that a broken file is
    /// reported early and no later call waits for a model to load.
    pub fn warm_up(&self) -> Result<()> {
        let taken: Vec<Result<Session>> = std::thread::scope(|scope| {
            let loading: Vec<_> = (0..self.limit).map(|_| scope.spawn(|| self.take())).collect();
            loading
                .into_iter()
                .map(|thread| {
                    thread.join().unwrap_or_else(|_| Err(engine_error("loading a Piper model panicked".into())))
                })
                .collect()
        });
        let mut failure = None;
        for session in taken {
            match session {
                Ok(session) => self.give_back(session),
                Err(error) => failure = failure.or(Some(error)),
            }
        }
        failure.map_or(Ok(()), Err)
    }

    fn take(&self) -> Result<Session> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(session) = state.idle.pop() {
                return Ok(session);
            }
            if state.created < self.limit {
                state.created += 1;
                drop(state);
                // Created outside the lock: loading a model takes a while and others may use idle sessions.
                return open_session(&self.model).inspect_err(|_| {
                    self.state.lock().unwrap_or_else(PoisonError::into_inner).created -= 1;
                    self.returned.notify_one();
                });
            }
            state = self.returned.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn give_back(&self, session: Session) {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).idle.push(session);
        self.returned.notify_one();
    }
}

/// One inference session: one intra-op thread, no spinning, every graph optimization, seeded noise.
fn open_session(model: &Path) -> Result<Session> {
    let environment = environment()?;
    let describe = |e: &dyn std::fmt::Display| {
        engine_error(format!(
            "cannot load the Piper model {} ({e}); the file may be incomplete or not a Piper voice: download it again",
            model.display()
        ))
    };
    let builder = Session::builder(environment).map_err(|e| describe(&e))?;
    let builder = builder.with_intra_threads(1).map_err(|e| describe(&e))?;
    let builder = builder.with_inter_threads(1).map_err(|e| describe(&e))?;
    let builder = builder.with_intra_op_spinning(false).map_err(|e| describe(&e))?;
    let builder = builder.with_inter_op_spinning(false).map_err(|e| describe(&e))?;
    let mut builder = builder.with_optimization_level(GraphOptimizationLevel::All).map_err(|e| describe(&e))?;
    let bytes = std::fs::read(model).map_err(|e| describe(&e))?;
    // The model's random draws seeded by the phoneme ids, so that a line sounds the same on every run.
    let bytes = super::noise::seed_noise(&bytes).unwrap_or(bytes);
    builder.commit_from_memory(&bytes).map_err(|e| describe(&e))
}

fn infer(session: &mut Session, ids: &[i64], scales: Scales, speaker: Option<i64>) -> ort::Result<Vec<f32>> {
    let input = Tensor::from_array(([1, ids.len()], ids.to_vec()))?;
    let lengths = Tensor::from_array(([1], vec![ids.len() as i64]))?;
    let scales = Tensor::from_array(([3], vec![scales.noise_scale, scales.length_scale, scales.noise_w]))?;
    let outputs = match speaker {
        Some(speaker) => {
            let sid = Tensor::from_array(([1], vec![speaker]))?;
            session.run(ort::inputs!["input" => input, "input_lengths" => lengths, "scales" => scales, "sid" => sid])?
        }
        None => session.run(ort::inputs!["input" => input, "input_lengths" => lengths, "scales" => scales])?,
    };
    let (_, audio) = outputs[0].try_extract_tensor::<f32>()?;
    Ok(audio.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versioned_library_names_are_found_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        for name in
            ["libonnxruntime.so.1.19.2", "libonnxruntime.so.1.22.0", "libonnxruntime_providers_shared.so", "x.so"]
        {
            std::fs::write(dir.path().join(name), b"").unwrap();
        }
        let found: Vec<String> =
            libraries_in(dir.path()).iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(found, ["libonnxruntime.so.1.22.0", "libonnxruntime.so.1.19.2"]);
    }
}
